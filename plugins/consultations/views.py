"""The Beratung pages, mounted under /consultations/.

- ``/``: the overview (kiosk tiles, topics, this and next week's consultation hours).
- ``/records/…``: consultation records, walk-in (opened from a waiting ticket) or by
  appointment; the confidential note only for ``consultations.read_notes``, every read audited.
- ``/people/<code>``: what Beratung holds about one person: records, appointments, consent and
  releases from confidentiality.
- ``/calendar``: the appointment week; staff create slots (by hand, or in one click from the
  consultation hours "by appointment" of that day) and book them for a person.
- ``/topics``: the topic list (add, rename per language, reorder, switch off).
"""

from __future__ import annotations

import time as time_module
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from intranet.plugin import (
    ActionForm,
    CheckIn,
    CheckInStatus,
    Person,
    audit,
    current_locale,
    current_user,
    db,
    local_now,
    local_today,
    mark_from_record,
    offer_views,
    paginate,
    permission_required,
    person_or_404,
    render_area_overview,
    requested_week,
    safe_next,
    utcnow,
)

from . import NAME, _, kiosk_purposes, plugin_info
from .forms import (
    OUTCOME_LABELS,
    BookingForm,
    ConsentForm,
    ConsultationForm,
    EditConsultationForm,
    ReleaseForm,
    SlotsForm,
    TopicForm,
)
from .models import APPOINTMENT, WALK_IN, Booking, Consent, Consultation, Release, Slot, Topic

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")

VIEW, EDIT, READ_NOTES = f"{NAME}.view", f"{NAME}.edit", f"{NAME}.read_notes"
PER_PAGE = 30
TRACKED_FIELDS = ("kind", "held_at", "minutes", "language", "interpreter_language",
                  "interpreter_name", "outcome", "referral", "follow_up_on", "follow_up_done",
                  "note")


def may(code: str) -> bool:
    return current_user.has_permission(code)


@bp.app_template_global("consultations_outcome")
def outcome_label(key: str | None) -> str:
    return str(OUTCOME_LABELS[key]) if key in OUTCOME_LABELS else ""


# -- overview ---------------------------------------------------------------------------


@bp.route("/")
@permission_required(VIEW)
def overview() -> str:
    locale = current_locale()
    topics = db.session.scalars(
        select(Topic).where(Topic.active.is_(True)).order_by(Topic.position, Topic.key)
    ).all()
    today = local_today()
    due = db.session.scalar(select(func.count(Consultation.id)).where(
        Consultation.follow_up_on <= today, Consultation.follow_up_done.is_(False))) or 0
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(locale),
                                topics=[topic.label(locale) for topic in topics],
                                follow_ups_due=due)


# -- records ------------------------------------------------------------------------------


@bp.route("/records")
@permission_required(VIEW)
def records() -> str:
    pagination = paginate(select(Consultation).order_by(Consultation.held_at.desc(),
                                                        Consultation.id.desc()),
                          per_page=PER_PAGE)
    return render_template(f"{NAME}/records.html", records=pagination.items,
                           pagination=pagination, locale=current_locale())


def audit_note_read(record: Consultation, page: str) -> None:
    """Every page that shows a note records who read it (committed by the caller)."""
    audit("note_read", object_type="consultation", object_id=record.id, plugin=NAME, page=page)


@bp.route("/records/<int:record_id>")
@permission_required(VIEW)
def record(record_id: int) -> str:
    consultation = db.get_or_404(Consultation, record_id)
    show_note = may(READ_NOTES)
    if show_note and consultation.note:
        audit_note_read(consultation, "record")
        db.session.commit()
    consents: Sequence[Any] = []
    releases: Sequence[Release] = []
    if consultation.person_id is not None:
        consents = Consent.of_person(consultation.person_id)
        releases = db.session.scalars(select(Release).where(
            Release.person_id == consultation.person_id)
            .order_by(Release.signed_on.desc())).all()
    return render_template(f"{NAME}/record.html", record=consultation, show_note=show_note,
                           consents=consents, releases=releases, locale=current_locale(),
                           today=local_today(), action=ActionForm())


