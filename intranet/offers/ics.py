"""The public programme as an iCalendar feed (``/programme.ics``) partners can subscribe to.

How offers become events:

* A stored offer (``Offer``) is **one event per offer**, UID ``offer-<id>@<host>``, so
  calendars update it in place when staff change it. A weekly offer carries an
  ``RRULE:FREQ=WEEKLY`` (with ``UNTIL`` when it has a last date) and one ``EXDATE``
  per cancelled date; a cancelled one-off keeps its event with ``STATUS:CANCELLED``.
* Times are local wall-clock times of the meeting point: ``DTSTART``/``DTEND`` carry
  ``TZID`` of ``DEFAULT_TIMEZONE`` (Europe/Berlin) and the feed includes its
  ``VTIMEZONE``, so summer and winter time are right in every client; ``UNTIL`` is
  in UTC as RFC 5545 requires.
* Occurrences a plugin reports without a stored offer (``offer_id`` is ``None``) are
  added one by one for a window around today, UID from their key.
* Offers whose last date lies more than ``PAST_DAYS`` back are left out.
* Every text from staff (titles, rooms, the site name) loses its control characters
  and, except in descriptions, its line breaks: a stray one would end the content line
  and break the feed for every subscriber.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event

from intranet.core.i18n import language_name
from intranet.core.input_hygiene import clean_text, one_line
from intranet.core.timeutil import utcnow
from intranet.hooktypes import OfferView
from intranet.offers.models import Offer

PAST_DAYS = 90
PRODID = "-//Mittelpunkt//Programme//EN"


def offer_is_current(offer: Offer, today: date) -> bool:
    """Still worth a place in the feed: not ended more than ``PAST_DAYS`` ago."""
    horizon = today - timedelta(days=PAST_DAYS)
    if offer.weekly:
        return offer.last_date is None or offer.last_date >= horizon
    return offer.first_date >= horizon


def _line(value: object) -> str:
    """A one-line text property (SUMMARY, LOCATION, names): no control characters."""
    return one_line(" ".join(clean_text(str(value)).splitlines())).strip()


def _text(value: object) -> str:
    """A multi-line text property (DESCRIPTION): line breaks kept, other controls dropped."""
    return "\n".join(clean_text(str(value)).splitlines())


def _details(description: str, languages: Iterable[str], childcare: bool,
             registration_needed: bool, url: str | None) -> str:
    lines = [description] if description else []
    codes = list(languages)
    if codes:
        lines.append(_("Languages: %(names)s", names=", ".join(language_name(c) for c in codes)))
    if childcare:
        lines.append(_("Childcare"))
    if registration_needed:
        lines.append(_("Registration needed"))
    if url:
        lines.append(url)
    return _text("\n".join(lines))


def _location(room: str, site_name: str) -> str:
    return _line(f"{site_name}, {room}" if room else site_name)


def build_calendar(offers: Iterable[Offer], extra: Iterable[OfferView], *, locale: str,
                   timezone: str, site_name: str, uid_domain: str,
                   offer_url: Callable[[int], str], area_title: Callable[[str], str],
                   name: str) -> Calendar:
    """The feed: one event per stored offer (weekly with RRULE/EXDATE) plus ``extra``."""
    zone = ZoneInfo(timezone)
    uid_domain = _line(uid_domain).replace(" ", "") or "localhost"
    stamp = utcnow().replace(tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _line(name))
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")

    def local(day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=zone)

    for offer in offers:
        event = Event()
        event.add("uid", f"offer-{offer.id}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", _line(offer.title(locale)))
        event.add("dtstart", local(offer.first_date, offer.start_time))
        event.add("dtend", local(offer.first_date, offer.end_time))
        event.add("location", _location(offer.room, site_name))
        url = offer_url(offer.id)
        event.add("url", url)
        event.add("description", _details(offer.description(locale), offer.languages or (),
                                          offer.childcare, offer.registration_needed, url))
        event.add("categories", [_line(area_title(offer.service_area))])
        cancelled = sorted(offer.cancelled_dates)
        if offer.weekly:
            rule: dict[str, object] = {"freq": "weekly"}
            if offer.last_date:
                rule["until"] = local(offer.last_date, offer.start_time).astimezone(UTC)
            event.add("rrule", rule)
            if cancelled:
                event.add("exdate", [local(day, offer.start_time) for day in cancelled])
        elif offer.first_date in cancelled:
            event.add("status", "CANCELLED")
        cal.add_component(event)

    for view in extra:
        event = Event()
        event.add("uid", _line(f"{view.plugin}-{view.key}@{uid_domain}"))
        event.add("dtstamp", stamp)
        event.add("summary", _line(view.title))
        event.add("dtstart", view.start.replace(tzinfo=zone))
        event.add("dtend", view.end.replace(tzinfo=zone))
        event.add("location", _location(view.room, site_name))
        event.add("description", _details(view.description, view.languages, view.childcare,
                                          view.registration_needed, None))
        event.add("categories", [_line(area_title(view.plugin))])
        if view.cancelled:
            event.add("status", "CANCELLED")
        cal.add_component(event)

    cal.add_missing_timezones()
    return cal
