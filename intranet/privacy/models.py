"""The privacy tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


class PrivacyRun(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """One run of the retention rules (``privacy purge``): when, and what it removed."""

    __tablename__ = "privacy_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    dry_run: Mapped[bool] = mapped_column(default=False)
    ok: Mapped[bool] = mapped_column(default=True)
    # Counts per rule key, e.g. {"core.checkin_first_name": 12}; never personal data.
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