@bp.route("/records/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_record() -> Any:
    checkin = slot = None
    if request.args.get("checkin"):
        checkin = db.get_or_404(CheckIn, request.args.get("checkin", type=int) or 0)
        if checkin.plugin != NAME:
            abort(404)  # another area's ticket
        existing = db.session.scalar(select(Consultation).where(
            Consultation.checkin_id == checkin.id))
        if existing is not None:
            flash(_("This ticket already has a consultation record."), "info")
            return redirect(url_for(".record", record_id=existing.id))
    elif request.args.get("slot"):
        slot = db.get_or_404(Slot, request.args.get("slot", type=int) or 0)
        if slot.booking is None:
            abort(404)  # a free slot has nobody to record
        existing = db.session.scalar(select(Consultation).where(Consultation.slot_id == slot.id))
        if existing is not None:
            flash(_("This appointment already has a consultation record."), "info")
            return redirect(url_for(".record", record_id=existing.id))
    form = ConsultationForm()
    if request.method == "GET" and checkin is not None \
            and mark_from_record(checkin, CheckInStatus.IN_PROGRESS, current_user.id):
        db.session.commit()  # the queue shows the visitor as being seen now
    if request.method == "GET":
        now = local_now()
        form.held_on.data, form.held_time.data = now.date(), now.time().replace(second=0,
                                                                               microsecond=0)
        form.language.data = "de"
        if checkin is not None:
            form.kind.data = WALK_IN
            offered = {choice.value for choice in form.language.choices}
            form.language.data = checkin.language if checkin.language in offered else "de"
            if checkin.person is not None:
                form.person_code.data = checkin.person.code
            else:
                form.nickname.data = checkin.first_name or ""
        elif slot is not None:
            form.kind.data = APPOINTMENT
            form.held_on.data, form.held_time.data = slot.starts_at.date(), slot.starts_at.time()
            form.minutes.data = slot.minutes
            form.interpreter_language.data = slot.interpreter_language or ""
            if slot.booking is not None and slot.booking.person is not None:
                form.person_code.data = slot.booking.person.code
    elif form.validate_on_submit() & form.check_person():
        person = form.person_for_saving()
        consultation = Consultation(person=person, staff_id=current_user.id,
                                    checkin_id=checkin.id if checkin else None,
                                    slot_id=slot.id if slot else None)
        fill_record(consultation, form, with_note=True)
        db.session.add(consultation)
        if checkin is not None and checkin.person_id is None:
            checkin.person = person  # the ticket now belongs to this person
        if checkin is not None:
            mark_from_record(checkin, CheckInStatus.DONE, current_user.id)
        try:
            db.session.flush()
        except IntegrityError:  # the same ticket or appointment opened twice at once
            db.session.rollback()
            flash(_("Someone else has just opened a record for this. Nothing was saved twice."),
                  "error")
            return redirect(url_for(".records"))
        audit("consultation_created", object_type="consultation", object_id=consultation.id,
              plugin=NAME, person=person.id, with_note=bool(consultation.note))
        db.session.commit()
        flash(_("The consultation with %(person)s has been recorded.", person=person.code),
              "success")
        return redirect(url_for(".record", record_id=consultation.id))
    status = 400 if request.method == "POST" else 200
    return render_template(f"{NAME}/record_form.html", form=form, record=None, checkin=checkin,
                           slot=slot, show_note=True), status


def fill_record(consultation: Consultation, form: ConsultationForm, with_note: bool) -> None:
    consultation.kind = form.kind.data
    consultation.held_at = datetime.combine(form.held_on.data, form.held_time.data)
    consultation.minutes = form.minutes.data
    consultation.language = form.language.data
    consultation.interpreter_language = form.interpreter_language.data or None
    consultation.interpreter_name = (form.interpreter_name.data or "").strip() or None
    consultation.outcome = form.outcome.data or None
    consultation.referral = (form.referral.data or "").strip() or None
    consultation.follow_up_on = form.follow_up_on.data
    consultation.follow_up_done = bool(form.follow_up_done.data)
    consultation.topics = list(db.session.scalars(
        select(Topic).where(Topic.id.in_(form.topics.data or []))))
    if with_note:
        consultation.note = (form.note.data or "").strip() or None


def snapshot(consultation: Consultation) -> dict[str, Any]:
    values = {name: getattr(consultation, name) for name in TRACKED_FIELDS}
    values["topics"] = sorted(t.id for t in consultation.topics)
    return values


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_record(record_id: int) -> Any:
    consultation = db.get_or_404(Consultation, record_id)
    show_note = may(READ_NOTES)
    selected = [t.id for t in consultation.topics]
    form = EditConsultationForm(obj=consultation if request.method == "GET" else None,
                                selected_topics=selected)
    if request.method == "GET":
        form.held_on.data = consultation.held_at.date()
        form.held_time.data = consultation.held_at.time()
        form.topics.data = selected
        form.interpreter_language.data = consultation.interpreter_language or ""
        form.outcome.data = consultation.outcome or ""
        form.note.data = consultation.note if show_note else ""
    elif form.validate_on_submit():
        before = snapshot(consultation)
        fill_record(consultation, form, with_note=show_note)
        consultation.updated_at = utcnow()
        after = snapshot(consultation)
        changed = sorted(name for name in after if after[name] != before[name])
        audit("consultation_updated", object_type="consultation", object_id=consultation.id,
              plugin=NAME, fields=changed)
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for(".record", record_id=consultation.id))
    if show_note and consultation.note:  # the form shows the note: that is a read
        audit_note_read(consultation, "edit")
        db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template(f"{NAME}/record_form.html", form=form, record=consultation,
                           checkin=None, slot=None, show_note=show_note), status


