"""Job orientation on the core's person page (person_activity) and in a merge of two
person records (merge_persons)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from intranet.plugin import Person, db
from intranet.testing import (
    PEOPLE_EDIT,
    PEOPLE_VIEW,
    add_person,
    audit_details,
    client_for,
    merge_people,
    person_id,
)
from plugins.job_orientation.models import Appointment, Consent, Outcome

NAME = "job_orientation"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])





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
    code = add_person(app).code
    add_records(app, code, consent=date(2026, 3, 1))
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="en")
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
    code = add_person(app).code
    add_records(app, code, consent=date(2026, 3, 1), withdrawn=date(2026, 3, 20))
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Berufsorientierung" in page
    assert "Termin am 10.03.2026 14:00" in page
    assert "Ergebnis: Praktikum" in page
    assert "widerrufen am 20.03.2026" in page


def test_only_the_latest_appointments_are_listed(app):
    code = add_person(app).code
    for week in range(12):
        add_records(app, code, starts_at=datetime(2026, 1, 5, 9, 0) + timedelta(weeks=week),
                    outcome=None)
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert page.count("Termin am") == 10
    assert "Termin am 23.03.2026 09:00" in page and "Termin am 12.01.2026" not in page
    assert "2 frühere Termine" in page


def test_no_box_without_the_permission(app):
    code = add_person(app).code
    add_records(app, code, consent=date(2026, 3, 1))
    client = client_for(app, "vic", [PEOPLE_VIEW], lang="en")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert client.get(f"/people/{code}").status_code == 200
    assert "Appointment on" not in page and "Outcome:" not in page
    assert "Consent to keep a description" not in page


def test_no_box_for_a_person_without_job_orientation(app):
    code = add_person(app).code
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="en")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Appointment on" not in page
    assert "No service area has anything about this person" in page



def rows(app, model):
    with app.app_context():
        codes = dict(db.session.execute(select(Person.id, Person.code)).all())
        return sorted((codes.get(r.person_id), r.id) for r in db.session.scalars(select(model)))


def test_a_merge_moves_appointments_outcomes_and_consents(app):
    source, target = add_person(app, "Lina").code, add_person(app, "Lina B.").code
    add_records(app, source, consent=date(2026, 1, 5), withdrawn=date(2026, 2, 1))
    add_records(app, target, starts_at=datetime(2026, 5, 4, 10, 0), outcome=None,
                consent=date(2026, 3, 1))
    merge_people(client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT]), source, target)
    assert person_id(app, source) is None
    assert [code for code, _ in rows(app, Appointment)] == [target, target]
    assert [code for code, _ in rows(app, Outcome)] == [target]
    assert [code for code, _ in rows(app, Consent)] == [target, target]  # both stay
    [merged] = audit_details(app, "persons_merged")
    assert merged["plugins"] == {NAME: 3}


def test_a_merge_keeps_one_active_consent_the_earliest(app):
    source, target = add_person(app, "Lina").code, add_person(app, "Lina B.").code
    add_records(app, source, consent=date(2026, 1, 5))
    add_records(app, target, consent=date(2026, 3, 1))
    merge_people(client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT]), source, target)
    with app.app_context():
        consents = db.session.scalars(select(Consent)).all()
        assert [(c.given_on, c.withdrawn_on) for c in consents] == [(date(2026, 1, 5), None)]
        assert consents[0].person.code == target
    client = client_for(app, "jo", [PEOPLE_VIEW, f"{NAME}.view"], lang="en")
    page = client.get(f"/{NAME}/people/{target}").get_data(as_text=True)
    assert "Jan 5, 2026" in page


def test_a_merge_of_people_without_job_orientation_moves_nothing(app):
    source, target = add_person(app, "Lina").code, add_person(app, "Omar").code
    merge_people(client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT]), source, target)
    assert person_id(app, source) is None and person_id(app, target) is not None
