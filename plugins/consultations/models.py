"""The consultations plugin's tables.

- ``consultations_topic``: the topics visitors come for (admin-editable, labels per language).
- ``consultations_record``: one consultation, walk-in or by appointment, for one pseudonymous
  ``Person``; structured fields for the team, a confidential ``note`` for those with
  ``consultations.read_notes``.
- ``consultations_record_topic``: which topics a consultation was about.
- ``consultations_consent``: recorded consent to keep sensitive data (what for, when, by whom).
- ``consultations_release``: a written release from confidentiality towards one recipient
  (e.g. the job centre), with date and expiry.
- ``consultations_slot`` and ``consultations_booking``: the appointment calendar. Staff create
  slots; a booking row per slot, with a unique ``slot_id``, so a slot can never be booked twice.

Topics are data, not code, so the team can add, rename or retire one (for
example when a new kind of letter starts arriving) without a new release.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin import CheckIn, ConsentRecord, Person, User, db, utcnow

WALK_IN = "walk_in"
APPOINTMENT = "appointment"
KINDS = (WALK_IN, APPOINTMENT)

# What came of a consultation (structured, so the report can count it).
OUTCOMES = ("answered", "document", "referred", "follow_up", "unresolved")


class Topic(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One consultation topic, e.g. residence and asylum, with its label in each language."""

    __tablename__ = "consultations_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str, default: str = "de") -> str:
        """The label in ``locale``, else German, else the key (never an empty line)."""
        return self.labels.get(locale) or self.labels.get(default) or self.key


record_topic = Table(
    "consultations_record_topic",
    db.metadata,
    Column("record_id", ForeignKey("consultations_record.id", ondelete="CASCADE"),
           primary_key=True),
    Column("topic_id", ForeignKey("consultations_topic.id", ondelete="CASCADE"),
           primary_key=True),
)


class Slot(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A bookable appointment time in the calendar (local wall-clock time)."""

    __tablename__ = "consultations_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(default=30)
    room: Mapped[str] = mapped_column(String(120), default="")
    # Which interpreter is planned for this time, if any (a language code).
    interpreter_language: Mapped[str | None] = mapped_column(String(10))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    counsellor: Mapped[User | None] = relationship(foreign_keys=[counsellor_id])
    booking: Mapped[Booking | None] = relationship(back_populates="slot", uselist=False,
                                                   cascade="all, delete-orphan")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class Booking(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A slot booked for a person. ``slot_id`` is unique: one booking per slot, ever."""

    __tablename__ = "consultations_booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("consultations_slot.id", ondelete="CASCADE"), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)

    slot: Mapped[Slot] = relationship(back_populates="booking")
    person: Mapped[Person | None] = relationship()
    booked_by_user: Mapped[User | None] = relationship(foreign_keys=[booked_by])


class Consultation(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One consultation. Everything but ``note`` is visible with ``consultations.view``."""

    __tablename__ = "consultations_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=WALK_IN)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # The waiting ticket a walk-in consultation was opened from (one record per ticket).
    checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkin.id", ondelete="SET NULL"), unique=True)
    # The booked slot an appointment consultation belongs to.
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations_slot.id", ondelete="SET NULL"), unique=True)
    held_at: Mapped[datetime] = mapped_column(index=True)  # local wall-clock time
    minutes: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(10), default="de")
    interpreter_language: Mapped[str | None] = mapped_column(String(10))
    interpreter_name: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(20))
    referral: Mapped[str | None] = mapped_column(String(200))
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    follow_up_done: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)  # confidential
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    person: Mapped[Person | None] = relationship()
    checkin: Mapped[CheckIn | None] = relationship()
    slot: Mapped[Slot | None] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    topics: Mapped[list[Topic]] = relationship(secondary=record_topic,
                                               order_by=(Topic.position, Topic.key))

    @property
    def follow_up_due(self) -> bool:
        return self.follow_up_on is not None and not self.follow_up_done


class Consent(ConsentRecord, db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A person's recorded consent to keep sensitive data, for one purpose (the shared
    columns, ``person`` and ``recorded_by`` come from the core's ``ConsentRecord``)."""

    __tablename__ = "consultations_consent"

    purpose: Mapped[str] = mapped_column(String(200))


class Release(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A written release from confidentiality towards one recipient, valid until ``expires_on``."""

    __tablename__ = "consultations_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(300), default="")
    signed_on: Mapped[date]
    expires_on: Mapped[date | None]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    recorder: Mapped[User | None] = relationship()

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today
