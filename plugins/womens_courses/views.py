"""The Frauenkurse pages: overview, courses, enrolment and waiting list, attendance,
printable sheets and the certificate of attendance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from intranet.plugin import (
    Offer,
    audit,
    choices,
    current_locale,
    current_user,
    db,
    language_name,
    local_today,
    permission_required,
    render_area_overview,
    safe_next,
    setting,
    staff_choices,
    translated_in,
    utcnow,
)

from . import NAME, _, kiosk_purposes, plugin_info
from .forms import CERTIFICATE_LANGUAGES, CourseForm, EnrolForm
from .models import (
    Attendance,
    Course,
    CourseOffer,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from .rules import AlreadyInCourse, enrol, leave, open_session, refill

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")
VIEW, EDIT = f"{NAME}.view", f"{NAME}.edit"
RTL = {"ar", "fa", "ps"}


def to_call() -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.to_call.is_(True),
                                Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Enrolment.moved_up_at)))


def active_courses() -> list[Course]:
    return list(db.session.scalars(
        select(Course).where(Course.active.is_(True)).order_by(Course.title)))


@bp.route("/")
@permission_required(VIEW)
def overview() -> str:
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(current_locale()),
                                courses=active_courses(), to_call=to_call())


@bp.route("/courses")
@permission_required(VIEW)
def courses() -> str:
    inactive = list(db.session.scalars(
        select(Course).where(Course.active.is_(False)).order_by(Course.title)))
    return render_template(f"{NAME}/courses.html", courses=active_courses(),
                           inactive=inactive, to_call=to_call())


def _course_form(course: Course | None) -> CourseForm:
    form = CourseForm(obj=course)
    form.teacher_id.choices = staff_choices(blank=_("— not decided —"))
    taken = select(CourseOffer.offer_id)
    if course is not None:
        taken = taken.where(CourseOffer.course_id != course.id)
    offers = db.session.scalars(select(Offer).where(Offer.service_area == NAME,
                                                    Offer.id.not_in(taken))
                                .order_by(Offer.first_date, Offer.start_time))
    locale = current_locale()
    form.offer_ids.choices = choices((o.id, _offer_label(o, locale)) for o in offers)
    if request.method == "GET":
        form.teacher_id.data = course.teacher_id or 0 if course else 0
        form.offer_ids.data = [o.id for o in course.offers] if course else []
    return form


def _offer_label(offer: Offer, locale: str) -> str:
    when = format_date(offer.first_date, "EEEE", locale=locale) if offer.weekly \
        else format_date(offer.first_date, "medium", locale=locale)
    times = f"{offer.start_time:%H:%M}–{offer.end_time:%H:%M}"
    room = f", {offer.room}" if offer.room else ""
    return f"{offer.title(locale)} ({when} {times}{room})"


def _save_course(form: CourseForm, course: Course) -> None:
    course.title = form.title.data.strip()
    course.kind = form.kind.data
    course.level = (form.level.data or "").strip()
    course.teacher_id = form.teacher_id.data or None
    course.places = form.places.data
    course.childcare_places = form.childcare_places.data or 0
    course.drop_in = form.drop_in.data
    course.note = form.note.data or ""
    wanted = set(form.offer_ids.data or [])
    course.schedule = [link for link in course.schedule if link.offer_id in wanted] + [
        CourseOffer(offer_id=offer_id) for offer_id in sorted(wanted)
        if offer_id not in {link.offer_id for link in course.schedule}]
    if form.new_weekday.data:
        weekday = int(form.new_weekday.data)
        first = form.new_first_date.data or local_today()
        first += timedelta(days=(weekday - first.weekday()) % 7)
        offer = Offer(service_area=NAME, weekly=True, first_date=first, last_date=None,
                      start_time=form.new_start.data, end_time=form.new_end.data,
                      room=(form.new_room.data or "").strip(), titles={"de": course.title},
                      descriptions={}, languages=["de"], audience="women",
                      childcare=course.childcare_places > 0,
                      registration_needed=not course.drop_in)
        db.session.add(offer)
        course.schedule.append(CourseOffer(offer=offer))


@bp.route("/courses/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_course() -> Any:
    form = _course_form(None)
    if form.validate_on_submit():
        course = Course(places=form.places.data)
        db.session.add(course)
        _save_course(form, course)
        db.session.flush()
        audit("course_created", object_type="womens_courses_course", object_id=course.id,
              plugin=NAME)
        db.session.commit()
        flash(_("Course “%(title)s” created.", title=course.title), "success")
        return redirect(url_for(".course", course_id=course.id))
    return render_template(f"{NAME}/course_form.html", form=form, course=None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_course(course_id: int) -> Any:
    course = db.get_or_404(Course, course_id)
    form = _course_form(course)
    if form.validate_on_submit():
        _save_course(form, course)
        audit("course_changed", object_type="womens_courses_course", object_id=course.id,
              plugin=NAME)
        db.session.commit()
        moved = refill(course.id)
        flash(_("Course saved."), "success")
        if moved:
            flash(_("%(count)s women moved up from the waiting list: please call them.",
                    count=len(moved)), "success")
        return redirect(url_for(".course", course_id=course.id))
    return render_template(f"{NAME}/course_form.html", form=form, course=course)


@bp.route("/courses/<int:course_id>/active", methods=["POST"])
@permission_required(EDIT)
def toggle_active(course_id: int) -> Response:
    course = db.get_or_404(Course, course_id)
    course.active = not course.active
    audit("course_closed" if not course.active else "course_reopened",
          object_type="womens_courses_course", object_id=course.id, plugin=NAME)
    db.session.commit()
    flash(_("Course closed.") if not course.active else _("Course open again."), "success")
    return redirect(url_for(".course", course_id=course.id))


def _enrol_form() -> EnrolForm:
    form = EnrolForm()
    form.reading_language.choices = choices([("", _("— not known —")), *(
        (code, language_name(code)) for code in CERTIFICATE_LANGUAGES)])
    return form


def _course_page(course: Course, form: EnrolForm) -> str:
    today = local_today()
    dates = course.session_dates(today - timedelta(weeks=6), today + timedelta(weeks=3))
    sessions = {s.day: s for s in db.session.scalars(
        select(Session).where(Session.course_id == course.id))}
    return render_template(f"{NAME}/course.html", course=course, form=form, today=today,
                           dates=dates, sessions=sessions,
                           attended=_attended_counts(course))


def _attended_counts(course: Course) -> dict[int, int]:
    rows = db.session.execute(
        select(Attendance.enrolment_id, func.count()).join(Session)
        .where(Session.course_id == course.id, Attendance.present.is_(True))
        .group_by(Attendance.enrolment_id))
    return {enrolment_id: count for enrolment_id, count in rows}


@bp.route("/courses/<int:course_id>")
@permission_required(VIEW)
def course(course_id: int) -> str:
    return _course_page(db.get_or_404(Course, course_id), _enrol_form())


@bp.route("/courses/<int:course_id>/enrol", methods=["POST"])
@permission_required(EDIT)
def enrol_person(course_id: int) -> Any:
    course = db.get_or_404(Course, course_id)
    if not course.active:
        flash(_("This course is closed. Open it again to enrol women."), "error")
        return redirect(url_for(".course", course_id=course_id))
    form = _enrol_form()
    if not form.validate_on_submit():
        return _course_page(course, form), 422
    person = form.person_code.person  # found while the form validated, if a code was given
    try:
        enrolment = enrol(course.id, person_id=person.id if person else None,
                          nickname=form.nickname.data or "",
                          needs_childcare=form.needs_childcare.data,
                          reading_language=form.reading_language.data or None)
    except AlreadyInCourse:
        form.person_code.errors = [*form.person_code.errors,
                                   _("She is already in this course or on its waiting list.")]
        return _course_page(db.get_or_404(Course, course_id), form), 422
    assert enrolment is not None
    who = enrolment.who
    if enrolment.status == EnrolmentStatus.ENROLLED:
        flash(_("%(who)s is enrolled.", who=who), "success")
    else:
        flash(_("The course is full: %(who)s is on the waiting list (place %(position)s).",
                who=who, position=len(enrolment.course.waiting)), "success")
    return redirect(url_for(".course", course_id=course_id))


@bp.route("/enrolments/<int:enrolment_id>/leave", methods=["POST"])
@permission_required(EDIT)
def leave_course(enrolment_id: int) -> Response:
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    course_id, who, was = enrolment.course_id, enrolment.who, enrolment.status
    moved = leave(enrolment_id) or []
    if was == EnrolmentStatus.WAITING:
        flash(_("%(who)s is off the waiting list.", who=who), "success")
    else:
        flash(_("%(who)s has left the course.", who=who), "success")
    for enrolment in moved:
        flash(_("%(who)s moved up from the waiting list: please call her.",
                who=enrolment.who), "success")
    return redirect(url_for(".course", course_id=course_id))


@bp.route("/enrolments/<int:enrolment_id>/called", methods=["POST"])
@permission_required(EDIT)
def mark_called(enrolment_id: int) -> Response:
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    enrolment.to_call = False
    enrolment.called_at = utcnow()
    enrolment.called_by_id = current_user.id
    audit("course_called", object_type="womens_courses_enrolment", object_id=enrolment.id,
          plugin=NAME)
    db.session.commit()
    flash(_("Marked as called: %(who)s.", who=enrolment.who), "success")
    return redirect(safe_next(request.form.get("next"),
                              url_for(".course", course_id=enrolment.course_id)))


# --- attendance ---------------------------------------------------------------------------

def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404)


def _opened(course: Course, day: date, offer: Offer) -> Session:
    """The session of ``day`` with a row per participant, committed; two tablets opening
    the same date at once both end up with the one session."""
    for attempt in range(2):
        try:
            session = open_session(course, day, offer.id)
            db.session.commit()
            return session
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _session_date(course: Course, day: date) -> Offer:
    """The offer whose date ``day`` is; 404 when the course does not meet that day."""
    for when, offer in course.session_dates(day, day):
        if when == day:
            return offer
    abort(404)


@bp.route("/courses/<int:course_id>/sessions/<day>")
@permission_required(EDIT)
def attendance(course_id: int, day: str) -> str:
    course = db.get_or_404(Course, course_id)
    when = _day(day)
    offer = _session_date(course, when)
    session = _opened(course, when, offer)
    rows = sorted(session.attendance, key=lambda row: row.enrolment.who.lower())
    return render_template(f"{NAME}/attendance.html", course=course, day=when, offer=offer,
                           session=session, rows=rows)


@bp.route("/courses/<int:course_id>/sessions/<day>/<int:enrolment_id>",
          methods=["POST"])
@permission_required(EDIT)
def toggle_attendance(course_id: int, day: str, enrolment_id: int) -> Any:
    course = db.get_or_404(Course, course_id)
    when = _day(day)
    session = db.session.scalar(select(Session).where(Session.course_id == course.id,
                                                      Session.day == when))
    if session is None:
        abort(404)  # no attendance is open for that day
    row = db.get_or_404(Attendance, (session.id, enrolment_id))
    wanted = request.form.get("present")
    row.present = (wanted == "1") if wanted in ("0", "1") else not row.present
    row.marked_at = utcnow()
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render_template(f"{NAME}/_attendance_row.html", course=course, day=when,
                               row=row)
    return redirect(url_for(".attendance", course_id=course.id, day=day))


@bp.route("/courses/<int:course_id>/sessions/<day>/drop-ins", methods=["POST"])
@permission_required(EDIT)
def drop_ins(course_id: int, day: str) -> Any:
    course = db.get_or_404(Course, course_id)
    when = _day(day)
    session = _opened(course, when, _session_date(course, when))
    step = -1 if request.form.get("change") == "-1" else 1
    counted = Session.drop_ins + step
    db.session.execute(update(Session).where(Session.id == session.id)
                       .values(drop_ins=case((counted < 0, 0), else_=counted)))
    db.session.commit()
    db.session.refresh(session)
    if request.headers.get("HX-Request"):
        return render_template(f"{NAME}/_drop_ins.html", course=course, day=when,
                               session=session)
    return redirect(url_for(".attendance", course_id=course.id, day=day))


# --- print pages --------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/sheet")
@permission_required(VIEW)
def attendance_sheet(course_id: int) -> str:
    """A month of dates × participants: marks where attendance was taken, boxes to tick."""
    course = db.get_or_404(Course, course_id)
    try:
        month = date.fromisoformat(request.args.get("month", "") + "-01")
    except ValueError:
        month = local_today().replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    dates = [day for day, _offer in course.session_dates(month, following - timedelta(days=1))]
    marks = {(row.enrolment_id, s.day): row.present for s in db.session.scalars(
        select(Session).where(Session.course_id == course.id,
                              Session.day.between(month, following)))
        for row in s.attendance}
    people = sorted(course.enrolled, key=lambda e: e.who.lower())
    return render_template(f"{NAME}/sheet.html", course=course, month=month, dates=dates,
                           marks=marks, people=people,
                           previous=(month - timedelta(days=1)).replace(day=1),
                           following=following)


@bp.route("/courses/<int:course_id>/participants")
@permission_required(VIEW)
def participants(course_id: int) -> str:
    course = db.get_or_404(Course, course_id)
    return render_template(f"{NAME}/participants.html", course=course,
                           attended=_attended_counts(course))


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated where it is shown."""
    return message


