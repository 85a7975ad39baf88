"""The women's courses in the core's people register: the box on a person's page and merging
two records of the same woman (enrolments move; a double place in one course is folded into
the better one, with the attendance of both, and never leaves a course over-full)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from intranet.plugin import Person, db
from intranet.testing import (
    PEOPLE_EDIT,
    PEOPLE_VIEW,
    StoredPerson,
    add_person,
    audit_details,
    client_for,
    merge_people,
)
from plugins.womens_courses.models import (
    Attendance,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from plugins.womens_courses.rules import enrol, leave

NAME = "womens_courses"
VIEW = f"{NAME}.view"
ENROLLED, WAITING, LEFT = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING,
                           EnrolmentStatus.LEFT)
DAYS = [date(2026, 10, 6) + timedelta(weeks=n) for n in range(4)]


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])



def add_woman(app, nickname) -> StoredPerson:
    return add_person(app, nickname, gender="female")


def add_course(app, title, places=2, childcare_places=0) -> int:
    with app.app_context():
        course = Course(title=title, places=places, childcare_places=childcare_places)
        db.session.add(course)
        db.session.commit()
        return course.id


def enrol_in(app, course_id, person_id, needs_childcare=False) -> int:
    with app.app_context():
        enrolment = enrol(course_id, person_id=person_id, needs_childcare=needs_childcare)
        assert enrolment is not None
        return enrolment.id


def mark(app, course_id, enrolment_id, present_on=(), absent_on=()):
    """Attendance of one enrolment: present on some of DAYS, absent on others."""
    with app.app_context():
        for day, present in [(d, True) for d in present_on] + [(d, False) for d in absent_on]:
            session = db.session.scalar(select(Session).where(
                Session.course_id == course_id, Session.day == day))
            if session is None:
                session = Session(course_id=course_id, day=day)
                db.session.add(session)
                db.session.flush()
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment_id,
                                      present=present))
        db.session.commit()


def places(app, course_id) -> list[tuple[int | None, str, bool]]:
    """(person id, status, to call) of a course's enrolments, in waiting-list order."""
    with app.app_context():
        return [(e.person_id, e.status, e.to_call) for e in db.session.scalars(
            select(Enrolment).where(Enrolment.course_id == course_id).order_by(Enrolment.id))]


def attendance_of(app, enrolment_id) -> dict[date, bool]:
    with app.app_context():
        return {day: present for day, present in db.session.execute(
            select(Session.day, Attendance.present).join(Attendance)
            .where(Attendance.enrolment_id == enrolment_id))}


def merge(app, source, target):
    editor = client_for(app, "leitung", [PEOPLE_VIEW, PEOPLE_EDIT, VIEW], lang="en")
    merge_people(editor, source, target)
    return editor


# -- the box on the person's page ---------------------------------------------------------------


def test_person_page_shows_her_courses_status_and_attendance(app):
    code, amina = add_woman(app, "Amina")
    _, olga = add_woman(app, "Olga")
    _, roya = add_woman(app, "Roya")
    german = add_course(app, "Deutsch A1", places=3)
    sewing = add_course(app, "Nähkurs", places=1)
    swimming = add_course(app, "Schwimmen", places=3)
    place = enrol_in(app, german, amina)
    mark(app, german, place, present_on=DAYS[:2], absent_on=DAYS[2:3])
    enrol_in(app, sewing, olga)
    enrol_in(app, sewing, roya)  # first on the waiting list
    enrol_in(app, sewing, amina)  # second
    gone = enrol_in(app, swimming, amina)
    mark(app, swimming, gone, present_on=DAYS[:1])
    with app.app_context():
        leave(gone)

    teacher = client_for(app, "kursleitung", [PEOPLE_VIEW, VIEW], lang="en")
    page = teacher.get(f"/people/{code}").get_data(as_text=True)
    assert "Women&#39;s courses" in page or "Women's courses" in page
    for course_id in (german, sewing, swimming):
        assert f'href="/womens_courses/courses/{course_id}"' in page
    assert "enrolled · 2 sessions attended" in page
    assert "waiting list, place 2" in page
    assert "left the course · 1 session attended" in page
    # enrolled first, then waiting, then left
    assert page.index("Deutsch A1") < page.index("Nähkurs") < page.index("Schwimmen")

    german_page = client_for(app, "kursleitung2", [PEOPLE_VIEW, VIEW], lang="de").get(
        f"/people/{code}").get_data(as_text=True)
    assert "angemeldet · 2 Termine besucht" in german_page
    assert "Warteliste, Platz 2" in german_page

    # without the view right the core hides the box
    other = client_for(app, "empfang", [PEOPLE_VIEW], lang="en").get(f"/people/{code}").get_data(
        as_text=True)
    assert "/womens_courses/courses/" not in other and "sessions attended" not in other
    assert "Deutsch A1" not in other


