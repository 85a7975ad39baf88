"""The tamper-evident audit chain: every entry's hash covers its content and the previous hash.

Appends happen in a ``before_flush`` session event, so callers keep calling ``audit(...)``
and committing as before. The first statement of an append is a write to the single
``audit_chain_head`` row (``UPDATE ... SET seq = seq + n RETURNING``): on SQLite that takes
the database's write lock, on PostgreSQL a row lock, so appends of every worker and server
queue up and the chain never forks. The lock is held until the caller's commit, so audit
at the end of a unit of work (a transaction that flushes an entry early and then waits for
another lock can, on PostgreSQL, meet a deadlock, which the database breaks by aborting one).

Retention deletes a prefix of the chain and moves the head's *anchor* to the last removed
entry; verification starts from there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, scoped_session

from intranet.audit.models import AuditChainHead, AuditEntry
from intranet.core.timeutil import utcnow

# A plain session (in the flush event) or the app's ``db.session``, which proxies one.
AnySession = Session | scoped_session[Any]

HEAD_ID = 1
VERIFY_BATCH = 2000


def normalised_detail(detail: Any) -> dict[str, Any]:
    """The detail as it reads back from the JSON column (tuples become lists, ...)."""
    return json.loads(json.dumps(detail or {}, default=str))


def entry_hash(*, seq: int, at: Any, user_id: int | None, action: str, object_type: str,
               object_id: str, plugin: str, detail: Any, prev_hash: str) -> str:
    """sha256 over a canonical JSON of the entry's content, followed by ``prev_hash``."""
    content = json.dumps(
        {"seq": seq, "at": at.isoformat() if at is not None else None, "user_id": user_id,
         "action": action, "object_type": object_type or "", "object_id": object_id or "",
         "plugin": plugin or "", "detail": detail or {}},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256((content + (prev_hash or "")).encode("utf-8")).hexdigest()


def _advance_head(session: AnySession, count: int) -> tuple[int, str]:
    """Reserve ``count`` sequence numbers; return the last one and the previous head hash.

    The UPDATE comes first so the transaction takes the write lock before it reads anything.
    """
    connection = session.connection()
    statement = text("UPDATE audit_chain_head SET seq = seq + :n WHERE id = :id "
                     "RETURNING seq, hash")
    row = connection.execute(statement, {"n": count, "id": HEAD_ID}).first()
    if row is None:  # first append ever: create the head, tolerating a racing creator
        connection.execute(text(
            "INSERT INTO audit_chain_head (id, seq, hash, anchor_seq, anchor_hash) "
            "VALUES (:id, 0, '', 0, '') ON CONFLICT (id) DO NOTHING"), {"id": HEAD_ID})
        row = connection.execute(statement, {"n": count, "id": HEAD_ID}).first()
        assert row is not None  # the head exists now: just created, or by the racer
    return int(row[0]), str(row[1] or "")


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session: Session, _context: Any, _instances: Any) -> None:
    entries = [obj for obj in session.new if isinstance(obj, AuditEntry) and obj.hash is None]
    if not entries:
        return
    last_seq, prev_hash = _advance_head(session, len(entries))
    seq = last_seq - len(entries)
    now = utcnow()
    for entry in sorted(entries, key=lambda e: e.at or now):
        seq += 1
        entry.at = entry.at or now
        entry.object_type = entry.object_type or ""
        entry.object_id = "" if entry.object_id is None else str(entry.object_id)
        entry.plugin = entry.plugin or "core"
        entry.detail = normalised_detail(entry.detail)
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.hash = prev_hash = entry_hash(
            seq=seq, at=entry.at, user_id=entry.user_id, action=entry.action,
            object_type=entry.object_type, object_id=entry.object_id, plugin=entry.plugin,
            detail=entry.detail, prev_hash=entry.prev_hash)
    session.connection().execute(
        text("UPDATE audit_chain_head SET hash = :hash WHERE id = :id"),
        {"hash": prev_hash, "id": HEAD_ID})


# -- verification ---------------------------------------------------------------


@dataclass(frozen=True)
class ChainStatus:
    """The outcome of verifying the chain: intact, or where the first broken link is."""

    intact: bool
    checked: int
    broken_seq: int | None = None
    broken_entry_id: int | None = None
    reason: str = ""
    unchained: int = 0  # entries older than the chain (written before it existed)
    anchor_seq: int = 0  # where the walk started
    partial: bool = False  # only the newest entries were walked


