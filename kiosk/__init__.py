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

from intranet.plugin import AdminSection, NavItem, PluginInfo, Setting, hookimpl, plugin_domain

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
def admin_sections(user: Any) -> list[AdminSection]:
    return [AdminSection(label=_l("Kiosks"), endpoint="kiosk_admin.devices",
                         pictogram="device-desktop", order=900,
                         active_prefixes=("kiosk_admin.",))]


@hookimpl
def settings() -> list[Setting]:
    """The kiosk's settings, on the admin's settings page; instance/config.py or
    MITTELPUNKT_KIOSK_IDLE_SECONDS etc. set them too."""
    return [
        Setting(key="KIOSK_LANGUAGES", type="languages", default=None, minimum=1, order=10,
                label=_l("Languages offered on the kiosk"),
                description=_l("The languages visitors can choose on the kiosk's start "
                               "screen.")),
        Setting(key="KIOSK_IDLE_SECONDS", type="int", default=60, minimum=10, maximum=600,
                order=20,
                label=_l("Seconds without a touch before the kiosk asks “Need more time?”")),
        Setting(key="KIOSK_COUNTDOWN_SECONDS", type="int", default=20, minimum=5,
                maximum=120, order=30,
                label=_l("Seconds of that question's countdown before the kiosk starts over")),
        Setting(key="KIOSK_NUMBER_SECONDS", type="int", default=15, minimum=5, maximum=120,
                order=40, label=_l("Seconds the waiting number stays on the kiosk's screen")),
        # A rate limit against a stuck or misused screen, far above what a queue of
        # people can type.
        Setting(key="KIOSK_CHECKINS_PER_MINUTE", type="int", default=12, minimum=1,
                maximum=600, order=50, label=_l("Check-ins one kiosk may take per minute"),
                description=_l("A limit against a stuck or misused screen.")),
        Setting(key="KIOSK_BOARD_SPEECH", type="bool", default=True, order=60,
                label=_l("Call-up boards speak each call"),
                description=_l("A chime, then the number and the room in the visitor's "
                               "language and in German. Each board can still be switched "
                               "to silent on its own screen.")),
    ]


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
