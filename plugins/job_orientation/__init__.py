"""Berufsorientierung: the way into work and training.

Help with applications (CV, cover letter, documents), the job centre's
consultation hour on site and information events for employers, together with
the job centre, the employment agency and youth vocational help.
"""

from __future__ import annotations

import secrets
import typing
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, String, cast, func, or_, select, update
from sqlalchemy.orm import joinedload

from intranet.plugin import (
    CheckIn,
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    NavItem,
    Offer,
    Purpose,
    ServiceArea,
    Widget,
    WidgetItem,
    db,
    hookimpl,
    plugin_domain,
)

NAME = "job_orientation"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Who the area is (title, letter, kiosk tiles, rights) is declared at the end of
# this module: ``area``, which also supplies the usual hooks.

from . import models as models  # noqa: E402  (the tables, for metadata and migrations)


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    from .models import Appointment, Place

    start = datetime.combine(today, datetime.min.time())
    todays = db.session.scalars(
        select(Appointment).where(Appointment.starts_at >= start,
                                  Appointment.starts_at < start + timedelta(days=1),
                                  Appointment.status != "missed")
        .order_by(Appointment.starts_at)
        .options(joinedload(Appointment.person), joinedload(Appointment.staff))).all()
    items = [WidgetItem(
        label=f"{a.starts_at:%H:%M} {a.person.code if a.person else ''}".strip(),
        value=a.staff.name if a.staff else "",
        endpoint=f"{NAME}.person" if a.person else f"{NAME}.appointments",
        url_values={"code": a.person.code} if a.person else {"when": "today"})
        for a in todays]
    places = {kind: int(db.session.scalar(
        select(func.coalesce(func.sum(Place.count), 0)).where(
            Place.kind == kind,
            or_(Place.available_until.is_(None), Place.available_until >= today))) or 0)
        for kind in ("internship", "apprenticeship")}
    items.append(WidgetItem(label=_("Open internship places"), value=str(places["internship"]),
                            endpoint=f"{NAME}.employers"))
    items.append(WidgetItem(label=_("Open apprenticeship places"),
                            value=str(places["apprenticeship"]), endpoint=f"{NAME}.employers"))
    return [
        area.todays_offers_widget(today),
        Widget(title=_("Application help today"), items=tuple(items),
               empty_text=_("No appointments today."), order=31,
               permission=f"{NAME}.view"),
    ]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    from .forms import OUTCOME_LABELS, PLACE_KIND_LABELS
    from .models import OUTCOME_KINDS, PLACE_KINDS, Appointment, Contact, Event, Outcome, Place

    first = datetime.combine(start, datetime.min.time())
    after = datetime.combine(end + timedelta(days=1), datetime.min.time())
    held = db.session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.starts_at >= first, Appointment.starts_at < after,
        Appointment.status != "missed"))
    missed = db.session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.starts_at >= first, Appointment.starts_at < after,
        Appointment.status == "missed"))
    someone = func.coalesce(cast(Appointment.person_id, String), Appointment.erased_as)
    people = db.session.scalar(select(func.count(func.distinct(someone))).where(
        Appointment.starts_at >= first, Appointment.starts_at < after,
        Appointment.status != "missed"))
    outcomes: dict[str, int] = dict(db.session.execute(
        select(Outcome.kind, func.count()).where(Outcome.day.between(start, end))
        .group_by(Outcome.kind)).all())
    contacted = db.session.scalar(select(func.count(func.distinct(Contact.employer_id)))
                                  .where(Contact.day.between(start, end)))
    places: dict[str, int] = dict(db.session.execute(
        select(Place.kind, func.coalesce(func.sum(Place.count), 0)).where(
            or_(Place.available_from.is_(None), Place.available_from <= end),
            or_(Place.available_until.is_(None), Place.available_until >= start))
        .group_by(Place.kind)).all())
    events = db.session.scalar(select(func.count()).select_from(Event).join(
        Offer, Event.offer_id == Offer.id).where(Offer.first_date.between(start, end)))
    metrics = area.offer_metrics(start, end, offered=_l("Job orientation dates offered"),
                                 cancelled=_l("Job orientation dates cancelled"),
                                 checkins=_l("Check-ins for job orientation"))
    metrics += [
        Metric(key=f"{NAME}.appointments", label=_l("Appointments for application help"),
               value=held or 0, order=13),
        Metric(key=f"{NAME}.appointments_missed", label=_l("Appointments missed"),
               value=missed or 0, order=14),
        Metric(key=f"{NAME}.people_helped", label=_l("People helped with applications"),
               value=people or 0, order=15),
        Metric(key=f"{NAME}.employers_contacted", label=_l("Employers and partners contacted"),
               value=contacted or 0, order=16),
        Metric(key=f"{NAME}.events", label=_l("Events for employers and contact meetings"),
               value=events or 0, order=17),
    ]
    metrics += [Metric(key=f"{NAME}.places.{kind}", label=PLACE_KIND_LABELS[kind],
                       value=int(places.get(kind, 0)), group=_l("Places offered"),
                       order=20 + n)
                for n, kind in enumerate(PLACE_KINDS)]
    metrics += [Metric(key=f"{NAME}.outcomes.{kind}", label=OUTCOME_LABELS[kind],
                       value=int(outcomes.get(kind, 0)), group=_l("Outcomes"), order=30 + n)
                for n, kind in enumerate(OUTCOME_KINDS)]
    return metrics


