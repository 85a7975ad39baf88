"""A short period (today's offers) reads only the weekly offers on its weekdays from the
database; what it lists is the same as for a week, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from intranet.core.extensions import db
from intranet.offers.models import Offer
from intranet.offers.occurrences import all_offers, stored_offers

MONDAY = date(2026, 3, 2)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_app(request, make_app):
    if request.param == "sqlite":
        return make_app()
    return make_app(DATABASE_URL=request.getfixturevalue("postgres_url"))


def test_a_day_lists_the_offers_of_its_weekday_only(database_app):
    with database_app.app_context():
        for n in range(7):  # a weekly offer begun on each weekday, a year before
            db.session.add(Offer(service_area="core", titles={"de": f"Wöchentlich {n}"},
                                 first_date=MONDAY - timedelta(weeks=52) + timedelta(days=n),
                                 start_time=time(10), end_time=time(11), weekly=True))
        db.session.add(Offer(service_area="core", titles={"de": "Einmal"},
                             first_date=MONDAY + timedelta(days=2),
                             start_time=time(15), end_time=time(16)))
        db.session.commit()
        week = all_offers(MONDAY, MONDAY + timedelta(days=6), "de")
        for n in range(7):
            day = MONDAY + timedelta(days=n)
            expected = [o.title for o in week if o.start.date() == day]
            assert [o.title for o in all_offers(day, day, "de")] == expected, day
            assert len(stored_offers(["core"], until=day, since=day)) == (2 if n == 2 else 1)
        weekend = all_offers(MONDAY + timedelta(days=5), MONDAY + timedelta(days=6), "de")
        assert [o.title for o in weekend] == ["Wöchentlich 5", "Wöchentlich 6"]
