"""The second factor: time-based one-time codes (TOTP, any authenticator app) and
one-time recovery codes, and who must have it.

A code's time step is accepted once only (``totp_last_step``, set with one conditional
UPDATE, so two servers cannot both accept it). Recovery codes are random (60 bits),
stored as SHA-256 hashes and marked used with a conditional UPDATE as well.

Required (setting ``TWO_FACTOR_REQUIRED``) for admins and for anyone holding a
permission marked ``confidential``; the demo data's admin is exempt through a stored
flag that only ``load_demo`` writes.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any, cast

import pyotp
import segno
from flask import current_app, g, has_request_context
from sqlalchemy import CursorResult, delete, select, update

from intranet.auth.models import RecoveryCode, Role, User
from intranet.core.extensions import db
from intranet.core.models import SiteSetting
from intranet.core.site_settings import stored_value
from intranet.core.timeutil import utcnow

ISSUER = "Mittelpunkt"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # 31 signs, none to misread
RECOVERY_LENGTH = 12
# The SiteSetting row (not editable by admins) that lists user ids exempt from the
# requirement; only the demo data writes it.
EXEMPT_KEY = "TWO_FACTOR_EXEMPT_USER_IDS"


# -- TOTP ---------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    from intranet.core.site_settings import setting

    issuer = str(setting("SITE_NAME") or ISSUER)
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The provisioning URI as a QR code (SVG data URI, drawn here: no external service)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (now ±1, for clock drift) whose code is ``code``, else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now) // totp.interval
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(user: User, code: str, secret: str | None = None) -> bool:
    """True when ``code`` is valid for the user and its time step was never used before;
    the step is then recorded (in the caller's transaction)."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    step = matching_step(secret, code)
    if step is None:
        return False
    table = User.__table__
    result = cast(CursorResult[Any], db.session.execute(
        update(table).where(table.c.id == user.id,
                            (table.c.totp_last_step.is_(None))
                            | (table.c.totp_last_step < step))
        .values(totp_last_step=step)))
    if result.rowcount != 1:
        return False  # replayed, here or on another server
    db.session.expire(user, ["totp_last_step"])
    return True


def is_enabled(user: User) -> bool:
    return bool(user.totp_secret and user.totp_confirmed_at)


def disable(user: User) -> None:
    """Switch the second factor off and forget its secret and recovery codes."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


# -- recovery codes -----------------------------------------------------------------

def normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"mittelpunkt-recovery:{user_id}:{normalise(code)}".encode()
                          ).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        code = "-".join(raw[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=recovery_hash(user.id, code)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """True (and the code spent) when ``code`` is one of the user's unused codes."""
    if len(normalise(code)) != RECOVERY_LENGTH:
        return False
    table = RecoveryCode.__table__
    result = cast(CursorResult[Any], db.session.execute(
        update(table).where(table.c.user_id == user.id,
                            table.c.code_hash == recovery_hash(user.id, code),
                            table.c.used_at.is_(None))
        .values(used_at=utcnow())))
    return result.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


# -- who must have it ---------------------------------------------------------------

def confidential_codes() -> frozenset[str]:
    """Codes of the permissions marked confidential by the enabled plugins (per request)."""
    if has_request_context() and "_confidential_codes" in g:
        return g._confidential_codes
    from intranet.core.plugin_host import host
    from intranet.hooktypes import Permission

    try:
        codes = frozenset(p.code for p in host().collect("permissions", Permission)
                          if p.confidential)
    except RuntimeError:  # no application host (e.g. a bare model in a script)
        codes = frozenset()
    if has_request_context():
        g._confidential_codes = codes
    return codes


def exempt_user_ids() -> set[int]:
    value = stored_value(EXEMPT_KEY)  # asked on every staff page: read with the settings
    return {int(v) for v in value} if isinstance(value, list) else set()


def set_exempt(user_ids: set[int]) -> None:
    """Store the exempt users (committed by the caller); an empty set removes the row."""
    row = db.session.get(SiteSetting, EXEMPT_KEY)
    if not user_ids:
        if row is not None:
            db.session.delete(row)
        return
    row = row or SiteSetting(key=EXEMPT_KEY)
    row.value = sorted(user_ids)
    db.session.add(row)


def required_for(user: User) -> bool:
    """True when ``user`` must use a second factor: admins and holders of a confidential
    permission, while ``TWO_FACTOR_REQUIRED`` is on, unless the demo exempted them."""
    if not current_app.config.get("TWO_FACTOR_REQUIRED", True):
        return False
    # A volunteer never holds a confidential permission (see User.has_permission).
    needs = user.role == Role.ADMIN or (user.role != Role.VOLUNTEER
                                        and bool(user.permissions & confidential_codes()))
    return needs and user.id not in exempt_user_ids()
