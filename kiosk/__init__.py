"""The lobby kiosk: language choice, self check-in with a waiting number, today's offers,
the call-up board, and the admin pages that pair kiosk screens.

It is a plugin like the service areas, found through the ``mittelpunkt.plugins``
entry point, with its own templates, static files, translations (domain
``kiosk``) and migrations; waiting numbers come from the core's one numbering
service in :mod:`intranet.plugin`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from intranet.plugin import NavItem, PluginInfo, hookimpl, plugin_domain

from . import models  # noqa: F401  (puts kiosk_device into the metadata)

NAME = "kiosk"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(name=NAME, title=_l("Kiosk"), pictogram="device-tablet",
                      colour="#0b5cad", ticket_letter="K", service_area=False,
                      description=_l("Self check-in, today's offers and the call-up board."),
                      order=900)


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .admin import bp as admin_bp
    from .views import bp

    return [bp, admin_bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("Kiosks"), endpoint="kiosk_admin.devices",
                    pictogram="device-tablet", order=990, permission="admin")]


@hookimpl
def error_template(code: int, path: str) -> str | None:
    """Errors on the visitors' screens stay in the kiosk's layout, with a way back to the
    start and no link to the staff login; the admin pages keep the staff layout."""
    from flask import request

    prefix = f"/{NAME}"
    if not (path == prefix or path.startswith(prefix + "/")) \
            or path.startswith(f"{prefix}/admin"):
        return None
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "flow":
        return "kiosk/_error.html"
    return "kiosk/error.html"
