"""How long the women's courses keep who took part (applied by the core's purge).

One year after a course ends, its enrolments lose their person link and reading language:
the rows stay, so the course's numbers (enrolled, attendance) remain right. A course ends
on the last date of its schedule or its last recorded session; a weekly date without an
end never ends.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select

from intranet.plugin import (
    RetentionRule,
    anonymise_or_count,
    db,
    hookimpl,
    local_day,
    plugin_domain,
)

from .models import Course, Enrolment, Session

NAME = "womens_courses"

_l = plugin_domain(NAME, __file__).lazy_gettext


def course_end(course: Course) -> date | None:
    """The day a course ends; None while it has a weekly date without an end."""
    days: list[date] = []
    for offer in course.offers:
        if offer.weekly and offer.last_date is None:
            return None
        days.append(offer.last_date or offer.first_date)
    last_session = db.session.scalar(
        select(Session.day).where(Session.course_id == course.id)
        .order_by(Session.day.desc()).limit(1))
    if last_session:
        days.append(last_session)
    return max(days) if days else course.created_at.date()


def _enrolments(cutoff: datetime, dry_run: bool) -> int:
    before = local_day(cutoff)
    still_linked = select(Enrolment.course_id).where(or_(
        Enrolment.person_id.is_not(None), Enrolment.reading_language.is_not(None)))
    courses = db.session.scalars(select(Course).where(Course.id.in_(still_linked))).all()
    ended = [c.id for c in courses if (end := course_end(c)) is not None and end < before]
    if not ended:
        return 0
    due = (Enrolment.course_id.in_(ended),
           or_(Enrolment.person_id.is_not(None), Enrolment.reading_language.is_not(None)))
    return anonymise_or_count(Enrolment, due, {"person_id": None, "reading_language": None},
                              dry_run)


@hookimpl
def retention_rules() -> list[RetentionRule]:
    return [RetentionRule(key=f"{NAME}.enrolments", days=365, order=20, apply=_enrolments,
                          label=_l("Course participation (person link removed one year "
                                   "after the course ends)"))]
