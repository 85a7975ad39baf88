"""Guidance talks: record, validate, change, delete, rights; no field asks for a child's name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from intranet.plugin import Person, db, local_today
from intranet.testing import add_user, login
from plugins.school_guidance.forms import EveningForm, TalkForm, attendance_form
from plugins.school_guidance.models import Evening, EveningLanguage, Referral, Talk

NAME = "school_guidance"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])


def a_person(app) -> str:
    with app.app_context():
        person = Person(nickname="Testmutter")
        db.session.add(person)
        db.session.commit()
        return person.code


def talk_data(**changes):
    data = {"day": "2026-03-02", "staff_id": "1", "language": "ar", "person_code": "",
            "age_group": "6_10", "school_type": "grundschule",
            "question": "Welche Schule nach Klasse 4?", "next_step": "Elternabend besuchen",
            "referrals": ["homework_help", "school"]}
    data.update(changes)
    return data


def test_record_a_talk(app, admin_client):
    code = a_person(app)
    response = admin_client.post("/school_guidance/talks/new",
                                 data=talk_data(person_code=code.lower()),
                                 follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Das Gespräch ist eingetragen." in page
    assert "Welche Schule nach Klasse 4?" in page and code in page
    with app.app_context():
        talk = db.session.query(Talk).one()
        assert (talk.day.isoformat(), talk.age_group, talk.school_type, talk.language) == (
            "2026-03-02", "6_10", "grundschule", "ar")
        assert talk.person.code == code and talk.staff.username == "admin"
        assert talk.referral_kinds == ["homework_help", "school"]
    listing = admin_client.get("/school_guidance/talks").get_data(as_text=True)
    assert "Grundschule" in listing and "Hausaufgabenhilfe" in listing


def test_an_anonymous_talk_needs_no_person(app, admin_client):
    response = admin_client.post("/school_guidance/talks/new",
                                 data=talk_data(referrals=[]))
    assert response.status_code == 302
    with app.app_context():
        talk = db.session.query(Talk).one()
        assert talk.person_id is None and talk.referrals == []


def test_errors_are_shown_by_the_fields_and_nothing_is_lost(app, admin_client):
    response = admin_client.post("/school_guidance/talks/new", data=talk_data(
        question="", school_type="", person_code="P-NOPE1",
        next_step="Nachhilfe suchen"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte schreiben Sie die Frage auf." in page
    assert "Bitte wählen Sie die Schulform." in page
    assert "Keine Person hat diesen Code." in page
    assert "Nachhilfe suchen" in page and 'value="P-NOPE1"' in page  # kept
    assert re.search(r'<input checked[^>]*value="6_10"', page)
    with app.app_context():
        assert db.session.query(Talk).count() == 0
    english = admin_client.post("/school_guidance/talks/new?lang=en",
                                data=talk_data(question="")).get_data(as_text=True)
    assert "Please write down the question." in english


def test_change_and_delete_a_talk(app, admin_client):
    admin_client.post("/school_guidance/talks/new", data=talk_data())
    with app.app_context():
        talk_id = db.session.query(Talk).one().id
    form = admin_client.get(f"/school_guidance/talks/{talk_id}/edit").get_data(as_text=True)
    assert "Welche Schule nach Klasse 4?" in form  # the form is filled
    response = admin_client.post(f"/school_guidance/talks/{talk_id}/edit", data=talk_data(
        school_type="gymnasium", referrals=["tutoring"]))
    assert response.status_code == 302
    with app.app_context():
        talk = db.session.get(Talk, talk_id)
        assert talk.school_type == "gymnasium" and talk.referral_kinds == ["tutoring"]
    assert admin_client.post(f"/school_guidance/talks/{talk_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.query(Talk).count() == 0
        assert db.session.query(Referral).count() == 0


def test_unknown_ids_are_404(admin_client):
    for url in ("/school_guidance/talks/999", "/school_guidance/talks/999/edit",
                "/school_guidance/evenings/999", "/school_guidance/evenings/999/attendance"):
        assert admin_client.get(url).status_code == 404, url
    assert admin_client.post("/school_guidance/talks/999/delete").status_code == 404


def test_empty_lists_say_what_to_do(admin_client):
    assert "Noch kein Gespräch eingetragen." in admin_client.get(
        "/school_guidance/talks").get_data(as_text=True)
    assert "Noch kein Abend in der Liste." in admin_client.get(
        "/school_guidance/evenings").get_data(as_text=True)


def test_viewing_and_recording_need_their_rights(app):
    add_user(app, "nadia", permissions=[f"{NAME}.view"])
    add_user(app, "omar", permissions=[f"{NAME}.view", f"{NAME}.edit"])
    add_user(app, "paula")
    viewer, editor, other = app.test_client(), app.test_client(), app.test_client()
    login(viewer, "nadia")
    login(editor, "omar")
    login(other, "paula")
    assert other.get("/school_guidance/talks").status_code == 403
    assert viewer.get("/school_guidance/talks").status_code == 200
    assert 'href="/school_guidance/talks/new"' not in viewer.get(
        "/school_guidance/talks").get_data(as_text=True)
    assert viewer.get("/school_guidance/talks/new").status_code == 403
    assert viewer.post("/school_guidance/talks/new", data=talk_data()).status_code == 403
    assert editor.get("/school_guidance/talks/new").status_code == 200
    assert editor.post("/school_guidance/talks/new", data=talk_data()).status_code == 302
    assert app.test_client().get("/school_guidance/talks").status_code == 302  # to the login


def test_no_field_asks_for_a_childs_name(app, admin_client):
    with app.test_request_context("/"):
        fields = [*TalkForm(), *EveningForm(), *attendance_form(["de", "ar"])]
    names = {field.name for field in fields} - {"csrf_token"}
    assert names and not any("name" in n or "child" in n for n in names)
    columns = {c.name for model in (Talk, Referral, Evening, EveningLanguage)
               for c in model.__table__.columns}
    assert not any("name" in c for c in columns)
    page = admin_client.get("/school_guidance/talks/new").get_data(as_text=True)
    inputs = re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', page)
    assert set(inputs) >= {"day", "age_group", "school_type", "question", "referrals"}
    assert not [n for n in inputs if "name" in n]
    assert "Name des Kindes" not in page
    assert "Schreiben Sie keine Namen auf" in page


def test_new_talk_form_is_prefilled_with_today_and_me(admin_client):
    page = admin_client.get("/school_guidance/talks/new").get_data(as_text=True)
    with admin_client.application.app_context():
        today = local_today()
    assert f'value="{today.isoformat()}"' in page
    assert re.search(r'<option selected value="\d+">Admin</option>', page)
    week_ago = (today - timedelta(days=7)).isoformat()
    assert week_ago not in page
