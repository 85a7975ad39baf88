"""Schulorientierung: helping children and young people finish school successfully.

Homework help, and evenings that explain the German school system to parents in
their own languages, together with schools and education providers.
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

NAME = "school_guidance"
PICTOGRAM = "school"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Kiosk tiles: (key, label, pictogram, order). Lazy, so each is translated
# into whatever language is active when it is read.
PURPOSES = (
    ("homework_help", _l("Homework help"), "pencil", 40),
    ("school_questions", _l("Questions about school"), "school", 41),
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title=_l("School guidance"),
        pictogram=PICTOGRAM,
        colour="#5b3fa6",
        ticket_letter="S",
        description=_l("Homework help, and the German school system explained to parents."),
        order=40,
    )


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .views import bp  # imported here: the views need this module's domain

    return [bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("School guidance"), endpoint=f"{NAME}.overview",
                    pictogram=PICTOGRAM, order=40, permission=f"{NAME}.view")]


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
        Permission(code=f"{NAME}.view", label=_l("See school guidance"), order=10),
        Permission(code=f"{NAME}.edit", label=_l("Change school guidance offers"), order=11),
    ]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    return [todays_offers_widget(
        NAME, title=_("School guidance today"), empty_text=_("No school guidance offer today."),
        endpoint=f"{NAME}.overview", today=today, order=40, permission=f"{NAME}.view")]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    offered, cancelled = offer_counts(NAME, start, end)
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("School guidance dates offered"),
               value=offered, order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("School guidance dates cancelled"),
               value=cancelled, order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for school guidance"),
               value=checkin_count(NAME, start, end), order=12),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)

