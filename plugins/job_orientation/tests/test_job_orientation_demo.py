"""The demo week of job orientation: every page renders with the demo register."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.plugin import db
from intranet.testing import demo_client
from plugins.job_orientation.models import Appointment, Employer, Event

NAME = "job_orientation"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


def test_demo_register_and_every_page(demo_app):
    client = demo_client(demo_app)
    with demo_app.app_context():
        bakery = db.session.scalar(select(Employer).where(Employer.name.like("Bäckerei%")))
        appointment = db.session.scalar(select(Appointment).where(
            Appointment.documents_description != ""))
        code = appointment.person.code
        event_id = db.session.scalar(select(Event.id))
        employer_id, appointment_id = bakery.id, appointment.id
    urls = ["/job_orientation/", "/job_orientation/appointments?when=all",
            "/job_orientation/appointments/new",
            f"/job_orientation/appointments/{appointment_id}/edit",
            f"/job_orientation/people/{code}", "/job_orientation/employers",
            "/job_orientation/employers/new", f"/job_orientation/employers/{employer_id}",
            f"/job_orientation/employers/{employer_id}/edit", "/job_orientation/events",
            "/job_orientation/events/new", f"/job_orientation/events/{event_id}/edit"]
    for lang in ("de", "ar"):
        for url in urls:
            sep = "&" if "?" in url else "?"
            response = client.get(f"{url}{sep}lang={lang}")
            assert response.status_code == 200, (url, lang)
    client.get("/?lang=de")
    employer_page = client.get(f"/job_orientation/employers/{employer_id}").get_data(as_text=True)
    assert "2 × Praktikum" in employer_page and "Verkauf" in employer_page
    assert "Im Laden vorgestellt" in employer_page
    person_page = client.get(f"/job_orientation/people/{code}").get_data(as_text=True)
    assert "Einwilligung erfasst am" in person_page and "Diplom Buchhaltung" in person_page
    events = client.get("/job_orientation/events").get_data(as_text=True)
    assert "Infoabend für Arbeitgeber" in events and "Kontaktbörse im Quartier" in events
    start = client.get("/").get_data(as_text=True)
    assert "Bewerbungshilfe heute" in start and "Offene Praktikumsplätze" in start
