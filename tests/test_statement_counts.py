"""Pages people wait on send as many SQL statements on a busy database as on the demo's.

A page whose statements grow with the data (one query per offer, per course, per
person) is fast on the demo and slow after two years; counting catches it without
timing anything. The two-year seeder (bench/seed_two_years.py) fills the same
database at a hundredth of its size between the two counts.
"""

from __future__ import annotations

import importlib
import random
import sys
from pathlib import Path

from intranet.core.extensions import db
from intranet.core.timeutil import local_today
from intranet.testing import demo_client
from kiosk.testing import pair

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # pages.py imports the seeder by name
    return importlib.import_module(name)


def counts(app, staff, kiosk, pages) -> dict[str, int]:
    with app.app_context():
        year = local_today().year
    measured = {}
    for name, url in pages.pages(year):
        client = kiosk if url.startswith("/kiosk") else staff
        result = pages.measure(app, client, name, url)
        assert result.status == 200, (name, result.status)
        measured[name] = result.statements
    return measured


def test_statements_do_not_grow_with_the_data(make_demo_app):
    # Settings, switches and today's offers read on every request, so that what a worker
    # kept from an earlier request (intranet.core.brief_cache) does not change a count.
    app = make_demo_app(SHARED_STATE_SECONDS=0)
    pages = bench_module("pages")
    seeder = bench_module("seed_two_years")
    staff, kiosk = demo_client(app), pair(app)
    on_demo = counts(app, staff, kiosk, pages)
    with app.app_context():
        made = seeder.seed(0.01, local_today(), random.Random(3))
        db.session.remove()
    assert made["checkins"] == 1500
    on_busy = counts(app, staff, kiosk, pages)
    grown = {name: (on_demo[name], on_busy[name]) for name in on_demo
             if on_busy[name] != on_demo[name]}
    assert grown == {}, f"statements demo -> busy: {grown}"
