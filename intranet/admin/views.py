"""Administration pages of the core, for admins only.

This module holds the blueprint, the shared helpers (sub-navigation, pagination)
and the plugin switches; staff users, rooms, settings and the audit log add
their routes to the same blueprint from ``admin_*.py`` modules imported at the end.
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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.core.plugin_host import PluginRecord, host
from intranet.hooktypes import Permission
from intranet.web.input_hygiene import bounded_int

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


# The sections of the administration: (endpoint, label, pictogram).
SECTIONS = [
    ("admin.users", _l("Users"), "users"),
    ("admin.rooms", _l("Rooms"), "door"),
    ("admin.settings", _l("Settings"), "adjustments"),
    ("admin.audit", _l("Audit log"), "list-search"),
    ("admin.privacy", _l("Data protection"), "shield-lock"),
    ("admin.plugins", _l("Plugins"), "puzzle"),
    ("kiosk_admin.devices", _l("Kiosks"), "device-desktop"),
]
# Endpoints that belong to a section besides its own (for ``aria-current``).
SECTION_PREFIXES = {
    "admin.users": ("admin.user",),
    "admin.rooms": ("admin.room",),
    "admin.settings": ("admin.setting",),
    "admin.audit": ("admin.audit",),
    "admin.plugins": ("admin.plugin", "admin.toggle_plugin"),
    "kiosk_admin.devices": ("kiosk_admin.",),
}


def admin_sections() -> list[dict[str, Any]]:
    """The admin sub-navigation: every section whose page exists and is switched on."""
    sections = []
    current = request.endpoint or ""
    for endpoint, label, pictogram in SECTIONS:
        if endpoint not in current_app.view_functions:
            continue
        owner = host().blueprint_owner.get(endpoint.split(".", 1)[0])
        if owner and not host().is_enabled(owner):
            continue
        sections.append({
            "endpoint": endpoint, "label": label, "pictogram": pictogram,
            "current": current.startswith(SECTION_PREFIXES.get(endpoint, (endpoint,))),
        })
    return sections


@bp.app_context_processor
def admin_context() -> dict[str, Any]:
    return {"admin_sections": admin_sections}


def page_number() -> int:
    """The ``page`` query argument, 1 when missing, not a positive number or absurdly large."""
    return bounded_int(request.args.get("page")) or 1


def page_url(page: int) -> str:
    """The current page with another ``page`` argument, every filter kept."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint or "admin.users", **(request.view_args or {}), **args)


@bp.app_template_global()
def admin_page_url(page: int) -> str:
    return page_url(page)


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


# The other administration pages add their routes to ``bp``.
from intranet.admin import audit_log, rooms, settings, users  # noqa: E402, F401
