"""The pages of Berufsorientierung: overview, appointments for application help and their
people, the register of employers and partners, and the events for employers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from intranet.plugin import (
    CheckIn,
    CheckInStatus,
    ConsentForm,
    Offer,
    Person,
    audit,
    choices,
    current_locale,
    current_user,
    db,
    local_now,
    local_today,
    mark_from_record,
    permission_required,
    person_or_404,
    render_area_overview,
    staff_choices,
)

from . import NAME, _, kiosk_purposes, plugin_info
from .forms import (
    CHANNEL_LABELS,
    DOCUMENT_LABELS,
    EMPLOYER_KIND_LABELS,
    EVENT_KIND_LABELS,
    EVENT_LANGUAGES,
    OUTCOME_LABELS,
    PLACE_KIND_LABELS,
    STATUS_LABELS,
    TOPIC_LABELS,
    AppointmentForm,
    ContactForm,
    EmployerForm,
    EventForm,
    OutcomeForm,
    PlaceForm,
)
from .models import (
    EMPLOYER_KINDS,
    Appointment,
    Consent,
    Contact,
    Employer,
    Event,
    Outcome,
    Place,
)

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")

VIEW = f"{NAME}.view"
EDIT = f"{NAME}.edit"


@bp.app_template_global("job_orientation_labels")
def labels() -> dict[str, dict[str, Any]]:
    """The translated labels of the stored keys, for the templates."""
    return {"employer_kind": EMPLOYER_KIND_LABELS, "place_kind": PLACE_KIND_LABELS,
            "channel": CHANNEL_LABELS, "status": STATUS_LABELS, "topic": TOPIC_LABELS,
            "document": DOCUMENT_LABELS, "outcome": OUTCOME_LABELS,
            "event_kind": EVENT_KIND_LABELS}


# --------------------------------------------------------------------------- helpers

def employer_choices() -> list[Any]:
    employers = db.session.scalars(select(Employer).order_by(Employer.name)).all()
    return choices([(0, "–"), *((employer.id, employer.name) for employer in employers)])


def active_consent(person: Person | None) -> Consent | None:
    """The person's consent that is not withdrawn (there is at most one), else ``None``."""
    if person is None or person.id is None:
        return None
    current = Consent.current_consents(person.id)
    return current[0] if current else None


def can_edit() -> bool:
    return bool(current_user.is_authenticated and current_user.has_permission(EDIT))


def open_places(today: date, kind: str | None = None) -> int:
    query = select(func.coalesce(func.sum(Place.count), 0)).where(
        or_(Place.available_until.is_(None), Place.available_until >= today))
    if kind:
        query = query.where(Place.kind == kind)
    return int(db.session.scalar(query) or 0)


# --------------------------------------------------------------------------- overview

@bp.route("/")
@permission_required(VIEW)
def overview() -> str:
    today = local_today()
    start = datetime.combine(today, datetime.min.time())
    numbers = {
        "appointments_today": db.session.scalar(
            select(func.count()).select_from(Appointment).where(
                Appointment.starts_at >= start,
                Appointment.starts_at < start + timedelta(days=1))),
        "internship_places": open_places(today, "internship"),
        "apprenticeship_places": open_places(today, "apprenticeship"),
        "employers": db.session.scalar(select(func.count()).select_from(Employer)),
    }
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(current_locale()),
                                bring=what_to_bring(), numbers=numbers)


def what_to_bring() -> list[str]:
    """What makes application help quick: staff read it out or point at it."""
    return [
        _("CV, if there is one"),
        _("School and work certificates, with translations"),
        _("Letters from the job centre or the employment agency"),
        _("The job advert for the application"),
        _("Access to your own e-mail account"),
    ]


# --------------------------------------------------------------------------- appointments

@bp.route("/appointments")
@permission_required(VIEW)
def appointments() -> str:
    when = request.args.get("when", "upcoming")
    q = request.args.get("q", "").strip()
    today = local_today()
    start = datetime.combine(today, datetime.min.time())
    query = select(Appointment).outerjoin(Person, Appointment.person_id == Person.id)
    if when == "today":
        query = query.where(Appointment.starts_at >= start,
                            Appointment.starts_at < start + timedelta(days=1))
    elif when == "past":
        query = query.where(Appointment.starts_at < start)
    elif when != "all":
        when = "upcoming"
        query = query.where(Appointment.starts_at >= start)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Person.code.ilike(like), Person.nickname.ilike(like)))
    order = (Appointment.starts_at.desc() if when in ("past", "all")
             else Appointment.starts_at.asc())
    found = db.session.scalars(query.order_by(order).limit(200)).all()
    return render_template(f"{NAME}/appointments.html", appointments=found, when=when, q=q)


