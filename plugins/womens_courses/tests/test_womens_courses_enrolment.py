"""Courses, enrolment with waiting list and move-up, attendance, certificate, hooks, erasure."""

from __future__ import annotations

import re
import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    Metric,
    Offer,
    Person,
    User,
    Widget,
    db,
)
from intranet.testing import add_user, demo_client, login, week_start
from plugins.womens_courses.models import (
    Attendance,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from plugins.womens_courses.rules import enrol

NAME = "womens_courses"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def new_course(client, **fields):
    data = {"title": "Nähkurs", "kind": "sewing", "level": "", "teacher_id": "0",
            "places": "2", "childcare_places": "1", "note": "", "new_weekday": "1",
            "new_start": "09:30", "new_end": "11:30", "new_room": "Kursraum 1"}
    data.update(fields)
    response = client.post("/womens_courses/courses/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def status_of(app, course_id):
    with app.app_context():
        rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course_id)
                                  .order_by(Enrolment.id)).all()
        return {e.person.nickname if e.person else None: (e.status, e.to_call) for e in rows}


def test_course_form_creates_the_weekly_offer(app, admin_client):
    course_id = new_course(admin_client)
    with app.app_context():
        course = db.session.get(Course, course_id)
        (offer,) = course.offers
        assert (offer.service_area, offer.weekly, offer.first_date.weekday()) == (NAME, True, 1)
        assert offer.titles == {"de": "Nähkurs"} and offer.audience == "women"
        assert offer.childcare and offer.registration_needed
    page = admin_client.get(f"/womens_courses/courses/{course_id}").get_data(as_text=True)
    assert "Nähkurs" in page
    assert "Frau anmelden" in page
    listing = admin_client.get("/womens_courses/courses").get_data(as_text=True)
    assert "Nähkurs" in listing


def test_course_form_errors_are_german_and_keep_the_input(admin_client, app):
    response = admin_client.post("/womens_courses/courses/new", data={
        "title": "Schwimmen", "kind": "swimming", "teacher_id": "0", "places": "4",
        "childcare_places": "9", "new_weekday": "2", "new_start": "10:00", "new_end": "09:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Es kann nicht mehr Betreuungsplätze als Plätze geben." in page
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert 'value="Schwimmen"' in page
    no_start = admin_client.post("/womens_courses/courses/new", data={
        "title": "Schwimmen", "kind": "swimming", "teacher_id": "0", "places": "4",
        "new_weekday": "2", "new_end": "09:00"}).get_data(as_text=True)
    assert "Wann beginnt der neue Termin?" in no_start
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Course)) == 0
        assert db.session.scalar(select(func.count()).select_from(Offer)) == 0


def test_full_course_waiting_list_and_move_up_with_childcare_limits(app, admin_client):
    course_id = new_course(admin_client, places="2", childcare_places="1")
    url = f"/womens_courses/courses/{course_id}/enrol"
    for name, childcare in [("Amina", True), ("Olga", False), ("Roya", True), ("Elif", False)]:
        data = {"nickname": name, "reading_language": "fa" if name == "Roya" else ""}
        if childcare:
            data["needs_childcare"] = "y"
        response = admin_client.post(url, data=data, follow_redirects=True)
        assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Der Kurs ist voll: Elif steht auf der Warteliste (Platz 2)." in page
    assert status_of(app, course_id) == {
        "Amina": ("enrolled", False), "Olga": ("enrolled", False),
        "Roya": ("waiting", False), "Elif": ("waiting", False)}

    with app.app_context():
        ids = {e.person.nickname: e.id for e in db.session.scalars(select(Enrolment))}
    # Olga leaves: Roya is first but needs childcare (Amina has the one place) -> Elif moves up.
    page = admin_client.post(f"/womens_courses/enrolments/{ids['Olga']}/leave",
                             follow_redirects=True).get_data(as_text=True)
    assert "Elif ist von der Warteliste nachgerückt: bitte anrufen." in page
    assert status_of(app, course_id) == {
        "Amina": ("enrolled", False), "Olga": ("left", False),
        "Roya": ("waiting", False), "Elif": ("enrolled", True)}
    # Amina leaves: a place and the childcare place free up -> Roya moves up.
    admin_client.post(f"/womens_courses/enrolments/{ids['Amina']}/leave")
    assert status_of(app, course_id)["Roya"] == ("enrolled", True)

    # Shown to staff until someone ticks "called".
    overview = admin_client.get("/womens_courses/").get_data(as_text=True)
    assert "Nachgerückt: bitte anrufen" in overview and "Roya" in overview
    admin_client.post(f"/womens_courses/enrolments/{ids['Roya']}/called")
    admin_client.post(f"/womens_courses/enrolments/{ids['Elif']}/called")
    assert "Nachgerückt: bitte anrufen" not in admin_client.get("/womens_courses/").get_data(
        as_text=True)
    with app.app_context():
        roya = db.session.get(Enrolment, ids["Roya"])
        assert roya.called_at is not None and roya.called_by.username == "admin"


