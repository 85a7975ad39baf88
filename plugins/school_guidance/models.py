"""The tables of school guidance: parents' evenings with their attendance, guidance talks.

No table holds a child's name. A talk may point to the core's pseudonymous
``Person`` (the parent), or to nobody: anonymous talks are fine.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin import Offer, Person, User, db, utcnow


class Evening(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A parents' information evening on the school system, held on one date.

    It belongs to a date of one of the plugin's core offers (a weekly evening, or
    a one-off offer created for it). ``languages`` are the languages offered
    (German and the interpreted ones); attendance is recorded afterwards.
    """

    __tablename__ = "school_guidance_evening"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("offer.id", ondelete="SET NULL"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    parents: Mapped[int | None]  # None: attendance not recorded yet
    families: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[Offer | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    by_language: Mapped[list[EveningLanguage]] = relationship(
        back_populates="evening", cascade="all, delete-orphan",
        order_by="EveningLanguage.language")

    @property
    def recorded(self) -> bool:
        return self.parents is not None

    def parents_in(self, language: str) -> int | None:
        for row in self.by_language:
            if row.language == language:
                return row.parents
        return None


class EveningLanguage(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """How many parents followed an evening in one language."""

    __tablename__ = "school_guidance_evening_language"

    evening_id: Mapped[int] = mapped_column(
        ForeignKey("school_guidance_evening.id", ondelete="CASCADE",
                   name="fk_school_guidance_evening_language_evening"),  # < 63 characters
        primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    parents: Mapped[int] = mapped_column(default=0)

    evening: Mapped[Evening] = relationship(back_populates="by_language")


class Talk(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """An individual guidance talk with a parent (or a young person) about school."""

    __tablename__ = "school_guidance_talk"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(10), default="de")
    age_group: Mapped[str] = mapped_column(String(20))
    school_type: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(String(300), default="")
    next_step: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="talk", cascade="all, delete-orphan", order_by="Referral.kind")

    @property
    def referral_kinds(self) -> list[str]:
        return [r.kind for r in self.referrals]


class Referral(db.Model):  # type: ignore[name-defined]  # mypy#8603
    """A talk's referral to a support offer (homework help, tutoring, …)."""

    __tablename__ = "school_guidance_referral"

    talk_id: Mapped[int] = mapped_column(
        ForeignKey("school_guidance_talk.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)

    talk: Mapped[Talk] = relationship(back_populates="referrals")
