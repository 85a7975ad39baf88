"""School guidance on the core's person page (person_activity) and in a merge of two
person records (merge_persons)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from intranet.plugin import db
from intranet.testing import (
    PEOPLE_EDIT,
    PEOPLE_VIEW,
    add_person,
    audit_details,
    client_for,
    merge_people,
    person_id,
)
from plugins.school_guidance.models import Referral, Talk

NAME = "school_guidance"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])





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
    code = add_person(app).code
    talk_id = add_talk(app, code)
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"], lang="en")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "School guidance talks" in page
    assert "Talk on Mar 2, 2026 · 6 to 10 · Grundschule (primary school)" in page
    assert "Next step: Elternabend besuchen" in page
    assert f'href="/{NAME}/talks/{talk_id}"' in page
    assert "Welche Schule nach Klasse 4?" not in page  # the question stays on the talk page


def test_the_box_speaks_german(app):
    code = add_person(app).code
    add_talk(app, code)
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"], lang="de")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Gespräch am 02.03.2026" in page
    assert "Nächster Schritt: Elternabend besuchen" in page


def test_no_box_without_the_permission(app):
    code = add_person(app).code
    add_talk(app, code)
    client = client_for(app, "vic", [PEOPLE_VIEW], lang="en")
    response = client.get(f"/people/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "School guidance talks" not in page and "Elternabend besuchen" not in page


def test_no_box_for_a_person_without_talks(app):
    code = add_person(app).code
    client = client_for(app, "sg", [PEOPLE_VIEW, f"{NAME}.view"], lang="en")
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "School guidance talks" not in page



def test_a_merge_moves_the_talks(app):
    source, target = add_person(app, "Amal").code, add_person(app, "Amal K.").code
    first = add_talk(app, source)
    second = add_talk(app, source, day=date(2026, 3, 9))
    third = add_talk(app, target, day=date(2026, 4, 1))
    anonymous = add_talk(app, source)
    with app.app_context():
        db.session.get(Talk, anonymous).person_id = None
        db.session.commit()
    merge_people(client_for(app, "edna", [PEOPLE_VIEW, PEOPLE_EDIT]), source, target)
    assert person_id(app, source) is None
    with app.app_context():
        talks = {t.id: t for t in db.session.scalars(select(Talk))}
        assert {i: (t.person.code if t.person else None) for i, t in talks.items()} == {
            first: target, second: target, third: target, anonymous: None}
        assert talks[first].referral_kinds == ["homework_help"]
    [merged] = audit_details(app, "persons_merged")
    assert merged["plugins"] == {NAME: 2}
