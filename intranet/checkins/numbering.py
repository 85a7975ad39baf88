"""Check-ins and waiting numbers: the one implementation the kiosk and staff pages use.

Numbers count up per local day across all service areas; each ticket shows
its area's letter (``B-17``). A number is drawn with one atomic upsert on a
counter row inside the transaction that stores the check-in, so concurrent
check-ins never share or skip a number, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from intranet.checkins.models import CheckIn, CheckInCounter, CheckInStatus, wait_tenths
from intranet.core.brief_cache import forget_when_committed, remembered
from intranet.core.extensions import db
from intranet.core.models import Room
from intranet.core.plugin_host import host
from intranet.core.request_memo import SelectT
from intranet.core.timeutil import local_today, utcnow

log = logging.getLogger(__name__)

OPEN_STATUSES = (CheckInStatus.WAITING, CheckInStatus.CALLED, CheckInStatus.IN_PROGRESS)
# Which status may follow which: staff can correct a mistaken "left" by calling again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CheckInStatus.CALLED: (CheckInStatus.WAITING, CheckInStatus.CALLED, CheckInStatus.LEFT),
    CheckInStatus.IN_PROGRESS: (CheckInStatus.WAITING, CheckInStatus.CALLED),
    CheckInStatus.DONE: (CheckInStatus.WAITING, CheckInStatus.CALLED, CheckInStatus.IN_PROGRESS),
    CheckInStatus.LEFT: (CheckInStatus.WAITING, CheckInStatus.CALLED),
}


class TransitionError(ValueError):
    """A status change that makes no sense (e.g. "done" for a ticket already gone)."""


@dataclass(frozen=True)
class NewCheckIn:
    """What a visitor chose at the kiosk."""

    plugin: str
    purpose: str
    ticket_letter: str
    language: str
    first_visit: bool | None = None
    first_name: str | None = None
    kiosk_id: int | None = None
    token: str | None = None


def _draw_number(connection: Any, day: date) -> int:
    """Increment the day's counter atomically and return the new number."""
    dialect = connection.dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = CheckInCounter.__table__
    statement = (
        module.insert(table).values(day=day, last_number=1)
        .on_conflict_do_update(index_elements=[table.c.day],
                               set_={"last_number": table.c.last_number + 1})
        .returning(table.c.last_number)
    )
    return connection.execute(statement).scalar_one()


def by_token(token: str | None) -> CheckIn | None:
    if not token:
        return None
    return db.session.scalar(select(CheckIn).where(CheckIn.token == token))


def create_checkin(new: NewCheckIn, attempts: int = 8) -> CheckIn:
    """Store a check-in with the next waiting number; the same token gives the same ticket.

    Runs in a transaction of its own whose first statement writes, so SQLite
    takes its write lock at once and waiting writers queue up behind it.
    """
    existing = by_token(new.token)
    if existing is not None:
        return existing
    day = local_today()
    table = CheckIn.__table__
    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                number = _draw_number(connection, day)
                checkin_id = connection.execute(
                    insert(table).values(
                        day=day, number=number, ticket=f"{new.ticket_letter}-{number}",
                        plugin=new.plugin, purpose=new.purpose, language=new.language,
                        first_visit=new.first_visit, first_name=new.first_name or None,
                        status=CheckInStatus.WAITING, created_at=utcnow(),
                        kiosk_id=new.kiosk_id, token=new.token,
                    ).returning(table.c.id)
                ).scalar_one()
            break
        except IntegrityError:
            # The same token sent twice at the same moment: the other request won.
            db.session.rollback()
            existing = by_token(new.token)
            if existing is not None:
                return existing
            raise
        except OperationalError:
            if attempt == attempts - 1:
                raise
            log.warning("database busy while numbering a check-in; retrying")
            time.sleep(0.05 * (attempt + 1))
    checkin = db.session.get(CheckIn, checkin_id)
    assert checkin is not None  # committed above
    host().call("checkin_created", checkin=checkin)
    return checkin


def waiting_before(checkin: CheckIn) -> int:
    """How many people of the same service area wait in front of this ticket."""
    return db.session.scalar(
        select(func.count(CheckIn.id)).where(
            CheckIn.day == checkin.day, CheckIn.plugin == checkin.plugin,
            CheckIn.status == CheckInStatus.WAITING, CheckIn.number < checkin.number)
    ) or 0


def open_checkins(day: date | None = None, plugins: set[str] | None = None) -> list[CheckIn]:
    """Today's tickets that still need someone: waiting, called or in progress."""
    return list(db.session.scalars(open_tickets(select(CheckIn), day, plugins)))


def open_tickets(query: SelectT, day: date | None = None,
                 plugins: set[str] | None = None) -> SelectT:
    """``query`` limited to the day's open tickets (of ``plugins``), urgent ones first,
    then in the order people came (the order "Call next" takes)."""
    query = query.where(CheckIn.day == (day or local_today()),
                        CheckIn.status.in_(OPEN_STATUSES))
    if plugins is not None:
        query = query.where(CheckIn.plugin.in_(plugins))
    return query.order_by(CheckIn.urgent.desc(), CheckIn.number)


