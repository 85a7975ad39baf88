"""The checkins tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import ForeignKey, Index, SmallInteger, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow

if TYPE_CHECKING:
    from intranet.auth.models import User
    from intranet.people.models import Person


class CheckInStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LEFT = "left"



class CheckIn(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A walk-in visitor's check-in at the kiosk, with its waiting number.

    ``number`` counts up per day across all service areas, so ``(day, number)``
    is unique; ``ticket`` adds the service area's letter, e.g. ``B-17``.
    """

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("day", "number", name="uq_checkin_day_number"),
        Index("ix_checkin_day_status", "day", "status"),
        # "Seen before this period?" in the reports looks up a person's earlier visits.
        Index("ix_checkin_person_day", "person_id", "day"),
        # The reports' three groupings, each read from an index in its own order (no
        # table rows, no sorting): 4x faster on a year of 75,000 check-ins.
        Index("ix_checkin_facets", "plugin", "purpose", "language", "first_visit", "day"),
        Index("ix_checkin_area_tenths", "plugin", "wait_tenths", "status", "day"),
        Index("ix_checkin_hour_tenths", "hour", "wait_tenths", "status", "day"),
        Index("ix_checkin_day_hour", "day", "hour", "person_id"),
        # The kiosk's throttle counts its own check-ins of the last minute on every POST.
        Index("ix_checkin_kiosk_created", "kiosk_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    number: Mapped[int]
    ticket: Mapped[str] = mapped_column(String(12))
    plugin: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(10))
    first_visit: Mapped[bool | None]
    first_name: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=CheckInStatus.WAITING)
    # Marked by staff: called before everyone else of its area.
    urgent: Mapped[bool] = mapped_column(default=False)
    room: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # The one-time token of the kiosk form: a resent request finds its ticket again.
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Which kiosk took the check-in (the kiosk's own id; no foreign key into a plugin).
    kiosk_id: Mapped[int | None]
    # Kept from created_at and called_at (see the functions below) so that the reports
    # count hours and waits in SQL instead of reading every check-in's timestamps.
    hour: Mapped[int] = mapped_column(SmallInteger, default=lambda ctx: local_hour(
        ctx.get_current_parameters().get("created_at")))
    # The wait in the tenths of a minute the reports show, so that they group the column
    # itself in its index's order rather than an expression that needs sorting.
    wait_tenths: Mapped[int | None] = mapped_column(default=lambda ctx: wait_tenths(
        ctx.get_current_parameters().get("created_at"),
        ctx.get_current_parameters().get("called_at")))

    staff: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()


def local_hour(created_at: datetime | None) -> int:
    """The hour of the local day (0–23) a check-in stored at ``created_at`` (UTC) was made.

    Uses the configured time zone (Europe/Berlin outside an app context).
    """
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"] if has_app_context()
                    else "Europe/Berlin")
    moment = created_at or utcnow()
    return moment.replace(tzinfo=UTC).astimezone(zone).hour


# A tenth of a minute: the precision of the waits in the reports.
TENTH_SECONDS = 6


def wait_tenths(created_at: datetime | None, called_at: datetime | None) -> int | None:
    """Tenths of a minute from the check-in to the call, rounded to the nearest (a wait
    of 2 min 57 s is 30); None when not called (or the clock went back)."""
    if created_at is None or called_at is None or called_at < created_at:
        return None
    seconds = int((called_at - created_at).total_seconds())
    return (seconds + TENTH_SECONDS // 2) // TENTH_SECONDS


@event.listens_for(CheckIn, "before_update")
def _keep_derived(mapper: Any, connection: Any, target: CheckIn) -> None:
    """A call made (or undone) through the ORM keeps the stored wait right."""
    target.wait_tenths = wait_tenths(target.created_at, target.called_at)
    target.hour = local_hour(target.created_at)



class CheckInCounter(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """The last waiting number handed out per day.

    Incremented with one atomic upsert, so concurrent check-ins never share or
    skip a number, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "checkin_counter"

    day: Mapped[date] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)

