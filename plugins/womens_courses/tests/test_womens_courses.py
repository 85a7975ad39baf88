"""The women's courses plugin: loading, its page, its rights, the kiosk, reports, Arabic."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from intranet.plugin import CheckIn, Metric, OfferView, Purpose, User, Widget, db
from intranet.testing import add_user, demo_client, login, week_start

NAME = "womens_courses"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


@pytest.fixture
def demo_admin(demo_app):
    return demo_client(demo_app)


def test_plugin_loads_and_admin_sees_its_navigation(make_app):
    app = make_app(plugins=[NAME])
    record = app.extensions["mittelpunkt"].records[NAME]
    assert record.loaded and not record.failures
    assert record.info.ticket_letter == "F"
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/womens_courses/"' in page
    assert "Frauenkurse" in page


def test_overview_lists_demo_courses(demo_admin):
    response = demo_admin.get("/womens_courses/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # weekly courses: in this week's and in next week's list
    assert page.count("Deutsch für Frauen mit Kinderbetreuung") == 2
    assert page.count("Offene Gruppe zum Üben") == 2
    assert "Nur für Frauen" in page and "Kinderbetreuung" in page
    assert "Deutschkurs für Frauen" in page  # the kiosk tile
    assert "kein Frauenkurs geplant" not in page


def test_overview_without_offers_says_what_to_do(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/womens_courses/").get_data(as_text=True)
    assert page.count("In dieser Woche ist kein Frauenkurs geplant.") == 2


def test_staff_needs_the_view_right(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "nadia")
    add_user(app, "kursleitung", permissions=[f"{NAME}.view"])
    without, with_right = app.test_client(), app.test_client()
    login(without, "nadia")
    login(with_right, "kursleitung")
    assert without.get("/womens_courses/").status_code == 403
    assert 'href="/womens_courses/"' not in without.get("/").get_data(as_text=True)
    assert with_right.get("/womens_courses/").status_code == 200


def test_kiosk_purposes_and_offers_come_through_the_host(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        german = host.collect("kiosk_purposes", Purpose, locale="de")
        arabic = host.collect("kiosk_purposes", Purpose, locale="ar")
        offers = host.collect("offers", OfferView, start=monday,
                              end=monday + timedelta(days=6), locale="en")
    mine = {p.key: p for p in german if p.plugin == NAME}
    assert set(mine) == {"course", "sign_up"}
    assert mine["course"].label == "Deutschkurs für Frauen"
    assert mine["course"].pictogram == "woman"
    assert {p.label for p in arabic if p.plugin == NAME} == {
        "دورة لغة ألمانية للنساء", "التسجيل في دورة"}
    ours = [o for o in offers if o.plugin == NAME]
    assert [(o.title, o.start.weekday(), o.start.time(), o.end.time()) for o in ours] == [
        ("German for women with childcare", 1, time(9, 30), time(11, 30)),
        ("Computer basics for women", 2, time(14), time(16)),
        ("German for women", 3, time(9, 30), time(11, 30)),
    ]
    assert all(o.audience == "women" for o in ours)
    assert [o.childcare for o in ours] == [True, False, True]


def test_widget_shows_todays_course(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.query(User).filter_by(username="admin").one()
        on_tuesday = host.collect("dashboard_widgets", Widget,
                                  user=admin, today=monday + timedelta(days=1))
        on_monday = host.collect("dashboard_widgets", Widget, user=admin, today=monday)
    assert [(i.label, i.value) for i in on_tuesday[0].items] == [
        ("Deutsch für Frauen mit Kinderbetreuung", "09:30–11:30")]
    assert on_tuesday[0].permission == "womens_courses.view"
    assert on_monday[0].items == () and on_monday[0].empty_text == "Heute kein Frauenkurs."


def test_report_counts_sessions_and_checkins(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number, plugin in enumerate([NAME, "consultations", NAME], start=1):
            db.session.add(CheckIn(day=monday + timedelta(days=1), number=number,
                                   ticket=f"F-{number}", plugin=plugin, purpose="course",
                                   language="fa"))
        db.session.commit()
    with demo_app.test_request_context("/"):
        metrics = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=13))}
    assert metrics["womens_courses.offer_dates"] == 6  # three weekly courses, two weeks
    assert metrics["womens_courses.checkins"] == 2


def test_overview_in_arabic_is_right_to_left_and_translated(demo_admin):
    page = demo_admin.get("/womens_courses/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<h1>دورات للنساء</h1>" in page  # the area's title
    assert "هذا الأسبوع" in page  # "This week"
    assert "اللغة الألمانية للنساء – مع رعاية الأطفال" in page  # the demo offer in Arabic
    assert "This week" not in page
