"""Local time of the meeting point (offers and waiting numbers follow the local day)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_now() -> datetime:
    """Naive local wall-clock time in the configured time zone."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    return datetime.now(zone).replace(tzinfo=None)


def local_today() -> date:
    return local_now().date()


def utcnow() -> datetime:
    """Naive UTC now; templates convert to local time with Flask-Babel."""
    return datetime.now(UTC).replace(tzinfo=None)

