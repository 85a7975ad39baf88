"""Administration pages of the core: the plugins an admin can switch on and off."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from intranet.audit import audit
from intranet.extensions import db
from intranet.hooktypes import Permission
from intranet.plugin_host import PluginRecord, host

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


class ToggleForm(FlaskForm):
    enabled = HiddenField(validators=[AnyOf(["0", "1"])])


def hooks_of(record: PluginRecord) -> list[str]:
    """Names of the hooks a loaded plugin implements."""
    if not record.loaded:
        return []
    callers = host().pm.get_hookcallers(record.module) or []
    return sorted(caller.name for caller in callers)


@bp.route("/plugins")
def plugins() -> Any:
    permissions: dict[str, list[Permission]] = {}
    for permission in host().collect("permissions", Permission):
        permissions.setdefault(permission.plugin, []).append(permission)
    rows = [{
        "record": record,
        "enabled": host().is_enabled(record.name),
        "failures": host().failures_of(record.name),
        "hooks": hooks_of(record),
        "permissions": permissions.get(record.name, []),
    } for record in host().plugins()]
    return render_template("admin/plugins.html", rows=rows, form=ToggleForm())


@bp.route("/plugins/<name>", methods=["POST"])
def toggle_plugin(name: str) -> Any:
    record = host().records.get(name)
    if record is None:
        abort(404)
    form = ToggleForm()
    if not form.validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.plugins"))
    enabled = form.enabled.data == "1"
    if enabled and not record.loaded:
        flash(_("%(name)s cannot be switched on: it failed to load.", name=name), "error")
        return redirect(url_for("admin.plugins"))
    host().set_enabled(name, enabled)
    audit("plugin_enabled" if enabled else "plugin_disabled", object_type="plugin",
          object_id=name)
    db.session.commit()
    flash(_("%(name)s is switched on.", name=name) if enabled
          else _("%(name)s is switched off.", name=name), "success")
    return redirect(url_for("admin.plugins"))
