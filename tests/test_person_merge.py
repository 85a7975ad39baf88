"""Merging two records of the same person: everything moves, or nothing does."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select, update

from intranet.audit.models import AuditEntry
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.models import PluginState
from intranet.people.merge import MergeFailed, merge_persons
from intranet.people.models import Consent, Person
from intranet.plugin import MergeReport, PluginInfo, hookimpl
from intranet.testing import DEFAULT_PASSWORD, add_user, login

VIEW = "core.people_view"
EDIT = "core.people_edit"


class Notes:
    """A plugin that keeps notes per person and moves them on a merge.

    It also renames the source's check-ins in the database, so a rollback of
    its work can be seen.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="notes", title="Notes", ticket_letter="N")

    @hookimpl
    def merge_persons(self, source, target):
        self.calls.append((source.code, target.code))
        db.session.execute(update(CheckIn).where(CheckIn.first_name == "Lina")
                           .values(first_name="moved by notes"))
        return MergeReport(records_moved=2, detail="notes")


class Broken:
    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="broken", title="Broken", ticket_letter="X")

    @hookimpl
    def merge_persons(self, source, target):
        raise RuntimeError("disk full")


class WrongAnswer:
    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="wrong", title="Wrong", ticket_letter="W")

    @hookimpl
    def merge_persons(self, source, target):
        return "done"


def seed(app) -> tuple[str, str]:
    """A duplicate (source) with two visits and a consent, and the record to keep (target)."""
    with app.app_context():
        source = Person(nickname="Lina", year_of_birth=1990, gender="female",
                        languages=["ar", "de"], country_of_origin="SY",
                        first_visit=date(2025, 5, 1))
        target = Person(nickname="Lina", languages=["ar"], first_visit=date(2026, 1, 10))
        db.session.add_all([source, target])
        db.session.flush()
        for number in (1, 2):
            db.session.add(CheckIn(day=date(2026, 1, number), number=number, ticket=f"C-{number}",
                                   plugin="core", purpose="cafe", language="ar",
                                   first_name="Lina", person_id=source.id))
        db.session.add(CheckIn(day=date(2026, 1, 3), number=1, ticket="C-1", plugin="core",
                               purpose="cafe", language="ar", person_id=target.id))
        db.session.add(Consent(person_id=source.id, purpose="Photos", given_on=date(2026, 1, 1)))
        db.session.commit()
        return source.code, target.code


def state(app, source_code, target_code):
    with app.app_context():
        people = {p.code: p for p in db.session.scalars(select(Person))}
        ids = {p.id: code for code, p in people.items()}
        checkins = sorted((ids.get(c.person_id), c.ticket, c.first_name or "")
                          for c in db.session.scalars(select(CheckIn)))
        consents = [ids.get(c.person_id) for c in db.session.scalars(select(Consent))]
        target = people.get(target_code)
        facts = None if target is None else (
            target.nickname, target.year_of_birth, target.gender, target.languages,
            target.country_of_origin, target.first_visit)
        return {"people": sorted(people), "checkins": checkins, "consents": consents,
                "target": facts}


def confirm(source: str) -> dict[str, str]:
    """The merge form: the duplicate's code and the fresh password."""
    return {"other": source, "password": DEFAULT_PASSWORD}


def person_ids(app) -> dict[str, int]:
    with app.app_context():
        return {p.code: p.id for p in db.session.scalars(select(Person))}


def audit_actions(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(e.action, e.detail) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("persons_merge%"))
            .order_by(AuditEntry.id))]


def editor_client(app):
    add_user(app, "edna", permissions=[VIEW, EDIT])
    client = app.test_client()
    assert login(client, "edna").status_code == 302
    client.get("/?lang=en")
    return client