def _person_from_form(form: AppointmentForm) -> tuple[bool, Person | None]:
    """The person of the code (looked up while the form validated), or a new one from a
    nickname. (ok, person)."""
    nickname = (form.nickname.data or "").strip()
    if form.person_code.data:
        person = form.person_code.person
        return person is not None, person
    if nickname:
        return True, Person(nickname=nickname, first_visit=local_today())
    form.person_code.errors.append(_("Give the person's code, or a nickname for a new person."))
    return False, None


def _save_appointment(form: AppointmentForm, appointment: Appointment,
                      checkin: CheckIn | None = None) -> bool:
    """Validate the person and the consent rule, then store (and finish the waiting
    ticket it was recorded from). False: errors on the form."""
    ok, person = _person_from_form(form)
    description = (form.documents_description.data or "").strip()
    consent = active_consent(person)
    if description and consent is None and not form.consent_now.data:
        form.documents_description.errors.append(_(
            "Without recorded consent no description of documents is kept. Record the "
            "consent (tick the box above) or leave this field empty."))
        ok = False
    if not ok or person is None:
        return False
    if person.id is None:
        db.session.add(person)
        db.session.flush()
    if form.consent_now.data and consent is None:
        db.session.add(Consent(person_id=person.id, given_on=local_today(),
                               recorded_by_id=current_user.id))
        audit("consent_recorded", object_type="person", object_id=person.id, plugin=NAME)
    appointment.person_id = person.id
    appointment.starts_at = datetime.combine(form.day.data, form.time.data)
    appointment.duration_minutes = form.duration.data
    appointment.staff_id = form.staff.data or None
    appointment.status = form.status.data
    appointment.topics = list(form.topics.data or [])
    appointment.documents_brought = list(form.documents_brought.data or [])
    appointment.documents_prepared = list(form.documents_prepared.data or [])
    appointment.documents_description = description
    appointment.note = (form.note.data or "").strip()
    if appointment.id is None:
        db.session.add(appointment)
    if checkin is not None:
        if checkin.person_id is None:
            checkin.person_id = person.id  # the ticket now belongs to this person
        mark_from_record(checkin, CheckInStatus.DONE, current_user.id)
    db.session.commit()
    return True


