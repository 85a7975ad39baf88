"""The offers tables."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


class Audience(StrEnum):
    EVERYONE = "everyone"
    WOMEN = "women"
    PARENTS = "parents"
    YOUTH = "youth"



class Offer(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A course, consultation hours or an event; once or weekly.

    Times are local wall-clock times of the meeting point. ``titles`` and
    ``descriptions`` map a language code to text; German is the fallback.
    """

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_area: Mapped[str] = mapped_column(String(80), index=True)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    room: Mapped[str] = mapped_column(String(120), default="")
    first_date: Mapped[date]
    last_date: Mapped[date | None]  # None: repeats without end (weekly only)
    start_time: Mapped[time]
    end_time: Mapped[time]
    weekly: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.EVERYONE)
    childcare: Mapped[bool] = mapped_column(default=False)
    registration_needed: Mapped[bool] = mapped_column(default=False)
    # The kiosk purpose (``plugin:key``) this offer opens: such a purpose can be chosen at
    # the kiosk only on a day with a date of one of its offers, e.g. the job centre's
    # consultation hour on Thursdays.
    kiosk_purpose: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cancellations: Mapped[list[OfferCancellation]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )

    def title(self, locale: str, default: str = "de") -> str:
        return self.titles.get(locale) or self.titles.get(default) or ""

    def description(self, locale: str, default: str = "de") -> str:
        return self.descriptions.get(locale) or self.descriptions.get(default) or ""

    def dates_between(self, start: date, end: date) -> list[date]:
        """Every date in ``start..end`` (inclusive) on which the offer takes place."""
        return dates_between(self.first_date, self.last_date, self.weekly, start, end)

    @property
    def cancelled_dates(self) -> set[date]:
        return {c.day for c in self.cancellations}

    def ends_at(self, day: date) -> datetime:
        """The local moment the date ``day`` is over."""
        return ends_at(self.start_time, self.end_time, day)


def dates_between(first_date: date, last_date: date | None, weekly: bool,
                  start: date, end: date) -> list[date]:
    """Every date in ``start..end`` (inclusive) of an offer on ``first_date``, or weekly
    from it until ``last_date`` (open-ended when None)."""
    if not weekly:
        return [first_date] if start <= first_date <= end else []
    first = max(start, first_date)
    last = min(end, last_date) if last_date else end
    if first > last:
        return []
    first += timedelta(days=(first_date.weekday() - first.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def ends_at(start_time: time, end_time: time, day: date) -> datetime:
    """The local moment an offer's date ``day`` is over (the next day for an offer that
    ends before it starts: it runs past midnight)."""
    overnight = timedelta(days=1) if end_time <= start_time else timedelta()
    return datetime.combine(day, end_time) + overnight



class OfferCancellation(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One date on which a weekly offer does not take place."""

    __tablename__ = "offer_cancellation"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    offer: Mapped[Offer] = relationship(back_populates="cancellations")

