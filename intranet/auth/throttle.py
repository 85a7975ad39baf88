"""Login throttling shared by every worker and server: the state lives only in the
``login_throttle`` table.

Failures are counted per account (``user:<lowercased name>``, also for names that do
not exist, so the answer never tells whether an account exists) and per client address
(``addr:<address>``). From the ``LOGIN_THROTTLE_FAILURES``-th failure on, the key is
locked for 1, 2, 4 … minutes, at most ``LOGIN_THROTTLE_MAX_MINUTES``. A success clears
both counters; so does a quiet period of ``LOGIN_THROTTLE_RESET_MINUTES``.

Keys are HMACs with the secret key: the table never holds a name or an address.
Counting is one atomic upsert (SQLite and PostgreSQL), so concurrent failures on
several servers are all counted.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request
from flask_babel import ngettext
from sqlalchemy import case, delete, func, null, select, update
from sqlalchemy.dialects import postgresql, sqlite

from intranet.auth.models import LoginThrottle
from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


def throttle_key(kind: str, value: str) -> str:
    """The stored key of ``kind:value`` (kind ``user`` or ``addr``)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    text = f"{kind}:{value.strip().lower() if kind == 'user' else value}"
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def client_address() -> str:
    """The client's address; behind ``LOGIN_THROTTLE_PROXIES`` reverse proxies, the one the
    nearest proxy saw (the right-most entries of X-Forwarded-For are the trusted ones)."""
    proxies = int(current_app.config.get("LOGIN_THROTTLE_PROXIES") or 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:100]
    return request.remote_addr or "-"


def login_keys(username: str) -> list[str]:
    """The account's key and the client address's key."""
    return [throttle_key("user", username), throttle_key("addr", client_address())]


def locked_for(keys: Iterable[str], now: datetime | None = None) -> int:
    """Seconds until every key is unlocked (0: not locked)."""
    now = now or utcnow()
    until = db.session.scalar(select(func.max(LoginThrottle.locked_until)).where(
        LoginThrottle.key.in_(list(keys)), LoginThrottle.locked_until > now))
    return max(1, math.ceil((until - now).total_seconds())) if until else 0


def lock_minutes(failures: int) -> int:
    """Minutes of lock after ``failures`` failures in a row (0: none yet)."""
    threshold = int(current_app.config["LOGIN_THROTTLE_FAILURES"])
    if failures < threshold:
        return 0
    cap = int(current_app.config["LOGIN_THROTTLE_MAX_MINUTES"])
    return min(cap, 2 ** min(failures - threshold, 20))


def record_failure(keys: Iterable[str], now: datetime | None = None) -> int:
    """Count one failure for each key (in the caller's transaction); returns the seconds
    the attempt is now locked out for (0: not locked)."""
    now = now or utcnow()
    quiet = now - timedelta(minutes=int(current_app.config["LOGIN_THROTTLE_RESET_MINUTES"]))
    table = LoginThrottle.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    longest = 0
    for key in keys:
        stale = table.c.last_failure_at < quiet
        statement = (
            dialect.insert(table)
            .values(key=key, failures=1, first_failure_at=now, last_failure_at=now)
            .on_conflict_do_update(index_elements=[table.c.key], set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "first_failure_at": case((stale, now), else_=table.c.first_failure_at),
                "locked_until": case((stale, null()), else_=table.c.locked_until),
                "last_failure_at": now,
            })
            .returning(table.c.failures)
        )
        failures = db.session.execute(statement).scalar_one()
        minutes = lock_minutes(failures)
        if minutes:
            until = now + timedelta(minutes=minutes)
            # Never shorten a lock another server set a moment ago.
            db.session.execute(update(table).where(
                table.c.key == key,
                (table.c.locked_until.is_(None)) | (table.c.locked_until < until),
            ).values(locked_until=until))
            longest = max(longest, minutes * 60)
    return longest


def record_success(keys: Iterable[str]) -> None:
    """A successful login clears the counters of its account and address."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(list(keys))))


def wait_message(seconds: int) -> str:
    """"Too many failed attempts. Please wait N minutes …" in the user's language."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Too many failed attempts. Please wait %(num)d minute and try again.",
                    "Too many failed attempts. Please wait %(num)d minutes and try again.",
                    minutes)


def confirm_password(user: Any, password: str | None) -> tuple[bool, int]:
    """Check a logged-in user's password again (password change, grave actions):
    ``(ok, seconds locked)``. Wrong ones count toward the user's login throttle."""
    keys = login_keys(user.username)
    wait = locked_for(keys)
    if wait:
        return False, wait
    if password and user.check_password(password):
        return True, 0
    return False, record_failure(keys)
