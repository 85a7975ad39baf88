"""The school guidance plugin with the demo week: its overview, the kiosk, the start page
widget and the report. What every service area keeps (loading, navigation, rights, its
languages, export and erasure) is checked by the contract (test_school_guidance_contract.py).
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from intranet.plugin import CheckIn, db
from intranet.testing import (
    metrics_of,
    offers_of,
    purposes_of,
    week_start,
    widgets_of,
)

NAME = "school_guidance"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def test_offers_of_the_week_and_the_kiosk_pictogram(demo_app):
    assert purposes_of(demo_app, NAME)["school_questions"].pictogram == "school"
    monday = week_start(demo_app)
    ours = offers_of(demo_app, NAME, monday, monday + timedelta(days=6))
    assert [(o.title, o.start.weekday(), o.start.time(), o.audience) for o in ours] == [
        ("Homework help", 0, time(15), "youth"),
        ("Parents' evening: the school system in Germany", 2, time(16), "parents"),
    ]
    assert set(ours[1].languages) == {"de", "tr", "ar"}


def test_widget_shows_todays_offers(demo_app):
    monday = week_start(demo_app)
    on_monday = widgets_of(demo_app, NAME, monday)[0]
    assert [(i.label, i.value) for i in on_monday.items] == [
        ("Hausaufgabenhilfe", "15:00–17:00")]
    assert on_monday.permission == "school_guidance.view"
    on_friday = widgets_of(demo_app, NAME, monday + timedelta(days=4))[0]
    assert on_friday.items == () and on_friday.empty_text


def test_report_counts_dates_and_checkins(demo_app):
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number in (1, 2, 3):
            db.session.add(CheckIn(day=monday, number=number, ticket=f"S-{number}",
                                   plugin=NAME, purpose="homework_help", language="tr"))
        db.session.commit()
    metrics = metrics_of(demo_app, monday, monday + timedelta(days=6))
    assert metrics["school_guidance.offer_dates"] == 2
    assert metrics["school_guidance.checkins"] == 3