@bp.route("/records/<int:record_id>/follow-up-done", methods=["POST"])
@permission_required(EDIT)
def follow_up_done(record_id: int) -> Any:
    consultation = db.get_or_404(Consultation, record_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    consultation.follow_up_done = True
    consultation.updated_at = utcnow()
    audit("consultation_updated", object_type="consultation", object_id=consultation.id,
          plugin=NAME, fields=["follow_up_done"])
    db.session.commit()
    flash(_("The follow-up is marked as done."), "success")
    return redirect(safe_next(request.form.get("next"),
                              url_for(".record", record_id=consultation.id)))


# -- people: consent and releases -----------------------------------------------------------


def person_page(person: Person, consent_form: ConsentForm | None = None,
                release_form: ReleaseForm | None = None, status: int = 200) -> Any:
    records_of = db.session.scalars(select(Consultation).where(
        Consultation.person_id == person.id).order_by(Consultation.held_at.desc())).all()
    bookings = db.session.scalars(select(Booking).join(Slot).where(
        Booking.person_id == person.id).order_by(Slot.starts_at.desc())).all()
    releases = db.session.scalars(select(Release).where(
        Release.person_id == person.id).order_by(Release.signed_on.desc())).all()
    return render_template(
        f"{NAME}/person.html", person=person, records=records_of, bookings=bookings,
        consents=Consent.of_person(person.id), releases=releases, today=local_today(),
        locale=current_locale(),
        consent_form=consent_form or ConsentForm(formdata=None),
        release_form=release_form or ReleaseForm(formdata=None), action=ActionForm()), status


@bp.route("/people/<code>")
@permission_required(VIEW)
def person(code: str) -> Any:
    return person_page(person_or_404(code))


@bp.route("/people/<code>/consents", methods=["POST"])
@permission_required(EDIT)
def add_consent(code: str) -> Any:
    someone = person_or_404(code)
    form = ConsentForm()
    if not form.validate_on_submit():
        return person_page(someone, consent_form=form, status=400)
    consent = Consent(person_id=someone.id, purpose=form.purpose.data.strip(),
                      given_on=form.given_on.data, recorded_by_id=current_user.id)
    db.session.add(consent)
    db.session.flush()
    audit("consent_recorded", object_type="person", object_id=someone.id, plugin=NAME,
          consent=consent.id)
    db.session.commit()
    flash(_("The consent has been recorded."), "success")
    return redirect(url_for(".person", code=someone.code))


@bp.route("/people/<code>/consents/<int:consent_id>/withdraw", methods=["POST"])
@permission_required(EDIT)
def withdraw_consent(code: str, consent_id: int) -> Any:
    someone = person_or_404(code)
    consent = db.get_or_404(Consent, consent_id)
    if consent.person_id != someone.id or not ActionForm().validate_on_submit():
        abort(404)  # another person's consent, or no valid form
    consent.withdraw()
    audit("consent_withdrawn", object_type="person", object_id=someone.id, plugin=NAME,
          consent=consent.id)
    db.session.commit()
    flash(_("The consent is recorded as withdrawn."), "success")
    return redirect(url_for(".person", code=someone.code))


@bp.route("/people/<code>/releases", methods=["POST"])
@permission_required(EDIT)
def add_release(code: str) -> Any:
    someone = person_or_404(code)
    form = ReleaseForm()
    if not form.validate_on_submit():
        return person_page(someone, release_form=form, status=400)
    release = Release(person_id=someone.id, recipient=form.recipient.data.strip(),
                      scope=(form.scope.data or "").strip(), signed_on=form.signed_on.data,
                      expires_on=form.expires_on.data, recorded_by=current_user.id)
    db.session.add(release)
    db.session.flush()
    audit("release_recorded", object_type="person", object_id=someone.id, plugin=NAME,
          release=release.id)
    db.session.commit()
    flash(_("The release from confidentiality has been recorded."), "success")
    return redirect(url_for(".person", code=someone.code))


# -- appointment calendar ---------------------------------------------------------------------


@bp.route("/calendar")
@permission_required(VIEW)
def calendar() -> Any:
    monday = requested_week()
    sunday = monday + timedelta(days=6)
    slots = db.session.scalars(select(Slot).where(
        Slot.starts_at >= datetime.combine(monday, datetime.min.time()),
        Slot.starts_at < datetime.combine(sunday + timedelta(days=1), datetime.min.time()))
        .order_by(Slot.starts_at, Slot.id)).all()
    hours = [o for o in offer_views(NAME, monday, sunday, current_locale())
             if o.registration_needed and not o.cancelled]
    days = []
    for n in range(7):
        day = monday + timedelta(days=n)
        day_slots = [s for s in slots if s.starts_at.date() == day]
        day_hours = [o for o in hours if o.start.date() == day]
        if n < 5 or day_slots or day_hours:
            days.append((day, day_slots, day_hours))
    context = {"monday": monday, "sunday": sunday, "days": days, "today": local_today(),
               "now": local_now(), "action": ActionForm(),
               "prev_week": monday - timedelta(days=7), "next_week": monday + timedelta(days=7)}
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return render_template(f"{NAME}/_week.html", **context)
    form = SlotsForm(formdata=None, day=max(monday, local_today()) if sunday >= local_today()
                     else monday)
    return render_template(f"{NAME}/calendar.html", form=form, **context)


@bp.route("/calendar/slots", methods=["POST"])
@permission_required(EDIT)
def add_slots() -> Any:
    form = SlotsForm()
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        week = form.day.data.isoformat() if form.day.data else None
        return redirect(url_for(".calendar", week=week))
    start = datetime.combine(form.day.data, form.start.data)
    end = datetime.combine(form.day.data, form.end.data)
    step = timedelta(minutes=form.minutes.data)
    existing = set(db.session.scalars(select(Slot.starts_at).where(
        Slot.starts_at >= start, Slot.starts_at < end)))
    created = 0
    while start + step <= end:
        if start not in existing:
            db.session.add(Slot(starts_at=start, minutes=form.minutes.data,
                                room=(form.room.data or "").strip(),
                                interpreter_language=form.interpreter_language.data or None,
                                created_by=current_user.id))
            created += 1
        start += step
    audit("slots_created", object_type="calendar", object_id=form.day.data.isoformat(),
          plugin=NAME, count=created)
    db.session.commit()
    if created:
        flash(_("%(count)s appointment slots have been added.", count=created), "success")
    else:
        flash(_("No new slots: the time is too short or the slots exist already."), "info")
    return redirect(url_for(".calendar", week=form.day.data.isoformat()))


def book(slot_id: int, form: BookingForm, attempts: int = 8) -> Booking | None:
    """Book the slot for the form's person, or return ``None`` when it is already taken.

    The unique ``slot_id`` of ``consultations_booking`` decides: of two staff members
    booking at the same moment, the database lets exactly one insert through. A person
    created for the booking is rolled back with a failed one.
    """
    new_person = form.person is None
    for attempt in range(attempts):
        try:
            person = form.person_for_saving()
            db.session.flush()
            booking = Booking(slot_id=slot_id, person_id=person.id, booked_by=current_user.id)
            db.session.add(booking)
            db.session.flush()
            audit("slot_booked", object_type="slot", object_id=slot_id, plugin=NAME,
                  person=person.id)
            db.session.commit()
            return booking
        except IntegrityError:
            db.session.rollback()
            return None
        except OperationalError:  # SQLite busy beyond its timeout: try again
            db.session.rollback()
            if new_person:
                form.person = None
            if attempt == attempts - 1:
                raise
            time_module.sleep(0.05 * (attempt + 1))
    return None


@bp.route("/slots/<int:slot_id>/book", methods=["GET", "POST"])
@permission_required(EDIT)
def book_slot(slot_id: int) -> Any:
    slot = db.get_or_404(Slot, slot_id)
    form = BookingForm()
    taken_message = _("This slot has just been booked by someone else. Please choose another.")
    if slot.booking is not None:
        flash(taken_message, "error")
        return render_template(f"{NAME}/book.html", slot=slot, form=form, taken=True), 409
    if request.method == "POST" and form.validate_on_submit() & form.check_person():
        booking = book(slot.id, form)
        if booking is None:
            flash(taken_message, "error")
            return render_template(f"{NAME}/book.html", slot=slot, form=form, taken=True), 409
        assert form.person is not None  # book() saved the form's person
        flash(_("The appointment is booked for %(person)s.", person=form.person.code),
              "success")
        return redirect(url_for(".calendar", week=slot.starts_at.date().isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template(f"{NAME}/book.html", slot=slot, form=form, taken=False), status


@bp.route("/slots/<int:slot_id>/cancel", methods=["POST"])
@permission_required(EDIT)
def cancel_booking(slot_id: int) -> Any:
    slot = db.get_or_404(Slot, slot_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if slot.booking is not None:
        if db.session.scalar(select(Consultation.id).where(Consultation.slot_id == slot.id)):
            flash(_("This appointment already has a consultation record and stays booked."),
                  "error")
        else:
            db.session.delete(slot.booking)
            audit("booking_cancelled", object_type="slot", object_id=slot.id, plugin=NAME)
            db.session.commit()
            flash(_("The booking has been cancelled; the slot is free again."), "success")
    return redirect(url_for(".calendar", week=slot.starts_at.date().isoformat()))


@bp.route("/slots/<int:slot_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delete_slot(slot_id: int) -> Any:
    slot = db.get_or_404(Slot, slot_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    week = slot.starts_at.date().isoformat()
    if slot.booking is not None:
        flash(_("A booked slot cannot be removed. Cancel the booking first."), "error")
    else:
        db.session.delete(slot)
        audit("slot_deleted", object_type="slot", object_id=slot_id, plugin=NAME)
        db.session.commit()
        flash(_("The slot has been removed."), "success")
    return redirect(url_for(".calendar", week=week))


# -- topics -------------------------------------------------------------------------------------


def all_topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.position, Topic.key)))


def topics_page(form: TopicForm | None = None, editing: int | None = None,
                edit_form: TopicForm | None = None, status: int = 200) -> Any:
    topics = all_topics()
    forms = {}
    for topic in topics:
        if topic.id == editing and edit_form is not None:
            forms[topic.id] = edit_form
        else:
            one = TopicForm(formdata=None, prefix=f"t{topic.id}")
            one.fill(topic)
            forms[topic.id] = one
    return render_template(f"{NAME}/topics.html", topics=topics, form=form or TopicForm(
        formdata=None), edit_forms=forms, action=ActionForm(), editing=editing,
        locale=current_locale()), status


@bp.route("/topics")
@permission_required(EDIT)
def topics() -> Any:
    return topics_page()


def unique_key(label: str) -> str:
    base = "".join(c if c.isalnum() else "_" for c in label.lower()).strip("_")[:30] or "topic"
    key, n = base, 1
    while db.session.scalar(select(Topic.id).where(Topic.key == key)) is not None:
        n += 1
        key = f"{base}_{n}"
    return key


@bp.route("/topics", methods=["POST"])
@permission_required(EDIT)
def add_topic() -> Any:
    form = TopicForm()
    if not form.validate_on_submit():
        return topics_page(form=form, status=400)
    last = db.session.scalar(select(func.max(Topic.position))) or 0
    topic = Topic(key=unique_key(form.label_en.data), labels=form.labels(), position=last + 10,
                  active=True)
    db.session.add(topic)
    db.session.flush()
    audit("topic_added", object_type="topic", object_id=topic.id, plugin=NAME, key=topic.key)
    db.session.commit()
    flash(_("The topic has been added."), "success")
    return redirect(url_for(".topics"))


@bp.route("/topics/defaults", methods=["POST"])
@permission_required(EDIT)
def add_default_topics() -> Any:
    from .demo import add_topics

    if not ActionForm().validate_on_submit():
        abort(400)
    added = add_topics()
    audit("topics_defaults_added", object_type="topic", plugin=NAME, count=added)
    db.session.commit()
    flash(_("%(count)s usual topics have been added.", count=added), "success")
    return redirect(url_for(".topics"))


@bp.route("/topics/<int:topic_id>", methods=["POST"])
@permission_required(EDIT)
def rename_topic(topic_id: int) -> Any:
    topic = db.get_or_404(Topic, topic_id)
    form = TopicForm(prefix=f"t{topic.id}")
    if not form.validate_on_submit():
        return topics_page(editing=topic.id, edit_form=form, status=400)
    topic.labels = form.labels()
    audit("topic_renamed", object_type="topic", object_id=topic.id, plugin=NAME)
    db.session.commit()
    flash(_("The topic has been renamed."), "success")
    return redirect(url_for(".topics"))


@bp.route("/topics/<int:topic_id>/move/<direction>", methods=["POST"])
@permission_required(EDIT)
def move_topic(topic_id: int, direction: str) -> Any:
    topic = db.get_or_404(Topic, topic_id)
    if direction not in ("up", "down") or not ActionForm().validate_on_submit():
        abort(404)
    topics = all_topics()
    index = topics.index(topic)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(topics):
        topics[index], topics[other] = topics[other], topics[index]
        for position, each in enumerate(topics, start=1):
            each.position = position * 10
        audit("topic_moved", object_type="topic", object_id=topic.id, plugin=NAME,
              direction=direction)
        db.session.commit()
    return redirect(url_for(".topics"))


@bp.route("/topics/<int:topic_id>/toggle", methods=["POST"])
@permission_required(EDIT)
def toggle_topic(topic_id: int) -> Any:
    topic = db.get_or_404(Topic, topic_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    topic.active = not topic.active
    audit("topic_switched", object_type="topic", object_id=topic.id, plugin=NAME,
          active=topic.active)
    db.session.commit()
    if topic.active:
        flash(_("The topic can be chosen again."), "success")
    else:
        flash(_("The topic is switched off; earlier records keep it."), "success")
    return redirect(url_for(".topics"))
