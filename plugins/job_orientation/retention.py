"""How long job orientation keeps personal data (applied by the core's purge).

Appointments and outcomes lose their person link and free-text notes two years after
they took place; an appointment keeps one random token per person in ``erased_as``, as an
erasure does, so "people helped" still counts each person once. Withdrawn consents go
three years after the withdrawal. Employers and their contacts are business data.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update

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

from .models import Appointment, Consent, Outcome

NAME = "job_orientation"

_l = plugin_domain(NAME, __file__).lazy_gettext


def _appointments(cutoff: datetime, dry_run: bool) -> int:
    due = (Appointment.starts_at < local_moment(cutoff),
           or_(Appointment.person_id.is_not(None), Appointment.documents_description != "",
               Appointment.note != ""))
    if dry_run:
        return count_of(Appointment, due)
    changed = 0
    people = db.session.scalars(select(Appointment.person_id).where(
        *due, Appointment.person_id.is_not(None)).distinct()).all()
    for person_id in people:
        changed += cast(CursorResult[Any], db.session.execute(
            update(Appointment).where(*due, Appointment.person_id == person_id)
            .values(person_id=None, erased_as=f"expired-{secrets.token_hex(8)}",
                    documents_description="", note=""))).rowcount or 0
    return changed + anonymise_or_count(Appointment, due, {
        "documents_description": "", "note": ""}, dry_run=False)


def _outcomes(cutoff: datetime, dry_run: bool) -> int:
    due = (Outcome.day < local_day(cutoff),
           or_(Outcome.person_id.is_not(None), Outcome.note != ""))
    return anonymise_or_count(Outcome, due, {"person_id": None, "note": ""}, dry_run)


def _consents(cutoff: datetime, dry_run: bool) -> int:
    return delete_or_count(Consent, (Consent.withdrawn_on.is_not(None),
                                     Consent.withdrawn_on < local_day(cutoff)), dry_run)


@hookimpl
def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(key=f"{NAME}.appointments", days=2 * 365, order=30, apply=_appointments,
                      label=_l("Appointments (person link and notes removed)")),
        RetentionRule(key=f"{NAME}.outcomes", days=2 * 365, order=31, apply=_outcomes,
                      label=_l("Outcomes (person link and notes removed)")),
        RetentionRule(key=f"{NAME}.consents", days=3 * 365, order=32, apply=_consents,
                      label=_l("Withdrawn consents")),
    ]