def test_enrol_by_code_unknown_code_and_twice(app, admin_client):
    course_id = new_course(admin_client, places="5")
    with app.app_context():
        person = Person(nickname="Hatice")
        db.session.add(person)
        db.session.commit()
        code = person.code
    url = f"/womens_courses/courses/{course_id}/enrol"
    assert admin_client.post(url, data={"person_code": code.lower()}).status_code == 302
    again = admin_client.post(url, data={"person_code": code})
    assert again.status_code == 422
    assert "Sie ist schon in diesem Kurs oder auf seiner Warteliste." in again.get_data(
        as_text=True)
    unknown = admin_client.post(url, data={"person_code": "P-NOONE"})
    assert unknown.status_code == 422
    assert "Niemand hat diesen Code." in unknown.get_data(as_text=True)
    empty = admin_client.post(url, data={})
    assert "Gib ihren Personencode oder einen Vornamen ein." in empty.get_data(as_text=True)
    assert status_of(app, course_id) == {"Hatice": ("enrolled", False)}


def test_concurrent_enrolments_never_overfill_a_course(app, admin_client):
    course_id = new_course(admin_client, places="3", childcare_places="0")
    barrier = threading.Barrier(10)
    errors = []

    def enrol_one(n):
        try:
            with app.app_context():
                barrier.wait()
                enrol(course_id, nickname=f"Frau {n}")
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=enrol_one, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = [status for status, _ in status_of(app, course_id).values()]
    assert statuses.count("enrolled") == 3 and statuses.count("waiting") == 7


def test_concurrent_leaving_moves_up_each_waiting_woman_once(app, admin_client):
    course_id = new_course(admin_client, places="2", childcare_places="0")
    with app.app_context():
        ids = [enrol(course_id, nickname=f"Frau {n}").id for n in range(5)]
    clients = []
    for n in range(2):
        add_user(app, f"kurs{n}", permissions=[f"{NAME}.view", f"{NAME}.edit"])
        client = app.test_client()
        login(client, f"kurs{n}")
        clients.append(client)
    barrier = threading.Barrier(2)

    def leave(client, enrolment_id):
        barrier.wait()
        client.post(f"/womens_courses/enrolments/{enrolment_id}/leave")

    threads = [threading.Thread(target=leave, args=(c, i)) for c, i in zip(clients, ids[:2],
                                                                           strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = status_of(app, course_id)
    assert [statuses[f"Frau {n}"] for n in range(5)] == [
        ("left", False), ("left", False), ("enrolled", True), ("enrolled", True),
        ("waiting", False)]


def german_course(app):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.title.startswith("Deutsch A1")))
        return course.id


