"""The job orientation plugin with the demo week: its overview (what to bring, a cancelled
date), the kiosk, the start page widget and the report. What every service area keeps
(loading, navigation, rights, its languages, export and erasure) is checked by the contract
(test_job_orientation_contract.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from intranet.plugin import CheckIn, Offer, OfferCancellation, db
from intranet.testing import (
    demo_client,
    metrics_of,
    offers_of,
    purposes_of,
    week_start,
    widgets_of,
)

NAME = "job_orientation"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def cancel_next_application_help(app) -> None:
    """Cancel next week's application help, as staff would before a holiday."""
    with app.app_context():
        offer = db.session.query(Offer).filter_by(service_area=NAME, start_time=time(14)).one()
        db.session.add(OfferCancellation(offer_id=offer.id,
                                         day=offer.first_date + timedelta(days=7),
                                         reason="Urlaub"))
        db.session.commit()


def test_a_one_off_evening_shows_once_and_a_cancelled_date_says_so(demo_app):
    cancel_next_application_help(demo_app)
    page = demo_client(demo_app).get("/job_orientation/").get_data(as_text=True)
    assert page.count("Infoabend für Arbeitgeber") == 1  # in this week only
    assert page.count("Abgesagt") == 1  # next week's application help, still listed
    assert page.count("Bewerbungshilfe (Lebenslauf, Anschreiben)") == 2


def test_offers_of_the_week_and_the_kiosk_pictogram(demo_app):
    assert purposes_of(demo_app, NAME)["application_help"].pictogram == "file-cv"
    monday = week_start(demo_app)
    ours = offers_of(demo_app, NAME, monday, monday + timedelta(days=6))
    assert [(o.title, o.start.weekday(), o.start.time(), o.end.time()) for o in ours] == [
        ("Application help (CV, cover letter)", 1, time(14), time(16)),
        ("Job centre consultation hour on site", 3, time(13), time(15)),
        ("Information evening for employers", 3, time(17), time(19)),
    ]


def test_widget_shows_todays_offers(demo_app):
    monday = week_start(demo_app)
    on_thursday = widgets_of(demo_app, NAME, monday + timedelta(days=3))[0]
    assert [(i.label, i.value) for i in on_thursday.items] == [
        ("Sprechstunde des Jobcenters vor Ort", "13:00–15:00"),
        ("Infoabend für Arbeitgeber", "17:00–19:00"),
    ]
    assert on_thursday.permission == "job_orientation.view"
    on_monday = widgets_of(demo_app, NAME, monday)[0]
    assert on_monday.items == () and on_monday.empty_text


def test_report_counts_dates_cancellations_and_checkins(demo_app):
    monday = week_start(demo_app)
    cancel_next_application_help(demo_app)
    with demo_app.app_context():
        db.session.add(CheckIn(day=monday + timedelta(days=1), number=1, ticket="J-1",
                               plugin=NAME, purpose="application_help", language="ar"))
        db.session.add(CheckIn(day=monday + timedelta(days=20), number=1, ticket="J-1",
                               plugin=NAME, purpose="job_centre", language="de"))
        db.session.commit()
    # every date of the period has passed: only passed dates count as held
    demo_app.config["FIXED_NOW"] = datetime.combine(monday + timedelta(days=35), time(23))
    metrics = metrics_of(demo_app, monday, monday + timedelta(days=13))
    # 2 weekly offers × 2 weeks + the one-off evening, minus the cancelled date
    assert metrics["job_orientation.offer_dates"] == 4
    assert metrics["job_orientation.offer_dates_cancelled"] == 1
    assert metrics["job_orientation.checkins"] == 1  # the other is outside the period
