"""The core's tables: staff, plugin switches, offers, check-ins, people, audit log.

Plugins keep their own tables (prefixed with the plugin name) in their own
folders and may reference ``person.id`` or ``checkin.id`` with foreign keys.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from intranet.extensions import db


def utcnow() -> datetime:
    """Naive UTC now; templates convert to local time with Flask-Babel."""
    return datetime.now(UTC).replace(tzinfo=None)


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    VOLUNTEER = "volunteer"


class User(UserMixin, db.Model):
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

    permission_rows: Mapped[list[UserPermission]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

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
            from intranet.two_factor import confidential_codes

            return code not in confidential_codes()
        return True

    @property
    def name(self) -> str:
        return self.display_name or self.username


class RecoveryCode(db.Model):
    """A one-time recovery code for the second factor (only its hash is stored)."""

    __tablename__ = "user_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class LoginThrottle(db.Model):
    """Failed logins per account or per address, shared by every worker and server.

    ``key`` is a keyed hash (``user:…`` or ``addr:…``), never the name or address itself.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]


class UserPermission(db.Model):
    """One permission (``<plugin>.<right>``) granted to one user."""

    __tablename__ = "user_permission"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    code: Mapped[str] = mapped_column(String(120), primary_key=True)
    user: Mapped[User] = relationship(back_populates="permission_rows")


class PluginState(db.Model):
    """The admin's on/off switch for a plugin, and its last failure."""

    __tablename__ = "plugin_state"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]


class Audience(StrEnum):
    EVERYONE = "everyone"
    WOMEN = "women"
    PARENTS = "parents"
    YOUTH = "youth"


class Offer(db.Model):
    """A course, consultation hours or an event; once or weekly.

    Times are local wall-clock times of the meeting point. ``titles`` and
    ``descriptions`` map a language code to text; German is the fallback.
    """

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_area: Mapped[str] = mapped_column(String(80), index=True)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    room: Mapped[str] = mapped_column(String(120), default="")
    first_date: Mapped[date]
    last_date: Mapped[date | None]  # None: repeats without end (weekly only)
    start_time: Mapped[time]
    end_time: Mapped[time]
    weekly: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.EVERYONE)
    childcare: Mapped[bool] = mapped_column(default=False)
    registration_needed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cancellations: Mapped[list[OfferCancellation]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )

    def title(self, locale: str, default: str = "de") -> str:
        return self.titles.get(locale) or self.titles.get(default) or ""

    def description(self, locale: str, default: str = "de") -> str:
        return self.descriptions.get(locale) or self.descriptions.get(default) or ""

    def dates_between(self, start: date, end: date) -> list[date]:
        """Every date in ``start..end`` (inclusive) on which the offer takes place."""
        if not self.weekly:
            return [self.first_date] if start <= self.first_date <= end else []
        first = max(start, self.first_date)
        last = min(end, self.last_date) if self.last_date else end
        if first > last:
            return []
        first += timedelta(days=(self.first_date.weekday() - first.weekday()) % 7)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]

    @property
    def cancelled_dates(self) -> set[date]:
        return {c.day for c in self.cancellations}


class OfferCancellation(db.Model):
    """One date on which a weekly offer does not take place."""

    __tablename__ = "offer_cancellation"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    offer: Mapped[Offer] = relationship(back_populates="cancellations")


class CheckInStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LEFT = "left"


class Person(db.Model):
    """A pseudonymous visitor that plugins can reference: no full name, no address.

    ``code`` is a short random reference staff can write on a note
    (e.g. ``P-7K3M``) instead of a name.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True,
                                      default=lambda: new_person_code())
    nickname: Mapped[str] = mapped_column(String(80), default="")
    year_of_birth: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    country_of_origin: Mapped[str | None] = mapped_column(String(2))
    first_visit: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def new_person_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    return "P-" + "".join(secrets.choice(alphabet) for _ in range(5))


class CheckIn(db.Model):
    """A walk-in visitor's check-in at the kiosk, with its waiting number.

    ``number`` counts up per day across all service areas, so ``(day, number)``
    is unique; ``ticket`` adds the service area's letter, e.g. ``B-17``.
    """

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("day", "number", name="uq_checkin_day_number"),
        Index("ix_checkin_day_status", "day", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    number: Mapped[int]
    ticket: Mapped[str] = mapped_column(String(12))
    plugin: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(10))
    first_visit: Mapped[bool | None]
    first_name: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=CheckInStatus.WAITING)
    room: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # The one-time token of the kiosk form: a resent request finds its ticket again.
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Which kiosk took the check-in (the kiosk's own id; no foreign key into a plugin).
    kiosk_id: Mapped[int | None]

    staff: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()


class CheckInCounter(db.Model):
    """The last waiting number handed out per day.

    Incremented with one atomic upsert, so concurrent check-ins never share or
    skip a number, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "checkin_counter"

    day: Mapped[date] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class AuditEntry(db.Model):
    """Who did what to which record, when: reads of confidential data included."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(80), default="")
    object_id: Mapped[str] = mapped_column(String(80), default="")
    plugin: Mapped[str] = mapped_column(String(80), default="core")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The tamper-evident chain: position in the chain, the previous entry's hash and
    # this entry's hash over its content and ``prev_hash``.
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()


class AuditChainHead(db.Model):
    """The one row that serialises appends to the audit chain (``id`` is always 1).

    ``anchor_*`` name the last entry removed by retention: verification of what remains
    starts from it.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")
    anchor_seq: Mapped[int] = mapped_column(default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64), default="")


class PrivacyRun(db.Model):
    """One run of the retention rules (``privacy purge``): when, and what it removed."""

    __tablename__ = "privacy_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    dry_run: Mapped[bool] = mapped_column(default=False)
    ok: Mapped[bool] = mapped_column(default=True)
    # Counts per rule key, e.g. {"core.checkin_first_name": 12}; never personal data.
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Room(db.Model):
    """A room of the meeting point, offered in forms and shown on the call-up board."""

    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class Consent(db.Model):
    """A person's consent to keep data for a purpose: when, recorded by whom, withdrawn when."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    given_on: Mapped[date]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    withdrawn_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class SiteSetting(db.Model):
    """A setting an admin changed in the intranet; it wins over the configuration files."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
