"""Beratung: counselling for refugees and migrants, walk-in and by appointment.

Residence and asylum, benefits and job-centre letters, housing, health, family,
debts, often with an interpreter. Whatever is noted in a consultation is
confidential social data, so reading notes is a right of its own
(``consultations.read_notes``) apart from seeing the area.
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

from . import models  # noqa: F401  (puts consultations_topic into the metadata)

NAME = "consultations"
PICTOGRAM = "messages"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Kiosk tiles: (key, label, pictogram, order). Lazy, so each is translated
# into whatever language is active when it is read.
PURPOSES = (
    ("walk_in", _l("Consultation without appointment"), "messages", 10),
    ("appointment", _l("I have an appointment"), "calendar-time", 11),
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title=_l("Consultations"),
        pictogram=PICTOGRAM,
        colour="#0f6e6e",
        ticket_letter="B",
        description=_l("Help with residence, letters from authorities, housing, health, "
                       "family and debts."),
        order=10,
    )


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .views import bp  # imported here: the views need this module's domain

    return [bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("Consultations"), endpoint=f"{NAME}.overview",
                    pictogram=PICTOGRAM, order=10, permission=f"{NAME}.view")]


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
        Permission(code=f"{NAME}.view", label=_l("See consultation hours and topics"), order=10),
        Permission(code=f"{NAME}.edit", label=_l("Change consultation hours and topics"),
                   order=11),
        Permission(code=f"{NAME}.read_notes", label=_l("Read confidential consultation notes"),
                   order=12),
    ]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    return [todays_offers_widget(
        NAME, title=_("Consultations today"), empty_text=_("No consultation hours today."),
        endpoint=f"{NAME}.overview", today=today, order=10, permission=f"{NAME}.view")]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    offered, cancelled = offer_counts(NAME, start, end)
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("Consultation hours offered"),
               value=offered, order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("Consultation hours cancelled"),
               value=cancelled, order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for a consultation"),
               value=checkin_count(NAME, start, end), order=12),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)

