"""The job orientation plugin: loading, its page, its rights, the kiosk, reports, Arabic."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from intranet.plugin import CheckIn, Metric, Offer, OfferView, Purpose, User, Widget, db
from intranet.testing import add_user, demo_client, login, week_start

NAME = "job_orientation"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


@pytest.fixture
def demo_admin(demo_app):
    return demo_client(demo_app)


def cancel_next_application_help(app) -> None:
    """Cancel next week's application help, as staff would before a holiday."""
    from intranet.offers.models import OfferCancellation

    with app.app_context():
        offer = db.session.query(Offer).filter_by(service_area=NAME, start_time=time(14)).one()
        db.session.add(OfferCancellation(offer_id=offer.id,
                                         day=offer.first_date + timedelta(days=7),
                                         reason="Urlaub"))
        db.session.commit()


def test_plugin_loads_and_admin_sees_its_navigation(make_app):
    app = make_app(plugins=[NAME])
    record = app.extensions["mittelpunkt"].records[NAME]
    assert record.loaded and not record.failures
    assert record.info.ticket_letter == "J"
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/job_orientation/"' in page
    assert "Berufsorientierung" in page


def test_overview_lists_demo_offers_and_what_to_bring(demo_admin, demo_app):
    cancel_next_application_help(demo_app)
    response = demo_admin.get("/job_orientation/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("Bewerbungshilfe (Lebenslauf, Anschreiben)") == 2  # weekly
    assert page.count("Sprechstunde des Jobcenters vor Ort") == 2
    assert page.count("Infoabend für Arbeitgeber") == 1  # once, in this week only
    assert page.count("Abgesagt") == 1  # next week's application help
    assert "Was mitbringen" in page and "Lebenslauf, falls vorhanden" in page
    assert "Hilfe bei Bewerbungen" in page  # the kiosk tile


def test_overview_without_offers_says_what_to_do(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/job_orientation/").get_data(as_text=True)
    assert page.count("In dieser Woche ist kein Angebot der Berufsorientierung geplant.") == 2


def test_staff_needs_the_view_right(make_app):
    app = make_app(plugins=[NAME])
    add_user(app, "nadia")
    add_user(app, "coach", permissions=[f"{NAME}.view"])
    without, with_right = app.test_client(), app.test_client()
    login(without, "nadia")
    login(with_right, "coach")
    assert without.get("/job_orientation/").status_code == 403
    assert 'href="/job_orientation/"' not in without.get("/").get_data(as_text=True)
    assert with_right.get("/job_orientation/").status_code == 200


def test_kiosk_purposes_and_offers_come_through_the_host(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        german = host.collect("kiosk_purposes", Purpose, locale="de")
        arabic = host.collect("kiosk_purposes", Purpose, locale="ar")
        offers = host.collect("offers", OfferView, start=monday,
                              end=monday + timedelta(days=6), locale="en")
    mine = {p.key: p for p in german if p.plugin == NAME}
    assert set(mine) == {"application_help", "job_centre"}
    assert mine["application_help"].label == "Hilfe bei Bewerbungen"
    assert mine["application_help"].pictogram == "file-cv"
    assert {p.label for p in arabic if p.plugin == NAME} == {
        "مساعدة في طلبات العمل", "موعد الجوب سنتر"}
    ours = [o for o in offers if o.plugin == NAME]
    assert [(o.title, o.start.weekday(), o.start.time(), o.end.time()) for o in ours] == [
        ("Application help (CV, cover letter)", 1, time(14), time(16)),
        ("Job centre consultation hour on site", 3, time(13), time(15)),
        ("Information evening for employers", 3, time(17), time(19)),
    ]


def test_widget_shows_todays_offers(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.query(User).filter_by(username="admin").one()
        on_thursday = host.collect("dashboard_widgets", Widget,
                                   user=admin, today=monday + timedelta(days=3))
        on_monday = host.collect("dashboard_widgets", Widget, user=admin, today=monday)
    assert [(i.label, i.value) for i in on_thursday[0].items] == [
        ("Sprechstunde des Jobcenters vor Ort", "13:00–15:00"),
        ("Infoabend für Arbeitgeber", "17:00–19:00"),
    ]
    assert on_thursday[0].permission == "job_orientation.view"
    assert on_monday[0].items == () and on_monday[0].empty_text


def test_report_counts_dates_cancellations_and_checkins(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    cancel_next_application_help(demo_app)
    with demo_app.app_context():
        db.session.add(CheckIn(day=monday + timedelta(days=1), number=1, ticket="J-1",
                               plugin=NAME, purpose="application_help", language="ar"))
        db.session.add(CheckIn(day=monday + timedelta(days=20), number=1, ticket="J-1",
                               plugin=NAME, purpose="job_centre", language="de"))
        db.session.commit()
    with demo_app.test_request_context("/"):
        metrics = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=13))}
    # 2 weekly offers × 2 weeks + the one-off evening, minus the cancelled date
    assert metrics["job_orientation.offer_dates"] == 4
    assert metrics["job_orientation.offer_dates_cancelled"] == 1
    assert metrics["job_orientation.checkins"] == 1  # the other is outside the period


def test_overview_in_arabic_is_right_to_left_and_translated(demo_admin):
    page = demo_admin.get("/job_orientation/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<h1>التوجيه المهني</h1>" in page  # the area's title
    assert "هذا الأسبوع" in page  # "This week"
    assert "أمسية معلومات لأصحاب العمل" in page  # the demo offer in Arabic
    assert "This week" not in page
