"""Staff sessions that the server can end.

The session cookie is signed, not stored: on its own it stays valid until it expires.
So each user has a ``session_token`` in the database, copied into the session at login
and compared on every request. A new token (logout, password change, an admin's reset,
"end all sessions", deactivation, second-factor reset) ends every session of the user
on every server sharing the database. Beside the idle timeout
(``SESSION_IDLE_MINUTES``) a session also ends ``SESSION_ABSOLUTE_HOURS`` after login.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime

from flask import current_app, session
from flask_login import login_user

from intranet.auth.models import User
from intranet.core.timeutil import utcnow

TOKEN_KEY = "token"
STARTED_KEY = "started"
SEEN_KEY = "seen"


def new_session_token(user: User) -> str:
    """Give ``user`` a new token: every session of theirs ends (committed by the caller)."""
    user.session_token = secrets.token_urlsafe(32)
    return user.session_token


def token_matches(user: User) -> bool:
    """True when the current session carries the user's current token."""
    stored, carried = user.session_token, session.get(TOKEN_KEY)
    if not stored or not isinstance(carried, str):
        return False
    return hmac.compare_digest(stored.encode(), carried.encode())


def start_session(user: User) -> None:
    """Log ``user`` in with a fresh session: nothing of a previous session stays
    (except the chosen language)."""
    lang = session.get("lang")
    session.clear()
    login_user(user)
    session.permanent = True
    now = datetime.now(UTC).timestamp()
    session[SEEN_KEY] = now
    session[STARTED_KEY] = now
    if not user.session_token:
        new_session_token(user)
    session[TOKEN_KEY] = user.session_token
    if user.language:
        session["lang"] = user.language
    elif lang:
        session["lang"] = lang
    user.last_login_at = utcnow()


def keep_this_session(user: User) -> None:
    """After a password change: a new token ends the other sessions, this one goes on."""
    session[TOKEN_KEY] = new_session_token(user)


def too_old() -> bool:
    """True when the session is older than ``SESSION_ABSOLUTE_HOURS`` (or has no start)."""
    started = session.get(STARTED_KEY)
    if not isinstance(started, int | float):
        return True
    hours = float(current_app.config["SESSION_ABSOLUTE_HOURS"])
    return datetime.now(UTC).timestamp() - started > hours * 3600
