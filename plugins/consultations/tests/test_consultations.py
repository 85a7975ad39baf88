"""The consultations plugin with the demo week: its own migration track, its overview, the
kiosk, the start page widget and the report. What every service area keeps (loading,
navigation, rights, its languages, export and erasure) is checked by the contract
(test_consultations_contract.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import inspect, text

from intranet.plugin import CheckIn, db
from intranet.testing import (
    metrics_of,
    offers_of,
    purposes_of,
    week_start,
    widgets_of,
)

NAME = "consultations"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def test_topics_table_comes_from_the_plugins_own_migration_track(make_app):
    app = make_app(plugins=[NAME])
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        version = db.session.execute(
            text("SELECT version_num FROM alembic_version_consultations")).scalar_one()
    assert "consultations_topic" in tables
    assert version == "ce5591829a0d"


def test_offers_of_the_week_and_the_kiosk_pictogram(demo_app):
    assert purposes_of(demo_app, NAME)["walk_in"].pictogram == "messages"
    monday = week_start(demo_app)
    ours = offers_of(demo_app, NAME, monday, monday + timedelta(days=6))
    assert [(o.title, o.start.time(), o.end.time()) for o in ours] == [
        ("Open consultation hours", time(9), time(12)),
        ("Consultation by appointment – Arabic and Dari interpreter", time(10), time(12)),
    ]
    assert ours[1].registration_needed and set(ours[1].languages) == {"de", "ar", "fa"}


def test_widget_shows_todays_hours(demo_app):
    monday = week_start(demo_app)
    on_monday = widgets_of(demo_app, NAME, monday)[0]
    assert [(i.label, i.value) for i in on_monday.items] == [
        ("Offene Sprechstunde", "09:00–12:00")]
    assert on_monday.permission == "consultations.view"
    on_tuesday = widgets_of(demo_app, NAME, monday + timedelta(days=1))[0]
    assert on_tuesday.items == () and on_tuesday.empty_text


def test_report_counts_hours_and_checkins(demo_app):
    monday = week_start(demo_app)
    with demo_app.app_context():
        for number, plugin in enumerate([NAME, NAME, "core"], start=1):
            db.session.add(CheckIn(day=monday, number=number, ticket=f"B-{number}",
                                   plugin=plugin, purpose="walk_in", language="ar"))
        db.session.add(CheckIn(day=monday - timedelta(days=1), number=1, ticket="B-1",
                               plugin=NAME, purpose="walk_in", language="de"))
        db.session.commit()
    # every date of the period has passed: only passed dates count as held
    demo_app.config["FIXED_NOW"] = datetime.combine(monday + timedelta(days=35), time(23))
    metrics = metrics_of(demo_app, monday, monday + timedelta(days=13))
    assert metrics["consultations.offer_dates"] == 4  # two weekly hours, two weeks
    assert metrics["consultations.offer_dates_cancelled"] == 0
    assert metrics["consultations.checkins"] == 3  # two here, one from the demo's walk-in