def _rows(session: AnySession, after_seq: int) -> Iterator[Any]:
    """Chained entries in ``seq`` order, read in batches (the table may be large)."""
    columns = AuditEntry.__table__.c
    while True:
        batch = session.execute(
            select(columns.id, columns.seq, columns.at, columns.user_id, columns.action,
                   columns.object_type, columns.object_id, columns.plugin, columns.detail,
                   columns.prev_hash, columns.hash)
            .where(columns.seq > after_seq).order_by(columns.seq).limit(VERIFY_BATCH)).all()
        yield from batch
        if len(batch) < VERIFY_BATCH:
            return
        after_seq = batch[-1].seq


def verify_chain(session: AnySession, newest: int | None = None) -> ChainStatus:
    """Walk the chain from the anchor to the head; report the first broken link.

    ``newest`` limits the walk to that many of the latest entries (the first of them is
    trusted to link to what came before): the admin page's quick check. About 50,000
    entries take a second here.
    """
    head = session.get(AuditChainHead, HEAD_ID)
    anchor_seq = head.anchor_seq if head else 0
    expected_seq, prev_hash = anchor_seq + 1, (head.anchor_hash if head else "")
    columns = AuditEntry.__table__.c
    partial = head is not None and newest is not None and head.seq - newest > anchor_seq
    if partial:
        assert head is not None and newest is not None  # implied by ``partial``
        anchor_seq = head.seq - newest
        expected_seq = anchor_seq + 1
        prev_hash = session.scalar(
            select(columns.prev_hash).where(columns.seq == expected_seq)) or ""
    first_chained_id = session.scalar(
        select(columns.id).where(columns.seq.is_not(None)).order_by(columns.seq).limit(1))
    unchained_query = select(columns.id).where(columns.seq.is_(None)).order_by(columns.id)
    unchained = session.scalars(unchained_query).all()
    intruder = next((i for i in unchained
                     if first_chained_id is not None and i > first_chained_id), None)
    checked = 0

    def broken(seq: int | None, entry_id: int | None, reason: str) -> ChainStatus:
        return ChainStatus(False, checked, seq, entry_id, reason, len(unchained), anchor_seq,
                           partial)

    if intruder is not None:
        return broken(None, intruder, "entry outside the chain")
    for row in _rows(session, anchor_seq):
        if row.seq != expected_seq:
            return broken(expected_seq, row.id, "entries missing before this one")
        if row.prev_hash != prev_hash:
            return broken(row.seq, row.id, "previous hash does not match")
        computed = entry_hash(seq=row.seq, at=row.at, user_id=row.user_id, action=row.action,
                              object_type=row.object_type, object_id=row.object_id,
                              plugin=row.plugin, detail=row.detail, prev_hash=row.prev_hash)
        if computed != row.hash:
            return broken(row.seq, row.id, "content changed")
        checked += 1
        expected_seq, prev_hash = row.seq + 1, row.hash
    if head is None and checked:
        return broken(None, None, "chain head missing")
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return broken(expected_seq, None, "latest entries missing")
    return ChainStatus(True, checked, unchained=len(unchained), anchor_seq=anchor_seq,
                       partial=partial)


def move_anchor(session: AnySession, cutoff: Any, *, dry_run: bool = False) -> int:
    """Delete the chain's entries older than ``cutoff`` (a prefix, so what stays verifies).

    The prefix ends before the first entry at or after ``cutoff``; the head's anchor moves
    to the last removed entry. Entries older than the chain are removed by date. Returns the
    number of entries removed (or due, in a dry run). Does not commit.
    """
    columns = AuditEntry.__table__.c
    if not dry_run:  # lock the head first (a write): a concurrent append waits for the cut
        _advance_head(session, 0)
    keep_from = session.scalar(select(columns.seq).where(
        columns.seq.is_not(None), columns.at >= cutoff).order_by(columns.seq).limit(1))
    due = [columns.seq.is_not(None)]
    if keep_from is not None:
        due.append(columns.seq < keep_from)
    last_due = session.scalar(select(func.max(columns.seq)).where(*due))
    chained = 0
    if last_due is not None:
        chained = session.scalar(select(func.count()).select_from(AuditEntry.__table__)
                                 .where(columns.seq <= last_due)) or 0
    legacy = session.scalar(select(func.count()).select_from(AuditEntry.__table__)
                            .where(columns.seq.is_(None), columns.at < cutoff)) or 0
    if dry_run:
        return int(chained) + int(legacy)
    if chained:
        last_hash = session.scalar(select(columns.hash).where(columns.seq == last_due))
        session.execute(text("UPDATE audit_chain_head SET anchor_seq = :seq, "
                             "anchor_hash = :hash WHERE id = :id"),
                        {"seq": last_due, "hash": last_hash, "id": HEAD_ID})
        session.execute(AuditEntry.__table__.delete().where(columns.seq <= last_due))
    if legacy:
        session.execute(AuditEntry.__table__.delete().where(
            columns.seq.is_(None), columns.at < cutoff))
    return int(chained) + int(legacy)
