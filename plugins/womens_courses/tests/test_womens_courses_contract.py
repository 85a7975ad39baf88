"""The contract every service area keeps, for the Frauenkurse (see intranet.testing)."""

from __future__ import annotations

from intranet.plugin import db
from intranet.testing import ServiceAreaContract
from plugins.womens_courses.models import Course, Enrolment


class TestContract(ServiceAreaContract):
    plugin = "womens_courses"
    empty_overview_text = "In dieser Woche ist kein Frauenkurs geplant."
    demo_weekly = ["Deutsch für Frauen mit Kinderbetreuung", "Offene Gruppe zum Üben"]
    ticket_letter = "F"
    kiosk_tiles = {
        "de": {"course": "Deutschkurs für Frauen", "sign_up": "Für einen Kurs anmelden"},
        "ar": {"course": "دورة لغة ألمانية للنساء", "sign_up": "التسجيل في دورة"},
    }
    titles = {"de": "Frauenkurse", "ar": "دورات للنساء"}
    demo_overview = {
        "de": ["Deutsch für Frauen mit Kinderbetreuung", "Offene Gruppe zum Üben",
               "Nur für Frauen", "Kinderbetreuung", "Deutschkurs für Frauen"],
        "ar": ["اللغة الألمانية للنساء – مع رعاية الأطفال", "هذا الأسبوع"],
    }

    def add_person_data(self, person_id: int, marker: str) -> None:
        # An enrolment holds no free text about her: the marker has no place here.
        course = Course(title="Deutsch A1", places=2)
        course.enrolments.append(Enrolment(person_id=person_id, reading_language="ar"))
        db.session.add(course)
