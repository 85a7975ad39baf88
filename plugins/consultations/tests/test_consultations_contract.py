"""The contract every service area keeps, for Beratung (see intranet.testing)."""

from __future__ import annotations

from datetime import date, datetime

from intranet.plugin import db
from intranet.testing import ServiceAreaContract
from plugins.consultations.models import WALK_IN, Consent, Consultation, Release


class TestContract(ServiceAreaContract):
    plugin = "consultations"
    empty_overview_text = "In dieser Woche sind keine Sprechstunden geplant."
    demo_weekly = ["Offene Sprechstunde", "Beratung mit Termin"]
    ticket_letter = "B"
    kiosk_tiles = {
        "de": {"walk_in": "Beratung ohne Termin", "appointment": "Ich habe einen Termin"},
        "ar": {"walk_in": "استشارة بدون موعد", "appointment": "عندي موعد"},
    }
    titles = {"de": "Beratung", "ar": "الاستشارات"}
    demo_overview = {
        "de": ["Offene Sprechstunde", "Beratung mit Termin", "Aufenthalt und Asyl", "Schulden",
               "Beratung ohne Termin"],
        "ar": ["استشارة مفتوحة", "هذا الأسبوع"],
    }

    def add_person_data(self, person_id: int, marker: str) -> None:
        db.session.add(Consultation(person_id=person_id, kind=WALK_IN, minutes=30,
                                    held_at=datetime(2026, 3, 10, 9, 30), language="ar",
                                    note=marker))
        db.session.add(Consent(person_id=person_id, purpose="keep notes",
                               given_on=date(2026, 3, 10)))
        db.session.add(Release(person_id=person_id, recipient="Jobcenter", scope="letters",
                               signed_on=date(2026, 3, 10)))
