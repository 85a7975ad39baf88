"""Offers as staff and visitors see them: weeks of occurrences, counts, today's widget.

One implementation for the core and every plugin; plugins reach it through
:mod:`intranet.plugin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.timeutil import local_today
from intranet.hooktypes import OfferView, Widget, WidgetItem
from intranet.offers.models import Offer


@dataclass
class Week:
    """One calendar week of offers, grouped by day (days without offers left out)."""

    title: str
    start: date
    end: date
    days: list[tuple[date, list[OfferView]]] = field(default_factory=list)

    @property
    def offers(self) -> list[OfferView]:
        return [offer for _day, offers in self.days for offer in offers]


def offer_views(service_area: str, start: date, end: date, locale: str) -> list[OfferView]:
    """The stored offers of one service area as occurrences between two dates (inclusive).

    Built-in plugins answer the ``offers`` hook with this. Cancelled dates are
    included with ``cancelled=True`` so screens can show them struck through.
    """
    offers = db.session.scalars(
        select(Offer).where(Offer.service_area == service_area, Offer.first_date <= end)
    ).all()
    views = []
    for offer in offers:
        cancelled = offer.cancelled_dates
        text_language = locale if offer.titles.get(locale) else "de"
        for day in offer.dates_between(start, end):
            views.append(OfferView(
                key=f"offer-{offer.id}-{day.isoformat()}",
                title=offer.title(locale),
                description=offer.description(locale),
                text_language=text_language,
                start=datetime.combine(day, offer.start_time),
                end=datetime.combine(day, offer.end_time),
                room=offer.room,
                languages=tuple(offer.languages or ()),
                audience=offer.audience,
                childcare=offer.childcare,
                registration_needed=offer.registration_needed,
                cancelled=day in cancelled,
                offer_id=offer.id,
                plugin=service_area,
            ))
    return sorted(views, key=lambda o: (o.start, o.title))


def offer_week(service_area: str, monday: date, locale: str, title: str = "") -> Week:
    """A service area's offers from ``monday`` to Sunday, grouped by day."""
    sunday = monday + timedelta(days=6)
    week = Week(title, monday, sunday)
    for offer in offer_views(service_area, monday, sunday, locale):
        if not week.days or week.days[-1][0] != offer.start.date():
            week.days.append((offer.start.date(), []))
        week.days[-1][1].append(offer)
    return week


def this_and_next_week(service_area: str) -> list[Week]:
    """The two weeks a staff overview page shows, in the current language."""
    locale = str(get_locale() or "de")
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    return [offer_week(service_area, monday, locale, _("This week")),
            offer_week(service_area, monday + timedelta(days=7), locale, _("Next week"))]


def spoken_languages(weeks: list[Week]) -> list[str]:
    """Languages spoken at the offers that take place, German first."""
    codes = [code for week in weeks for offer in week.offers if not offer.cancelled
             for code in offer.languages]
    return sorted(dict.fromkeys(codes), key=lambda code: code != "de")


def offer_counts(service_area: str, start: date, end: date) -> tuple[int, int]:
    """How many dates of an area's offers take place and how many are cancelled."""
    dates = offer_views(service_area, start, end, "de")
    cancelled = sum(offer.cancelled for offer in dates)
    return len(dates) - cancelled, cancelled


def checkin_count(plugin: str, start: date, end: date) -> int:
    """Kiosk check-ins for a plugin's purposes between two dates (inclusive)."""
    return db.session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.plugin == plugin,
                                             CheckIn.day.between(start, end))
    ) or 0


def todays_offers_widget(service_area: str, *, title: str, empty_text: str, endpoint: str,
                         today: date, order: int = 100,
                         permission: str | None = None) -> Widget:
    """A start-page box listing an area's offers of today with their times."""
    items = tuple(
        WidgetItem(label=_("%(title)s (cancelled)", title=offer.title) if offer.cancelled
                   else offer.title,
                   value=f"{offer.start:%H:%M}–{offer.end:%H:%M}", endpoint=endpoint)
        for offer in offer_views(service_area, today, today, str(get_locale() or "de"))
    )
    return Widget(title=title, items=items, empty_text=empty_text, order=order,
                  permission=permission)


def render_area_overview(template: str, *, info: Any, purposes: list[Any], **context: Any) -> str:
    """Render a service area's overview page (a template extending ``area_overview.html``).

    Adds this week's and next week's offers, the languages spoken at them and today.
    """
    weeks = this_and_next_week(info.name)
    return render_template(template, info=info, purposes=purposes, today=local_today(),
                           weeks=weeks, spoken=spoken_languages(weeks), **context)
