"""Frauenkurse: low-threshold German courses for women, often with childcare.

Women only, course leaders included, in a protected setting run mostly by
volunteers. For many women the course is their first regular contact with the
meeting point and the step towards the official integration course.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint
from flask_babel import get_locale
from sqlalchemy import func, select

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    NavItem,
    OfferView,
    Permission,
    PluginInfo,
    Purpose,
    Widget,
    WidgetItem,
    checkin_count,
    db,
    hookimpl,
    offer_counts,
    offer_views,
    plugin_domain,
    todays_offers_widget,
    translated_in,
    utcnow,
)

from .models import Attendance, Course, Enrolment, EnrolmentStatus, Session

NAME = "womens_courses"
PICTOGRAM = "woman"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Kiosk tiles: (key, label, pictogram, order). Lazy, so each is translated
# into whatever language is active when it is read.
PURPOSES = (
    ("course", _l("German course for women"), "woman", 20),
    ("sign_up", _l("Sign up for a course"), "writing-sign", 21),
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title=_l("Women's courses"),
        pictogram=PICTOGRAM,
        colour="#a3246b",
        ticket_letter="F",
        description=_l("German courses for women only, often with childcare."),
        order=20,
    )


@hookimpl
def register_blueprints() -> list[Blueprint]:
    from .views import bp  # imported here: the views need this module's domain

    return [bp]


@hookimpl
def navigation(user: Any) -> list[NavItem]:
    return [NavItem(label=_l("Women's courses"), endpoint=f"{NAME}.overview",
                    pictogram=PICTOGRAM, order=20, permission=f"{NAME}.view")]


@hookimpl
def kiosk_purposes(locale: str) -> list[Purpose]:
    with translated_in(locale):
        return [Purpose(key=key, label=str(label), pictogram=pictogram, order=order)
                for key, label, pictogram, order in PURPOSES]


@hookimpl
def offers(start: date, end: date, locale: str) -> list[OfferView]:
    return offer_views(NAME, start, end, locale)


@hookimpl
def permissions() -> list[Permission]:
    return [
        Permission(code=f"{NAME}.view", label=_l("See women's courses"), order=10),
        Permission(code=f"{NAME}.edit", label=_l("Change women's courses"), order=11),
    ]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    """Today's sessions (to take attendance), free places, and women to call."""
    todays = todays_offers_widget(
        NAME, title=_("Women's courses today"), empty_text=_("No women's course today."),
        endpoint=f"{NAME}.overview", today=today, order=20, permission=f"{NAME}.view")
    courses = list(db.session.scalars(select(Course).where(Course.active.is_(True))
                                      .order_by(Course.title)))
    by_offer = {link.offer_id: course for course in courses for link in course.schedule}
    # The same occurrences todays_offers_widget lists; a course's date links to its tap list.
    views = offer_views(NAME, today, today, str(get_locale() or "de"))
    items = []
    for item, view in zip(todays.items, views, strict=True):
        course = by_offer.get(view.offer_id) if not view.cancelled else None
        items.append(WidgetItem(label=item.label, value=item.value,
                                endpoint=f"{NAME}.attendance" if course else item.endpoint,
                                url_values={"course_id": course.id, "day": today.isoformat()}
                                if course else item.url_values))
    free = [WidgetItem(label=course.title,
                       value=_("%(free)s of %(places)s free", free=course.free_places,
                               places=course.places)
                       + (_(", %(count)s waiting", count=len(course.waiting))
                          if course.waiting else ""),
                       endpoint=f"{NAME}.course", url_values={"course_id": course.id})
            for course in courses if not course.drop_in]
    calls = db.session.scalars(select(Enrolment).where(
        Enrolment.to_call.is_(True), Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Enrolment.moved_up_at))
    return [
        Widget(title=todays.title, items=tuple(items), empty_text=todays.empty_text,
               order=20, permission=f"{NAME}.view"),
        Widget(title=_("Free course places"), items=tuple(free),
               empty_text=_("No course with enrolment yet."), order=21,
               permission=f"{NAME}.view"),
        Widget(title=_("Women to call (moved up)"), items=tuple(
            WidgetItem(label=e.who, value=e.course.title, endpoint=f"{NAME}.course",
                       url_values={"course_id": e.course_id}) for e in calls),
            empty_text=_("Nobody to call."), order=22, permission=f"{NAME}.view"),
    ]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    offered, cancelled = offer_counts(NAME, start, end)
    first, last = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1),
                                                                    time())
    enrolments = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.created_at >= first, Enrolment.created_at < last)) or 0
    # Waiting list and places as they stand at the end of the period (or now).
    waiting = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.status == EnrolmentStatus.WAITING, Enrolment.created_at < last)) or 0
    filled = db.session.scalar(select(func.count()).select_from(Enrolment).join(Course).where(
        Course.active.is_(True), Course.drop_in.is_(False),
        Enrolment.status == EnrolmentStatus.ENROLLED, Enrolment.enrolled_at < last)) or 0
    places = db.session.scalar(select(func.coalesce(func.sum(Course.places), 0)).where(
        Course.active.is_(True), Course.drop_in.is_(False))) or 0
    in_period = Session.day.between(start, end)
    marked = db.session.scalar(select(func.count()).select_from(Attendance).join(Session)
                               .where(in_period)) or 0
    present = db.session.scalar(select(func.count()).select_from(Attendance).join(Session)
                                .where(in_period, Attendance.present.is_(True))) or 0
    drop_ins = db.session.scalar(select(func.coalesce(func.sum(Session.drop_ins), 0))
                                 .where(in_period)) or 0
    return [
        Metric(key=f"{NAME}.offer_dates", label=_l("Course sessions offered"),
               value=offered, order=10),
        Metric(key=f"{NAME}.offer_dates_cancelled", label=_l("Course sessions cancelled"),
               value=cancelled, order=11),
        Metric(key=f"{NAME}.checkins", label=_l("Check-ins for a women's course"),
               value=checkin_count(NAME, start, end), order=12),
        Metric(key=f"{NAME}.enrolments", label=_l("New enrolments (waiting list included)"),
               value=enrolments, order=13),
        Metric(key=f"{NAME}.waiting", label=_l("Women on a waiting list"), value=waiting,
               order=14),
        Metric(key=f"{NAME}.places_filled", label=_l("Course places filled"), value=filled,
               order=15),
        Metric(key=f"{NAME}.places", label=_l("Course places offered"), value=places,
               order=16),
        Metric(key=f"{NAME}.attendance_rate", label=_l("Attendance rate"),
               value=round(100 * present / marked, 1) if marked else 0, unit="%", order=17),
        Metric(key=f"{NAME}.attendances", label=_l("Attendances of enrolled women"),
               value=present, order=18),
        Metric(key=f"{NAME}.drop_ins", label=_l("Drop-in participants"), value=drop_ins,
               order=19),
    ]


