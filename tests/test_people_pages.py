"""The people register (/people): permissions, search, the person page, consents,
linking check-ins from the queue, export and erasure."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from intranet.audit.models import AuditEntry
from intranet.auth.models import Role
from intranet.checkins.models import CheckIn
from intranet.checkins.numbering import NewCheckIn, create_checkin
from intranet.core.extensions import db
from intranet.core.timeutil import local_today
from intranet.people.models import Consent, Person
from intranet.plugin import Permission, PluginInfo, Widget, WidgetItem, hookimpl
from intranet.testing import DEFAULT_PASSWORD, add_user, login

VIEW = "core.people_view"
EDIT = "core.people_edit"
EXPORT = "core.people_export"


class Activity:
    """A service area that shows two boxes on a person's page, one of them confidential."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="activity", title="Activity", ticket_letter="Y")

    @hookimpl
    def person_activity(self, person, user):
        return [
            Widget(title="Open boxes", items=(WidgetItem(label=f"visits of {person.nickname}",
                                                         value="3"),
                                              WidgetItem(label="gone", endpoint="no.such"))),
            Widget(title="Secret notes", items=(WidgetItem(label="confidential detail"),),
                   permission="activity.read_notes"),
        ]


@pytest.fixture
def app(make_app):
    return make_app(plugins=[], extra=[Activity()])


def client_for(app, username, permissions=(), role=Role.STAFF):
    add_user(app, username, role=role, permissions=permissions)
    client = app.test_client()
    assert login(client, username).status_code == 302
    client.get("/?lang=en")  # English for the rest of the session
    return client


@pytest.fixture
def editor(app):
    return client_for(app, "edna", [VIEW, EDIT])


@pytest.fixture
def viewer(app):
    return client_for(app, "vic", [VIEW])


def add_person(app, **fields) -> str:
    with app.app_context():
        person = Person(**{"nickname": "Lina", **fields})
        db.session.add(person)
        db.session.commit()
        return person.code


def get_person(app, code) -> Person | None:
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.code == code))
        if person is not None:
            db.session.expunge(person)
        return person


def audits(app, action) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                     .order_by(AuditEntry.id)).all()
        for entry in entries:
            db.session.expunge(entry)
        return list(entries)


def check_in(app, plugin="core", purpose="cafe", letter="C", **fields) -> int:
    with app.app_context():
        checkin = create_checkin(NewCheckIn(plugin=plugin, purpose=purpose, ticket_letter=letter,
                                            language=fields.pop("language", "ar"), **fields))
        return checkin.id


def codes_in(page: str) -> list[str]:
    return re.findall(r"<code>(P-[A-Z0-9]+)</code></a></td>", page)


