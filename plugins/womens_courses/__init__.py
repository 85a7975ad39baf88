"""Frauenkurse: low-threshold German courses for women, often with childcare.

Women only, course leaders included, in a protected setting run mostly by
volunteers. For many women the course is their first regular contact with the
meeting point and the step towards the official integration course.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    OfferView,
    Purpose,
    ServiceArea,
    Widget,
    WidgetItem,
    db,
    hookimpl,
    plugin_domain,
    utcnow,
)

from .models import Attendance, Course, CourseOffer, Enrolment, EnrolmentStatus, Session

NAME = "womens_courses"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext
# The start page's box of free places lists this many courses, then a link to the rest.
FREE_PLACES_SHOWN = 8

# Who the area is (title, letter, kiosk tiles, rights) is declared at the end of
# this module: ``area``, which also supplies the usual hooks.


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    """Today's sessions (to take attendance), free places, and women to call."""
    courses = list(db.session.scalars(select(Course).where(Course.active.is_(True))
                                      .order_by(Course.title)))
    by_id = {course.id: course for course in courses}
    by_offer = {offer_id: by_id[course_id] for course_id, offer_id in db.session.execute(
        select(CourseOffer.course_id, CourseOffer.offer_id).join(Course)
        .where(Course.active.is_(True)))}
    # Enrolled and waiting women counted in SQL, one row per course and status: the box
    # costs the same three queries with 10 courses or 200 and their thousands of women.
    counted: dict[tuple[int, str], int] = {
        (course_id, status): number for course_id, status, number in db.session.execute(
            select(Enrolment.course_id, Enrolment.status, func.count(Enrolment.id))
            .join(Course).where(Course.active.is_(True),
                                Enrolment.status.in_([EnrolmentStatus.ENROLLED,
                                                      EnrolmentStatus.WAITING]))
            .group_by(Enrolment.course_id, Enrolment.status))}

    def tap_list(offer: OfferView) -> tuple[str, dict[str, Any]] | None:
        """A course's session of today leads to its attendance list."""
        course = None if offer.cancelled or offer.offer_id is None else by_offer.get(
            offer.offer_id)
        if course is None:
            return None
        return f"{NAME}.attendance", {"course_id": course.id, "day": today.isoformat()}

    def free_line(course: Course) -> str:
        enrolled = counted.get((course.id, EnrolmentStatus.ENROLLED), 0)
        waiting = counted.get((course.id, EnrolmentStatus.WAITING), 0)
        line = _("%(free)s of %(places)s free", free=course.free_with(enrolled),
                 places=course.places)
        return line + (_(", %(count)s waiting", count=waiting) if waiting else "")

    listed = [course for course in courses if not course.drop_in]
    free = [WidgetItem(label=course.title, value=free_line(course),
                       endpoint=f"{NAME}.course", url_values={"course_id": course.id})
            for course in listed[:FREE_PLACES_SHOWN]]
    if len(listed) > FREE_PLACES_SHOWN:  # a box, not the whole list: the rest one click on
        more = len(listed) - FREE_PLACES_SHOWN
        free.append(WidgetItem(
            label=domain.ngettext("%(num)s more course", "%(num)s more courses", more),
            value="", endpoint=f"{NAME}.courses"))
    calls = db.session.scalars(select(Enrolment).where(
        Enrolment.to_call.is_(True), Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Enrolment.moved_up_at)
        .options(joinedload(Enrolment.course), joinedload(Enrolment.person)))
    return [
        area.todays_offers_widget(today, link=tap_list),
        Widget(title=_("Free course places"), items=tuple(free),
               empty_text=_("No course with enrolment yet."), order=21,
               permission=area.view_right),
        Widget(title=_("Women to call (moved up)"), items=tuple(
            WidgetItem(label=e.who, value=e.course.title, endpoint=f"{NAME}.course",
                       url_values={"course_id": e.course_id}) for e in calls),
            empty_text=_("Nobody to call."), order=22, permission=area.view_right),
    ]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
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
    return area.offer_metrics(start, end, offered=_l("Course sessions offered"),
                              cancelled=_l("Course sessions cancelled"),
                              checkins=_l("Check-ins for a women's course")) + [
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
    rank: dict[str, int] = {EnrolmentStatus.ENROLLED: 0, EnrolmentStatus.WAITING: 1,
                            EnrolmentStatus.LEFT: 2}
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


# -- the area: who it is, and the usual hooks made from that ----------------------------

area = ServiceArea(
    name=NAME, title=_l("Women's courses"), ticket_letter="F", order=20,
    colour="#a3246b", pictogram="woman",
    description=_l("German courses for women only, often with childcare."),
    purposes=[Purpose("course", _l("German course for women"), "woman"),
              Purpose("sign_up", _l("Sign up for a course"), "writing-sign")],
    rights={"view": _l("See women's courses"), "edit": _l("Change women's courses")},
    blueprint=f"{__name__}.views:bp", demo=f"{__name__}.demo:add_demo_data",
    today_title=_l("Women's courses today"), today_empty=_l("No women's course today."),
)

plugin_info = area.plugin_info
register_blueprints = area.register_blueprints
navigation = area.navigation
kiosk_purposes = area.kiosk_purposes
permissions = area.permissions
load_demo_data = area.load_demo_data
from .retention import retention_rules as retention_rules  # noqa: E402  (hook: retention)
