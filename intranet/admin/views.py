"""Administration pages of the core, for admins only.

This module holds the blueprint, the sub-navigation and the plugin switches; staff
users, rooms, settings and the audit log add their routes to the same blueprint from
``admin_*.py`` modules imported at the end.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.plugin_host import PluginRecord, host
from intranet.hooktypes import AdminSection, Permission

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


def admin_sections() -> list[dict[str, Any]]:
    """The admin sub-navigation: the sections of the core and every enabled plugin (the
    ``admin_sections`` hook) whose page exists and whose permission the user holds."""
    if not current_user.is_authenticated:
        return []
    user = current_user._get_current_object()
    current = request.endpoint or ""
    sections = []
    for section in host().collect("admin_sections", AdminSection, user=user):
        if section.endpoint not in current_app.view_functions \
                or not user.has_permission(section.permission):
            continue
        sections.append({
            "endpoint": section.endpoint, "label": section.label,
            "pictogram": section.pictogram,
            "current": current.startswith(tuple(section.active_prefixes) or (section.endpoint,)),
        })
    return sections


@bp.app_context_processor
def admin_context() -> dict[str, Any]:
    return {"admin_sections": admin_sections}


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
    rows = []
    for record in host().plugins():
        # Read from the database, so every worker shows the same until an admin clears it.
        stored = host().stored_failure(record.name)
        problem = record.load_problem
        rows.append({
            "record": record,
            "enabled": host().is_enabled(record.name),
            "problem": record.refusal.translated() if record.refusal else problem,
            "failures": [line for line in (stored.text.splitlines() if stored else [])
                         if line != f"load: {problem}"],
            "failed_at": format_datetime(stored.at, "short") if stored and stored.at else "",
            "hooks": hooks_of(record),
            "permissions": permissions.get(record.name, []),
        })
    return render_template("admin/plugins.html", rows=rows, form=ToggleForm())


@bp.route("/plugins/<name>/clear", methods=["POST"])
def plugin_failures_clear(name: str) -> Any:
    """Forget a plugin's stored failures, in every worker (audited)."""
    if name not in host().records:
        abort(404)
    if not ActionForm().validate_on_submit():  # the CSRF token only
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.plugins"))
    host().clear_failures(name)
    audit("plugin_failures_cleared", object_type="plugin", object_id=name)
    db.session.commit()
    flash(_("The failures of %(name)s are cleared.", name=name), "success")
    return redirect(url_for("admin.plugins"))


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


# The other administration pages add their routes to ``bp``.
from intranet.admin import audit_log, rooms, settings, users  # noqa: E402, F401
