"""The people tables, the one lookup of a person by code, and the consent record shape.

``ConsentRecord`` is what every consent table has in common (the core's ``consent`` and
the plugins' own, e.g. ``consultations_consent``): who, given when, withdrawn when,
recorded by whom. A table keeps its own name and its own extra columns (``purpose``,
``note``); the mixin adds the shared columns and the helpers every consent needs.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from flask import abort
from sqlalchemy import JSON, ColumnElement, ForeignKey, String, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from intranet.core.extensions import db
from intranet.core.timeutil import local_today, utcnow

if TYPE_CHECKING:
    from intranet.auth.models import User

CODE_LENGTH = 16  # the column; codes the app makes are "P-" and five characters


class Person(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A pseudonymous visitor that plugins can reference: no full name, no address.

    ``code`` is a short random reference staff can write on a note
    (e.g. ``P-7K3M``) instead of a name.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True,
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


def normalise_code(text: str) -> str:
    """A code as stored: ``" p-7k3 mx "`` is ``P-7K3MX`` (codes are upper case, no spaces)."""
    return "".join(text.split()).upper()


def find_person(code: str) -> Person | None:
    """The person with reference code ``code`` (case and spaces ignored), else ``None``.

    The input is normalised here, in Python, so the query compares the column itself
    and the unique index on ``person.code`` finds the row at once.
    """
    code = normalise_code(code or "")
    if not code or len(code) > CODE_LENGTH:
        return None
    return db.session.scalar(select(Person).where(Person.code == code))


def person_or_404(code: str) -> Person:
    """The person with this code, or the page answers 404 (for ``/…/people/<code>``)."""
    person = find_person(code)
    if person is None:
        abort(404)
    return person


class ConsentRecord:
    """The columns and helpers every consent table shares (a declarative mixin)::

        class Consent(ConsentRecord, db.Model):
            __tablename__ = "my_area_consent"
            purpose: Mapped[str] = mapped_column(String(200))

    Columns: ``id``, ``person_id`` (indexed; the record goes with its person),
    ``given_on``, ``withdrawn_on``, ``recorded_by_id`` (the staff user; its column is
    named ``recorder_column``) and ``created_at``; relationships ``person`` and
    ``recorded_by``.
    """

    # The column of the recording user: "recorded_by" unless a table already names it otherwise.
    recorder_column: ClassVar[str] = "recorded_by"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    given_on: Mapped[date]
    withdrawn_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @declared_attr
    def recorded_by_id(cls) -> Mapped[int | None]:
        return mapped_column(cls.recorder_column, ForeignKey("user.id", ondelete="SET NULL"))

    @declared_attr
    def person(cls) -> Mapped[Person]:
        return relationship(Person)

    @declared_attr
    def recorded_by(cls) -> Mapped[User | None]:
        return relationship("User")

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None

    def withdraw(self, day: date | None = None) -> bool:
        """Withdraw as of ``day`` (today); ``False`` when it was withdrawn already."""
        if not self.active:
            return False
        self.withdrawn_on = day or local_today()
        return True

    @classmethod
    def of_person(cls, person_id: int) -> list[Any]:
        """The person's consents, the newest first."""
        return list(db.session.scalars(select(cls).where(cls.person_id == person_id)
                                       .order_by(cls.given_on.desc(), cls.id.desc())))

    @classmethod
    def current_consents(cls, person_id: int) -> list[Any]:
        """The person's consents that are not withdrawn, the newest first."""
        return [consent for consent in cls.of_person(person_id) if consent.active]

    @classmethod
    def withdrawn_before(cls, day: date) -> tuple[ColumnElement[bool], ...]:
        """The condition of consents withdrawn before ``day`` (for a retention rule)."""
        return (cls.withdrawn_on.is_not(None), cls.withdrawn_on < day)

    def export_row(self) -> dict[str, Any]:
        """Every column by its name, for a person's export (a new column comes along)."""
        mapper = db.inspect(type(self))
        return {column.name: getattr(self, attr.key)
                for attr in mapper.column_attrs for column in attr.columns}


class Consent(ConsentRecord, db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A person's consent to keep data for a purpose (the core's own, on the person's page)."""

    __tablename__ = "consent"

    purpose: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(500), default="")
