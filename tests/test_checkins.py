"""Check-ins and waiting numbers: unique and gap-free under concurrency, one ticket per
token, a new count every day, status changes, and the ``checkin_created`` hook.

The concurrency tests run real threads against a real SQLite file and against the
throwaway PostgreSQL server.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import intranet.checkins.numbering
from intranet.checkins.models import CheckIn, CheckInCounter, CheckInStatus
from intranet.checkins.numbering import (
    NewCheckIn,
    TransitionError,
    change_status,
    create_checkin,
    minutes_waiting,
    open_checkins,
    waiting_before,
)
from intranet.core.extensions import db
from intranet.core.timeutil import utcnow
from intranet.plugin import PluginInfo, hookimpl
from intranet.testing import add_user

AREAS = [("consultations", "walk_in", "B"), ("womens_courses", "course", "F"),
         ("job_orientation", "job_centre", "J"), ("school_guidance", "homework_help", "S"),
         ("core", "cafe", "C")]
THREADS = 16
CHECKINS = 200


def new(n=0, token=None, **fields):
    plugin, purpose, letter = AREAS[n % len(AREAS)]
    values = {"plugin": plugin, "purpose": purpose, "ticket_letter": letter, "language": "de",
              "token": token, **fields}
    return NewCheckIn(**values)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_app(request, make_app):
    """The app on a real SQLite file, or on a fresh PostgreSQL database (migrated)."""
    if request.param == "sqlite":
        return make_app()
    app = make_app(DATABASE_URL=request.getfixturevalue("postgres_url"))
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
    return app


def run_in_threads(app, count, make_checkin, threads=THREADS):
    """``count`` check-ins from ``threads`` threads released at the same moment."""
    start = threading.Barrier(threads)

    def worker(indexes):
        start.wait()
        results = []
        for index in indexes:
            with app.app_context():
                checkin = create_checkin(make_checkin(index))
                results.append((index, checkin.id, checkin.number, checkin.ticket))
        return results

    chunks = [range(t, count, threads) for t in range(threads)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [row for rows in pool.map(worker, chunks) for row in rows]


def test_concurrent_check_ins_get_distinct_consecutive_numbers(database_app):
    results = run_in_threads(database_app, CHECKINS, new)
    assert sorted(number for _i, _id, number, _t in results) == list(range(1, CHECKINS + 1))
    assert len({checkin_id for _i, checkin_id, _n, _t in results}) == CHECKINS
    for index, _id, number, ticket in results:
        assert ticket == f"{AREAS[index % len(AREAS)][2]}-{number}"
    with database_app.app_context():
        stored = db.session.execute(select(CheckIn.number, CheckIn.ticket)).all()
        counter = db.session.scalar(select(CheckInCounter.last_number))
    assert sorted(n for n, _t in stored) == list(range(1, CHECKINS + 1))
    assert len({t for _n, t in stored}) == CHECKINS
    assert counter == CHECKINS


def test_the_same_token_from_many_threads_gives_one_row(database_app, monkeypatch):
    # With a token, each check-in holds two pooled connections at once (the session's
    # token lookup and its own numbering transaction); 12 threads stay below the
    # default pool of 5 + 10 connections, which 15 simultaneous callers would exhaust.
    threads = 12
    # Every thread looks the token up before any of them stores it, so they all race
    # to insert and all but one must find the winner's ticket after the conflict.
    looked_up = threading.Barrier(threads)
    first_lookup = threading.local()
    original = intranet.checkins.numbering.by_token

    def by_token_all_at_once(token):
        found = original(token)
        if not getattr(first_lookup, "done", False):
            first_lookup.done = True
            assert found is None
            looked_up.wait(timeout=30)
        return found

    monkeypatch.setattr(intranet.checkins.numbering, "by_token", by_token_all_at_once)
    results = run_in_threads(database_app, 36,
                             lambda n: new(0, token="double-tap-token", first_name=f"t{n}"),
                             threads=threads)
    monkeypatch.undo()
    assert len(results) == 36
    assert {(checkin_id, number, ticket) for _i, checkin_id, number, ticket in results} == {
        (results[0][1], 1, "B-1")}
    with database_app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id))) == 1
        # the losers' numbers were rolled back with their rows: no number was skipped
        assert db.session.scalar(select(CheckInCounter.last_number)) == 1
        assert create_checkin(new(1)).ticket == "F-2"


def test_a_resent_token_gives_the_same_ticket(app):
    with app.app_context():
        first = create_checkin(new(0, token="abc"))
        again = create_checkin(new(3, token="abc"))  # even if the form was tampered with
        other = create_checkin(new(0, token="def"))
        assert again.id == first.id and again.ticket == "B-1"
        assert other.ticket == "B-2"
        assert db.session.scalar(select(func.count(CheckIn.id))) == 2


def test_numbers_start_again_at_one_every_day(app, monkeypatch):
    day = {"today": date(2026, 3, 2)}
    monkeypatch.setattr(intranet.checkins.numbering, "local_today", lambda: day["today"])
    with app.app_context():
        monday = [create_checkin(new(n)).ticket for n in range(3)]
        day["today"] = date(2026, 3, 3)
        tuesday = [create_checkin(new(n)).ticket for n in range(2)]
        day["today"] = date(2026, 3, 2)  # a late check-in on the first day counts on there
        late = create_checkin(new(4)).ticket
        assert (monday, tuesday, late) == (["B-1", "F-2", "J-3"], ["B-1", "F-2"], "C-4")
        counters = dict(db.session.execute(
            select(CheckInCounter.day, CheckInCounter.last_number)).all())
        assert counters == {date(2026, 3, 2): 4, date(2026, 3, 3): 2}
        # the queue of a day shows only that day's tickets
        assert [c.ticket for c in open_checkins(day=date(2026, 3, 3))] == ["B-1", "F-2"]


def test_what_a_new_check_in_stores(app):
    with app.app_context():
        checkin = create_checkin(new(1, token="tok", first_name="Amira", first_visit=True,
                                     language="ar", kiosk_id=7))
        stored = db.session.get(CheckIn, checkin.id)
        assert (stored.ticket, stored.plugin, stored.purpose, stored.language) == (
            "F-1", "womens_courses", "course", "ar")
        assert (stored.first_name, stored.first_visit, stored.kiosk_id, stored.token) == (
            "Amira", True, 7, "tok")
        assert stored.status == CheckInStatus.WAITING
        assert stored.called_at is stored.started_at is stored.finished_at is None
        assert abs((utcnow() - stored.created_at).total_seconds()) < 60
        assert create_checkin(new(1, first_name="")).first_name is None


def test_waiting_before_counts_the_same_areas_waiting_tickets_in_front(app):
    with app.app_context():
        tickets = [create_checkin(new(n)) for n in (0, 1, 0, 0, 1)]  # B-1 F-2 B-3 B-4 F-5
        assert [waiting_before(t) for t in tickets] == [0, 0, 1, 2, 1]
        change_status(tickets[0], CheckInStatus.CALLED, room="Büro")
        change_status(tickets[2], CheckInStatus.LEFT)
        assert [waiting_before(t) for t in tickets] == [0, 0, 0, 0, 1]


def test_calling_starting_and_finishing_a_ticket(app):
    staff_id = add_user(app, "sam")
    with app.app_context():
        checkin = create_checkin(new(0))
        change_status(checkin, CheckInStatus.CALLED, staff_id=staff_id, room="Kursraum 1")
        stored = db.session.get(CheckIn, checkin.id)
        assert (stored.status, stored.room, stored.staff_id) == ("called", "Kursraum 1", staff_id)
        first_call = stored.called_at
        assert first_call is not None
        change_status(stored, CheckInStatus.CALLED, staff_id=staff_id, room="Büro")  # again
        assert stored.room == "Büro" and stored.called_at >= first_call
        change_status(stored, CheckInStatus.IN_PROGRESS)
        assert stored.status == "in_progress" and stored.started_at is not None
        assert stored.staff_id == staff_id  # kept when the start does not name anyone
        change_status(stored, CheckInStatus.DONE)
        assert stored.status == "done" and stored.finished_at is not None
        db.session.expire_all()
        assert db.session.get(CheckIn, checkin.id).status == "done"  # committed


@pytest.mark.parametrize(("path", "refused"), [
    ([], CheckInStatus.WAITING),
    ([CheckInStatus.DONE], CheckInStatus.DONE),
    ([CheckInStatus.DONE], CheckInStatus.LEFT),
    ([CheckInStatus.DONE], CheckInStatus.IN_PROGRESS),
    ([CheckInStatus.DONE], CheckInStatus.CALLED),
    ([CheckInStatus.IN_PROGRESS], CheckInStatus.CALLED),
    ([CheckInStatus.LEFT], CheckInStatus.DONE),
    ([CheckInStatus.LEFT], CheckInStatus.LEFT),
    ([CheckInStatus.LEFT], CheckInStatus.IN_PROGRESS),
    ([CheckInStatus.IN_PROGRESS], CheckInStatus.LEFT),
    ([CheckInStatus.IN_PROGRESS], CheckInStatus.IN_PROGRESS),
    ([], "teleported"),
])
def test_transitions_that_make_no_sense_are_refused(app, path, refused):
    with app.app_context():
        checkin = create_checkin(new(0))
        for status in path:
            change_status(checkin, status, room="Büro")
        before = checkin.status
        with pytest.raises(TransitionError):
            change_status(checkin, refused, room="Büro")
        db.session.rollback()
        assert db.session.get(CheckIn, checkin.id).status == before


def test_a_ticket_marked_left_by_mistake_can_be_called_again(app):
    with app.app_context():
        checkin = create_checkin(new(0))
        change_status(checkin, CheckInStatus.LEFT)
        assert checkin.finished_at is not None
        change_status(checkin, CheckInStatus.CALLED, room="Büro")
        assert checkin.status == "called" and checkin.room == "Büro"


def test_open_check_ins_and_minutes_waiting(app):
    with app.app_context():
        tickets = [create_checkin(new(n)) for n in range(5)]
        change_status(tickets[1], CheckInStatus.CALLED, room="Büro")
        change_status(tickets[2], CheckInStatus.IN_PROGRESS)
        change_status(tickets[3], CheckInStatus.DONE)
        change_status(tickets[4], CheckInStatus.LEFT)
        assert [c.ticket for c in open_checkins()] == ["B-1", "F-2", "J-3"]
        assert [c.ticket for c in open_checkins(plugins={"womens_courses", "core"})] == ["F-2"]
        waiting = tickets[0]
        waiting.created_at = utcnow() - timedelta(minutes=12, seconds=30)
        assert minutes_waiting(waiting) == 12
        called = tickets[1]
        called.created_at = called.called_at - timedelta(minutes=4)
        # the wait ends with the call, however long ago that was
        assert minutes_waiting(called, now=utcnow() + timedelta(hours=1)) == 4


class CheckinSpy:
    """A plugin that wants to hear about every new check-in."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="checkin_spy", title="Spy", service_area=False)

    @hookimpl
    def checkin_created(self, checkin):
        self.seen.append((checkin.id, checkin.ticket, checkin.plugin, checkin.status))


def test_plugins_hear_of_each_new_check_in_once(make_app):
    spy = CheckinSpy()
    app = make_app(extra=[spy])
    with app.app_context():
        first = create_checkin(new(0, token="once"))
        create_checkin(new(0, token="once"))  # the same ticket again: no second message
        second = create_checkin(new(2))
        assert spy.seen == [(first.id, "B-1", "consultations", "waiting"),
                            (second.id, "J-2", "job_orientation", "waiting")]
        app.extensions["mittelpunkt"].set_enabled("checkin_spy", False)
        create_checkin(new(1))
    assert len(spy.seen) == 2  # a switched-off plugin hears nothing


def test_the_hook_hears_of_a_check_in_made_at_the_kiosk(make_app, pair_kiosk):
    spy = CheckinSpy()
    app = make_app(extra=[spy])
    screen = pair_kiosk(app)
    response = screen.post("/kiosk/checkin/ticket",
                           data={"token": "kiosk-token", "purpose": "core:meeting"})
    assert response.status_code == 200
    assert [(ticket, plugin) for _id, ticket, plugin, _s in spy.seen] == [("C-1", "core")]
