"""Pairing: a one-time code turns a browser into a kiosk with a long-lived signed cookie."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from intranet.plugin import db, forget, remembered, utcnow

from .models import KioskDevice

COOKIE = "mittelpunkt_kiosk"
COOKIE_DAYS = 365
CODE_MINUTES = 15
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # nothing to misread (0/O, 1/I)
SEEN_EVERY = timedelta(minutes=1)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mittelpunkt-kiosk")


def new_pairing_code(device: KioskDevice) -> str:
    """Give a device a fresh one-time code (valid 15 minutes); return it once."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    device.pairing_code_hash = _hash(code)
    device.pairing_expires_at = utcnow() + timedelta(minutes=CODE_MINUTES)
    return code


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def device_for_code(code: str) -> KioskDevice | None:
    """The kiosk a pairing code is valid for (not used up, not expired), or None.

    Only looks: opening the pairing link (a GET) must not change anything.
    """
    if len(code) > 64:  # a code is eight characters; spaces and dashes may come along
        return None
    device = db.session.query(KioskDevice).filter_by(
        pairing_code_hash=_hash(normalise_code(code))).one_or_none()
    if device is None or device.revoked_at or not device.pairing_expires_at \
            or device.pairing_expires_at < utcnow():
        return None
    return device


def redeem(code: str) -> tuple[KioskDevice, str] | None:
    """Use up a pairing code: the device and the new secret for its cookie, or None."""
    device = device_for_code(code)
    if device is None:
        return None
    secret = secrets.token_urlsafe(32)
    device.secret_hash = _hash(secret)
    device.pairing_code_hash = None
    device.pairing_expires_at = None
    device.paired_at = device.last_seen_at = utcnow()
    db.session.commit()
    devices_changed()
    return device, secret


def set_cookie(response: Response, device: KioskDevice, secret: str) -> Response:
    value = _serializer().dumps({"id": device.id, "secret": secret})
    response.set_cookie(COOKIE, value, max_age=COOKIE_DAYS * 24 * 3600, httponly=True,
                        samesite="Lax", secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
    return response


def renew_cookie(response: Response) -> Response:
    """Send a paired kiosk's cookie again with a fresh year, so a kiosk in use never expires."""
    raw = request.cookies.get(COOKIE)
    if raw:
        response.set_cookie(COOKIE, raw, max_age=COOKIE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
    return response


@dataclass(frozen=True)
class PairedKiosk:
    """The kiosk a request comes from: its id and name."""

    id: int
    name: str


# The paired screens, as intranet.plugin.remembered keeps them: every kiosk request asks.
DEVICES = "kiosk_paired_devices"


def _paired() -> dict[int, tuple[str, str, datetime | None]]:
    """Every paired, not revoked kiosk: name, secret's hash and when it was last seen."""
    rows = db.session.execute(
        select(KioskDevice.id, KioskDevice.name, KioskDevice.secret_hash,
               KioskDevice.last_seen_at)
        .where(KioskDevice.revoked_at.is_(None), KioskDevice.secret_hash.is_not(None)))
    return {row.id: (row.name, row.secret_hash, row.last_seen_at) for row in rows}


def devices_changed() -> None:
    """A kiosk was paired, revoked or given a new code: every request asks anew."""
    forget(DEVICES)


def current_kiosk() -> PairedKiosk | None:
    """The paired, not revoked kiosk this browser is, if any (cached per request).

    The paired screens are read once for a couple of seconds (``remembered``): a screen
    revoked on another server is refused within ``SHARED_STATE_SECONDS``; one just paired
    there, or a cookie the kept list does not know, is looked up at once.
    """
    if "_kiosk_device" in g:
        return g._kiosk_device
    device, seen = None, None
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            data = _serializer().loads(raw)
            kiosk_id, secret = int(data["id"]), _hash(str(data["secret"]))
            known = remembered(DEVICES, _paired).get(kiosk_id)
            if known is None or not secrets.compare_digest(known[1], secret):
                # Paired (again) a moment ago, maybe on another worker: ask the database.
                devices_changed()
                known = remembered(DEVICES, _paired).get(kiosk_id)
            if known is not None and secrets.compare_digest(known[1], secret):
                device, seen = PairedKiosk(id=kiosk_id, name=known[0]), known[2]
        except (BadSignature, KeyError, TypeError, ValueError):
            device = None
    if device is not None and (not seen or utcnow() - seen > SEEN_EVERY):
        db.session.execute(update(KioskDevice).where(KioskDevice.id == device.id)
                           .values(last_seen_at=utcnow()))
        db.session.commit()
        devices_changed()
    g._kiosk_device = device
    return device
