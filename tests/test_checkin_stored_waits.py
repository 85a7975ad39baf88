"""The local hour and the wait a check-in stores for the reports, on every path that
creates or calls a ticket: the kiosk's insert, the staff's call (ORM and the conditional
UPDATE of "Call next"), undoing a call, plain ORM inserts, and the migration's backfill."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import text

from intranet.checkins.models import CheckIn, CheckInStatus, local_hour, wait_tenths
from intranet.checkins.numbering import NewCheckIn, call_next, change_status, create_checkin
from intranet.core.extensions import db
from intranet.core.migrate import alembic_config, find_track
from intranet.core.timeutil import local_today


def new(token: str) -> NewCheckIn:
    return NewCheckIn(plugin="consultations", purpose="walk_in", ticket_letter="B",
                      language="de", token=token)


def stored(checkin_id: int) -> tuple[int, int | None]:
    db.session.expire_all()
    row = db.session.get(CheckIn, checkin_id)
    return row.hour, row.wait_tenths


def test_a_kiosk_check_in_stores_its_local_hour_and_no_wait(app):
    with app.app_context():
        checkin = create_checkin(new("a"))
        assert stored(checkin.id) == (local_hour(checkin.created_at), None)


def test_calling_stores_the_wait_and_undoing_the_call_clears_it(app):
    with app.app_context():
        checkin = create_checkin(new("b"))
        db.session.execute(text("UPDATE checkin SET created_at = :at WHERE id = :id"),
                           {"at": checkin.created_at - timedelta(minutes=7), "id": checkin.id})
        db.session.commit()
        db.session.expire_all()
        checkin = db.session.get(CheckIn, checkin.id)
        change_status(checkin, CheckInStatus.CALLED, room="Büro")
        hour, waited = stored(checkin.id)
        assert waited == 70
        checkin = db.session.get(CheckIn, checkin.id)
        checkin.status, checkin.called_at = CheckInStatus.WAITING, None
        db.session.commit()
        assert stored(checkin.id)[1] is None


def test_call_next_stores_the_wait_in_its_conditional_update(app):
    with app.app_context():
        checkin = create_checkin(new("c"))
        db.session.execute(text("UPDATE checkin SET created_at = :at WHERE id = :id"),
                           {"at": checkin.created_at - timedelta(minutes=12), "id": checkin.id})
        db.session.commit()
        called = call_next({"consultations"}, "Büro", None)
        assert called is not None and called.id == checkin.id
        assert stored(checkin.id)[1] == 120


def test_a_plain_orm_insert_works_both_out(app):
    with app.app_context():
        created = datetime(2026, 7, 1, 8, 30)  # UTC: 10:30 in Berlin (summer time)
        checkin = CheckIn(day=local_today(), number=99, ticket="B-99", plugin="consultations",
                          purpose="walk_in", language="de", created_at=created,
                          called_at=created + timedelta(seconds=95), status=CheckInStatus.DONE)
        db.session.add(checkin)
        db.session.commit()
        assert stored(checkin.id) == (10, 16)  # 95 s: 1.6 minutes


@pytest.mark.parametrize(("created", "called", "expected"), [
    (datetime(2026, 1, 5, 9), None, None),
    (datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 9, 0, 2), 0),
    (datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 9, 0, 3), 1),  # to the nearest tenth
    (datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 9, 0, 59), 10),
    (datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 9, 2, 57), 30),
    (datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 8, 59), None),  # the clock went back
])
def test_wait_tenths(created, called, expected):
    assert wait_tenths(created, called) == expected


def test_the_migration_fills_both_columns_for_stored_check_ins(make_app):
    app = make_app(plugins=None, migrate=False)
    created = datetime(2026, 1, 5, 13, 0)  # UTC: 14:00 in Berlin (winter time)
    with app.app_context():
        config = alembic_config(find_track(app.extensions["mittelpunkt"], "core"))
        command.upgrade(config, "6c2d9e1f3a55")  # the revision before the columns
        db.session.execute(text(
            "INSERT INTO checkin (day, number, ticket, plugin, purpose, language, status,"
            " created_at, called_at, urgent) VALUES ('2026-01-05', 1, 'B-1',"
            " 'consultations', 'walk_in', 'de', 'done', :created, :called, 0),"
            " ('2026-01-05', 2, 'B-2', 'consultations', 'walk_in', 'de', 'left',"
            " :created, NULL, 0)"),
            {"created": created, "called": created + timedelta(minutes=3, seconds=4)})
        db.session.commit()
        command.upgrade(config, "head")
        rows = db.session.execute(text(
            "SELECT number, hour, wait_tenths FROM checkin ORDER BY number")).all()
    assert [tuple(row) for row in rows] == [(1, 14, 31), (2, 14, None)]  # 184 s: 3.1 min
