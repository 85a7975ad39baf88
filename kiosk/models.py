"""Kiosk devices: a browser an admin paired, known by a signed cookie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intranet.plugin import db, utcnow


class KioskDevice(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One kiosk screen. Codes and secrets are stored only as SHA-256 hashes."""

    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None]
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    paired_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.secret_hash:
            return "paired"
        return "waiting"
