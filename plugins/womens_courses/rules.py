"""The course rules: enrol or wait, leave, move up from the waiting list.

Every change to a course's enrolments runs in a transaction whose first
statement writes to the course row. SQLite then takes its write lock at once
(PostgreSQL locks the row), so two staff members enrolling at the same moment
queue up one behind the other and a course is never overfilled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import OperationalError

from intranet.plugin import Person, audit, db, utcnow

from .models import Attendance, Course, Enrolment, EnrolmentStatus, Session

NAME = "womens_courses"
T = TypeVar("T")


class AlreadyInCourse(Exception):
    """The person is already enrolled in (or waiting for) this course."""


def _locked(course_id: int, work: Callable[[Course], T], attempts: int = 8) -> T | None:
    """Run ``work(course)`` in a transaction of its own that holds the course's lock.

    Returns None for an unknown course. Commits on success, rolls back on error.
    """
    for attempt in range(attempts):
        db.session.commit()  # end the request's reading transaction: the lock comes first
        try:
            locked = cast(CursorResult[Any], db.session.execute(
                update(Course).where(Course.id == course_id)
                .values(lock_version=Course.lock_version + 1)))
            if locked.rowcount == 0:
                db.session.rollback()
                return None
            course = db.session.get(Course, course_id, populate_existing=True)
            assert course is not None
            result = work(course)
            db.session.commit()
            return result
        except OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
        except Exception:
            db.session.rollback()
            raise
    return None  # pragma: no cover


def fill_places(course: Course) -> list[Enrolment]:
    """Move women up from the waiting list, in order, while they fit.

    A woman who needs a childcare place is passed over (she keeps her position)
    while no childcare place is free. Everyone moved up is flagged "to call".
    """
    moved = []
    for enrolment in course.waiting:
        if course.free_places == 0:
            break
        if course.fits(enrolment.needs_childcare):
            enrolment.status = EnrolmentStatus.ENROLLED
            enrolment.enrolled_at = enrolment.moved_up_at = utcnow()
            enrolment.to_call = True
            enrolment.called_at = None
            moved.append(enrolment)
            audit("course_moved_up", object_type="womens_courses_enrolment",
                  object_id=enrolment.id, plugin=NAME, course=course.id)
    return moved


def enrol(course_id: int, *, person_id: int | None = None, nickname: str = "",
          needs_childcare: bool = False, reading_language: str | None = None) -> Enrolment | None:
    """Enrol a person (or a new person with just a nickname) in a course, or put her on
    the waiting list when the places, or the childcare places she needs, are taken.

    Raises :class:`AlreadyInCourse`; returns None for an unknown course.
    """

    def work(course: Course) -> Enrolment:
        if person_id is not None:
            person = db.session.get(Person, person_id)
            if person is None:
                raise LookupError(person_id)
            active = db.session.scalar(select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.person_id == person.id,
                Enrolment.status != EnrolmentStatus.LEFT))
            if active is not None:
                raise AlreadyInCourse(person.code)
        else:
            person = Person(nickname=nickname.strip(), gender="female",
                            languages=[reading_language] if reading_language else [],
                            first_visit=None)
            db.session.add(person)
        # Whoever waits does not fit (fill_places moved up everyone who does), so a
        # newcomer who fits takes a free place without jumping the queue of those who fit.
        fits = course.fits(needs_childcare)
        enrolment = Enrolment(
            course=course, person=person, needs_childcare=needs_childcare,
            reading_language=reading_language or None,
            status=EnrolmentStatus.ENROLLED if fits else EnrolmentStatus.WAITING,
            enrolled_at=utcnow() if fits else None)
        db.session.add(enrolment)
        db.session.flush()
        audit("course_enrolled" if fits else "course_waiting_list",
              object_type="womens_courses_enrolment", object_id=enrolment.id, plugin=NAME,
              course=course.id)
        return enrolment

    return _locked(course_id, work)


def leave(enrolment_id: int) -> list[Enrolment] | None:
    """A participant leaves (or a woman leaves the waiting list); the places she frees are
    given to the waiting list at once. Returns who moved up, or None for an unknown id."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return None

    def work(course: Course) -> list[Enrolment]:
        mine = db.session.get(Enrolment, enrolment_id, populate_existing=True)
        if mine is None or mine.status == EnrolmentStatus.LEFT:
            return []
        mine.status = EnrolmentStatus.LEFT
        mine.left_at = utcnow()
        mine.to_call = False
        audit("course_left", object_type="womens_courses_enrolment", object_id=mine.id,
              plugin=NAME, course=course.id)
        return fill_places(course)

    return _locked(enrolment.course_id, work)


def refill(course_id: int) -> list[Enrolment]:
    """After a course got more places: move up whoever fits now."""
    return _locked(course_id, fill_places) or []