def test_attendance_tap_list_toggles_with_htmx(demo_app):
    client = demo_client(demo_app)
    course_id = german_course(demo_app)
    day = (week_start(demo_app) - timedelta(weeks=1) + timedelta(days=1)).isoformat()
    page = client.get(f"/womens_courses/courses/{course_id}/sessions/{day}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'hx-post="/womens_courses/courses/' in html and "wc-tap" in html
    with demo_app.app_context():
        session = db.session.scalar(select(Session).where(Session.course_id == course_id,
                                                          Session.day == day))
        row = next(r for r in session.attendance if not r.present)
        enrolment_id, session_id = row.enrolment_id, session.id
    url = f"/womens_courses/courses/{course_id}/sessions/{day}/{enrolment_id}"
    fragment = client.post(url, data={"present": "1"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "anwesend" in text and 'aria-pressed="true"' in text
    with demo_app.app_context():
        assert db.session.get(Attendance, (session_id, enrolment_id)).present is True
    client.post(url, headers={"HX-Request": "true"})  # a tap without value flips it back
    with demo_app.app_context():
        assert db.session.get(Attendance, (session_id, enrolment_id)).present is False
    # a day the course does not meet, an unknown course, a woman not on the list
    monday = week_start(demo_app).isoformat()
    assert client.get(f"/womens_courses/courses/{course_id}/sessions/{monday}").status_code == 404
    assert client.get(f"/womens_courses/courses/999/sessions/{day}").status_code == 404
    assert client.get(f"/womens_courses/courses/{course_id}/sessions/nope").status_code == 404
    assert client.post(f"/womens_courses/courses/{course_id}/sessions/{day}/99999").status_code \
        == 404


def test_first_opening_lists_the_participants_of_that_day_as_absent(app, admin_client):
    monday = week_start(app)
    course_id = new_course(admin_client, places="3", childcare_places="0",
                           new_first_date=(monday - timedelta(weeks=2)).isoformat())
    with app.app_context():
        nour = enrol(course_id, nickname="Nour")
        nour.enrolled_at = datetime.combine(monday - timedelta(weeks=3), time(10))
        db.session.commit()
        enrol(course_id, nickname="Iryna")  # enrolled today: not on earlier lists
    tuesday = (monday - timedelta(weeks=2) + timedelta(days=1)).isoformat()
    page = admin_client.get(f"/womens_courses/courses/{course_id}/sessions/{tuesday}")
    html = page.get_data(as_text=True)
    assert "Nour" in html and "Iryna" not in html
    assert html.count('aria-pressed="false"') == 1 and "abwesend" in html


def test_drop_ins_are_counted_per_session(demo_app):
    client = demo_client(demo_app)
    with demo_app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.drop_in.is_(True)))
    thursday = (week_start(demo_app) - timedelta(weeks=1) + timedelta(days=3)).isoformat()
    url = f"/womens_courses/courses/{course_id}/sessions/{thursday}/drop-ins"
    with demo_app.app_context():
        before = db.session.scalar(select(Session.drop_ins).where(
            Session.course_id == course_id, Session.day == thursday))
    client.post(url, data={"change": "1"}, headers={"HX-Request": "true"})
    answer = client.post(url, data={"change": "1"}, headers={"HX-Request": "true"})
    assert f"<bdi>{before + 2}</bdi>" in answer.get_data(as_text=True)
    client.post(url, data={"change": "-1"})
    with demo_app.app_context():
        assert db.session.scalar(select(Session.drop_ins).where(
            Session.course_id == course_id, Session.day == thursday)) == before + 1


def test_certificate_in_arabic_has_rtl_part_and_german_text(demo_app):
    client = demo_client(demo_app)
    course_id = german_course(demo_app)
    with demo_app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.reading_language == "ar",
            Enrolment.status == EnrolmentStatus.ENROLLED))
        enrolment_id, name = enrolment.id, enrolment.person.nickname
    page = client.get(f"/womens_courses/enrolments/{enrolment_id}/certificate")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<section class="wc-certificate-part" lang="de" dir="ltr">' in html
    assert '<section class="wc-certificate-part" lang="ar" dir="rtl">' in html
    assert "Teilnahmebescheinigung" in html and "شهادة حضور" in html
    assert name in html and "Deutsch A1 mit Kinderbetreuung" in html
    assert re.search(r"print\.[0-9a-f]{10}\.css", html)
    assert "Sie hat an" in html  # "She attended n of m sessions." in German
    persian = client.get(f"/womens_courses/enrolments/{enrolment_id}/certificate?language=fa")
    assert 'lang="fa" dir="rtl"' in persian.get_data(as_text=True)
    assert client.get("/womens_courses/enrolments/9999/certificate").status_code == 404


