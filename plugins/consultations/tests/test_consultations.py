"""The consultations plugin: loading, its page, its rights, the kiosk, reports, Arabic."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import inspect, text

from intranet.plugin import CheckIn, Metric, OfferView, Purpose, User, Widget, db
from intranet.testing import add_user, demo_client, login, week_start

NAME = "consultations"


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
    assert record.info.ticket_letter == "B"
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/consultations/"' in page
    assert "Beratung" in page


def test_topics_table_comes_from_the_plugins_own_migration_track(make_app):
    app = make_app(plugins=[NAME])
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        version = db.session.execute(
            text("SELECT version_num FROM alembic_version_consultations")).scalar_one()
    assert "consultations_topic" in tables
    assert version == "ce5591829a0d"


def test_overview_lists_demo_hours_and_topics(demo_admin):
    response = demo_admin.get("/consultations/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # weekly offers: in this week's and in next week's list
    assert page.count("Offene Sprechstunde") == 2
    assert page.count("Beratung mit Termin") == 2
    assert "Aufenthalt und Asyl" in page and "Schulden" in page
    assert "Beratung ohne Termin" in page  # the kiosk tile
    assert "keine Sprechstunden geplant" not in page


def test_overview_without_offers_says_what_to_do(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/consultations/").get_data(as_text=True)
    assert page.count("In dieser Woche sind keine Sprechstunden geplant.") == 2


def test_staff_needs_the_view_right(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "nadia")
    add_user(app, "berater", permissions=[f"{NAME}.view"])
    without, with_right = app.test_client(), app.test_client()
    login(without, "nadia")
    login(with_right, "berater")
    assert without.get("/consultations/").status_code == 403
    assert 'href="/consultations/"' not in without.get("/").get_data(as_text=True)
    assert with_right.get("/consultations/").status_code == 200


def test_kiosk_purposes_and_offers_come_through_the_host(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        german = host.collect("kiosk_purposes", Purpose, locale="de")
        arabic = host.collect("kiosk_purposes", Purpose, locale="ar")
        offers = host.collect("offers", OfferView, start=monday,
                              end=monday + timedelta(days=6), locale="en")
    mine = {p.key: p for p in german if p.plugin == NAME}
    assert set(mine) == {"walk_in", "appointment"}
    assert mine["walk_in"].label == "Beratung ohne Termin"
    assert mine["walk_in"].pictogram == "messages"
    assert {p.label for p in arabic if p.plugin == NAME} == {"استشارة بدون موعد", "عندي موعد"}
    ours = [o for o in offers if o.plugin == NAME]
    assert [(o.title, o.start.time(), o.end.time()) for o in ours] == [
        ("Open consultation hours", time(9), time(12)),
        ("Consultation by appointment – Arabic and Dari interpreter", time(10), time(12)),
    ]
    assert ours[1].registration_needed and set(ours[1].languages) == {"de", "ar", "fa"}


def test_widget_shows_todays_hours(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.query(User).filter_by(username="admin").one()
        on_monday = host.collect("dashboard_widgets", Widget, user=admin, today=monday)
        on_tuesday = host.collect("dashboard_widgets", Widget,
                                  user=admin, today=monday + timedelta(days=1))
    assert [(i.label, i.value) for i in on_monday[0].items] == [
        ("Offene Sprechstunde", "09:00–12:00")]
    assert on_monday[0].permission == "consultations.view"
    assert on_tuesday[0].items == () and on_tuesday[0].empty_text


def test_report_counts_hours_and_checkins(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number, plugin in enumerate([NAME, NAME, "core"], start=1):
            db.session.add(CheckIn(day=monday, number=number, ticket=f"B-{number}",
                                   plugin=plugin, purpose="walk_in", language="ar"))
        db.session.add(CheckIn(day=monday - timedelta(days=1), number=1, ticket="B-1",
                               plugin=NAME, purpose="walk_in", language="de"))
        db.session.commit()
    with demo_app.test_request_context("/"):
        metrics = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=13))}
    assert metrics["consultations.offer_dates"] == 4  # two weekly hours, two weeks
    assert metrics["consultations.offer_dates_cancelled"] == 0
    assert metrics["consultations.checkins"] == 3  # two here, one from the demo's walk-in


def test_overview_in_arabic_is_right_to_left_and_translated(demo_admin):
    page = demo_admin.get("/consultations/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<h1>الاستشارات</h1>" in page  # the area's title
    assert "هذا الأسبوع" in page  # "This week"
    assert "استشارة مفتوحة" in page  # the demo offer's Arabic title
    assert "This week" not in page
