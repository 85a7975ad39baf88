"""The library's one table."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intranet.plugin import db


class Loan(db.Model):
    """A book lent out, until it is back."""

    __tablename__ = "mittelpunkt_library_loan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None]