# -- permissions -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(app):
    code = add_person(app)
    for url in ("/people/", f"/people/{code}"):
        response = app.test_client().get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_without_people_view_every_page_is_refused(app):
    code = add_person(app)
    checkin_id = check_in(app)
    client = client_for(app, "nora")
    for url in ("/people/", f"/people/{code}", "/people/new", f"/people/{code}/edit",
                f"/people/{code}/merge", f"/people/{code}/erase", f"/people/link/{checkin_id}"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/people/{code}/export").status_code == 403
    assert "/people/" not in client.get("/").get_data(as_text=True)  # no navigation entry
    assert audits(app, "person_viewed") == []


def test_viewers_see_but_cannot_change(app, viewer):
    code = add_person(app)
    checkin_id = check_in(app)
    index = viewer.get("/people/").get_data(as_text=True)
    assert code in index and "/people/new" not in index
    page = viewer.get(f"/people/{code}").get_data(as_text=True)
    assert "Lina" in page
    for form_action in ("/edit", "/consents", "/export", "/erase", "/merge"):
        assert f"/people/{code}{form_action}" not in page
    for url in ("/people/new", f"/people/{code}/edit", f"/people/{code}/merge",
                f"/people/{code}/erase", f"/people/link/{checkin_id}"):
        assert viewer.get(url).status_code == 403, url
    posts = {"/people/new": {"nickname": "Ali"},
             f"/people/{code}/edit": {"nickname": "Changed"},
             f"/people/{code}/consents": {"purpose": "x", "given_on": "2026-01-01"},
             f"/people/{code}/export": {}, f"/people/{code}/erase": {"code": code},
             f"/people/link/{checkin_id}": {"person": code}}
    for url, data in posts.items():
        assert viewer.post(url, data=data).status_code == 403, url
    assert get_person(app, code).nickname == "Lina"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
        assert db.session.get(CheckIn, checkin_id).person_id is None


def test_admins_may_do_everything(app):
    client = client_for(app, "root", role=Role.ADMIN)
    assert client.get("/people/").status_code == 200
    assert client.get("/people/new").status_code == 200


# -- the list ------------------------------------------------------------------------


def test_search_by_code_or_nickname_with_live_partial(app, viewer):
    lina = add_person(app, nickname="Lina")
    add_person(app, nickname="Omar")
    carolina = add_person(app, nickname="Carolina")
    page = viewer.get("/people/?q=lin").get_data(as_text=True)
    assert sorted(codes_in(page)) == sorted([lina, carolina])
    assert "<html" in page
    partial = viewer.get("/people/?q=omar", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)
    assert len(codes_in(partial.get_data(as_text=True))) == 1
    assert "HX-Request" in partial.headers["Vary"]
    by_code = viewer.get(f"/people/?q={lina.lower()}").get_data(as_text=True)
    assert codes_in(by_code) == [lina]
    nothing = viewer.get("/people/?q=%25").get_data(as_text=True)  # % is no wildcard
    assert codes_in(nothing) == [] and "Nobody matches" in nothing


def test_filters_by_language_country_and_first_visit(app, viewer):
    arabic = add_person(app, languages=["ar", "de"], country_of_origin="SY",
                        first_visit=date(2026, 3, 1))
    dari = add_person(app, languages=["fa"], country_of_origin="AF",
                      first_visit=date(2025, 6, 1))
    add_person(app, languages=["ru"], country_of_origin="UA")
    assert codes_in(viewer.get("/people/?language=ar").get_data(as_text=True)) == [arabic]
    assert codes_in(viewer.get("/people/?country=af").get_data(as_text=True)) == [dari]
    page = viewer.get("/people/?since=2026-01-01&until=2026-12-31").get_data(as_text=True)
    assert codes_in(page) == [arabic]
    page = viewer.get("/people/?until=2025-12-31").get_data(as_text=True)
    assert codes_in(page) == [dari]
    countries = viewer.get("/people/").get_data(as_text=True)
    assert '<option value="SY">Syria</option>' in countries  # names in the user's language
    assert "العربية" in countries  # languages in their own script


def test_pagination_and_sorting(app, viewer):
    with app.app_context():
        db.session.add_all([Person(nickname=f"Name{chr(65 + n // 26)}{chr(65 + n % 26)}")
                            for n in range(30)])
        db.session.commit()
    first = viewer.get("/people/?sort=nickname").get_data(as_text=True)
    second = viewer.get("/people/?sort=nickname&page=2").get_data(as_text=True)
    assert len(codes_in(first)) == 25 and len(codes_in(second)) == 5
    assert "NameAA" in first and "NameBD" in second and "NameBD" not in first
    assert "Page 1 of 2" in first and "page=2" in first
    backwards = viewer.get("/people/?sort=-nickname").get_data(as_text=True)
    assert "NameBD" in backwards and "NameAA" not in backwards
    assert viewer.get("/people/?page=99&sort=bogus").status_code == 200


def test_empty_register_says_what_to_do(app, editor):
    page = editor.get("/people/").get_data(as_text=True)
    assert "The register is empty" in page and "/people/new" in page


# -- creating and changing -------------------------------------------------------


def count_people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Person))


