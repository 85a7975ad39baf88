"""Frauenkurse: low-threshold German courses for women, often with childcare.

Women only, course leaders included, in a protected setting run mostly by
volunteers. For many women the course is their first regular contact with the
meeting point and the step towards the official integration course.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint

from intranet.plugin import (
    Metric,
    NavItem,
    OfferView,
    Permission,
    PluginInfo,
    Purpose,
    Widget,
    checkin_count,
    hookimpl,
    offer_counts,
    offer_views,
    plugin_domain,
    todays_offers_widget,
    translated_in,
)

NAME = "womens_courses"
PICTOGRAM = "woman"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Kiosk tiles: (key, label, pictogram, order). Lazy, so each is translated
# into whatever language is active when it is read.
PURPOSES = (
    ("course", _l("German course for women"), "woman", 20),
    ("sign_up", _l("Sign up for a course"), "writing-sign", 21),
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title=_l("Women's courses"),
        pictogram=PICTOGRAM,
        colour="#a3246b",
        ticket_letter="F",
        description=_l("German courses for women only, often with childcare."),
        order=20,
    )


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .views import bp  # imported here: the views need this module's domain

    return [bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("Women's courses"), endpoint=f"{NAME}.overview",
                    pictogram=PICTOGRAM, order=20, permission=f"{NAME}.view")]


@hookimpl
def kiosk_purposes(locale: str) -> list[Purpose]:
    with translated_in(locale):
        return [Purpose(key=key, label=str(label), pictogram=pictogram, order=order)
                for key, label, pictogram, order in PURPOSES]


@hookimpl
def offers(start: date, end: date, locale: str) -> list[OfferView]:
    return offer_views(NAME, start, end, locale)


@hookimpl
def permissions() -> list[Permission]:
    return [
        Permission(code=f"{NAME}.view", label=_l("See women's courses"), order=10),
        Permission(code=f"{NAME}.edit", label=_l("Change women's courses"), order=11),
    ]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    return [todays_offers_widget(
        NAME, title=_("Women's courses today"), empty_text=_("No women's course today."),
        endpoint=f"{NAME}.overview", today=today, order=20, permission=f"{NAME}.view")]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    offered, cancelled = offer_counts(NAME, start, end)
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("Course sessions offered"),
               value=offered, order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("Course sessions cancelled"),
               value=cancelled, order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for a women's course"),
               value=checkin_count(NAME, start, end), order=12),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)