# Course levels are typed by staff, mostly in German: the usual labels (and their English
# msgids) are translated on the certificate. Anything else, CEFR codes such as "A1"
# included, is printed as typed.
_LEVELS = {
    N_("all levels"): ("alle", "alle niveaus", "alle stufen"),
    N_("beginners"): ("anfängerinnen", "anfänger", "anfängerinnenkurs", "anfängerkurs"),
    N_("no prior knowledge"): ("ohne vorkenntnisse", "keine vorkenntnisse"),
    N_("some prior knowledge"): ("mit vorkenntnissen", "geringe vorkenntnisse"),
    N_("intermediate"): ("mittelstufe",),
    N_("advanced"): ("fortgeschrittene", "fortgeschritten"),
    N_("literacy course"): ("alphabetisierung", "alphabetisierungskurs"),
}
_LEVEL_BY_NAME = {name: msgid for msgid, names in _LEVELS.items() for name in (*names, msgid)}


def course_level(level: str, locale: str) -> str:
    """``level`` as the certificate prints it in ``locale``: a known label translated,
    a German label as typed on the German part, anything else as typed."""
    from . import domain

    key = " ".join(level.split()).casefold()
    msgid = _LEVEL_BY_NAME.get(key)
    if msgid is None or (locale == "de" and key != msgid):
        return level
    with translated_in(locale):
        return str(domain.gettext(msgid))