def test_new_person_form_says_what_not_to_enter(app, editor):
    page = editor.get("/people/new").get_data(as_text=True)
    assert "no full names, no addresses" in page
    assert 'name="nickname"' in page and 'name="languages"' in page
    assert "Українська" in page and 'value="SY"' in page
    for forbidden in ("address", "phone", "surname", "last_name"):
        assert f'name="{forbidden}' not in page


@pytest.mark.parametrize("data, error", [
    ({"nickname": ""}, "This field is required."),
    ({"nickname": "Lina Maria Schmidt"}, "no full name"),
    ({"nickname": "lina@example.org"}, "no full name"),
    ({"nickname": "Lina", "year_of_birth": "1850"}, "between 1900 and this year"),
    ({"nickname": "Lina", "gender": "robot"}, "Not a valid choice"),
    ({"nickname": "Lina", "country_of_origin": "QQ"}, "Not a valid choice"),
    ({"nickname": "Lina", "languages": ["xx"]}, "not a valid choice"),
    ({"nickname": "Lina", "first_visit": "2999-01-01"}, "in the future"),
])
def test_new_person_is_validated(app, editor, data, error):
    response = editor.post("/people/new", data=data)
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert count_people(app) == 0


def test_new_person_is_created_and_audited(app, editor):
    response = editor.post("/people/new", data={
        "nickname": " Amal ", "year_of_birth": "1988", "gender": "female",
        "languages": ["ar", "de"], "country_of_origin": "SY", "first_visit": "2026-02-03"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person))
        assert (person.nickname, person.year_of_birth, person.gender, person.languages,
                person.country_of_origin, person.first_visit) == \
            ("Amal", 1988, "female", ["ar", "de"], "SY", date(2026, 2, 3))
        assert response.headers["Location"].endswith(f"/people/{person.code}")
    [entry] = audits(app, "person_created")
    assert entry.object_type == "person" and entry.object_id == str(person.id)


def test_not_stated_is_stored_as_nothing(app, editor):
    editor.post("/people/new", data={"nickname": "Omid", "gender": "", "country_of_origin": ""})
    with app.app_context():
        person = db.session.scalar(select(Person))
        assert person.gender is None and person.country_of_origin is None
        assert person.languages == []


def test_edit_changes_and_audits_the_changed_fields(app, editor):
    code = add_person(app, nickname="Lina", year_of_birth=1990, languages=["ar"])
    form = editor.get(f"/people/{code}/edit").get_data(as_text=True)
    assert 'value="Lina"' in form and 'value="1990"' in form
    response = editor.post(f"/people/{code}/edit", data={
        "nickname": "Lina", "year_of_birth": "1991", "gender": "diverse", "languages": ["ar", "ku"],
        "country_of_origin": "IQ", "first_visit": ""})
    assert response.status_code == 302
    person = get_person(app, code)
    assert (person.year_of_birth, person.gender, person.languages, person.country_of_origin) \
        == (1991, "diverse", ["ar", "ku"], "IQ")
    [entry] = audits(app, "person_changed")
    assert sorted(entry.detail["fields"]) == ["country_of_origin", "gender", "languages",
                                              "year_of_birth"]
    bad = editor.post(f"/people/{code}/edit", data={"nickname": "", "year_of_birth": "1991"})
    assert bad.status_code == 200 and "This field is required." in bad.get_data(as_text=True)
    assert get_person(app, code).nickname == "Lina"


def test_unknown_person_is_404(app, viewer):
    assert viewer.get("/people/P-NOPE").status_code == 404


# -- the person page --------------------------------------------------------------


