"""Offers as staff and visitors see them: weeks of occurrences, counts, today's widget.

One implementation for the core and every plugin; plugins reach it through
:mod:`intranet.plugin`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import Integer, case, cast, func, or_, select
from sqlalchemy.orm import selectinload

from intranet.checkins.models import CheckIn
from intranet.core.brief_cache import forget_when_committed, remembered
from intranet.core.extensions import db
from intranet.core.gather import computed_offers, offer_areas
from intranet.core.i18n import current_locale
from intranet.core.request_memo import SelectT, per_request
from intranet.core.timeutil import local_now, local_today
from intranet.hooktypes import OfferView, Widget, WidgetItem
from intranet.offers.models import Offer, OfferCancellation, dates_between, ends_at
from intranet.offers.weeks import this_monday

# Where a line of today's offers box leads: (endpoint, url_values), or None for the default.
OfferLink = Callable[[OfferView], tuple[str, dict[str, Any]] | None]


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


def all_offers(start: date, end: date, locale: str,
               area: str | None = None) -> list[OfferView]:
    """Every enabled area's offers between two dates (inclusive), in time order.

    The stored offers (``Offer`` rows) of the core and of every enabled plugin, and the
    occurrences plugins compute through the ``offers`` hook: every page that shows offers
    (overview, start page, kiosk, programme, calendar, widgets) asks here. With ``area``,
    one area's (none if it is switched off).
    """
    stored = occurrences(stored_offers(offer_areas(area), until=end, since=start),
                         start, end, locale)
    return sorted(stored + computed_offers(start, end, locale, area),
                  key=lambda o: (o.start, o.order, o.title))


def stored_offers(areas: Iterable[str], until: date | None = None,
                  since: date | None = None) -> list[Offer]:
    """The ``Offer`` rows of some service areas: those beginning on or before ``until``
    and not over before ``since``, with their cancelled dates (one query for all, so a
    page costs the same few statements with 20 offers or 2,000)."""
    query = (select(Offer).where(Offer.service_area.in_(list(areas)))
             .options(selectinload(Offer.cancellations)))
    return list(db.session.scalars(_period_filter(query, until, since).order_by(Offer.id)))


def _period_filter(query: SelectT, until: date | None, since: date | None) -> SelectT:
    """Offers beginning on or before ``until`` and not over before ``since``; for a period
    shorter than a week (today's offers), only weekly ones on one of its weekdays."""
    if until is not None:
        query = query.where(Offer.first_date <= until)
    if since is not None:
        # A single date on or after ``since``, or a series not ended before it.
        last_day = case((Offer.weekly, Offer.last_date), else_=Offer.first_date)
        query = query.where(or_(last_day.is_(None), last_day >= since))
    if until is not None and since is not None and (until - since).days < 6:
        weekdays = sorted({(since + timedelta(days=n)).isoweekday() % 7
                           for n in range((until - since).days + 1)})
        query = query.where(or_(Offer.weekly.is_(False),
                                _weekday(Offer.first_date).in_(weekdays)))
    return query


def _weekday(column: Any) -> Any:
    """The day of the week of a date column, 0 for Sunday to 6, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.extract("dow", column), Integer)
    return cast(func.strftime("%w", column), Integer)


def offer_views(service_area: str, start: date, end: date, locale: str) -> list[OfferView]:
    """The stored offers of one service area as occurrences between two dates (inclusive),
    switched on or off; occurrences a plugin computes are not among them (see
    :func:`all_offers`). Cancelled dates are included with ``cancelled=True`` so screens
    can show them struck through.
    """
    return occurrences(stored_offers([service_area], until=end, since=start),
                       start, end, locale)


def occurrences(offers: Iterable[Offer], start: date, end: date,
                locale: str) -> list[OfferView]:
    """Stored offers as their dates between ``start`` and ``end``, in time order."""
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
                plugin=offer.service_area,
            ))
    return sorted(views, key=lambda o: (o.start, o.title))


def offer_week(service_area: str, monday: date, locale: str, title: str = "") -> Week:
    """A service area's offers (stored and computed) from ``monday`` to Sunday, by day."""
    sunday = monday + timedelta(days=6)
    week = Week(title, monday, sunday)
    for offer in all_offers(monday, sunday, locale, area=service_area):
        if not week.days or week.days[-1][0] != offer.start.date():
            week.days.append((offer.start.date(), []))
        week.days[-1][1].append(offer)
    return week


def this_and_next_week(service_area: str) -> list[Week]:
    """The two weeks a staff overview page shows, in the current language."""
    locale = current_locale()
    monday = this_monday()
    return [offer_week(service_area, monday, locale, _("This week")),
            offer_week(service_area, monday + timedelta(days=7), locale, _("Next week"))]


def spoken_languages(weeks: list[Week]) -> list[str]:
    """Languages spoken at the offers that take place, German first."""
    codes = [code for week in weeks for offer in week.offers if not offer.cancelled
             for code in offer.languages]
    return sorted(dict.fromkeys(codes), key=lambda code: code != "de")


def offer_counts(service_area: str, start: date, end: date) -> tuple[int, int]:
    """How many dates of an area's offers (stored and computed) were held — their end
    has passed by the meeting point's clock, so a report seen mid-month counts no date
    still to come — and how many of the period are cancelled."""
    now = local_now()
    stored = count_dates(offer_areas(service_area), start, end, now)
    held = sum(counts[0] for counts in stored.values())
    cancelled = sum(counts[1] for counts in stored.values())
    for offer in computed_offers(start, end, "de", service_area):
        cancelled += offer.cancelled
        held += not offer.cancelled and offer.end <= now
    return held, cancelled


def count_dates(areas: Iterable[str], start: date, end: date,
                now: datetime) -> dict[str, list[int]]:
    """Per service area, its stored offers' dates between ``start`` and ``end`` that were
    held (over by ``now``, to the minute), cancelled and still planned.

    Two statements whatever the number of offers, once per request for every area (a
    report asks for the core's table and then once per plugin); reads the columns a
    schedule needs, not whole offers (their texts in every language make those slow).
    """
    minute = now.replace(second=0, microsecond=0)
    everything = per_request("date_counts", (start, end, minute),
                             lambda: _count_all_dates(start, end, minute))
    return {area: list(everything[area]) for area in areas if area in everything}


def _count_all_dates(start: date, end: date, now: datetime) -> dict[str, list[int]]:
    chosen = _period_filter(select(Offer.id), end, start)
    cancelled: dict[int, set[date]] = {}
    for offer_id, day in db.session.execute(
            select(OfferCancellation.offer_id, OfferCancellation.day)
            .where(OfferCancellation.offer_id.in_(chosen.scalar_subquery()))):
        cancelled.setdefault(offer_id, set()).add(day)
    counts: dict[str, list[int]] = {}
    for row in db.session.execute(_period_filter(
            select(Offer.id, Offer.service_area, Offer.first_date, Offer.last_date,
                   Offer.weekly, Offer.start_time, Offer.end_time), end, start)):
        gone = cancelled.get(row.id, set())
        triple = counts.setdefault(row.service_area, [0, 0, 0])
        for day in dates_between(row.first_date, row.last_date, row.weekly, start, end):
            if day in gone:
                triple[1] += 1
            elif ends_at(row.start_time, row.end_time, day) <= now:
                triple[0] += 1
            else:
                triple[2] += 1
    return counts


def checkin_count(plugin: str, start: date, end: date) -> int:
    """Kiosk check-ins for a plugin's purposes between two dates (inclusive)."""
    return db.session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.plugin == plugin,
                                             CheckIn.day.between(start, end))
    ) or 0


