"""The auth tables."""

from __future__ import annotations

import functools
from datetime import datetime
from enum import StrEnum

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow

# werkzeug's scrypt (n=2**15, r=8): deliberately slow. Tests switch to a cheap method with
# PASSWORD_HASH_METHOD, honoured only while TESTING is on, so no production setting can
# weaken the stored hashes. Checking reads the method from the stored hash itself.
STRONG_HASH_METHOD = "scrypt"


def password_hash_method() -> str:
    """The method new password hashes use: scrypt, or the test setting under TESTING."""
    if has_app_context() and current_app.config.get("TESTING"):
        return str(current_app.config.get("PASSWORD_HASH_METHOD") or STRONG_HASH_METHOD)
    return STRONG_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=password_hash_method())


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not a password of anybody", method=method)


def dummy_hash() -> str:
    """A hash of nobody's password, checked when a user name is unknown: made with the
    current method, so both answers cost the same time."""
    return _dummy_hash(password_hash_method())


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    VOLUNTEER = "volunteer"



class User(UserMixin, db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A staff member, volunteer or admin who logs in to the intranet."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.STAFF)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set when an admin resets the password: the next login must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Every session of the user carries this token; a new one (logout, password change,
    # reset, "end all sessions") ends them all, on every server sharing the database.
    session_token: Mapped[str | None] = mapped_column(String(64))
    password_changed_at: Mapped[datetime | None]
    # Second factor (TOTP): the shared secret, when it was confirmed, and the last time
    # step accepted (a code is never accepted twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    # The room this colleague calls visitors to from the live queue, kept for every
    # device and server they use (a room of the managed list, or none).
    queue_room: Mapped[str | None] = mapped_column(String(120))

    permission_rows: Mapped[list[UserPermission]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def permissions(self) -> set[str]:
        return {row.code for row in self.permission_rows}

    def has_permission(self, code: str | None) -> bool:
        """Admins hold every permission; others what was granted to them — except that a
        volunteer never holds a confidential one, even if a grant was stored."""
        if code is None:
            return True
        if code == "admin":
            return self.is_admin
        if self.is_admin:
            return True
        if code not in self.permissions:
            return False
        if self.role == Role.VOLUNTEER:
            from intranet.auth.two_factor import confidential_codes

            return code not in confidential_codes()
        return True

    @property
    def name(self) -> str:
        return self.display_name or self.username



class RecoveryCode(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A one-time recovery code for the second factor (only its hash is stored)."""

    __tablename__ = "user_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]



class LoginThrottle(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """Failed logins per account or per address, shared by every worker and server.

    ``key`` is a keyed hash (``user:…`` or ``addr:…``), never the name or address itself.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]



class UserPermission(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One permission (``<plugin>.<right>``) granted to one user."""

    __tablename__ = "user_permission"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    code: Mapped[str] = mapped_column(String(120), primary_key=True)
    user: Mapped[User] = relationship(back_populates="permission_rows")