def test_person_page_shows_facts_checkins_and_activity_and_is_audited(app, viewer):
    code = add_person(app, nickname="Lina", languages=["ar"], country_of_origin="SY")
    person_id = get_person(app, code).id
    mine = check_in(app, first_name="Lina")
    hidden = check_in(app, plugin="activity", purpose="secret", letter="Y")
    with app.app_context():
        for checkin_id in (mine, hidden):
            db.session.get(CheckIn, checkin_id).person_id = person_id
        db.session.commit()
    page = viewer.get(f"/people/{code}").get_data(as_text=True)
    assert "Syria" in page and "العربية" in page
    assert "C-1" in page and "Café / just visiting" in page
    assert "Y-2" not in page  # a service area the viewer may not see
    assert "1 more check-in in service areas you cannot see." in page
    # A box needs its area's view right even when it names no permission of its own.
    assert "Open boxes" not in page and "visits of Lina" not in page
    assert "Secret notes" not in page and "confidential detail" not in page
    viewer.get(f"/people/{code}")
    entries = audits(app, "person_viewed")
    assert len(entries) == 2
    assert entries[0].object_id == str(person_id) and entries[0].user_id is not None
    assert entries[0].detail == {}  # the id says who; no code, no name
    area_viewer = client_for(app, "ada", [VIEW, "activity.view"])
    page = area_viewer.get(f"/people/{code}").get_data(as_text=True)
    assert "Open boxes" in page and "visits of Lina" in page and "gone" in page
    assert "Secret notes" not in page and "confidential detail" not in page


def test_confidential_boxes_show_for_those_with_the_permission(app):
    code = add_person(app)
    client = client_for(app, "nadia", [VIEW, "activity.read_notes", "activity.view"])
    page = client.get(f"/people/{code}").get_data(as_text=True)
    assert "Secret notes" in page and "confidential detail" in page


def test_failing_activity_plugin_does_not_take_the_page_down(make_app):
    class Broken:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="broken", title="Broken")

        @hookimpl
        def person_activity(self, person, user):
            raise RuntimeError("boom")

    app = make_app(plugins=[], extra=[Broken(), Activity()], PLUGINS_STRICT=False)
    code = add_person(app)
    client = client_for(app, "vic", [VIEW, "activity.view"])
    response = client.get(f"/people/{code}")
    assert response.status_code == 200 and "Open boxes" in response.get_data(as_text=True)


# -- consents -----------------------------------------------------------------------


def test_consent_is_recorded_and_withdrawn(app, editor):
    code = add_person(app)
    response = editor.post(f"/people/{code}/consents", data={
        "purpose": "Keep consultation records", "given_on": "2026-01-15", "note": "on paper"})
    assert response.status_code == 302
    with app.app_context():
        consent = db.session.scalar(select(Consent))
        assert (consent.purpose, consent.given_on, consent.note, consent.withdrawn_on) == \
            ("Keep consultation records", date(2026, 1, 15), "on paper", None)
        assert consent.recorded_by is not None
        consent_id = consent.id
    page = editor.get(f"/people/{code}").get_data(as_text=True)
    assert "Keep consultation records" in page and "recorded by Edna" in page
    assert f"/consents/{consent_id}/withdraw" in page

    assert editor.post(f"/people/{code}/consents/{consent_id}/withdraw").status_code == 302
    with app.app_context():
        assert db.session.get(Consent, consent_id).withdrawn_on == local_today()
    page = editor.get(f"/people/{code}").get_data(as_text=True)
    assert "Withdrawn" in page and f"/consents/{consent_id}/withdraw" not in page
    assert [e.detail["consent"] for e in audits(app, "consent_recorded")] == [consent_id]
    assert [e.detail["consent"] for e in audits(app, "consent_withdrawn")] == [consent_id]


def test_consent_needs_a_purpose_and_a_past_date(app, editor):
    code = add_person(app)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for data in ({"purpose": "", "given_on": "2026-01-01"},
                 {"purpose": "Photos", "given_on": ""},
                 {"purpose": "Photos", "given_on": tomorrow}):
        response = editor.post(f"/people/{code}/consents", data=data, follow_redirects=True)
        assert "The consent was not recorded" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 0


