"""Beratung: counselling for refugees and migrants, walk-in and by appointment.

Residence and asylum, benefits and job-centre letters, housing, health, family,
debts, often with an interpreter. Whatever is noted in a consultation is
confidential social data, so reading notes is a right of its own
(``consultations.read_notes``) apart from seeing the area.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, delete, func, select, update
from sqlalchemy.orm import joinedload

from intranet.plugin import (
    CheckIn,
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    NavItem,
    Person,
    Purpose,
    ServiceArea,
    Widget,
    WidgetItem,
    audit,
    current_locale,
    db,
    hookimpl,
    language_name,
    local_now,
    plugin_domain,
)

from . import models  # noqa: F401  (puts consultations_topic into the metadata)

NAME = "consultations"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l = domain.lazy_gettext

# Who the area is (title, letter, kiosk tiles, rights) is declared at the end of
# this module: ``area``, which also supplies the usual hooks.


@hookimpl
def queue_actions(checkin: CheckIn) -> list[NavItem]:
    """One click from a counselling ticket in the live queue to a new, linked record."""
    if checkin.plugin != NAME:
        return []
    return [NavItem(label=_l("Open consultation"), endpoint=f"{NAME}.new_record",
                    pictogram="notes", permission=area.edit_right,
                    url_values={"checkin": checkin.id})]


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    from .models import Booking, Consultation, Slot

    day_start = datetime.combine(today, time())
    bookings = db.session.scalars(
        select(Booking).join(Slot).where(Slot.starts_at >= day_start,
                                         Slot.starts_at < day_start + timedelta(days=1))
        .order_by(Slot.starts_at)
        .options(joinedload(Booking.slot), joinedload(Booking.person))).all()
    appointments = tuple(
        WidgetItem(label=booking.slot.starts_at.strftime("%H:%M"),
                   value=booking.person.code if booking.person else "–",
                   endpoint=f"{NAME}.calendar", url_values={"week": today.isoformat()})
        for booking in bookings)
    due = db.session.scalars(
        select(Consultation).where(Consultation.follow_up_on <= today,
                                   Consultation.follow_up_done.is_(False))
        .order_by(Consultation.follow_up_on, Consultation.id).limit(10)
        .options(joinedload(Consultation.person))).all()
    follow_ups = tuple(
        WidgetItem(label=record.person.code if record.person else _("(erased)"),
                   value=record.follow_up_on.strftime("%d.%m.") if record.follow_up_on else "",
                   endpoint=f"{NAME}.record", url_values={"record_id": record.id})
        for record in due)
    return [
        area.todays_offers_widget(today),
        Widget(title=_("Appointments today"), items=appointments, order=11,
               empty_text=_("No appointments booked for today."),
               permission=f"{NAME}.view"),
        Widget(title=_("Follow-ups due"), items=follow_ups, order=12,
               empty_text=_("No follow-ups are due."), permission=f"{NAME}.view"),
    ]


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    from .models import APPOINTMENT, WALK_IN, Consultation, Topic, record_topic

    # Counted in SQL (GROUP BY), not by loading every record: a year of a busy meeting
    # point is tens of thousands of consultations, and the statements stay the same few.
    held = and_(Consultation.held_at >= datetime.combine(start, time()),
                Consultation.held_at < datetime.combine(end + timedelta(days=1), time()))
    total, walk_ins, appointments, interpreted, referrals, follow_ups = db.session.execute(
        select(func.count(Consultation.id),
               func.count(case((Consultation.kind == WALK_IN, 1))),
               func.count(case((Consultation.kind == APPOINTMENT, 1))),
               func.count(Consultation.interpreter_language),
               func.count(case((func.coalesce(Consultation.referral, "") != "", 1))),
               func.count(Consultation.follow_up_on)).where(held)).one()
    topic_counts: Counter[int] = Counter(dict(db.session.execute(
        select(record_topic.c.topic_id, func.count())
        .join(Consultation, Consultation.id == record_topic.c.record_id)
        .where(held).group_by(record_topic.c.topic_id)).all()))
    language_counts: dict[str, int] = dict(db.session.execute(
        select(Consultation.language, func.count()).where(held)
        .group_by(Consultation.language)).all())
    metrics = area.offer_metrics(start, end, offered=_l("Consultation hours offered"),
                                 cancelled=_l("Consultation hours cancelled"),
                                 checkins=_l("Check-ins for a consultation"))
    metrics += [
        Metric(key=f"{NAME}.consultations", label=_l("Consultations held"),
               value=total, order=13),
        Metric(key=f"{NAME}.walk_in", label=_l("Walk-in"), group=_l("Consultations by kind"),
               value=walk_ins, order=14),
        Metric(key=f"{NAME}.appointment", label=_l("By appointment"),
               group=_l("Consultations by kind"),
               value=appointments, order=15),
        Metric(key=f"{NAME}.with_interpreter", label=_l("Consultations with an interpreter"),
               value=interpreted, order=16),
        Metric(key=f"{NAME}.referrals", label=_l("Referrals to other services"),
               value=referrals, order=17),
        Metric(key=f"{NAME}.follow_ups", label=_l("Follow-up appointments planned"),
               value=follow_ups, order=18),
    ]
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.key)).all()
    locale = current_locale()
    metrics += [Metric(key=f"{NAME}.topic.{t.key}", label=t.label(locale),
                       group=_l("Consultations by topic"), value=topic_counts[t.id],
                       order=20 + n)
                for n, t in enumerate(topics) if t.active or topic_counts[t.id]]
    metrics += [Metric(key=f"{NAME}.language.{code}", label=language_name(code),
                       group=_l("Consultations by language"), value=count, order=60)
                for code, count in sorted(language_counts.items())]
    return metrics


@hookimpl
def export_person(person: Person) -> ExportSection:
    """Everything Beratung holds about a person, notes included (Art. 15 GDPR)."""
    from .models import Booking, Consent, Consultation, Release, Slot

    records: list[dict[str, Any]] = []
    for record in db.session.scalars(select(Consultation).where(
            Consultation.person_id == person.id).order_by(Consultation.held_at)):
        records.append({
            "type": "consultation", "held_at": record.held_at, "kind": record.kind,
            "minutes": record.minutes, "topics": [t.key for t in record.topics],
            "language": record.language, "interpreter_language": record.interpreter_language,
            "interpreter": record.interpreter_name, "outcome": record.outcome,
            "referral": record.referral, "follow_up_on": record.follow_up_on,
            "follow_up_done": record.follow_up_done, "note": record.note,
            "ticket": record.checkin.ticket if record.checkin else None,
        })
        if record.note:
            audit("note_read", object_type="consultation", object_id=record.id, plugin=NAME,
                  page="export")
    for booking in db.session.scalars(select(Booking).join(Slot).where(
            Booking.person_id == person.id).order_by(Slot.starts_at)):
        records.append({"type": "appointment", "starts_at": booking.slot.starts_at,
                        "minutes": booking.slot.minutes, "room": booking.slot.room,
                        "booked_at": booking.booked_at})
    for consent in db.session.scalars(select(Consent).where(Consent.person_id == person.id)):
        records.append({"type": "consent", "purpose": consent.purpose,
                        "given_on": consent.given_on, "withdrawn_on": consent.withdrawn_on})
    for release in db.session.scalars(select(Release).where(Release.person_id == person.id)):
        records.append({"type": "release_from_confidentiality", "recipient": release.recipient,
                        "scope": release.scope, "signed_on": release.signed_on,
                        "expires_on": release.expires_on})
    return ExportSection(title=str(_l("Consultations")), records=tuple(records))


# How many consultations the box on the core's person page lists, the latest first.
ACTIVITY_RECORDS = 10


@hookimpl
def person_activity(person: Person, user: Any) -> list[Widget]:
    """Boxes on the core's person page: her consultations and her upcoming appointments.

    Both boxes need ``consultations.view`` (the core hides them from everybody else). The
    confidential note never appears here, whatever the user's rights: it stays on the
    record's page, where every read is audited.
    """
    from flask_babel import format_date

    from .models import APPOINTMENT, Booking, Consultation, Slot

    records = db.session.scalars(select(Consultation).where(
        Consultation.person_id == person.id)
        .order_by(Consultation.held_at.desc(), Consultation.id.desc())).all()
    upcoming = db.session.scalars(select(Booking).join(Slot).where(
        Booking.person_id == person.id, Slot.starts_at >= local_now())
        .order_by(Slot.starts_at, Slot.id)).all()
    if not (records or upcoming):
        return []
    locale = current_locale()

    def when(moment: datetime) -> str:  # local wall-clock time: no time-zone shift
        return f"{format_date(moment.date(), 'medium')} {moment:%H:%M}"

    consultations = []
    for record in records[:ACTIVITY_RECORDS]:
        kind = _("By appointment") if record.kind == APPOINTMENT else _("Walk-in")
        value = [", ".join(topic.label(locale) for topic in record.topics) or _("No topic")]
        if record.follow_up_due:
            value.append(_("follow-up due %(date)s",
                           date=format_date(record.follow_up_on, "medium")))
        consultations.append(WidgetItem(
            label=f"{when(record.held_at)} · {kind}", value=" · ".join(value),
            endpoint=f"{NAME}.record", url_values={"record_id": record.id}))
    if len(records) > ACTIVITY_RECORDS:
        consultations.append(WidgetItem(
            label=domain.ngettext("%(num)s earlier consultation",
                                  "%(num)s earlier consultations",
                                  len(records) - ACTIVITY_RECORDS),
            endpoint=f"{NAME}.person", url_values={"code": person.code}))
    appointments = tuple(
        WidgetItem(label=when(booking.slot.starts_at), value=booking.slot.room,
                   endpoint=f"{NAME}.calendar",
                   url_values={"week": booking.slot.starts_at.date().isoformat()})
        for booking in upcoming)
    return [
        Widget(title=_("Consultations"), items=tuple(consultations), order=10,
               empty_text=_("No consultations with this person yet."),
               permission=f"{NAME}.view"),
        Widget(title=_("Upcoming appointments"), items=appointments, order=11,
               empty_text=_("No upcoming appointments."), permission=f"{NAME}.view"),
    ]


@hookimpl
def merge_persons(source: Person, target: Person) -> MergeReport:
    """Move consultations, bookings, consents and releases to ``target`` (no commit: this
    runs in the core's transaction).

    Nothing can collide: a slot has one booking whoever holds it, and a record keeps its
    unique ticket and slot. A consent both records gave for the same purpose stays as two
    rows: each is a signature of its own, with its own date.
    """
    from .models import Booking, Consent, Consultation, Release

    moved = {}
    for label, model in (("consultations", Consultation), ("bookings", Booking),
                         ("consents", Consent), ("releases", Release)):
        moved[label] = cast(CursorResult[Any], db.session.execute(
            update(model).where(model.person_id == source.id)
            .values(person_id=target.id))).rowcount or 0
    return MergeReport(records_moved=sum(moved.values()),
                       detail=", ".join(f"{count} {label}" for label, count in moved.items())
                       + " moved")


# What an erased record's referral says: still "referred" for the report, no text.
ERASED_REFERRAL = "–"


@hookimpl
def erase_person(person: Person) -> ErasureReport:
    """Records stay for the counts but lose the person and every free text: the note, the
    interpreter's name and the referral's wording (a referral still counts as one); they no
    longer show up as a follow-up. Consents, releases and future bookings go; past bookings
    lose the person."""
    from .models import Booking, Consent, Consultation, Release, Slot

    mine = Consultation.person_id == person.id
    db.session.execute(update(Consultation).where(
        mine, Consultation.referral.is_not(None), Consultation.referral != "")
        .values(referral=ERASED_REFERRAL))
    anonymised = cast(CursorResult[Any], db.session.execute(
        update(Consultation).where(mine)
        .values(person_id=None, note=None, interpreter_name=None, follow_up_done=True))).rowcount
    consents = cast(CursorResult[Any], db.session.execute(
        delete(Consent).where(Consent.person_id == person.id))).rowcount
    releases = cast(CursorResult[Any], db.session.execute(
        delete(Release).where(Release.person_id == person.id))).rowcount
    future = select(Slot.id).where(Slot.starts_at >= local_now())
    cancelled = cast(CursorResult[Any], db.session.execute(delete(Booking).where(
        Booking.person_id == person.id, Booking.slot_id.in_(future)))).rowcount
    kept = cast(CursorResult[Any], db.session.execute(
        update(Booking).where(Booking.person_id == person.id)
        .values(person_id=None))).rowcount
    db.session.expire_all()
    return ErasureReport(
        records_erased=anonymised + consents + releases + cancelled + kept,
        detail=f"{anonymised} consultations anonymised, {consents} consents and {releases} "
               f"releases deleted, {cancelled} future bookings cancelled, {kept} past "
               f"bookings anonymised")


# -- the area: who it is, and the usual hooks made from that ----------------------------

area = ServiceArea(
    name=NAME, title=_l("Consultations"), ticket_letter="B", order=10,
    colour="#0f6e6e", pictogram="messages",
    description=_l("Help with residence, letters from authorities, housing, health, "
                   "family and debts."),
    purposes=[Purpose("walk_in", _l("Consultation without appointment"), "messages"),
              Purpose("appointment", _l("I have an appointment"), "calendar-time")],
    rights={"view": _l("See consultations, appointments and topics (without notes)"),
            "edit": _l("Record consultations, book appointments, edit topics")},
    confidential_rights={"read_notes": _l("Read confidential consultation notes")},
    blueprint=f"{__name__}.views:bp", demo=f"{__name__}.demo:add_demo_data",
    today_title=_l("Consultations today"), today_empty=_l("No consultation hours today."),
)

plugin_info = area.plugin_info
register_blueprints = area.register_blueprints
navigation = area.navigation
kiosk_purposes = area.kiosk_purposes
permissions = area.permissions
load_demo_data = area.load_demo_data
from .retention import retention_rules as retention_rules  # noqa: E402  (hook: retention)