def test_print_pages(demo_app):
    client = demo_client(demo_app)
    course_id = german_course(demo_app)
    sheet = client.get(f"/womens_courses/courses/{course_id}/sheet")
    assert sheet.status_code == 200 and re.search(r"print\.[0-9a-f]{10}\.css",
                                                 sheet.get_data(as_text=True))
    listing = client.get(f"/womens_courses/courses/{course_id}/participants").get_data(
        as_text=True)
    assert "Teilnehmerinnenliste" in listing and "Warteliste" in listing
    assert client.get("/womens_courses/courses/9999/participants").status_code == 404


def test_view_right_alone_cannot_change_anything(app, admin_client):
    course_id = new_course(admin_client)
    add_user(app, "lesend", permissions=[f"{NAME}.view"])
    client = app.test_client()
    login(client, "lesend")
    assert client.get(f"/womens_courses/courses/{course_id}").status_code == 200
    assert client.post(f"/womens_courses/courses/{course_id}/enrol",
                       data={"nickname": "X"}).status_code == 403
    assert client.get("/womens_courses/courses/new").status_code == 403
    assert client.get("/womens_courses/courses/12345").status_code == 404


def test_widgets_and_metrics(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        widgets = host.collect("dashboard_widgets", Widget, user=admin,
                               today=monday + timedelta(days=1))
        metrics = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday - timedelta(weeks=3), end=monday)}
    today, free, calls = widgets
    assert today.items[0].endpoint == "womens_courses.attendance"
    assert ("Deutsch A1 mit Kinderbetreuung", "0 von 8 frei, 3 warten") in [
        (i.label, i.value) for i in free.items]
    assert [i.value for i in calls.items] == ["Computerkurs für Frauen"]
    assert metrics["womens_courses.waiting"] == 3
    assert metrics["womens_courses.places_filled"] == 13
    assert metrics["womens_courses.drop_ins"] == 27
    assert 0 < metrics["womens_courses.attendance_rate"] < 100


def test_export_and_erasure_keep_counts(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    period = {"start": monday - timedelta(weeks=3), "end": monday}
    course_id = german_course(demo_app)
    with demo_app.test_request_context("/"):
        before = {m.key: m.value for m in host.collect("report_metrics", Metric, **period)}
        enrolment = db.session.scalar(select(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.status == EnrolmentStatus.ENROLLED,
            Enrolment.needs_childcare.is_(False)))
        person = enrolment.person
        (section,) = [s for s in host.collect("export_person", ExportSection, person=person)
                      if s.plugin == NAME]
        assert section.records[0]["course"] == "Deutsch A1 mit Kinderbetreuung"
        assert section.records[0]["attended"]
        enrolment_id, person_id = enrolment.id, person.id
        (report,) = host.collect("erase_person", ErasureReport, person=person)
        db.session.delete(person)
        db.session.commit()
        assert report.records_erased == 1
        after = {m.key: m.value for m in host.collect("report_metrics", Metric, **period)}
        erased = db.session.get(Enrolment, enrolment_id)
        assert erased.person_id is None and erased.reading_language is None
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.person_id == person_id)) == 0
        # Her place went to the first waiting woman who fits (no childcare place is free).
        moved = db.session.scalars(select(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.to_call.is_(True))).all()
        assert len(moved) == 1 and not moved[0].needs_childcare
    for key in ("womens_courses.enrolments", "womens_courses.attendances",
                "womens_courses.attendance_rate", "womens_courses.drop_ins"):
        assert after[key] == before[key], key


def test_the_free_places_box_lists_eight_courses_and_links_to_the_rest(app):
    with app.app_context():
        db.session.add_all(Course(title=f"Kurs {n:02d}", places=10) for n in range(11))
        db.session.commit()
    user_id = add_user(app, "boss")
    with app.test_request_context("/"):
        boxes = app.extensions["mittelpunkt"].collect(
            "dashboard_widgets", Widget, user=db.session.get(User, user_id),
            today=datetime.now().date())
    free = next(box for box in boxes if box.order == 21)
    assert [item.label for item in free.items[:8]] == [f"Kurs {n:02d}" for n in range(8)]
    assert (free.items[8].label, free.items[8].endpoint) == (
        "3 weitere Kurse", "womens_courses.courses")
    assert len(free.items) == 9
