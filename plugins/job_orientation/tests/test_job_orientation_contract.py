"""The contract every service area keeps, for the Berufsorientierung (see intranet.testing)."""

from __future__ import annotations

from datetime import date, datetime

from intranet.plugin import db
from intranet.testing import ServiceAreaContract
from plugins.job_orientation.models import Appointment, Consent, Outcome


class TestContract(ServiceAreaContract):
    plugin = "job_orientation"
    empty_overview_text = "In dieser Woche ist kein Angebot der Berufsorientierung geplant."
    demo_weekly = ["Bewerbungshilfe (Lebenslauf, Anschreiben)",
                   "Sprechstunde des Jobcenters vor Ort"]
    ticket_letter = "J"
    kiosk_tiles = {
        "de": {"application_help": "Hilfe bei Bewerbungen", "job_centre": "Sprechstunde Jobcenter"},
        "ar": {"application_help": "مساعدة في طلبات العمل", "job_centre": "موعد الجوب سنتر"},
    }
    titles = {"de": "Berufsorientierung", "ar": "التوجيه المهني"}
    demo_overview = {
        "de": ["Bewerbungshilfe (Lebenslauf, Anschreiben)", "Infoabend für Arbeitgeber",
               "Was mitbringen", "Lebenslauf, falls vorhanden", "Hilfe bei Bewerbungen"],
        "ar": ["أمسية معلومات لأصحاب العمل", "هذا الأسبوع"],
    }

    def add_person_data(self, person_id: int, marker: str) -> None:
        db.session.add(Appointment(starts_at=datetime(2026, 3, 10, 14), person_id=person_id,
                                   status="held", topics=["cv"],
                                   documents_description=marker, note="motiviert"))
        db.session.add(Outcome(person_id=person_id, kind="job", day=date(2026, 4, 1)))
        db.session.add(Consent(person_id=person_id, given_on=date(2026, 3, 1)))