def test_merge_moves_everything_and_deletes_the_duplicate(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    source, target = seed(app)
    ids = person_ids(app)
    client = editor_client(app)
    response = client.post(f"/people/{target}/merge", data=confirm(source))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{target}")
    after = state(app, source, target)
    assert after["people"] == [target]
    assert after["checkins"] == [(target, "C-1", ""),
                                 (target, "C-1", "moved by notes"),
                                 (target, "C-2", "moved by notes")]
    assert after["consents"] == [target]
    # empty facts filled from the duplicate; languages joined; the earlier first visit wins
    assert after["target"] == ("Lina", 1990, "female", ["ar", "de"], "SY", date(2025, 5, 1))
    assert notes.calls == [(source, target)]
    [(action, detail)] = audit_actions(app)
    assert action == "persons_merged"
    assert detail["source"] == ids[source] and detail["target"] == ids[target]
    assert source not in str(detail) and target not in str(detail)  # ids, never codes
    assert detail["checkins"] == 2 and detail["consents"] == 1
    assert detail["plugins"] == {"notes": 2}
    page = client.get(f"/people/{target}").get_data(as_text=True)
    assert "merged into" in page and "Photos" in page


def test_target_keeps_its_own_facts(make_app):
    app = make_app(plugins=[])
    source, target = seed(app)
    with app.app_context():
        kept = db.session.scalar(select(Person).where(Person.code == target))
        kept.year_of_birth, kept.country_of_origin = 1991, "IQ"
        db.session.commit()
        merge_persons(db.session.scalar(select(Person).where(Person.code == source)),
                      db.session.scalar(select(Person).where(Person.code == target)))
    facts = state(app, source, target)["target"]
    assert facts[1] == 1991 and facts[4] == "IQ"


@pytest.mark.parametrize("failing", [Broken, WrongAnswer])
def test_a_failing_plugin_undoes_the_whole_merge(make_app, failing):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes, failing()], PLUGINS_STRICT=False,
                   SQLITE_BUSY_TIMEOUT=0.2)
    source, target = seed(app)
    before = state(app, source, target)
    client = editor_client(app)
    response = client.post(f"/people/{target}/merge", data=confirm(source),
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    info = failing().plugin_info()
    name = info.name
    assert "The merge was undone because" in page and info.title in page
    assert notes.calls == [(source, target)]  # the good plugin ran, and was rolled back too
    assert state(app, source, target) == before
    assert [action for action, _ in audit_actions(app)] == ["persons_merge_failed"]
    with app.app_context():
        assert app.extensions["mittelpunkt"].failures_of(name)


def test_a_failing_plugin_in_strict_mode_undoes_the_merge_too(make_app):
    app = make_app(plugins=[], extra=[Notes(), Broken()])  # PLUGINS_STRICT is on in tests
    source, target = seed(app)
    before = state(app, source, target)
    with app.test_request_context(), pytest.raises(MergeFailed):
        merge_persons(db.session.scalar(select(Person).where(Person.code == source)),
                      db.session.scalar(select(Person).where(Person.code == target)))
    assert state(app, source, target) == before


def test_a_plugin_that_was_failing_before_does_not_block_the_merge(make_app):
    """Only failures during this merge count, not old ones on the plugins page."""
    app = make_app(plugins=[], extra=[Notes()], PLUGINS_STRICT=False)
    source, target = seed(app)
    with app.app_context():
        app.extensions["mittelpunkt"].records["notes"].failures = ["offers: old trouble"]
        db.session.add(PluginState(name="notes", enabled=True, last_error="old trouble"))
        db.session.commit()
    client = editor_client(app)
    client.post(f"/people/{target}/merge", data=confirm(source))
    assert state(app, source, target)["people"] == [target]


def test_choosing_the_duplicate_and_comparing_side_by_side(make_app):
    app = make_app(plugins=[])
    source, target = seed(app)
    with app.app_context():
        db.session.add(Person(nickname="Omar"))
        db.session.commit()
    client = editor_client(app)
    suggestions = client.get(f"/people/{target}/merge").get_data(as_text=True)
    assert source in suggestions and "Omar" not in suggestions
    assert f"other={source}" in suggestions
    found = client.get(f"/people/{target}/merge?q=oma").get_data(as_text=True)
    assert "Omar" in found and f"other={source}" not in found
    compare = client.get(f"/people/{target}/merge?other={source}").get_data(as_text=True)
    assert "Duplicate — will be deleted" in compare and "Kept" in compare
    assert "2 check-ins" in compare and "1 consent" in compare and "Syria" in compare
    assert f'name="other" type="hidden" value="{source}"' in compare
    assert f"/people/{source}/merge?other={target}" in compare  # the other way round
    with app.app_context():
        viewed = db.session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "person_viewed")).all()
    ids = person_ids(app)
    assert viewed == [{"view": "merge"}] * 2  # who was viewed is the entry's object id
    with app.app_context():
        assert sorted(db.session.scalars(select(AuditEntry.object_id).where(
            AuditEntry.action == "person_viewed")).all()) == sorted(
            [str(ids[source]), str(ids[target])])
    assert len(state(app, source, target)["people"]) == 3  # nothing merged yet


