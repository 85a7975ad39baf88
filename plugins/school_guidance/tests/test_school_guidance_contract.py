"""The contract every service area keeps, for the Schulorientierung (see intranet.testing)."""

from __future__ import annotations

from datetime import date

from intranet.plugin import db
from intranet.testing import ServiceAreaContract
from plugins.school_guidance.models import Referral, Talk


class TestContract(ServiceAreaContract):
    plugin = "school_guidance"
    empty_overview_text = "In dieser Woche ist kein Angebot der Schulorientierung geplant."
    demo_weekly = ["Elternabend: das Schulsystem in Deutschland",
                   "Für Schülerinnen und Schüler ab Klasse 5."]
    ticket_letter = "S"
    kiosk_tiles = {
        "de": {"homework_help": "Hausaufgabenhilfe", "school_questions": "Fragen zur Schule"},
        "ar": {"homework_help": "مساعدة في الواجبات المدرسية",
               "school_questions": "أسئلة عن المدرسة"},
    }
    titles = {"de": "Schulorientierung", "ar": "التوجيه المدرسي"}
    demo_overview = {
        "de": ["Elternabend: das Schulsystem in Deutschland", "Für Eltern", "Für Jugendliche",
               "Fragen zur Schule"],
        "ar": ["لقاء الأهالي: نظام المدارس في ألمانيا", "هذا الأسبوع"],
    }

    def add_person_data(self, person_id: int, marker: str) -> None:
        talk = Talk(day=date(2026, 3, 2), person_id=person_id, language="ar",
                    age_group="6_10", school_type="grundschule", question=marker,
                    next_step="Elternabend besuchen")
        talk.referrals.append(Referral(kind="homework_help"))
        db.session.add(talk)
