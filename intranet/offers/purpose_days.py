"""Which kiosk purposes run on a day: a purpose that offers open is available only then.

An offer names the purpose it opens (``Offer.kiosk_purpose``, ``plugin:key``): the job
centre's consultation hour opens the purpose "Job centre consultation hour" on Thursdays
from its start until its end. A purpose no offer opens (the café, walk-in counselling)
is always available. Cancelled dates open nothing.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.core.extensions import db
from intranet.core.gather import all_purposes, offer_areas
from intranet.core.timeutil import local_now
from intranet.hooktypes import Purpose
from intranet.offers.models import Offer

# How far ahead the next date of a purpose is looked for.
LOOKAHEAD_DAYS = 62


def purpose_key(purpose: Purpose) -> str:
    return f"{purpose.plugin}:{purpose.key}"


def _opening_offers(day: date, only: str | None = None) -> dict[str, list[Offer]]:
    opens = Offer.kiosk_purpose.is_not(None) if only is None else Offer.kiosk_purpose == only
    if only is not None and db.session.scalar(select(Offer.id).where(opens).limit(1)) is None:
        return {}  # most purposes no offer opens: one cheap look, no offers loaded
    offers = db.session.scalars(
        select(Offer).options(selectinload(Offer.cancellations))
        .where(opens, Offer.service_area.in_(offer_areas()),
               Offer.first_date <= day + timedelta(days=LOOKAHEAD_DAYS),
               (Offer.last_date.is_(None)) | (Offer.last_date >= day))).all()
    by_purpose: dict[str, list[Offer]] = {}
    for offer in offers:
        by_purpose.setdefault(str(offer.kiosk_purpose), []).append(offer)
    return by_purpose


def next_date(offers: list[Offer], now: datetime) -> date | None:
    """The first day from ``now`` on which one of ``offers`` runs and has not ended yet."""
    today = now.date()
    found: date | None = None
    for offer in offers:
        cancelled = offer.cancelled_dates
        for day in offer.dates_between(today, today + timedelta(days=LOOKAHEAD_DAYS)):
            if day in cancelled or (day == today and now.time() >= offer.end_time):
                continue
            found = day if found is None else min(found, day)
            break
    return found


def purposes_on(locale: str, now: datetime | None = None,
                only: str | None = None) -> list[Purpose]:
    """Every enabled purpose, with ``available`` and ``next_date`` for the local ``now``;
    with ``only`` (``plugin:key``), just that one (what a check-in needs to know)."""
    now = now or local_now()
    now = now.replace(tzinfo=None)
    opening = _opening_offers(now.date(), only)
    result = []
    for purpose in all_purposes(locale):
        if only is not None and purpose_key(purpose) != only:
            continue
        offers = opening.get(purpose_key(purpose))
        if not offers:
            result.append(purpose)
            continue
        upcoming = next_date(offers, now)
        result.append(dataclasses.replace(
            purpose, available=upcoming == now.date(), next_date=upcoming))
    return result