@bp.route("/appointments/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_appointment() -> str | Response:
    form = AppointmentForm()
    form.staff.choices = staff_choices()
    checkin_id = request.args.get("checkin", type=int)
    checkin = db.session.get(CheckIn, checkin_id) if checkin_id else None
    if checkin is not None and checkin.plugin != NAME:
        checkin = None  # no other area's visitor names, and no other area's ticket moved
    if request.method == "GET":
        now = local_now()
        form.day.data = now.date()
        form.time.data = now.time().replace(second=0, microsecond=0)
        form.staff.data = current_user.id
        form.person_code.data = request.args.get("person", "")
        if checkin is not None:
            form.status.data = "held"
            if checkin.person is not None:
                form.person_code.data = checkin.person.code
            else:
                form.nickname.data = checkin.first_name or ""
            if mark_from_record(checkin, CheckInStatus.IN_PROGRESS, current_user.id):
                db.session.commit()  # the queue shows the visitor as being seen now
    appointment = Appointment()
    if form.validate_on_submit() and _save_appointment(form, appointment, checkin):
        flash(_("Appointment saved."), "success")
        assert appointment.person is not None  # _save_appointment() linked one
        return redirect(url_for(".person", code=appointment.person.code))
    return render_template(f"{NAME}/appointment_form.html", form=form, appointment=None,
                           consent=None)


@bp.route("/appointments/<int:appointment_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_appointment(appointment_id: int) -> str | Response:
    appointment = db.get_or_404(Appointment, appointment_id)
    form = AppointmentForm(obj=None)
    form.staff.choices = staff_choices()
    if request.method == "GET":
        form.day.data = appointment.starts_at.date()
        form.time.data = appointment.starts_at.time()
        form.duration.data = appointment.duration_minutes
        form.staff.data = appointment.staff_id
        form.person_code.data = appointment.person.code if appointment.person else ""
        form.status.data = appointment.status
        form.topics.data = appointment.topics
        form.documents_brought.data = appointment.documents_brought
        form.documents_prepared.data = appointment.documents_prepared
        form.documents_description.data = appointment.documents_description
        form.note.data = appointment.note
    if form.validate_on_submit() and _save_appointment(form, appointment):
        flash(_("Appointment saved."), "success")
        assert appointment.person is not None  # _save_appointment() linked one
        return redirect(url_for(".person", code=appointment.person.code))
    return render_template(f"{NAME}/appointment_form.html", form=form, appointment=appointment,
                           consent=active_consent(appointment.person))


# --------------------------------------------------------------------------- people

@bp.route("/people/<code>")
@permission_required(VIEW)
def person(code: str) -> str:
    found = person_or_404(code)
    outcome_form = OutcomeForm()
    outcome_form.employer.choices = employer_choices()
    outcome_form.day.data = local_today()
    consent_form = ConsentForm()
    consent_form.given_on.data = local_today()
    return _person_page(found, outcome_form, consent_form)


def _person_page(found: Person, outcome_form: OutcomeForm, consent_form: ConsentForm) -> str:
    booked = db.session.scalars(select(Appointment).where(Appointment.person_id == found.id)
                                .order_by(Appointment.starts_at.desc())).all()
    outcomes = db.session.scalars(select(Outcome).where(Outcome.person_id == found.id)
                                  .order_by(Outcome.day.desc(), Outcome.id.desc())).all()
    return render_template(f"{NAME}/person.html", person=found, appointments=booked,
                           outcomes=outcomes, consents=Consent.of_person(found.id),
                           consent=active_consent(found), outcome_form=outcome_form,
                           consent_form=consent_form, can_edit=can_edit())


@bp.route("/people/<code>/outcomes", methods=["POST"])
@permission_required(EDIT)
def add_outcome(code: str) -> str | Response:
    found = person_or_404(code)
    form = OutcomeForm()
    form.employer.choices = employer_choices()
    if form.validate_on_submit():
        db.session.add(Outcome(person_id=found.id, kind=form.kind.data, day=form.day.data,
                               employer_id=form.employer.data or None,
                               note=(form.note.data or "").strip(),
                               recorded_by_id=current_user.id))
        db.session.commit()
        flash(_("Outcome recorded."), "success")
        return redirect(url_for(".person", code=found.code))
    consent_form = ConsentForm()
    consent_form.given_on.data = local_today()
    flash(_("The outcome was not saved: please check the form."), "error")
    return _person_page(found, form, consent_form)


@bp.route("/people/<code>/outcomes/<int:outcome_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delete_outcome(code: str, outcome_id: int) -> Response:
    found = person_or_404(code)
    outcome = db.get_or_404(Outcome, outcome_id)
    if outcome.person_id != found.id:
        abort(404)  # another person's outcome
    db.session.delete(outcome)
    db.session.commit()
    flash(_("Outcome removed."), "success")
    return redirect(url_for(".person", code=found.code))


@bp.route("/people/<code>/consent", methods=["POST"])
@permission_required(EDIT)
def record_consent(code: str) -> str | Response:
    found = person_or_404(code)
    form = ConsentForm()
    if not form.validate_on_submit():
        outcome_form = OutcomeForm(formdata=None)
        outcome_form.employer.choices = employer_choices()
        outcome_form.day.data = local_today()
        flash(_("The consent was not recorded: please check the date."), "error")
        return _person_page(found, outcome_form, form)
    if active_consent(found) is None:
        db.session.add(Consent(person_id=found.id, given_on=form.given_on.data,
                               recorded_by_id=current_user.id))
        audit("consent_recorded", object_type="person", object_id=found.id, plugin=NAME)
        db.session.commit()
        flash(_("Consent to keep a description of the documents recorded."), "success")
    else:
        flash(_("Consent was already recorded."), "info")
    return redirect(url_for(".person", code=found.code))


@bp.route("/people/<code>/consent/withdraw", methods=["POST"])
@permission_required(EDIT)
def withdraw_consent(code: str) -> Response:
    found = person_or_404(code)
    consent = active_consent(found)
    if consent is None:
        abort(404)  # nothing to withdraw
    consent.withdraw()
    cleared = 0
    for appointment in db.session.scalars(select(Appointment).where(
            Appointment.person_id == found.id, Appointment.documents_description != "")):
        appointment.documents_description = ""
        cleared += 1
    audit("consent_withdrawn", object_type="person", object_id=found.id, plugin=NAME,
          descriptions_cleared=cleared)
    db.session.commit()
    flash(_("Consent withdrawn; the descriptions of documents were deleted."), "success")
    return redirect(url_for(".person", code=found.code))


# --------------------------------------------------------------------------- employers

@bp.route("/employers")
@permission_required(VIEW)
def employers() -> str:
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    query = select(Employer)
    if kind in EMPLOYER_KINDS:
        query = query.where(Employer.kind == kind)
    else:
        kind = ""
    if q:
        like = f"%{q}%"
        query = query.where(or_(
            Employer.name.ilike(like), Employer.contact_person.ilike(like),
            Employer.id.in_(select(Place.employer_id).where(Place.field.ilike(like)))))
    found = db.session.scalars(query.order_by(Employer.name)).all()
    total = db.session.scalar(select(func.count()).select_from(Employer))
    return render_template(f"{NAME}/employers.html", employers=found, q=q, kind=kind,
                           kinds=EMPLOYER_KINDS, total=total, today=local_today())


@bp.route("/employers/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_employer() -> str | Response:
    form = EmployerForm()
    if form.validate_on_submit():
        employer = Employer()
        form.populate_obj(employer)
        db.session.add(employer)
        db.session.commit()
        flash(_("%(name)s added. Now add the places it offers.", name=employer.name),
              "success")
        return redirect(url_for(".employer", employer_id=employer.id))
    return render_template(f"{NAME}/employer_form.html", form=form, employer=None)


@bp.route("/employers/<int:employer_id>")
@permission_required(VIEW)
def employer(employer_id: int) -> str:
    found = db.get_or_404(Employer, employer_id)
    place_form = PlaceForm(formdata=None)
    contact_form = ContactForm(formdata=None)
    contact_form.staff.choices = staff_choices()
    contact_form.staff.data = current_user.id
    contact_form.day.data = local_today()
    return _employer_page(found, place_form, contact_form)


def _employer_page(found: Employer, place_form: PlaceForm, contact_form: ContactForm) -> str:
    outcomes = db.session.scalar(select(func.count()).select_from(Outcome)
                                 .where(Outcome.employer_id == found.id))
    return render_template(f"{NAME}/employer.html", employer=found, place_form=place_form,
                           contact_form=contact_form, today=local_today(),
                           outcomes=outcomes, can_edit=can_edit())


@bp.route("/employers/<int:employer_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_employer(employer_id: int) -> str | Response:
    found = db.get_or_404(Employer, employer_id)
    form = EmployerForm(obj=found)
    if form.validate_on_submit():
        form.populate_obj(found)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".employer", employer_id=found.id))
    return render_template(f"{NAME}/employer_form.html", form=form, employer=found)


@bp.route("/employers/<int:employer_id>/places", methods=["POST"])
@permission_required(EDIT)
def add_place(employer_id: int) -> str | Response:
    found = db.get_or_404(Employer, employer_id)
    form = PlaceForm()
    if form.validate_on_submit():
        place = Place(employer_id=found.id)
        form.populate_obj(place)
        db.session.add(place)
        db.session.commit()
        flash(_("Places added."), "success")
        return redirect(url_for(".employer", employer_id=found.id))
    contact_form = ContactForm(formdata=None)
    contact_form.staff.choices = staff_choices()
    contact_form.staff.data = current_user.id
    contact_form.day.data = local_today()
    flash(_("The places were not saved: please check the form."), "error")
    return _employer_page(found, form, contact_form)


@bp.route("/employers/<int:employer_id>/places/<int:place_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_place(employer_id: int, place_id: int) -> str | Response:
    place = db.get_or_404(Place, place_id)
    if place.employer_id != employer_id:
        abort(404)  # a place of another employer
    form = PlaceForm(obj=place)
    if form.validate_on_submit():
        form.populate_obj(place)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".employer", employer_id=employer_id))
    return render_template(f"{NAME}/place_form.html", form=form, place=place)


@bp.route("/employers/<int:employer_id>/places/<int:place_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delete_place(employer_id: int, place_id: int) -> Response:
    place = db.get_or_404(Place, place_id)
    if place.employer_id != employer_id:
        abort(404)  # a place of another employer
    db.session.delete(place)
    db.session.commit()
    flash(_("Places removed."), "success")
    return redirect(url_for(".employer", employer_id=employer_id))


@bp.route("/employers/<int:employer_id>/contacts", methods=["POST"])
@permission_required(EDIT)
def add_contact(employer_id: int) -> str | Response:
    found = db.get_or_404(Employer, employer_id)
    form = ContactForm()
    form.staff.choices = staff_choices()
    if form.validate_on_submit():
        db.session.add(Contact(employer_id=found.id, day=form.day.data,
                               staff_id=form.staff.data or None, channel=form.channel.data,
                               note=(form.note.data or "").strip()))
        db.session.commit()
        flash(_("Contact recorded."), "success")
        return redirect(url_for(".employer", employer_id=found.id))
    flash(_("The contact was not saved: please check the form."), "error")
    return _employer_page(found, PlaceForm(formdata=None), form)


# --------------------------------------------------------------------------- events

@bp.route("/events")
@permission_required(VIEW)
def events() -> str:
    today = local_today()
    base = select(Event).join(Offer, Event.offer_id == Offer.id)
    upcoming = db.session.scalars(base.where(Offer.first_date >= today)
                                  .order_by(Offer.first_date, Offer.start_time)).all()
    past = db.session.scalars(base.where(Offer.first_date < today)
                              .order_by(Offer.first_date.desc()).limit(30)).all()
    return render_template(f"{NAME}/events.html", upcoming=upcoming, past=past,
                           locale=current_locale())


def _fill_offer(form: EventForm, offer: Offer) -> None:
    offer.service_area = NAME
    offer.weekly = False
    offer.first_date = form.day.data
    offer.last_date = None
    offer.start_time = form.start_time.data
    offer.end_time = form.end_time.data
    offer.room = (form.room.data or "").strip()
    offer.titles = {code: value.strip() for code in EVENT_LANGUAGES
                    if (value := getattr(form, f"title_{code}").data or "").strip()}
    offer.descriptions = {code: value.strip() for code in ("de", "en")
                          if (value := getattr(form, f"description_{code}").data or "").strip()}
    offer.languages = [code for code in EVENT_LANGUAGES if code in (form.languages.data or [])]
    offer.registration_needed = bool(form.registration_needed.data)


@bp.route("/events/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_event() -> str | Response:
    form = EventForm()
    if form.validate_on_submit():
        offer = Offer()
        _fill_offer(form, offer)
        db.session.add(offer)
        db.session.flush()
        db.session.add(Event(offer_id=offer.id, kind=form.kind.data,
                             employers_attending=form.employers_attending.data,
                             created_by_id=current_user.id))
        db.session.commit()
        flash(_("Event created: it now appears in the programme."), "success")
        return redirect(url_for(".events"))
    return render_template(f"{NAME}/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_event(event_id: int) -> str | Response:
    event = db.get_or_404(Event, event_id)
    offer = event.offer
    form = EventForm()
    if request.method == "GET":
        form.kind.data = event.kind
        form.day.data = offer.first_date
        form.start_time.data = offer.start_time
        form.end_time.data = offer.end_time
        form.room.data = offer.room
        for code in EVENT_LANGUAGES:
            getattr(form, f"title_{code}").data = offer.titles.get(code, "")
        form.description_de.data = offer.descriptions.get("de", "")
        form.description_en.data = offer.descriptions.get("en", "")
        form.languages.data = list(offer.languages)
        form.registration_needed.data = offer.registration_needed
        form.employers_attending.data = event.employers_attending
    if form.validate_on_submit():
        _fill_offer(form, offer)
        event.kind = form.kind.data
        event.employers_attending = form.employers_attending.data
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".events"))
    return render_template(f"{NAME}/event_form.html", form=form, event=event)
