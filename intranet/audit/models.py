"""The audit tables."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow

if TYPE_CHECKING:
    from intranet.auth.models import User


class AuditEntry(db.Model):  # type: ignore[name-defined]  # mypy#8603
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



class AuditChainHead(db.Model):  # type: ignore[name-defined]  # mypy#8603
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

