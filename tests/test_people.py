"""Data-protection requests: export and erase a pseudonymous person through every plugin."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, update

from intranet.audit.models import AuditEntry
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.hooktypes import ErasureReport, ExportSection
from intranet.people.models import Person
from intranet.plugin import PluginInfo, hookimpl


class Notes:
    """A plugin holding one note per person in memory."""

    def __init__(self) -> None:
        self.notes: dict[int, str] = {}

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="notes", title="Notes")

    @hookimpl
    def export_person(self, person):
        return ExportSection(title="Notes", records=({"note": self.notes[person.id]},))

    @hookimpl
    def erase_person(self, person):
        self.notes.pop(person.id)
        return ErasureReport(records_erased=1)


def _person_with_checkin(app, notes: Notes) -> str:
    with app.app_context():
        person = Person(nickname="Lina", year_of_birth=1990)
        db.session.add(person)
        db.session.flush()
        db.session.add(CheckIn(day=date(2026, 11, 23), number=1, ticket="B-1",
                               plugin="consultations", purpose="counselling", language="ar",
                               first_name="Lina", person_id=person.id))
        db.session.commit()
        notes.notes[person.id] = "needs an interpreter"
        return person.code


def test_export_collects_core_and_plugin_data(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    code = _person_with_checkin(app, notes)
    result = app.test_cli_runner().invoke(args=["people", "export", code.lower()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["person"]["nickname"] == "Lina"
    assert data["checkins"][0]["ticket"] == "B-1"
    assert data["plugins"] == [{"title": "Notes", "plugin": "notes",
                                "records": [{"note": "needs an interpreter"}]}]


def test_erase_removes_the_person_everywhere_but_keeps_the_counts(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    code = _person_with_checkin(app, notes)
    result = app.test_cli_runner().invoke(args=["people", "erase", code, "--yes"])
    assert result.exit_code == 0, result.output
    assert "notes: 1 records erased" in result.output
    assert notes.notes == {}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == 0
        checkin = db.session.scalar(select(CheckIn))
        assert checkin.person_id is None and checkin.first_name is None  # visit still counted
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "person_erased")) == "person_erased"


def test_unknown_code_is_a_clear_error(make_app):
    app = make_app(plugins=[])
    result = app.test_cli_runner().invoke(args=["people", "export", "P-NOPE"])
    assert result.exit_code != 0 and "no person with the code" in result.output


class Broken:
    """A plugin whose erasure breaks half-way, after writing."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="broken", title="Broken")

    @hookimpl
    def erase_person(self, person):
        db.session.execute(update(CheckIn).values(first_name="changed by broken"))
        raise RuntimeError("disk full")


def test_a_switched_off_plugin_is_still_exported_and_erased(make_app):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes])
    code = _person_with_checkin(app, notes)
    with app.test_request_context():
        app.extensions["mittelpunkt"].set_enabled("notes", False)
    exported = app.test_cli_runner().invoke(args=["people", "export", code])
    assert exported.exit_code == 0, exported.output
    assert "needs an interpreter" in exported.output
    erased = app.test_cli_runner().invoke(args=["people", "erase", code, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert notes.notes == {}


@pytest.mark.parametrize("strict", [True, False])
def test_a_failing_plugin_erases_nothing_and_is_audited(make_app, strict):
    notes = Notes()
    app = make_app(plugins=[], extra=[notes, Broken()], PLUGINS_STRICT=strict,
                   SQLITE_BUSY_TIMEOUT=0.2)
    code = _person_with_checkin(app, notes)
    result = app.test_cli_runner().invoke(args=["people", "erase", code, "--yes"])
    assert result.exit_code != 0 and "nothing erased" in result.output
    assert "broken" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == 1
        assert db.session.scalar(select(CheckIn.first_name)) == "Lina"  # rolled back
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert "person_erased" not in actions and "person_erase_failed" in actions
        failed = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "person_erase_failed"))
        assert failed.detail == {"plugins": ["broken"]}


def test_call_all_asks_every_loaded_plugin_and_collects_every_failure(make_app):
    from intranet.core.plugin_host import PluginCallFailed

    class Wrong:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="wrong", title="Wrong")

        @hookimpl
        def export_person(self, person):
            return None

    notes = Notes()
    app = make_app(plugins=[], extra=[notes, Broken(), Wrong()])
    code = _person_with_checkin(app, notes)
    plugin_host = app.extensions["mittelpunkt"]
    with app.test_request_context():
        plugin_host.set_enabled("notes", False)
        person = db.session.scalar(select(Person).where(Person.code == code))
        with pytest.raises(PluginCallFailed) as failed:  # None is no ExportSection
            plugin_host.call_all("export_person", ExportSection, person=person)
        assert failed.value.plugins == ["wrong"]
        assert plugin_host.titles(failed.value.plugins) == ["Wrong"]
        with pytest.raises(PluginCallFailed) as failed:  # notes (switched off) ran, broken not
            plugin_host.call_all("erase_person", ErasureReport, person=person)
        assert failed.value.plugins == ["broken"] and notes.notes == {}
        db.session.rollback()