def open_session(course: Course, day: date, offer_id: int | None) -> Session:
    """The session of ``day``, created with a row per enrolled woman (absent until tapped)."""
    session = db.session.scalar(select(Session).where(Session.course_id == course.id,
                                                      Session.day == day))
    if session is None:
        session = Session(course=course, day=day, offer_id=offer_id)
        db.session.add(session)
    marked = {row.enrolment_id for row in session.attendance}
    for enrolment in course.enrolled:
        if enrolment.id not in marked and (enrolment.enrolled_at is None
                                           or enrolment.enrolled_at.date() <= day):
            session.attendance.append(Attendance(enrolment=enrolment, present=False))
    return session


# -- two records of the same woman ------------------------------------------------------------

_RANK: dict[str, int] = {EnrolmentStatus.ENROLLED: 0, EnrolmentStatus.WAITING: 1,
                         EnrolmentStatus.LEFT: 2}


def _better(enrolment: Enrolment) -> tuple[object, ...]:
    """Sort key: enrolled before waiting before left; among equals the earlier one (the
    earlier start in the course, the earlier place on the waiting list)."""
    rank = _RANK.get(enrolment.status, 2)
    if rank == 0:
        return (rank, enrolment.enrolled_at or enrolment.created_at, enrolment.id)
    return (rank, enrolment.id)


def _current(rows: list[Enrolment]) -> Enrolment:
    """A woman's place in a course now: her enrolment or waiting-list entry (she has at
    most one), else the last one she left. Older rows she left are her history."""
    active = [e for e in rows if e.status != EnrolmentStatus.LEFT]
    return min(active, key=_better) if active else max(rows, key=lambda e: e.id)


def _fold(drop: Enrolment, keep: Enrolment) -> None:
    """Fold ``drop`` into ``keep`` (the better of two places of one woman in one course) and
    delete it: the attendance of both counts for her, a session marked twice once."""
    kept_rows = {row.session_id: row for row in db.session.scalars(
        select(Attendance).where(Attendance.enrolment_id == keep.id))}
    for row in db.session.scalars(select(Attendance).where(
            Attendance.enrolment_id == drop.id)).all():
        mine = kept_rows.get(row.session_id)
        if mine is None:
            db.session.add(Attendance(session_id=row.session_id, enrolment=keep,
                                      present=row.present, marked_at=row.marked_at))
        else:
            mine.present = mine.present or row.present
            marks = [m for m in (mine.marked_at, row.marked_at) if m is not None]
            mine.marked_at = max(marks) if marks else None
        db.session.delete(row)
    keep.reading_language = keep.reading_language or drop.reading_language
    if drop.status == EnrolmentStatus.ENROLLED:  # and so is keep: both held a place
        # Her childcare place moves with her, so the childcare places stay as many as they
        # were; whoever reached her under either record reached her.
        keep.needs_childcare = keep.needs_childcare or drop.needs_childcare
        if keep.to_call and not drop.to_call:
            keep.to_call = False
            keep.called_at, keep.called_by_id = drop.called_at, drop.called_by_id
    elif drop.status == keep.status == EnrolmentStatus.LEFT:
        starts = [d for d in (keep.enrolled_at, drop.enrolled_at) if d is not None]
        keep.enrolled_at = min(starts) if starts else None
        ends = [d for d in (keep.left_at, drop.left_at) if d is not None]
        keep.left_at = max(ends) if ends else None
    drop.course.enrolments.remove(drop)  # delete-orphan: gone at the next flush


def merge_enrolments(source: Person, target: Person) -> tuple[int, int, int]:
    """Give ``target`` everything ``source`` has in the women's courses; no commit (the
    core's merge commits or rolls back the whole merge).

    In a course where both records have a place, the better place stays (enrolled over
    waiting over left; the earlier waiting-list place of two) with the attendance of both,
    and the other is deleted. Older enrolments she left stay as her history. A place set
    free that way goes to the waiting list, in its order, so no course is over-full and
    nobody is skipped. Returns (her enrolments moved or folded, places folded, women moved
    up).
    """
    theirs = list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == source.id)
                                     .order_by(Enrolment.id)))
    if not theirs:
        return 0, 0, 0
    course_ids = sorted({e.course_id for e in theirs})
    # The courses' locks first, as every enrolment change takes them (see _locked).
    db.session.execute(update(Course).where(Course.id.in_(course_ids))
                       .values(lock_version=Course.lock_version + 1)
                       .execution_options(synchronize_session=False))
    ours = list(db.session.scalars(select(Enrolment).where(
        Enrolment.person_id == target.id, Enrolment.course_id.in_(course_ids))))
    folded, dropped, refill_courses = 0, set(), []
    for course_id in course_ids:
        mine = [e for e in ours if e.course_id == course_id]
        if not mine:
            continue
        keep, drop = sorted((_current([e for e in theirs if e.course_id == course_id]),
                             _current(mine)), key=_better)
        if drop.status == EnrolmentStatus.ENROLLED:
            refill_courses.append(drop.course)
        _fold(drop, keep)
        dropped.add(drop.id)
        folded += 1
    for enrolment in theirs:
        if enrolment.id not in dropped:
            enrolment.person = target
    db.session.flush()
    moved_up = 0
    for course in refill_courses:
        moved_up += len(fill_places(course))
    db.session.flush()
    return len(theirs), folded, moved_up
