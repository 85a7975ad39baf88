"""State every page reads and admins rarely change, kept for a few seconds per process.

The site settings and the plugin switches live in the database, so every worker and
every server of a PostgreSQL set-up reads the same. Every page needs both: read anew
on each request they were two statements of a kiosk screen's six. A process keeps what
it read for ``SHARED_STATE_SECONDS`` (default 2): a change made in this process counts
from the next request (the writer calls :func:`forget`), one made by another worker or
server within those seconds. Sessions, throttles and failures are never kept here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
EXTENSION = "mittelpunkt_brief_cache"
# (models, prefix): what forget_when_committed was told; read by the session events below.
_WATCHED: list[tuple[tuple[type, ...], str]] = []
_CHANGED = "mittelpunkt_brief_cache_changed"


def clock() -> float:
    """Seconds on a clock that never goes back (replaced in tests)."""
    return time.monotonic()


def remembered(name: str, load: Callable[[], T]) -> T:
    """What ``load()`` gave, if it gave it within ``SHARED_STATE_SECONDS``; else
    ``load()`` anew. Outside an application there is nothing to keep it in."""
    if not has_app_context():
        return load()
    store: dict[str, tuple[float, Any]] = current_app.extensions.setdefault(EXTENSION, {})
    now = clock()
    kept = store.get(name)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = load()
    seconds = float(current_app.config.get("SHARED_STATE_SECONDS", 2))
    if seconds > 0:
        store[name] = (now + seconds, value)
    return value


def forget(name: str) -> None:
    """Read ``name`` anew on its next use (after this process changed it)."""
    if has_app_context():
        current_app.extensions.get(EXTENSION, {}).pop(name, None)


def forget_prefix(prefix: str) -> None:
    """Read every name beginning with ``prefix`` anew (e.g. today's offers in each
    language)."""
    if has_app_context():
        store = current_app.extensions.get(EXTENSION, {})
        for name in [name for name in store if name.startswith(prefix)]:
            store.pop(name, None)


def forget_when_committed(models: tuple[type, ...], prefix: str) -> None:
    """Forget every name beginning with ``prefix`` once a session of this process commits
    a new, changed or deleted row of one of ``models`` (ORM writes; a bulk UPDATE is seen
    by the time limit only). Call once, at import."""
    _WATCHED.append((tuple(models), prefix))


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    if not _WATCHED:
        return
    items = (*session.new, *session.dirty, *session.deleted)
    changed = session.info.setdefault(_CHANGED, set())
    for models, prefix in _WATCHED:
        if any(isinstance(item, models) for item in items):
            changed.add(prefix)


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    for prefix in session.info.pop(_CHANGED, ()):
        forget_prefix(prefix)


@event.listens_for(Session, "after_rollback")
def _drop_noted(session: Session) -> None:
    session.info.pop(_CHANGED, None)
