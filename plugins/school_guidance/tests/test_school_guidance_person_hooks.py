"""School guidance on the core's person page (person_activity) and in a merge of two
person records (merge_persons)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.plugin import Person, db
from intranet.testing import DEFAULT_PASSWORD, add_user, login
from plugins.school_guidance.models import Referral, Talk

NAME = "school_guidance"
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


def add_person(app, nickname="Testmutter") -> str:
    with app.app_context():
        person = Person(nickname=nickname)
        db.session.add(person)
        db.session.commit()
        return person.code


def person_id(app, code) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.code == code))


def add_talk(app, code, day=date(2026, 3, 2), next_step="Elternabend besuchen") -> int:
    with app.app_context():
        talk = Talk(day=day, person_id=person_id(app, code), language="ar",
                    age_group="6_10", school_type="grundschule",
                    question="Welche Schule nach Klasse 4?", next_step=next_step)
        talk.referrals.append(Referral(kind="homework_help"))
        db.session.add(talk)
        db.session.commit()
        return talk.id


def test_the_box_on_the_person_page(app):
    code = add_person(app)
    talk_id = add_talk(app, code)
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "School guidance talks" in page
    assert "Talk on Mar 2, 2026 · 6 to 10 · Grundschule (primary school)" in page
    assert "Next step: Elternabend besuchen" in page
    assert f'href="/{NAME}/talks/{talk_id}"' in page
    assert "Welche Schule nach Klasse 4?" not in page  # the question stays on the talk page


def test_the_box_speaks_german(app):
    code = add_person(app)
    add_talk(app, code)
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Gespräch am 02.03.2026" in page
    assert "Nächster Schritt: Elternabend besuchen" in page


def test_no_box_without_the_permission(app):
    code = add_person(app)
    add_talk(app, code)
    client = client_for(app, "vic", [PEOPLE_VIEW])
    response = client.get(f"/people/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "School guidance talks" not in page and "Elternabend besuchen" not in page


def test_no_box_for_a_person_without_talks(app):
    code = add_person(app)
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "School guidance talks" not in page


def merge(app, source, target):
    client = client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT])
    response = client.post(f"/people/{target}/merge",
                               data={"other": source, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{target}")


def test_a_merge_moves_the_talks(app):
    source, target = add_person(app, "Amal"), add_person(app, "Amal K.")
    first = add_talk(app, source)
    second = add_talk(app, source, day=date(2026, 3, 9))
    third = add_talk(app, target, day=date(2026, 4, 1))
    anonymous = add_talk(app, source)
    with app.app_context():
        db.session.get(Talk, anonymous).person_id = None
        db.session.commit()
    merge(app, source, target)
    assert person_id(app, source) is None
    with app.app_context():
        talks = {t.id: t for t in db.session.scalars(select(Talk))}
        assert {i: (t.person.code if t.person else None) for i, t in talks.items()} == {
            first: target, second: target, third: target, anonymous: None}
        assert talks[first].referral_kinds == ["homework_help"]
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "persons_merged"))
        assert entry.detail["plugins"] == {NAME: 2}
