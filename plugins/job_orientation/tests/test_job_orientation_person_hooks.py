"""Job orientation on the core's person page (person_activity) and in a merge of two
person records (merge_persons)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.plugin import Person, db
from intranet.testing import DEFAULT_PASSWORD, add_user, login
from plugins.job_orientation.models import Appointment, Consent, Outcome

NAME = "job_orientation"
PEOPLE_VIEW = "core.people_view"
PEOPLE_EDIT = "core.people_edit"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])


def client_for(app, username, permissions, lang="en"):
    add_user(app, username, permissions=permissions)
    client = app.test_client()
    assert login(client, username).status_code == 302
    client.get(f"/?lang={lang}")
    return client


def add_person(app, nickname="Testperson") -> str:
    with app.app_context():
        person = Person(nickname=nickname)
        db.session.add(person)
        db.session.commit()
        return person.code


def person_id(app, code) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.code == code))


def add_records(app, code, *, starts_at=datetime(2026, 3, 10, 14, 0), consent=None,
                withdrawn=None, outcome="internship") -> None:
    pid = person_id(app, code)
    with app.app_context():
        db.session.add(Appointment(starts_at=starts_at, person_id=pid, status="held",
                                   topics=["cv", "cover_letter"],
                                   documents_description="Zeugnis aus Syrien",
                                   note="sehr motiviert"))
        if outcome:
            db.session.add(Outcome(person_id=pid, kind=outcome, day=date(2026, 4, 1)))
        if consent:
            db.session.add(Consent(person_id=pid, given_on=consent, withdrawn_on=withdrawn))
        db.session.commit()


def test_the_box_on_the_person_page(app):
    code = add_person(app)
    add_records(app, code, consent=date(2026, 3, 1))
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Job orientation" in page
    assert "Appointment on Mar 10, 2026 14:00: CV, Cover letter" in page
    assert "held" in page
    assert "Outcome: Internship" in page and "Apr 1, 2026" in page
    assert "Consent to keep a description of documents" in page
    assert "given on Mar 1, 2026" in page
    assert f'href="/job_orientation/people/{code}"' in page
    # the descriptions of documents and notes stay on the plugin's own page
    assert "Zeugnis aus Syrien" not in page and "sehr motiviert" not in page


def test_the_box_speaks_german(app):
    code = add_person(app)
    add_records(app, code, consent=date(2026, 3, 1), withdrawn=date(2026, 3, 20))
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Berufsorientierung" in page
    assert "Termin am 10.03.2026 14:00" in page
    assert "Ergebnis: Praktikum" in page
    assert "widerrufen am 20.03.2026" in page


def test_only_the_latest_appointments_are_listed(app):
    code = add_person(app)
    for week in range(12):
        add_records(app, code, starts_at=datetime(2026, 1, 5, 9, 0) + timedelta(weeks=week),
                    outcome=None)
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert page.count("Termin am") == 10
    assert "Termin am 23.03.2026 09:00" in page and "Termin am 12.01.2026" not in page
    assert "2 frühere Termine" in page


def test_no_box_without_the_permission(app):
    code = add_person(app)
    add_records(app, code, consent=date(2026, 3, 1))
    client = client_for(app, "vic", [PEOPLE_VIEW])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert client.get(f"/people/{code}").status_code == 200
    assert "Appointment on" not in page and "Outcome:" not in page
    assert "Consent to keep a description" not in page


def test_no_box_for_a_person_without_job_orientation(app):
    code = add_person(app)
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Appointment on" not in page
    assert "No service area has anything about this person" in page


def merge(app, source, target):
    client = client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT])
    response = client.post(f"/people/{target}/merge",
                               data={"other": source, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{target}")


def rows(app, model):
    with app.app_context():
        codes = dict(db.session.execute(select(Person.id, Person.code)).all())
        return sorted((codes.get(r.person_id), r.id) for r in db.session.scalars(select(model)))


def test_a_merge_moves_appointments_outcomes_and_consents(app):
    source, target = add_person(app, "Lina"), add_person(app, "Lina B.")
    add_records(app, source, consent=date(2026, 1, 5), withdrawn=date(2026, 2, 1))
    add_records(app, target, starts_at=datetime(2026, 5, 4, 10, 0), outcome=None,
                consent=date(2026, 3, 1))
    merge(app, source, target)
    assert person_id(app, source) is None
    assert [code for code, _ in rows(app, Appointment)] == [target, target]
    assert [code for code, _ in rows(app, Outcome)] == [target]
    assert [code for code, _ in rows(app, Consent)] == [target, target]  # both stay
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "persons_merged"))
        assert entry.detail["plugins"] == {NAME: 3}


def test_a_merge_keeps_one_active_consent_the_earliest(app):
    source, target = add_person(app, "Lina"), add_person(app, "Lina B.")
    add_records(app, source, consent=date(2026, 1, 5))
    add_records(app, target, consent=date(2026, 3, 1))
    merge(app, source, target)
    with app.app_context():
        consents = db.session.scalars(select(Consent)).all()
        assert [(c.given_on, c.withdrawn_on) for c in consents] == [(date(2026, 1, 5), None)]
        assert consents[0].person.code == target
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"])
    page = client.get(f"/{NAME}/people/{target}").get_data(as_text=True)
    assert "Jan 5, 2026" in page


def test_a_merge_of_people_without_job_orientation_moves_nothing(app):
    source, target = add_person(app, "Lina"), add_person(app, "Omar")
    merge(app, source, target)
    assert person_id(app, source) is None and person_id(app, target) is not None