def test_consent_of_another_person_cannot_be_withdrawn_here(app, editor):
    one, other = add_person(app), add_person(app, nickname="Omar")
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.code == other))
        consent = Consent(person_id=person.id, purpose="x", given_on=date(2026, 1, 1))
        db.session.add(consent)
        db.session.commit()
        consent_id = consent.id
    assert editor.post(f"/people/{one}/consents/{consent_id}/withdraw").status_code == 404


def test_forms_need_the_csrf_token(make_app):
    app = make_app(plugins=[], WTF_CSRF_ENABLED=True)
    code = add_person(app)
    add_user(app, "edna", permissions=[VIEW, EDIT, EXPORT])
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "edna", "password": "correct horse battery",
                                "csrf_token": token})
    data = {"purpose": "Photos", "given_on": "2026-01-01"}
    assert client.post(f"/people/{code}/consents", data=data, follow_redirects=True) \
        .status_code in (200, 400)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
    assert client.post(f"/people/{code}/export",
                       data={"password": DEFAULT_PASSWORD}).status_code == 400
    assert client.post(f"/people/{code}/erase",
                       data={"code": code, "password": DEFAULT_PASSWORD}).status_code == 400
    assert get_person(app, code) is not None


# -- linking check-ins -----------------------------------------------------------------


def test_queue_offers_the_link_only_to_editors(app, editor, viewer):
    checkin_id = check_in(app, first_name="Lina")
    assert f"/people/link/{checkin_id}" in editor.get("/queue/").get_data(as_text=True)
    assert "Link to person" in editor.get("/queue/").get_data(as_text=True)
    assert f"/people/link/{checkin_id}" not in viewer.get("/queue/").get_data(as_text=True)


