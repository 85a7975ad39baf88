"""Berufsorientierung: the way into work and training.

Help with applications (CV, cover letter, documents), the job centre's
consultation hour on site and information events for employers, together with
the job centre, the employment agency and youth vocational help.
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

NAME = "job_orientation"
PICTOGRAM = "briefcase"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Kiosk tiles: (key, label, pictogram, order). Lazy, so each is translated
# into whatever language is active when it is read.
PURPOSES = (
    ("application_help", _l("Help with job applications"), "file-cv", 30),
    ("job_centre", _l("Job centre consultation hour"), "building", 31),
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title=_l("Job orientation"),
        pictogram=PICTOGRAM,
        colour="#9c4100",
        ticket_letter="J",
        description=_l("Help with applications, internships and "
                       "the way into work and training."),
        order=30,
    )


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .views import bp  # imported here: the views need this module's domain

    return [bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("Job orientation"), endpoint=f"{NAME}.overview",
                    pictogram=PICTOGRAM, order=30, permission=f"{NAME}.view")]


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
        Permission(code=f"{NAME}.view", label=_l("See job orientation"), order=10),
        Permission(code=f"{NAME}.edit", label=_l("Change job orientation offers"), order=11),
    ]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    return [todays_offers_widget(
        NAME, title=_("Job orientation today"), empty_text=_("No job orientation offer today."),
        endpoint=f"{NAME}.overview", today=today, order=30, permission=f"{NAME}.view")]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    offered, cancelled = offer_counts(NAME, start, end)
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("Job orientation dates offered"),
               value=offered, order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("Job orientation dates cancelled"),
               value=cancelled, order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for job orientation"),
               value=checkin_count(NAME, start, end), order=12),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)

