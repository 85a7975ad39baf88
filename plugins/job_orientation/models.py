"""The tables of job orientation: employers and partners, their places and contacts,
appointments for application help, consent to keep documents, outcomes, events.

Visitors appear only as the core's pseudonymous ``Person``. No files are ever stored:
with a recorded consent an appointment may keep a short description of the documents.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin import ConsentRecord, Offer, Person, User, db, utcnow

# Kinds and choices: stored as keys, labelled in views.py (translated there).
EMPLOYER_KINDS = ("job_centre", "employment_agency", "youth_vocational_help", "chamber",
                  "company", "other")
PLACE_KINDS = ("internship", "apprenticeship")
CONTACT_CHANNELS = ("phone", "email", "visit", "meeting", "letter")
APPOINTMENT_STATUSES = ("planned", "held", "missed")
TOPICS = ("cv", "cover_letter", "documents", "job_search", "interview", "online_application")
DOCUMENTS = ("cv", "cover_letter", "school_certificates", "work_certificates", "translations",
             "recognition", "job_advert", "job_centre_letter")
OUTCOME_KINDS = ("internship", "apprenticeship", "job", "course", "none_yet")
EVENT_KINDS = ("employer_information", "contact_meeting")


class Employer(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """An employer or partner: a company, the job centre, a chamber … (business contacts)."""

    __tablename__ = "job_orientation_employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="company")
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(160), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    places: Mapped[list[Place]] = relationship(
        back_populates="employer", cascade="all, delete-orphan",
        order_by="Place.kind, Place.field")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="employer", cascade="all, delete-orphan",
        order_by="Contact.day.desc(), Contact.id.desc()")


class Place(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """Internship or apprenticeship places an employer offers: number, field, from–to."""

    __tablename__ = "job_orientation_place"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("job_orientation_employer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="internship")
    field: Mapped[str] = mapped_column(String(120))
    count: Mapped[int] = mapped_column(default=1)
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship(back_populates="places")

    def is_open(self, today: date) -> bool:
        return self.available_until is None or self.available_until >= today


class Contact(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One contact with an employer: date, staff member, channel and a short note."""

    __tablename__ = "job_orientation_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("job_orientation_employer.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20), default="phone")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship(back_populates="contacts")
    staff: Mapped[User | None] = relationship()


class Consent(ConsentRecord, db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A person's consent that a short description of their documents may be kept (the
    columns, ``person`` and ``recorded_by`` come from the core's ``ConsentRecord``)."""

    __tablename__ = "job_orientation_consent"
    recorder_column = "recorded_by_id"


class Appointment(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """An appointment for application help with one (pseudonymous) person."""

    __tablename__ = "job_orientation_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)  # local wall-clock time
    duration_minutes: Mapped[int] = mapped_column(default=60)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"),
                                                  index=True)
    # After a person's erasure: one random token for all their appointments, linked to
    # nobody, so "people helped" still counts them once.
    erased_as: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    documents_brought: Mapped[list[str]] = mapped_column(JSON, default=list)
    documents_prepared: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Only with a recorded consent; never a file, at most a short description.
    documents_description: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()


class Outcome(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """What came of it for a person, at a date: internship, apprenticeship, job, course …"""

    __tablename__ = "job_orientation_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"),
                                                  index=True)
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date]
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_orientation_employer.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship()
    employer: Mapped[Employer | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class Event(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """An information event for employers or a contact meeting: a one-off core offer."""

    __tablename__ = "job_orientation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          unique=True)
    kind: Mapped[str] = mapped_column(String(30), default="employer_information")
    employers_attending: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[Offer] = relationship()
    created_by: Mapped[User | None] = relationship()
