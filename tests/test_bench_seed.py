"""The benchmarks' two-year database (bench/seed_two_years.py), made at a hundredth of its
size: the numbers it promises, waiting numbers that stay unique per day, and pages that
still answer on it."""

from __future__ import annotations

import importlib.util
import random
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from intranet.checkins.models import CheckIn, CheckInCounter
from intranet.core.extensions import db
from intranet.testing import demo_client

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "seed_two_years.py"


def seeder():
    spec = importlib.util.spec_from_file_location("seed_two_years", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_hundredth_of_two_busy_years(make_demo_app):
    app = make_demo_app()
    module = seeder()
    with app.app_context():
        before = db.session.scalar(select(func.count(CheckIn.id)))
        made = module.seed(0.01, date(2026, 12, 2), random.Random(1))
        assert made == {"persons": 100, "checkins": 1500, "consultations": 300,
                        "courses": 2, "enrolments": 50, "offers": 5}
        assert db.session.scalar(select(func.count(CheckIn.id))) == before + 1500
        # Each day's counter stands at its highest number: a real check-in on a seeded
        # day would take the next one, not collide.
        highest = dict(db.session.execute(select(CheckIn.day, func.max(CheckIn.number))
                                          .group_by(CheckIn.day)).all())
        counters = dict(db.session.execute(select(CheckInCounter.day,
                                                  CheckInCounter.last_number)).all())
        assert counters == highest
        span = db.session.execute(select(func.min(CheckIn.day), func.max(CheckIn.day))).one()
        assert (date(2026, 12, 2) - span[0]).days >= 700
    client = demo_client(app)
    for url in ("/", "/reports/year/2026", "/reports/?period=year", "/programme"):
        assert client.get(url).status_code == 200, url