def test_a_person_without_courses_gets_no_box(app):
    code, _ = add_woman(app, "Amina")
    teacher = client_for(app, "kursleitung", [PEOPLE_VIEW, VIEW], lang="en")
    page = teacher.get(f"/people/{code}").get_data(as_text=True)
    assert "/womens_courses/courses/" not in page and "No enrolment." not in page


# -- merging two records of one woman -----------------------------------------------------------


def test_merge_moves_enrolments_and_folds_double_places(app):
    source, source_id = add_woman(app, "Amina")
    target, target_id = add_woman(app, "Amina")
    _, waiting_id = add_woman(app, "Wafa")
    _, other_id = add_woman(app, "Olga")

    # only the duplicate is in this course: her place simply moves
    only_source = add_course(app, "Computer")
    moved = enrol_in(app, only_source, source_id)
    mark(app, only_source, moved, present_on=DAYS[:1])

    # both records hold a place (the target's since earlier, the source's with childcare):
    # one place stays, with the attendance of both; Wafa moves up into the freed place
    both_enrolled = add_course(app, "Deutsch A1", places=2, childcare_places=1)
    kept = enrol_in(app, both_enrolled, target_id)
    double = enrol_in(app, both_enrolled, source_id, needs_childcare=True)
    enrol_in(app, both_enrolled, waiting_id)
    mark(app, both_enrolled, kept, present_on=DAYS[1:2], absent_on=DAYS[0:1])
    mark(app, both_enrolled, double, present_on=DAYS[0:1], absent_on=DAYS[1:3])

    # both on one waiting list: she keeps the earlier place (the source's), Olga stays behind
    both_waiting = add_course(app, "Nähkurs", places=1)
    _, full_id = add_woman(app, "Elif")
    enrol_in(app, both_waiting, full_id)
    early = enrol_in(app, both_waiting, source_id)
    enrol_in(app, both_waiting, other_id)
    late = enrol_in(app, both_waiting, target_id)

    # enrolled beats waiting: the source's place stays, the target's waiting entry goes
    enrolled_or_waiting = add_course(app, "Schwimmen", places=1)
    seat = enrol_in(app, enrolled_or_waiting, source_id)
    queue = enrol_in(app, enrolled_or_waiting, target_id)

    # she left under one record and is enrolled under the other: her old attendance counts
    left_and_enrolled = add_course(app, "Deutsch A2", places=2)
    old = enrol_in(app, left_and_enrolled, source_id)
    mark(app, left_and_enrolled, old, present_on=DAYS[:2])
    with app.app_context():
        leave(old)
    current = enrol_in(app, left_and_enrolled, target_id)
    mark(app, left_and_enrolled, current, present_on=DAYS[2:3])

    editor = merge(app, source, target)

    with app.app_context():
        assert db.session.get(Person, source_id) is None
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.person_id == source_id)) == 0
    [merged] = audit_details(app, "persons_merged")
    assert merged["plugins"] == {NAME: 5}  # every enrolment of the duplicate

    assert places(app, only_source) == [(target_id, ENROLLED, False)]
    assert attendance_of(app, moved) == {DAYS[0]: True}

    assert places(app, both_enrolled) == [(target_id, ENROLLED, False),
                                          (waiting_id, ENROLLED, True)]  # moved up: call her
    assert attendance_of(app, kept) == {DAYS[0]: True, DAYS[1]: True, DAYS[2]: False}
    with app.app_context():
        course = db.session.get(Course, both_enrolled)
        assert len(course.enrolled) == course.places  # full, not over-full
        assert db.session.get(Enrolment, kept).needs_childcare  # her childcare place moved
        assert course.free_childcare_places == 0
        assert db.session.get(Enrolment, double) is None
        assert db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.enrolment_id == double)) == 0

    assert places(app, both_waiting) == [(full_id, ENROLLED, False), (target_id, WAITING, False),
                                         (other_id, WAITING, False)]
    with app.app_context():
        assert db.session.get(Enrolment, early).person_id == target_id
        assert db.session.get(Enrolment, late) is None

    assert places(app, enrolled_or_waiting) == [(target_id, ENROLLED, False)]
    with app.app_context():
        assert db.session.get(Enrolment, seat).person_id == target_id
        assert db.session.get(Enrolment, queue) is None

    assert places(app, left_and_enrolled) == [(target_id, ENROLLED, False)]
    assert attendance_of(app, current) == {DAYS[0]: True, DAYS[1]: True, DAYS[2]: True}

    page = editor.get(f"/people/{target}").get_data(as_text=True)
    assert "Deutsch A2" in page and "enrolled · 3 sessions attended" in page
    assert "waiting list, place 1" in page
    assert editor.get(f"/people/{source}").status_code == 404


def test_merge_without_courses_changes_nothing(app):
    source, _ = add_woman(app, "Amina")
    target, target_id = add_woman(app, "Amina")
    course = add_course(app, "Deutsch A1")
    enrol_in(app, course, target_id)
    merge(app, source, target)
    assert places(app, course) == [(target_id, ENROLLED, False)]
