"""The people tables."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


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

