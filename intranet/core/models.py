"""The core tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


class PluginState(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """The admin's on/off switch for a plugin, and its last failure."""

    __tablename__ = "plugin_state"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]



class Room(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A room of the meeting point, offered in forms and shown on the call-up board."""

    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # The name in other languages (code → name), for the board's line in the visitor's
    # language; a language missing here shows ``name``.
    translations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    def name_in(self, locale: str) -> str:
        """The room's name in ``locale`` (e.g. ``fa_AF`` falls back to ``fa``), else its name."""
        return self.translated(self.name, self.translations, locale)

    @staticmethod
    def translated(name: str, translations: dict[str, str] | None, locale: str) -> str:
        """``name`` in ``locale`` from ``translations`` (also for a room's names kept
        without its row, see kiosk.board)."""
        names = translations or {}
        return names.get(locale) or names.get(locale.split("_")[0]) or name



class SiteSetting(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A setting an admin changed in the intranet; it wins over the configuration files."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