@hookimpl
def queue_actions(checkin: CheckIn) -> list[NavItem]:
    if checkin.plugin != NAME:
        return []
    return [NavItem(label=_l("Record application help"), endpoint=f"{NAME}.new_appointment",
                    pictogram="calendar-plus", url_values={"checkin": checkin.id},
                    permission=area.edit_right)]


@hookimpl
def export_person(person: Any) -> ExportSection:
    from .models import Appointment, Consent, Outcome

    records: list[dict[str, Any]] = []
    for a in db.session.scalars(select(Appointment).where(Appointment.person_id == person.id)
                                .order_by(Appointment.starts_at)):
        records.append({
            "record": "appointment", "starts_at": a.starts_at.isoformat(timespec="minutes"),
            "duration_minutes": a.duration_minutes, "staff": a.staff.name if a.staff else "",
            "status": a.status, "topics": ", ".join(a.topics),
            "documents_brought": ", ".join(a.documents_brought),
            "documents_prepared": ", ".join(a.documents_prepared),
            "documents_description": a.documents_description, "note": a.note})
    for o in db.session.scalars(select(Outcome).where(Outcome.person_id == person.id)
                                .order_by(Outcome.day)):
        records.append({"record": "outcome", "kind": o.kind, "date": o.day.isoformat(),
                        "employer": o.employer.name if o.employer else "", "note": o.note})
    for c in db.session.scalars(select(Consent).where(Consent.person_id == person.id)
                                .order_by(Consent.given_on)):
        records.append({"record": "consent to keep a description of documents",
                        "given_on": c.given_on.isoformat(),
                        "recorded_by": c.recorded_by.name if c.recorded_by else "",
                        "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else ""})
    return ExportSection(title=_l("Job orientation"), records=tuple(records))


# How many appointments a person's page shows in the activity box, the latest first.
ACTIVITY_APPOINTMENTS = 10


@hookimpl
def person_activity(person: Any, user: Any) -> list[Widget]:
    """A box on the core's person page: appointments, outcomes and the documents consent.

    The whole box needs the view permission (the core hides it from everybody else);
    notes and descriptions of documents stay on the plugin's own person page.
    """
    from flask_babel import format_date

    from .forms import OUTCOME_LABELS, STATUS_LABELS, TOPIC_LABELS
    from .models import Appointment, Consent, Outcome

    booked = db.session.scalars(select(Appointment).where(Appointment.person_id == person.id)
                                .order_by(Appointment.starts_at.desc(),
                                          Appointment.id.desc())).all()
    outcomes = db.session.scalars(select(Outcome).where(Outcome.person_id == person.id)
                                  .order_by(Outcome.day.desc(), Outcome.id.desc())).all()
    consents = db.session.scalars(select(Consent).where(Consent.person_id == person.id)
                                  .order_by(Consent.given_on.desc(), Consent.id.desc())).all()
    if not (booked or outcomes or consents):
        return []
    link: dict[str, Any] = {"endpoint": f"{NAME}.person", "url_values": {"code": person.code}}
    items: list[WidgetItem] = []
    for a in booked[:ACTIVITY_APPOINTMENTS]:
        when = f"{format_date(a.starts_at.date(), 'medium')} {a.starts_at:%H:%M}"
        topics = ", ".join(str(TOPIC_LABELS.get(t, t)) for t in a.topics)
        label = (_("Appointment on %(date)s: %(topics)s", date=when, topics=topics) if topics
                 else _("Appointment on %(date)s", date=when))
        items.append(WidgetItem(label=label, value=str(STATUS_LABELS.get(a.status, a.status)),
                                **link))
    if len(booked) > ACTIVITY_APPOINTMENTS:
        items.append(WidgetItem(label=domain.ngettext(
            "%(num)s earlier appointment", "%(num)s earlier appointments",
            len(booked) - ACTIVITY_APPOINTMENTS), **link))
    for o in outcomes:
        items.append(WidgetItem(
            label=_("Outcome: %(kind)s", kind=str(OUTCOME_LABELS.get(o.kind, o.kind))),
            value=format_date(o.day, "medium"), **link))
    for c in consents:
        value = (_("withdrawn on %(date)s", date=format_date(c.withdrawn_on, "medium"))
                 if c.withdrawn_on else
                 _("given on %(date)s", date=format_date(c.given_on, "medium")))
        items.append(WidgetItem(label=_("Consent to keep a description of documents"),
                                value=value, **link))
    return [Widget(title=_("Job orientation"), items=tuple(items), order=30,
                   permission=f"{NAME}.view")]


@hookimpl
def merge_persons(source: Any, target: Any) -> MergeReport:
    """Move appointments, outcomes and consents to ``target`` (no commit: the core's
    transaction). A person has at most one active consent: if both had one, the earliest
    stays and the later one, which it already covers, is deleted."""
    from .models import Appointment, Consent, Outcome

    appointments = typing.cast(CursorResult[Any], db.session.execute(
        update(Appointment).where(Appointment.person_id == source.id)
        .values(person_id=target.id))).rowcount or 0
    outcomes = typing.cast(CursorResult[Any], db.session.execute(
        update(Outcome).where(Outcome.person_id == source.id)
        .values(person_id=target.id))).rowcount or 0
    consents = typing.cast(CursorResult[Any], db.session.execute(
        update(Consent).where(Consent.person_id == source.id)
        .values(person_id=target.id))).rowcount or 0
    active = db.session.scalars(select(Consent).where(
        Consent.person_id == target.id, Consent.withdrawn_on.is_(None))
        .order_by(Consent.given_on, Consent.id)).all()
    for later in active[1:]:
        db.session.delete(later)
    detail = (f"{appointments} appointments, {outcomes} outcomes and "
              f"{consents} consent records moved")
    if len(active) > 1:
        detail += f"; {len(active) - 1} later active consent deleted, the earliest kept"
    return MergeReport(records_moved=appointments + outcomes + consents, detail=detail)


@hookimpl
def erase_person(person: Any) -> ErasureReport:
    """Detach appointments and outcomes (their counts stay), clear what they say about the
    person, and delete the consent records."""
    from .models import Appointment, Consent, Outcome

    appointments = typing.cast(CursorResult[Any], db.session.execute(
        update(Appointment).where(Appointment.person_id == person.id)
        .values(person_id=None, erased_as=f"erased-{secrets.token_hex(8)}",
                documents_description="", note=""))).rowcount
    outcomes = typing.cast(CursorResult[Any], db.session.execute(
        update(Outcome).where(Outcome.person_id == person.id)
        .values(person_id=None, note=""))).rowcount
    consents = typing.cast(CursorResult[Any], db.session.execute(
        Consent.__table__.delete().where(Consent.person_id == person.id))).rowcount
    return ErasureReport(
        records_erased=appointments + outcomes + consents,
        detail=f"{appointments} appointments and {outcomes} outcomes anonymised, "
               f"{consents} consent records deleted")


# -- the area: who it is, and the usual hooks made from that ----------------------------

area = ServiceArea(
    name=NAME, title=_l("Job orientation"), ticket_letter="J", order=30,
    colour="#9c4100", pictogram="briefcase",
    description=_l("Help with applications, internships and "
                   "the way into work and training."),
    purposes=[Purpose("application_help", _l("Help with job applications"), "file-cv"),
              Purpose("job_centre", _l("Job centre consultation hour"), "building")],
    rights={"view": _l("See job orientation"),
            "edit": _l("Record appointments, outcomes, employers and events")},
    blueprint=f"{__name__}.views:bp", demo=f"{__name__}.demo:add_demo_data",
    today_title=_l("Job orientation today"), today_empty=_l("No job orientation offer today."),
)

plugin_info = area.plugin_info
register_blueprints = area.register_blueprints
navigation = area.navigation
kiosk_purposes = area.kiosk_purposes
permissions = area.permissions
load_demo_data = area.load_demo_data
from .retention import retention_rules as retention_rules  # noqa: E402  (hook: retention)
