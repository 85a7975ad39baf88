"""The school guidance plugin: loading, its page, its rights, the kiosk, reports, Arabic."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from intranet.plugin import CheckIn, Metric, OfferView, Purpose, User, Widget, db
from intranet.testing import add_user, demo_client, login, week_start

NAME = "school_guidance"


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
    assert record.info.ticket_letter == "S"
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/school_guidance/"' in page
    assert "Schulorientierung" in page


def test_overview_lists_demo_offers(demo_admin):
    response = demo_admin.get("/school_guidance/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # weekly offers: in this week's and in next week's list
    assert page.count("Elternabend: das Schulsystem in Deutschland") == 2
    assert page.count("Für Schülerinnen und Schüler ab Klasse 5.") == 2
    assert "Für Eltern" in page and "Für Jugendliche" in page
    assert "Fragen zur Schule" in page  # the kiosk tile
    assert "kein Angebot der Schulorientierung geplant" not in page


def test_overview_without_offers_says_what_to_do(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/school_guidance/").get_data(as_text=True)
    assert page.count("In dieser Woche ist kein Angebot der Schulorientierung geplant.") == 2


def test_staff_needs_the_view_right(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "nadia")
    add_user(app, "lernhilfe", permissions=[f"{NAME}.view"])
    without, with_right = app.test_client(), app.test_client()
    login(without, "nadia")
    login(with_right, "lernhilfe")
    assert without.get("/school_guidance/").status_code == 403
    assert 'href="/school_guidance/"' not in without.get("/").get_data(as_text=True)
    assert with_right.get("/school_guidance/").status_code == 200


def test_kiosk_purposes_and_offers_come_through_the_host(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        german = host.collect("kiosk_purposes", Purpose, locale="de")
        arabic = host.collect("kiosk_purposes", Purpose, locale="ar")
        offers = host.collect("offers", OfferView, start=monday,
                              end=monday + timedelta(days=6), locale="en")
    mine = {p.key: p for p in german if p.plugin == NAME}
    assert set(mine) == {"homework_help", "school_questions"}
    assert mine["homework_help"].label == "Hausaufgabenhilfe"
    assert mine["school_questions"].pictogram == "school"
    assert {p.label for p in arabic if p.plugin == NAME} == {
        "مساعدة في الواجبات المدرسية", "أسئلة عن المدرسة"}
    ours = [o for o in offers if o.plugin == NAME]
    assert [(o.title, o.start.weekday(), o.start.time(), o.audience) for o in ours] == [
        ("Homework help", 0, time(15), "youth"),
        ("Parents' evening: the school system in Germany", 2, time(16), "parents"),
    ]
    assert set(ours[1].languages) == {"de", "tr", "ar"}


def test_widget_shows_todays_offers(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.query(User).filter_by(username="admin").one()
        on_monday = host.collect("dashboard_widgets", Widget, user=admin, today=monday)
        on_friday = host.collect("dashboard_widgets", Widget,
                                 user=admin, today=monday + timedelta(days=4))
    assert [(i.label, i.value) for i in on_monday[0].items] == [
        ("Hausaufgabenhilfe", "15:00–17:00")]
    assert on_monday[0].permission == "school_guidance.view"
    assert on_friday[0].items == () and on_friday[0].empty_text


def test_report_counts_dates_and_checkins(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number in (1, 2, 3):
            db.session.add(CheckIn(day=monday, number=number, ticket=f"S-{number}",
                                   plugin=NAME, purpose="homework_help", language="tr"))
        db.session.commit()
    with demo_app.test_request_context("/"):
        metrics = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=6))}
    assert metrics["school_guidance.offer_dates"] == 2
    assert metrics["school_guidance.checkins"] == 3


def test_overview_in_arabic_is_right_to_left_and_translated(demo_admin):
    page = demo_admin.get("/school_guidance/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<h1>التوجيه المدرسي</h1>" in page  # the area's title
    assert "هذا الأسبوع" in page  # "This week"
    assert "لقاء الأهالي: نظام المدارس في ألمانيا" in page  # the demo offer in Arabic
    assert "This week" not in page
