"""How long the consultations plugin keeps personal data (applied by the core's purge).

Consultation records are anonymised, not deleted, three years after the person's last
contact (their latest consultation; a record without a person: three years after it was
held): the person link, the confidential note, the interpreter's name and the referral's
text go, while kind, date, language, topics and outcome stay for the yearly counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update

from intranet.plugin import (
    RetentionRule,
    anonymise_or_count,
    count_of,
    db,
    delete_or_count,
    hookimpl,
    local_day,
    local_moment,
    plugin_domain,
)

from .models import Booking, Consent, Consultation, Release, Slot

NAME = "consultations"
THREE_YEARS = 3 * 365
# What an anonymised record's referral says: still "referred" for the report, no text.
REFERRAL_REMOVED = "–"

_l = plugin_domain(NAME, __file__).lazy_gettext


def _records(cutoff: datetime, dry_run: bool) -> int:
    before = local_moment(cutoff)  # held_at is local wall-clock time
    last_contact = (select(Consultation.person_id)
                    .where(Consultation.person_id.is_not(None))
                    .group_by(Consultation.person_id)
                    .having(func.max(Consultation.held_at) < before))
    referral_text = (Consultation.referral.is_not(None), Consultation.referral != "",
                     Consultation.referral != REFERRAL_REMOVED)
    something_left = or_(Consultation.note.is_not(None),
                         Consultation.interpreter_name.is_not(None), and_(*referral_text))
    due = (or_(Consultation.person_id.in_(last_contact),
               and_(Consultation.person_id.is_(None), Consultation.held_at < before,
                    something_left)),)
    if dry_run:
        return count_of(Consultation, due)
    ids = list(db.session.scalars(select(Consultation.id).where(*due)))
    if not ids:
        return 0
    chosen = Consultation.id.in_(ids)
    db.session.execute(update(Consultation).where(chosen, *referral_text)
                       .values(referral=REFERRAL_REMOVED))
    return anonymise_or_count(Consultation, (chosen,), {
        "person_id": None, "note": None, "interpreter_name": None}, dry_run=False)


def _consents(cutoff: datetime, dry_run: bool) -> int:
    return delete_or_count(Consent, (Consent.withdrawn_on.is_not(None),
                                     Consent.withdrawn_on < local_day(cutoff)), dry_run)


def _releases(cutoff: datetime, dry_run: bool) -> int:
    return delete_or_count(Release, (Release.expires_on.is_not(None),
                                     Release.expires_on < local_day(cutoff)), dry_run)


def _bookings(cutoff: datetime, dry_run: bool) -> int:
    past = select(Slot.id).where(Slot.starts_at < local_moment(cutoff))
    return anonymise_or_count(Booking, (Booking.person_id.is_not(None),
                                        Booking.slot_id.in_(past)),
                              {"person_id": None}, dry_run)


@hookimpl
def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(key=f"{NAME}.records", days=THREE_YEARS, order=10, apply=_records,
                      label=_l("Consultations (anonymised three years after the last "
                               "contact)")),
        RetentionRule(key=f"{NAME}.consents", days=THREE_YEARS, order=11, apply=_consents,
                      label=_l("Withdrawn consents")),
        RetentionRule(key=f"{NAME}.releases", days=THREE_YEARS, order=12, apply=_releases,
                      label=_l("Expired releases from confidentiality")),
        RetentionRule(key=f"{NAME}.bookings", days=THREE_YEARS, order=13, apply=_bookings,
                      label=_l("Past appointment bookings (person link removed)")),
    ]
