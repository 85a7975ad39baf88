"""The core's own hook implementations, registered like a plugin named ``core``.

The core contributes what belongs to the meeting point as a whole: the start
page and administration in the navigation and the administration's own sections, the
settings "name" and "opening hours", the check-in purposes "café / just visiting" and
"meeting someone", and neighbourhood events such as the café.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intranet.core import opening_hours
from intranet.core.extensions import db
from intranet.core.settings import DEFAULTS
from intranet.hookspecs import hookimpl
from intranet.hooktypes import AdminSection, NavItem, Permission, Purpose, Setting
from intranet.offers.models import Offer

SERVICE_AREA = "core"


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [
        NavItem(label=_l("Start"), endpoint="main.index", pictogram="home", order=0),
        NavItem(label=_l("Offers"), endpoint="offers.calendar", pictogram="calendar",
                order=700),
        NavItem(label=_l("People"), endpoint="people.index", pictogram="address-book",
                order=710, permission="core.people_view"),
        NavItem(label=_l("Reports"), endpoint="reports.index", pictogram="chart-bar",
                order=720, permission="core.reports"),
        NavItem(label=_l("Administration"), endpoint="admin.users", pictogram="settings",
                order=1000, permission="admin"),
    ]


@hookimpl
def admin_sections() -> list[AdminSection]:
    return [
        AdminSection(label=_l("Users"), endpoint="admin.users", pictogram="users", order=10,
                     active_prefixes=("admin.user",)),
        AdminSection(label=_l("Rooms"), endpoint="admin.rooms", pictogram="door", order=20,
                     active_prefixes=("admin.room",)),
        AdminSection(label=_l("Settings"), endpoint="admin.settings", pictogram="adjustments",
                     order=30, active_prefixes=("admin.setting",)),
        AdminSection(label=_l("Audit log"), endpoint="admin.audit", pictogram="list-search",
                     order=40, active_prefixes=("admin.audit",)),
        AdminSection(label=_l("Data protection"), endpoint="admin.privacy",
                     pictogram="shield-lock", order=50),
        AdminSection(label=_l("Plugins"), endpoint="admin.plugins", pictogram="puzzle",
                     order=60, active_prefixes=("admin.plugin", "admin.toggle_plugin")),
    ]


def _opening_hours_problem(text: str) -> str | None:
    unread = opening_hours.problem(text)
    if unread is None:
        return None
    return _("“%(part)s” could not be read as weekdays and times. Write e.g. "
             "“Mo–Do 9–17 Uhr, Fr 9–13 Uhr”.", part=unread[:60])


@hookimpl
def settings() -> list[Setting]:
    return [
        # One line: the name lands in page titles and the calendar feed.
        Setting(key="SITE_NAME", type="str", default=DEFAULTS["SITE_NAME"],
                label=_l("Name of the meeting point"), minimum=1, maximum=120, order=10,
                description=_l("Shown on every page, on the lobby screens and in the "
                               "programme.")),
        Setting(key="OPENING_HOURS", type="text", default=DEFAULTS["OPENING_HOURS"],
                label=_l("Opening hours"), maximum=500, order=20,
                description=_l("Shown on the lobby screens, the phone pages and the "
                               "programme in each reader's language. Write weekdays and "
                               "times, e.g. “Mo–Do 9–17 Uhr, Fr 9–13 Uhr”."),
                check=_opening_hours_problem),
        Setting(key="SITE_ADDRESS", type="str", default=DEFAULTS["SITE_ADDRESS"],
                label=_l("Address"), maximum=200, order=30,
                description=_l("Where visitors find the meeting point: on the phone pages "
                               "(how to register), the posters and certificates.")),
        Setting(key="SITE_PHONE", type="str", default=DEFAULTS["SITE_PHONE"],
                label=_l("Telephone"), maximum=40, order=40,
                description=_l("The number visitors may call to register for an offer.")),
    ]


@hookimpl
def permissions() -> list[Permission]:
    return [
        Permission(code="core.offers_edit", label=_l("Create and change offers"), order=1),
        Permission(code="core.people_view", label=_l("See the people register"), order=2),
        Permission(code="core.people_edit",
                   label=_l("Change people, consents and merge records"), order=3),
        # A person's export holds every area's records and confidential notes: its own
        # right, not part of changing the register.
        Permission(code="core.people_export",
                   label=_l("Export a person's whole file (all areas, confidential notes "
                            "included)"), order=4, confidential=True),
        Permission(code="core.reports", label=_l("See and export reports"), order=5),
    ]


@hookimpl
def retention_rules() -> list[Any]:
    from intranet.privacy.retention import core_rules  # the rules live with the code applying them

    return core_rules()


@hookimpl
def kiosk_purposes() -> list[Purpose]:
    return [
        Purpose(key="cafe", label=_l("Café / just visiting"), pictogram="coffee",
                order=900, ticket_letter="C"),
        Purpose(key="meeting", label=_l("Meeting someone"), pictogram="users",
                order=910, ticket_letter="C"),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    db.session.add_all([
        Offer(service_area=SERVICE_AREA, weekly=True,
              first_date=week_start + timedelta(days=4), last_date=None,
              start_time=time(10), end_time=time(12), room="Café",
              titles={"de": "Nachbarschaftscafé / offenes Forum",
                      "en": "Neighbourhood café / open forum",
                      "tr": "Mahalle kafesi / açık forum",
                      "ru": "Соседское кафе / открытый форум",
                      "ar": "مقهى الحي / منتدى مفتوح",
                      "fa": "کافه محله / گفت‌وگوی آزاد",
                      "uk": "Сусідське кафе / відкритий форум"},
              descriptions={"de": "Kaffee, Tee und Gespräche. Alle sind willkommen.",
                            "en": "Coffee, tea and conversation. Everyone is welcome."},
              languages=["de", "tr", "ar"]),
        Offer(service_area=SERVICE_AREA, weekly=False,
              first_date=week_start + timedelta(days=5),
              start_time=time(11), end_time=time(15), room="Hof",
              titles={"de": "Flohmarkt im Hof", "en": "Flea market in the courtyard",
                      "tr": "Avluda bit pazarı", "ru": "Блошиный рынок во дворе",
                      "ar": "سوق مستعمل في الفناء", "fa": "بازار دست‌دوم در حیاط",
                      "uk": "Блошиний ринок у дворі"},
              descriptions={"de": "Einmal im Monat: Kleidung, Spielzeug, Haushalt."},
              languages=["de"]),
    ])