@hookimpl
def export_person(person: Any) -> ExportSection:
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)
                                    .order_by(Enrolment.id))
    records = []
    for e in enrolments:
        days = db.session.scalars(
            select(Session.day).join(Attendance).where(Attendance.enrolment_id == e.id,
                                                       Attendance.present.is_(True))
            .order_by(Session.day))
        records.append({
            "course": e.course.title, "level": e.course.level, "status": e.status,
            "needs_childcare": e.needs_childcare, "reading_language": e.reading_language,
            "created_at": e.created_at.isoformat(),
            "enrolled_at": e.enrolled_at.isoformat() if e.enrolled_at else None,
            "left_at": e.left_at.isoformat() if e.left_at else None,
            "moved_up_at": e.moved_up_at.isoformat() if e.moved_up_at else None,
            "called_at": e.called_at.isoformat() if e.called_at else None,
            "attended": [day.isoformat() for day in days],
        })
    return ExportSection(title=_l("Women's courses"), records=tuple(records))


@hookimpl
def person_activity(person: Any, user: Any) -> list[Widget]:
    """A box on the core's person page: her courses, whether she is enrolled, waiting (and
    where on the list) or has left, and how many sessions she attended."""
    mine = list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)))
    if not mine:
        return []
    attended = dict(db.session.execute(
        select(Attendance.enrolment_id, func.count()).where(
            Attendance.enrolment_id.in_([e.id for e in mine]), Attendance.present.is_(True))
        .group_by(Attendance.enrolment_id)).all())
    rank = {EnrolmentStatus.ENROLLED: 0, EnrolmentStatus.WAITING: 1, EnrolmentStatus.LEFT: 2}
    items = []
    for e in sorted(mine, key=lambda e: (rank.get(e.status, 3), e.course.title.lower(),
                                         -e.id)):
        if e.status == EnrolmentStatus.WAITING:
            place = next((n for n, w in enumerate(e.course.waiting, start=1) if w.id == e.id),
                         0)
            value = _("waiting list, place %(place)s", place=place)
        else:
            status = (_("enrolled") if e.status == EnrolmentStatus.ENROLLED
                      else _("left the course"))
            value = status + " · " + domain.ngettext(
                "%(num)s session attended", "%(num)s sessions attended",
                attended.get(e.id, 0))
        items.append(WidgetItem(label=e.course.title, value=value, endpoint=f"{NAME}.course",
                                url_values={"course_id": e.course_id}))
    return [Widget(title=_("Women's courses"), items=tuple(items), order=20,
                   empty_text=_("No enrolment."), permission=f"{NAME}.view")]


@hookimpl
def merge_persons(source: Any, target: Any) -> MergeReport:
    """Move her enrolments to ``target``; where both records have a place in one course,
    the better one stays with the attendance of both (see :func:`rules.merge_enrolments`).
    Runs in the core's transaction: no commit."""
    from .rules import merge_enrolments

    moved, folded, moved_up = merge_enrolments(source, target)
    return MergeReport(records_moved=moved,
                       detail=f"{moved} enrolments moved, {folded} double places in a course "
                              f"folded into one, {moved_up} moved up from a waiting list")


@hookimpl
def erase_person(person: Any) -> ErasureReport:
    """Detach her enrolments: they (and their attendance) still count, nobody is named.

    She leaves her courses and waiting lists (nobody can call an erased person); a place
    she frees goes to the next woman on the waiting list.
    """
    from .rules import fill_places

    mine = list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)))
    for enrolment in mine:
        if enrolment.status != EnrolmentStatus.LEFT:
            enrolment.status = EnrolmentStatus.LEFT
            enrolment.left_at = utcnow()
        enrolment.person = None
        enrolment.reading_language = None
        enrolment.to_call = False
        enrolment.called_by_id = None
    db.session.flush()
    for course in {enrolment.course for enrolment in mine}:
        fill_places(course)
    db.session.flush()
    return ErasureReport(records_erased=len(mine), detail="enrolments detached")


@hookimpl
def load_demo_data(week_start: date) -> None:
    from .demo import add_demo_data

    add_demo_data(week_start)



from .retention import retention_rules as retention_rules  # noqa: E402  (hook: retention)