def test_link_page_finds_people_by_the_tickets_first_name(app, editor):
    lina = add_person(app, nickname="Lina")
    add_person(app, nickname="Omar")
    checkin_id = check_in(app, first_name="Lina")
    page = editor.get(f"/people/link/{checkin_id}").get_data(as_text=True)
    assert lina in page and "Omar" not in page and "C-1" in page
    partial = editor.get(f"/people/link/{checkin_id}?q=oma", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "<html" not in text and "Omar" in text and lina not in text


def test_linking_and_unlinking_a_checkin(app, editor):
    code = add_person(app, first_visit=date(2030, 1, 1))
    checkin_id = check_in(app, first_name="Lina")
    response = editor.post(f"/people/link/{checkin_id}", data={"person": code, "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with app.app_context():
        checkin = db.session.get(CheckIn, checkin_id)
        person = db.session.scalar(select(Person).where(Person.code == code))
        assert checkin.person_id == person.id
        assert person.first_visit == checkin.day  # the earlier visit counts as the first
    assert code in editor.get("/queue/").get_data(as_text=True)
    [entry] = audits(app, "checkin_linked")
    assert entry.object_id == str(checkin_id)
    assert entry.detail == {"person": get_person(app, code).id}  # ids, never the code
    assert "C-1" in editor.get(f"/people/{code}").get_data(as_text=True)

    response = editor.post(f"/people/unlink/{checkin_id}", data={"person": code})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{code}")
    with app.app_context():
        assert db.session.get(CheckIn, checkin_id).person_id is None
    assert len(audits(app, "checkin_unlinked")) == 1


def test_link_redirects_only_within_the_site(app, editor):
    code = add_person(app)
    checkin_id = check_in(app)
    response = editor.post(f"/people/link/{checkin_id}",
                           data={"person": code, "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_linking_to_unknown_person_or_ticket_is_404(app, editor):
    code = add_person(app)
    checkin_id = check_in(app)
    assert editor.post(f"/people/link/{checkin_id}", data={"person": "P-NOPE"}).status_code == 404
    assert editor.post("/people/link/999", data={"person": code}).status_code == 404


def test_tickets_of_hidden_areas_cannot_be_linked(app, editor):
    code = add_person(app)
    checkin_id = check_in(app, plugin="activity", purpose="secret", letter="Y")
    assert editor.get(f"/people/link/{checkin_id}").status_code == 404
    assert editor.post(f"/people/link/{checkin_id}", data={"person": code}).status_code == 404


def test_new_person_from_the_ticket(app, editor):
    checkin_id = check_in(app, first_name="Lina", language="fa")
    page = editor.get(f"/people/link/{checkin_id}").get_data(as_text=True)
    assert 'value="Lina"' in page
    bad = editor.post(f"/people/link/{checkin_id}/new", data={"nickname": "Lina Ahmadi 12"})
    assert bad.status_code == 400 and count_people(app) == 0
    response = editor.post(f"/people/link/{checkin_id}/new", data={"nickname": "Lina"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person))
        checkin = db.session.get(CheckIn, checkin_id)
        assert checkin.person_id == person.id
        assert (person.nickname, person.languages, person.first_visit) == \
            ("Lina", ["fa"], checkin.day)
    assert len(audits(app, "person_created")) == 1 and len(audits(app, "checkin_linked")) == 1


# -- data protection -------------------------------------------------------------------


def test_export_downloads_the_json_and_is_audited(app):
    exporter = client_for(app, "exa", [VIEW, EDIT, EXPORT])
    code = add_person(app, nickname="Lina", year_of_birth=1990)
    checkin_id = check_in(app, first_name="Lina")
    exporter.post(f"/people/link/{checkin_id}", data={"person": code})
    exporter.post(f"/people/{code}/consents", data={"purpose": "Photos", "note": "only inside",
                                                    "given_on": "2026-01-01"})
    page = exporter.get(f"/people/{code}").get_data(as_text=True)
    assert f"/people/{code}/export" in page and 'type="password"' in page
    response = exporter.post(f"/people/{code}/export", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f'filename="{code}.json"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["nickname"] == "Lina" and data["person"]["year_of_birth"] == 1990
    [checkin] = data["checkins"]
    assert checkin["ticket"] == "C-1" and checkin["first_name"] == "Lina"
    assert {"day", "number", "plugin", "purpose", "language", "status", "token"} <= set(checkin)
    [consent] = data["consents"]
    assert (consent["purpose"], consent["note"], consent["given_on"]) == \
        ("Photos", "only inside", "2026-01-01")
    [entry] = audits(app, "person_exported")
    assert entry.detail == {"checkins": 1, "consents": 1, "plugins": []}


def test_export_is_a_right_of_its_own(app, editor):
    """Changing the register is not enough to take a person's whole file away."""
    code = add_person(app)
    page = editor.get(f"/people/{code}").get_data(as_text=True)
    assert f"/people/{code}/export" not in page and f"/people/{code}/erase" in page
    response = editor.post(f"/people/{code}/export", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert audits(app, "person_exported") == []
    with app.app_context():
        from intranet.core.plugin_host import host

        [permission] = [p for p in host().collect("permissions", Permission)
                        if p.code == EXPORT]
        assert permission.confidential
    admin = client_for(app, "root", role=Role.ADMIN)  # admins hold every right
    assert admin.post(f"/people/{code}/export",
                      data={"password": DEFAULT_PASSWORD}).status_code == 200


def test_export_needs_the_fresh_password(app):
    exporter = client_for(app, "exa", [VIEW, EXPORT])
    code = add_person(app)
    page = exporter.get(f"/people/{code}").get_data(as_text=True)
    assert f"/people/{code}/export" in page and f"/people/{code}/erase" not in page
    for data in ({}, {"password": "not my password"}):
        response = exporter.post(f"/people/{code}/export", data=data)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert "Lina" in response.get_data(as_text=True)  # the person's page again
    assert "That is not your password. Nothing was done." in response.get_data(as_text=True)
    assert audits(app, "person_exported") == []
    [refused] = audits(app, "reauth_failed")
    assert refused.detail == {"for_action": "person_export"}
    assert "not my password" not in json.dumps(refused.detail)


def test_erase_needs_the_code_typed_and_erases(app, editor):
    code = add_person(app, nickname="Lina")
    checkin_id = check_in(app, first_name="Lina")
    editor.post(f"/people/link/{checkin_id}", data={"person": code})
    editor.post(f"/people/{code}/consents", data={"purpose": "Photos", "given_on": "2026-01-01"})
    page = editor.get(f"/people/{code}/erase").get_data(as_text=True)
    assert "1 check-in loses its link and first name" in page
    assert "1 consent record is deleted" in page and 'type="password"' in page
    wrong = editor.post(f"/people/{code}/erase",
                        data={"code": "P-OTHER", "password": DEFAULT_PASSWORD})
    assert wrong.status_code == 200 and "exactly to confirm" in wrong.get_data(as_text=True)
    assert get_person(app, code) is not None
    no_password = editor.post(f"/people/{code}/erase", data={"code": code, "password": "nope"})
    assert "That is not your password" in no_password.get_data(as_text=True)
    assert get_person(app, code) is not None and len(audits(app, "reauth_failed")) == 1
    response = editor.post(f"/people/{code}/erase",
                           data={"code": code.lower(), "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/")
    assert get_person(app, code) is None
    with app.app_context():
        checkin = db.session.get(CheckIn, checkin_id)
        assert checkin.person_id is None and checkin.first_name is None
        assert checkin.token is None
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
    [entry] = audits(app, "person_erased")
    assert entry.detail == {"checkins": 1, "consents": 1, "plugins": {}}
    for entry in audits(app, "consent_recorded"):
        assert "Photos" not in json.dumps(entry.detail) and code not in json.dumps(entry.detail)


class Failing:
    """A service area whose export and erasure break."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="failing", title="Failing area", ticket_letter="Z")

    @hookimpl
    def export_person(self, person):
        raise RuntimeError("disk full")

    @hookimpl
    def erase_person(self, person):
        return "done"  # not an ErasureReport


@pytest.mark.parametrize("strict", [True, False])
def test_a_failing_area_stops_export_and_erasure_and_is_named(make_app, strict):
    app = make_app(plugins=[], extra=[Failing()], PLUGINS_STRICT=strict,
                   SQLITE_BUSY_TIMEOUT=0.2)
    code = add_person(app)
    checkin_id = check_in(app, first_name="Lina")
    client = client_for(app, "exa", [VIEW, EDIT, EXPORT])
    client.post(f"/people/link/{checkin_id}", data={"person": code})
    response = client.post(f"/people/{code}/export", data={"password": DEFAULT_PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Nothing was exported" in page and "Failing area" in page
    response = client.post(f"/people/{code}/erase",
                           data={"code": code, "password": DEFAULT_PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was erased" in page
    assert "Failing area" in page
    assert get_person(app, code) is not None
    with app.app_context():
        assert db.session.get(CheckIn, checkin_id).first_name == "Lina"  # rolled back
    assert audits(app, "person_exported") == [] and audits(app, "person_erased") == []
    [export_failed] = audits(app, "person_export_failed")
    [erase_failed] = audits(app, "person_erase_failed")
    assert export_failed.detail == erase_failed.detail == {"plugins": ["failing"]}


def test_pages_carry_no_inline_code(app, editor):
    code = add_person(app)
    checkin_id = check_in(app)
    for url in ("/people/", "/people/new", f"/people/{code}", f"/people/{code}/edit",
                f"/people/{code}/merge", f"/people/{code}/erase", f"/people/link/{checkin_id}",
                "/people/?lang=ar"):
        response = editor.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", page), url
        assert re.search(r"css/people\.[0-9a-f]{10}\.css", page), url
