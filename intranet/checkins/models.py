"""The checkins tables."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
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

    staff: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()



class CheckInCounter(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """The last waiting number handed out per day.

    Incremented with one atomic upsert, so concurrent check-ins never share or
    skip a number, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "checkin_counter"

    day: Mapped[date] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)