ROOMS = "rooms:active"
forget_when_committed((Room,), ROOMS)


def room_names() -> list[str]:
    """The rooms staff call visitors to: the active rooms an admin manages, in their
    order, or the ``ROOMS`` setting while there are none. Kept a moment per process (the
    board asks every second; see :mod:`intranet.core.brief_cache`)."""
    names = remembered(ROOMS, lambda: tuple(db.session.scalars(
        select(Room.name).where(Room.active.is_(True)).order_by(Room.position, Room.id))))
    return list(names) or list(current_app.config["ROOMS"])


def recent_calls(within_minutes: int = 15, limit: int = 8) -> list[CheckIn]:
    """Tickets called in the last minutes to a room of the managed list, newest first:
    what the public board shows (filtered before the limit, so no slot is wasted)."""
    since = utcnow() - timedelta(minutes=within_minutes)
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.day == local_today(),
                              CheckIn.status == CheckInStatus.CALLED,
                              CheckIn.called_at >= since,
                              CheckIn.room.in_(room_names()))
        .order_by(CheckIn.called_at.desc(), CheckIn.id.desc()).limit(limit)
    ))


def change_status(checkin: CheckIn, status: str, *, staff_id: int | None = None,
                  room: str | None = None) -> None:
    """Move a ticket on (call, start, done, left) and commit."""
    if checkin.status not in TRANSITIONS.get(status, ()):
        raise TransitionError(f"{checkin.status} -> {status}")
    _move(checkin, status, staff_id=staff_id, room=room)
    db.session.commit()


def _move(checkin: CheckIn, status: str, *, staff_id: int | None, room: str | None) -> None:
    """Set a ticket's status and the moment (and who, where) that goes with it."""
    now = utcnow()
    checkin.status = status
    if status == CheckInStatus.CALLED:
        checkin.called_at = now
        checkin.room = room
        checkin.staff_id = staff_id
    elif status == CheckInStatus.IN_PROGRESS:
        checkin.started_at = now
        checkin.staff_id = staff_id or checkin.staff_id
    else:
        checkin.finished_at = now


def call_next(plugins: set[str], room: str, staff_id: int | None,
              attempts: int = 100) -> CheckIn | None:
    """Call the ticket that has waited longest among ``plugins`` (urgent ones first).

    Two colleagues pressing "Call next" at once never get the same ticket: the call is a
    conditional UPDATE that only a still-waiting ticket passes, and the loser takes the
    next one (each lost try means a colleague's call went through, so this ends).
    ``None`` when nobody is waiting.
    """
    for _attempt in range(attempts):
        found = db.session.execute(
            select(CheckIn.id, CheckIn.created_at)
            .where(CheckIn.day == local_today(), CheckIn.status == CheckInStatus.WAITING,
                   CheckIn.plugin.in_(plugins))
            .order_by(CheckIn.urgent.desc(), CheckIn.number).limit(1)).first()
        if found is None:
            return None
        candidate, created_at = found
        now = utcnow()
        taken = db.session.execute(
            update(CheckIn).where(CheckIn.id == candidate,
                                  CheckIn.status == CheckInStatus.WAITING)
            .values(status=CheckInStatus.CALLED, called_at=now, room=room,
                    staff_id=staff_id, wait_tenths=wait_tenths(created_at, now))
            .execution_options(synchronize_session=False))
        db.session.commit()
        if cast(CursorResult[Any], taken).rowcount == 1:
            return db.session.get(CheckIn, candidate, populate_existing=True)
    return None


def mark_from_record(checkin: CheckIn, status: str, staff_id: int | None = None) -> bool:
    """A service area's record moves its ticket on: ``in_progress`` when a record is
    started from the ticket, ``done`` when it is saved. A ticket that has moved past that
    already (done, left) stays as it is. Does not commit: the record's own transaction
    carries the change. True when the ticket changed."""
    if status not in (CheckInStatus.IN_PROGRESS, CheckInStatus.DONE):
        raise ValueError(f"a record moves a ticket to in_progress or done, not {status}")
    if checkin.status not in TRANSITIONS[status]:
        return False
    _move(checkin, status, staff_id=staff_id, room=None)
    if status == CheckInStatus.DONE:  # a record saved without "Begin" was a visit all the same
        checkin.started_at = checkin.started_at or checkin.finished_at
        checkin.staff_id = staff_id or checkin.staff_id
    return True


def minutes_waiting(checkin: CheckIn, now: datetime | None = None) -> int:
    """Minutes since check-in until the visitor was called (or until now)."""
    return minutes_between(checkin.created_at, checkin.called_at or checkin.started_at,
                           now)


def minutes_between(created_at: datetime, called_at: datetime | None,
                    now: datetime | None = None) -> int:
    """Whole minutes from ``created_at`` to ``called_at`` (or to now when not called)."""
    end = called_at or now or utcnow()
    return max(0, int((end - created_at).total_seconds() // 60))
