"""Purposes follow the days of the offers that open them (Offer.kiosk_purpose)."""

from __future__ import annotations

from datetime import date, datetime, time

from intranet.core.extensions import db
from intranet.offers.models import Offer, OfferCancellation
from intranet.offers.purpose_days import purposes_on

WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)


def job_centre_hour(**fields):
    values = {"service_area": "job_orientation", "weekly": True,
              "first_date": date(2026, 11, 5), "last_date": None, "start_time": time(13),
              "end_time": time(15), "room": "Büro",
              "titles": {"de": "Sprechstunde des Jobcenters"},
              "kiosk_purpose": "job_orientation:job_centre", **fields}
    return Offer(**values)


def purposes(app, moment):
    with app.test_request_context():
        return {f"{p.plugin}:{p.key}": p for p in purposes_on("de", moment)}


def test_a_purpose_runs_only_on_its_offers_days(app):
    with app.app_context():
        db.session.add(job_centre_hour())
        db.session.commit()
    wednesday = purposes(app, datetime.combine(WEDNESDAY, time(10)))
    assert not wednesday["job_orientation:job_centre"].available
    assert wednesday["job_orientation:job_centre"].next_date == THURSDAY
    thursday = purposes(app, datetime.combine(THURSDAY, time(10)))
    assert thursday["job_orientation:job_centre"].available
    # once today's hour has ended, the next one is a week later
    late = purposes(app, datetime.combine(THURSDAY, time(15, 30)))
    assert not late["job_orientation:job_centre"].available
    assert late["job_orientation:job_centre"].next_date == date(2026, 12, 10)
    # purposes no offer opens are always open
    assert wednesday["core:cafe"].available and wednesday["core:cafe"].next_date is None
    assert wednesday["job_orientation:application_help"].available


def test_a_cancelled_date_opens_nothing(app):
    with app.app_context():
        offer = job_centre_hour()
        offer.cancellations.append(OfferCancellation(day=THURSDAY, reason="Urlaub"))
        db.session.add(offer)
        db.session.commit()
    thursday = purposes(app, datetime.combine(THURSDAY, time(10)))
    assert not thursday["job_orientation:job_centre"].available
    assert thursday["job_orientation:job_centre"].next_date == date(2026, 12, 10)


def test_an_ended_series_opens_nothing(app):
    with app.app_context():
        db.session.add(job_centre_hour(last_date=date(2026, 11, 26)))
        db.session.commit()
    ended = purposes(app, datetime.combine(THURSDAY, time(10)))
    # no offer opens it any more: it is an always-open purpose again
    assert ended["job_orientation:job_centre"].available
    assert ended["job_orientation:job_centre"].next_date is None