def certificate_texts(locale: str, **values: Any) -> dict[str, str]:
    """The certificate's sentences in one language."""
    from . import domain

    with translated_in(locale):
        gettext = domain.gettext
        return {
            "heading": gettext("Certificate of attendance"),
            "confirms": gettext("This certifies that"),
            "took_part": gettext("took part in the course"),
            "level": gettext("Level: %(level)s",
                             level=course_level(values["level"], locale))
            if values["level"] else "",
            "period": gettext("from %(first)s to %(last)s",
                              first=format_date(values["first"], "long", locale=locale),
                              last=format_date(values["last"], "long", locale=locale))
            if values["first"] else "",
            "sessions": gettext("She attended %(count)s of %(total)s sessions.",
                                count=values["count"], total=values["total"]),
            "dates": gettext("Dates attended"),
            "date_line": gettext("Date"),
            "signature": gettext("Signature of the course leader"),
        }


# More attended dates than this are listed in the short date format, in smaller type, so
# a long course's certificate still prints on one A4 page.
MANY_DATES = 12


@bp.route("/enrolments/<int:enrolment_id>/certificate")
@permission_required(VIEW)
def certificate(enrolment_id: int) -> str:
    """The certificate of attendance, on one A4 page: German and her language (the one she
    reads best, else her first language that a certificate can be printed in)."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    course = enrolment.course
    sessions = list(db.session.scalars(
        select(Session).where(Session.course_id == course.id).order_by(Session.day)))
    held = [s for s in sessions if s.attendance]
    attended = [s.day for s in held if any(r.enrolment_id == enrolment.id and r.present
                                           for r in s.attendance)]
    known = [enrolment.reading_language or ""]
    known += enrolment.person.languages if enrolment.person else []
    language = request.args.get("language") or next(
        (code for code in known if code in CERTIFICATE_LANGUAGES), "de")
    if language not in CERTIFICATE_LANGUAGES:
        language = "de"
    values = {"level": course.level, "count": len(attended), "total": len(held),
              "first": attended[0] if attended else None,
              "last": attended[-1] if attended else None}
    parts = [("de", certificate_texts("de", **values))]
    if language != "de":
        parts.append((language, certificate_texts(language, **values)))
    audit("course_certificate_printed", object_type="womens_courses_enrolment",
          object_id=enrolment.id, plugin=NAME, language=language)
    db.session.commit()
    many = len(attended) > MANY_DATES
    return render_template(
        f"{NAME}/certificate.html", enrolment=enrolment, course=course, parts=parts,
        attended=attended, many_dates=many, language=language,
        cert_languages=CERTIFICATE_LANGUAGES, rtl=RTL, today=local_today(),
        # Issued in Germany: the date under the signatures is written the German way.
        issued=format_date(local_today(), "medium", locale="de"),
        site_name=setting("SITE_NAME"), site_address=setting("SITE_ADDRESS"),
        format_day=lambda day, locale: format_date(day, "short" if many else "medium",
                                                   locale=locale))
