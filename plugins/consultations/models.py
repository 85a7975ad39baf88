"""The consultations plugin's own table: the topics visitors come to a consultation for.

Topics are data, not code, so the team can add, rename or retire one (for
example when a new kind of letter starts arriving) without a new release.
"""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from intranet.plugin import db


class Topic(db.Model):
    """One consultation topic, e.g. residence and asylum, with its label in each language."""

    __tablename__ = "consultations_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str, default: str = "de") -> str:
        """The label in ``locale``, else German, else the key (never an empty line)."""
        return self.labels.get(locale) or self.labels.get(default) or self.key