def todays_offers_widget(service_area: str, *, title: str, empty_text: str, endpoint: str,
                         today: date, order: int = 100, permission: str | None = None,
                         link: OfferLink | None = None) -> Widget:
    """A start-page box listing an area's offers of today (stored and computed) with their
    times. Each line leads to ``endpoint``, or where ``link(offer)`` says if it says so."""
    items = []
    for offer in _todays_offers(today, current_locale()):
        if offer.plugin != service_area:
            continue
        target, values = (link(offer) if link else None) or (endpoint, {})
        items.append(WidgetItem(
            label=_("%(title)s (cancelled)", title=offer.title) if offer.cancelled
            else offer.title,
            value=f"{offer.start:%H:%M}–{offer.end:%H:%M}", endpoint=target, url_values=values))
    return Widget(title=title, items=tuple(items), empty_text=empty_text, order=order,
                  permission=permission)


def _todays_offers(today: date, locale: str) -> list[OfferView]:
    """Every area's offers of ``today``: read once per request, however many of the start
    page's boxes list them (one per area)."""
    if today == local_today():
        return offers_today(locale)
    return list(per_request("todays_offers", (today, locale),
                            lambda: all_offers(today, today, locale)))


TODAY_PREFIX = "offers_today:"
forget_when_committed((Offer, OfferCancellation), TODAY_PREFIX)


def offers_today(locale: str) -> list[OfferView]:
    """Every enabled area's offers of today, as :func:`all_offers` gives them, kept a
    moment per process (:mod:`intranet.core.brief_cache`): the kiosk's offers screen, its
    list polled by every screen, and the start page's boxes all ask. An offer or a
    cancellation saved in this process counts from the next request, one saved elsewhere
    within ``SHARED_STATE_SECONDS``."""
    today = local_today()
    areas = ",".join(sorted(offer_areas(None)))
    name = f"{TODAY_PREFIX}{today.isoformat()}:{locale}:{areas}"
    return list(per_request("offers_today", name, lambda: remembered(
        name, lambda: tuple(all_offers(today, today, locale)))))


def render_area_overview(template: str, *, info: Any, purposes: list[Any], **context: Any) -> str:
    """Render a service area's overview page (a template extending ``area_overview.html``).

    Adds this week's and next week's offers, the languages spoken at them and today.
    """
    weeks = this_and_next_week(info.name)
    return render_template(template, info=info, purposes=purposes, today=local_today(),
                           weeks=weeks, spoken=spoken_languages(weeks), **context)