def test_a_person_cannot_be_merged_into_itself(make_app):
    app = make_app(plugins=[])
    source, target = seed(app)
    client = editor_client(app)
    assert client.get(f"/people/{target}/merge?other={target}").status_code == 404
    assert client.post(f"/people/{target}/merge", data={"other": target}).status_code == 404
    assert client.post(f"/people/{target}/merge", data={"other": "P-NOPE"}).status_code == 404
    assert len(state(app, source, target)["people"]) == 2


def test_merging_needs_the_edit_permission(make_app):
    app = make_app(plugins=[])
    source, target = seed(app)
    add_user(app, "vic", permissions=[VIEW])
    client = app.test_client()
    login(client, "vic")
    assert client.get(f"/people/{target}/merge?other={source}").status_code == 403
    assert client.post(f"/people/{target}/merge", data=confirm(source)).status_code == 403
    assert len(state(app, source, target)["people"]) == 2
    assert not re.search(r"/merge", client.get(f"/people/{target}").get_data(as_text=True))


def test_merge_and_person_page_with_every_builtin_plugin(make_app):
    """Whatever the built-in plugins hold about people, they take part without failing."""
    app = make_app()  # the built-in plugins, strict: a failing plugin raises
    source, target = seed(app)
    client = editor_client(app)
    assert client.get(f"/people/{source}").status_code == 200
    assert client.get(f"/people/{target}/merge?other={source}").status_code == 200
    response = client.post(f"/people/{target}/merge", data=confirm(source))
    assert response.status_code == 302
    assert state(app, source, target)["people"] == [target]
    assert client.get(f"/people/{target}").status_code == 200


def test_merging_needs_the_fresh_password(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    source, target = seed(app)
    before = state(app, source, target)
    client = editor_client(app)
    compare = client.get(f"/people/{target}/merge?other={source}").get_data(as_text=True)
    assert 'type="password"' in compare
    for password in ("", "wrong"):
        response = client.post(f"/people/{target}/merge",
                               data={"other": source, "password": password})
        assert response.status_code == 200 and "Duplicate — will be deleted" in \
            response.get_data(as_text=True)
    assert "That is not your password" in response.get_data(as_text=True)
    assert state(app, source, target) == before and notes.calls == []
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "reauth_failed")) == {"for_action": "persons_merge"}


def test_a_switched_off_plugin_takes_part_in_the_merge(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    source, target = seed(app)
    with app.test_request_context():
        app.extensions["mittelpunkt"].set_enabled("notes", False)
    client = editor_client(app)
    assert client.post(f"/people/{target}/merge", data=confirm(source)).status_code == 302
    assert notes.calls == [(source, target)]
    [(_, detail)] = audit_actions(app)
    assert detail["plugins"] == {"notes": 2}
