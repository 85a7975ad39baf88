"""Local time of the meeting point (offers and waiting numbers follow the local day).

Every clock of the app is read here: ``local_now``/``local_today`` (the meeting point's
wall clock) and ``utcnow`` (stored timestamps). Tests can stop the clock at a chosen
moment with the setting ``FIXED_NOW`` (local wall-clock time; honoured only while
``TESTING`` is on): since modules import these functions by name, a setting read on every
call reaches them all, where patching a module attribute would not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

# A FIXED_NOW given as a date alone means noon of that day: far from midnight, inside
# the opening hours.
FIXED_DAY_TIME = time(12, 0)


def fixed_now() -> datetime | None:
    """The stopped local clock of a test (``FIXED_NOW`` under ``TESTING``), else None.

    ``FIXED_NOW`` is a ``datetime`` or ``date``, or the same in ISO form (for example
    ``"2026-03-10T09:30"`` or ``"2026-03-10"``); an aware datetime is converted to local time.
    """
    if not has_app_context():
        return None
    config = current_app.config
    value = config.get("FIXED_NOW")
    if not value or not config.get("TESTING"):
        return None
    if isinstance(value, str):
        text = value.strip()
        value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_zone()).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, FIXED_DAY_TIME)
    raise TypeError(f"FIXED_NOW must be a date, datetime or ISO string, not {value!r}")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def local_now() -> datetime:
    """Naive local wall-clock time in the configured time zone."""
    fixed = fixed_now()
    if fixed is not None:
        return fixed
    return datetime.now(_zone()).replace(tzinfo=None)


def local_today() -> date:
    return local_now().date()


def utcnow() -> datetime:
    """Naive UTC now; templates convert to local time with Flask-Babel."""
    fixed = fixed_now()
    if fixed is not None:
        return fixed.replace(tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None)
