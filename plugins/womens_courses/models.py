"""The Frauenkurse tables: courses, their weekly dates, enrolments, sessions and attendance.

A course's schedule is the core's ``Offer`` rows it is linked to (Tuesday 9:30,
say); each date of such an offer is a *session*. Women are enrolled as the
core's pseudonymous ``Person``; an enrolment keeps its place in the counts
after the person is erased (its person link is dropped).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin import Offer, Person, User, db, utcnow


class CourseKind(StrEnum):
    GERMAN = "german"
    COMPUTER = "computer"
    SWIMMING = "swimming"
    SEWING = "sewing"
    OTHER = "other"


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WAITING = "waiting"
    LEFT = "left"


class Course(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A women's course: German, computer basics, swimming, sewing …"""

    __tablename__ = "womens_courses_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default=CourseKind.GERMAN)
    level: Mapped[str] = mapped_column(String(60), default="")
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    places: Mapped[int] = mapped_column(default=12)
    childcare_places: Mapped[int] = mapped_column(default=0)
    # Low-threshold: women simply come; staff count drop-ins per session.
    drop_in: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped by every enrolment change: the first write of such a transaction,
    # so concurrent enrolments in one course queue up instead of overfilling it.
    lock_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teacher: Mapped[User | None] = relationship()
    schedule: Mapped[list[CourseOffer]] = relationship(
        back_populates="course", cascade="all, delete-orphan")
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Enrolment.id")

    @property
    def offers(self) -> list[Offer]:
        return [link.offer for link in self.schedule]

    @property
    def enrolled(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.status == EnrolmentStatus.ENROLLED]

    @property
    def waiting(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.status == EnrolmentStatus.WAITING]

    @property
    def free_places(self) -> int:
        return self.free_with(len(self.enrolled))

    def free_with(self, enrolled: int) -> int:
        """Free places with ``enrolled`` women in the course (counted by the caller, e.g.
        in SQL for many courses at once)."""
        return max(0, self.places - enrolled)

    @property
    def free_childcare_places(self) -> int:
        used = sum(1 for e in self.enrolled if e.needs_childcare)
        return max(0, self.childcare_places - used)

    def fits(self, needs_childcare: bool) -> bool:
        """Is there a place (and, if she needs one, a childcare place) for one more woman?"""
        return self.free_places > 0 and (not needs_childcare or self.free_childcare_places > 0)

    def session_dates(self, start: date, end: date) -> list[tuple[date, Offer]]:
        """The course's dates between ``start`` and ``end`` (cancelled ones left out)."""
        found = [(day, offer) for offer in self.offers
                 for day in offer.dates_between(start, end) if day not in offer.cancelled_dates]
        return sorted(found, key=lambda pair: (pair[0], pair[1].start_time))


class CourseOffer(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One weekly (or single) core offer that is a date of a course."""

    __tablename__ = "womens_courses_course_offer"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("womens_courses_course.id", ondelete="CASCADE"), primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True, unique=True)

    course: Mapped[Course] = relationship(back_populates="schedule")
    offer: Mapped[Offer] = relationship()


class Enrolment(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A woman in a course, or on its waiting list (in order of ``id``)."""

    __tablename__ = "womens_courses_enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("womens_courses_course.id", ondelete="CASCADE"), index=True)
    # None after the person was erased: the row still counts, nobody can be identified.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrolmentStatus.ENROLLED)
    needs_childcare: Mapped[bool] = mapped_column(default=False)
    # The language she reads best: the certificate's second language.
    reading_language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    # Moved up from the waiting list: staff call her until someone ticks "called".
    moved_up_at: Mapped[datetime | None]
    to_call: Mapped[bool] = mapped_column(default=False)
    called_at: Mapped[datetime | None]
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="enrolments")
    person: Mapped[Person | None] = relationship()
    called_by: Mapped[User | None] = relationship()

    @property
    def who(self) -> str:
        if self.person is None:
            return "—"
        return self.person.nickname or self.person.code


class Session(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One date of a course on which attendance was taken (or drop-ins counted)."""

    __tablename__ = "womens_courses_session"
    __table_args__ = (UniqueConstraint("course_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("womens_courses_course.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offer.id", ondelete="SET NULL"))
    drop_ins: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship()
    offer: Mapped[Offer | None] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan")


class Attendance(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """Whether one enrolled woman was there at one session."""

    __tablename__ = "womens_courses_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("womens_courses_session.id", ondelete="CASCADE"), primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("womens_courses_enrolment.id", ondelete="CASCADE"), primary_key=True)
    present: Mapped[bool] = mapped_column(default=False)
    marked_at: Mapped[datetime | None]

    session: Mapped[Session] = relationship(back_populates="attendance")
    enrolment: Mapped[Enrolment] = relationship()
