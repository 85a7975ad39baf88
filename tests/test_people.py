"""Data-protection requests: export and erase a pseudonymous person through every plugin."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from intranet.extensions import db
from intranet.hooktypes import ErasureReport, ExportSection
from intranet.models import AuditEntry, CheckIn, Person
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
