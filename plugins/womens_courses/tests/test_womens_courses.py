"""The women's courses plugin with the demo week: its overview, the kiosk, the start page
widget and the report. What every service area keeps (loading, navigation, rights, its
languages, export and erasure) is checked by the contract (test_womens_courses_contract.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from intranet.plugin import CheckIn, db
from intranet.testing import (
    metrics_of,
    offers_of,
    purposes_of,
    week_start,
    widgets_of,
)

NAME = "womens_courses"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def test_offers_of_the_week_and_the_kiosk_pictogram(demo_app):
    assert purposes_of(demo_app, NAME)["course"].pictogram == "woman"
    monday = week_start(demo_app)
    ours = offers_of(demo_app, NAME, monday, monday + timedelta(days=6))
    assert [(o.title, o.start.weekday(), o.start.time(), o.end.time(), o.childcare)
            for o in ours] == [
        ("German for women with childcare", 1, time(9, 30), time(11, 30), True),
        ("Computer basics for women", 2, time(14), time(16), False),
        ("German for women", 3, time(9, 30), time(11, 30), True),
    ]
    assert {o.audience for o in ours} == {"women"}


def test_widget_shows_todays_course(demo_app):
    monday = week_start(demo_app)
    tuesday = widgets_of(demo_app, NAME, monday + timedelta(days=1))[0]
    assert [(i.label, i.value) for i in tuesday.items] == [
        ("Deutsch für Frauen mit Kinderbetreuung", "09:30–11:30")]
    assert tuesday.permission == "womens_courses.view"
    on_monday = widgets_of(demo_app, NAME, monday)[0]
    assert on_monday.items == () and on_monday.empty_text == "Heute kein Frauenkurs."


def test_report_counts_sessions_and_checkins(demo_app):
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number, plugin in enumerate([NAME, "consultations", NAME], start=1):
            db.session.add(CheckIn(day=monday + timedelta(days=1), number=number,
                                   ticket=f"F-{number}", plugin=plugin, purpose="course",
                                   language="fa"))
        db.session.commit()
    # every date of the period has passed: only passed dates count as held
    demo_app.config["FIXED_NOW"] = datetime.combine(monday + timedelta(days=35), time(23))
    metrics = metrics_of(demo_app, monday, monday + timedelta(days=13))
    assert metrics["womens_courses.offer_dates"] == 6  # three weekly courses, two weeks
    assert metrics["womens_courses.checkins"] == 2
