"""Frauenkurse: low-threshold German courses for women, often with childcare.

Women only, course leaders included, in a protected setting run mostly by
volunteers. For many women the course is their first regular contact with the
meeting point and the step towards the official integration course.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Blueprint
from flask_babel import force_locale, get_locale
from sqlalchemy import func, select

from intranet.plugin import (
    CheckIn,
    Metric,
    NavItem,
    OfferView,
    Permission,
    PluginInfo,
    Purpose,
    Widget,
    WidgetItem,
    db,
    hookimpl,
    offer_views,
    plugin_domain,
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
    with in_locale(locale):
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
def dashboard_widgets(user: Any, today: date) -> list[Widget]:
    todays = sorted(offer_views(NAME, today, today, str(get_locale() or "de")),
                    key=lambda o: o.start)
    items = tuple(
        WidgetItem(label=_("%(title)s (cancelled)", title=o.title) if o.cancelled else o.title,
                   value=f"{o.start:%H:%M}–{o.end:%H:%M}", endpoint=f"{NAME}.overview")
        for o in todays
    )
    return [Widget(title=_("Women's courses today"), items=items,
                   empty_text=_("No women's course today."), order=20,
                   permission=f"{NAME}.view")]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    dates = offer_views(NAME, start, end, "de")
    checkins = db.session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.plugin == NAME,
                                             CheckIn.day.between(start, end))
    ) or 0
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("Course sessions offered"),
               value=sum(not o.cancelled for o in dates), order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("Course sessions cancelled"),
               value=sum(o.cancelled for o in dates), order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for a women's course"),
               value=checkins, order=12),
    ]


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)


def in_locale(locale: str) -> AbstractContextManager[Any]:
    """Translate into ``locale`` for a moment; an unknown code keeps the current language."""
    try:
        Locale.parse(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return nullcontext()
    return force_locale(locale)
