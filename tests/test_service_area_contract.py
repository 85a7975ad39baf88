"""The contract of intranet.testing fails where a service area breaks it.

A small probe plugin (registered with ``extra=``) keeps notes about people in a table of
its own; each broken variant must make exactly the contract check about it fail, and the
sound one passes every check. The probe's table lives in a MetaData of its own, so the
core's models and migrations never see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Blueprint, Flask
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, delete, select

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    NavItem,
    Permission,
    Person,
    PluginInfo,
    Purpose,
    db,
    hookimpl,
    permission_required,
    render_area_overview,
)
from intranet.testing import ServiceAreaContract

NAME = "contract_probe"
VIEW = f"{NAME}.view"
NOTES = Table(f"{NAME}_note", MetaData(), Column("id", Integer, primary_key=True),
              Column("person_id", ForeignKey(Person.__table__.c.id, ondelete="SET NULL")),
              Column("text", String(200)))


class Probe:
    """A service area; the keyword arguments break one promise each."""

    def __init__(self, *, open_page: bool = False, open_navigation: bool = False,
                 keeps_after_erasure: bool = False, exports: bool = True) -> None:
        self.open_page = open_page
        self.open_navigation = open_navigation
        self.keeps_after_erasure = keeps_after_erasure
        self.exports = exports

    @hookimpl
    def plugin_info(self) -> PluginInfo:
        return PluginInfo(name=NAME, title="Probe", ticket_letter="Q")

    @hookimpl
    def register_blueprints(self) -> list[Blueprint]:
        bp = Blueprint(NAME, __name__)

        @bp.route("/")
        @permission_required(VIEW)
        def overview() -> str:
            return render_area_overview("area_overview.html", info=self.plugin_info(),
                                        purposes=[])

        def notes(note_id: int) -> str:
            return f"note {note_id} of anybody"

        bp.add_url_rule("/notes/<int:note_id>", "notes",
                        notes if self.open_page else permission_required(VIEW)(notes))
        return [bp]

    @hookimpl
    def navigation(self, user: Any) -> list[NavItem]:
        return [NavItem(label="Probe", endpoint=f"{NAME}.overview",
                        permission=None if self.open_navigation else VIEW)]

    @hookimpl
    def permissions(self) -> list[Permission]:
        return [Permission(code=VIEW, label="See the probe")]

    @hookimpl
    def kiosk_purposes(self, locale: str) -> list[Purpose]:
        return [Purpose(key="visit", label="Probe")]

    @hookimpl
    def export_person(self, person: Any) -> ExportSection:
        rows = db.session.execute(select(NOTES).where(NOTES.c.person_id == person.id)).all()
        records = tuple({"text": row.text} for row in rows) if self.exports else ()
        return ExportSection(title="Probe notes", records=records)

    @hookimpl
    def erase_person(self, person: Any) -> ErasureReport:
        if self.keeps_after_erasure:
            return ErasureReport(records_erased=0)
        done = db.session.execute(delete(NOTES).where(NOTES.c.person_id == person.id))
        return ErasureReport(records_erased=done.rowcount or 0)


class ProbeContract(ServiceAreaContract):
    plugin = NAME
    probe: Probe = Probe()

    def contract_app(self, make_app: Callable[..., Flask]) -> Flask:
        app = make_app(plugins=[], extra=[self.probe])
        with app.app_context():
            NOTES.create(db.engine)
        return app

    def plugin_tables(self) -> list[Any]:
        return [NOTES]

    def add_person_data(self, person_id: int, marker: str) -> None:
        db.session.execute(NOTES.insert().values(person_id=person_id, text=f"about {marker}"))


CHECKS = ["test_it_loads_without_a_failure", "test_navigation_shows_it_only_with_the_view_right",
          "test_every_page_refuses_a_user_without_its_rights",
          "test_the_overview_renders_on_an_empty_database",
          "test_the_overview_speaks_the_languages_of_its_title",
          "test_its_ticket_letter_and_kiosk_tiles",
          "test_export_holds_its_section_and_erasure_leaves_nothing"]


def run(contract: ServiceAreaContract, check: str, make_app: Callable[..., Flask]) -> None:
    getattr(contract, check)(make_app)


@pytest.mark.parametrize("check", CHECKS)
def test_a_sound_area_passes_every_check(make_app, check):
    class Sound(ProbeContract):
        probe = Probe()
        ticket_letter = "Q"
        kiosk_tiles = {"de": {"visit": "Probe"}}

    run(Sound(), check, make_app)


@pytest.mark.parametrize("broken, check, message", [
    (dict(open_page=True), "test_every_page_refuses_a_user_without_its_rights",
     "GET /contract_probe/notes/1: 200"),
    (dict(open_navigation=True), "test_navigation_shows_it_only_with_the_view_right",
     "shown without the right"),
    (dict(keeps_after_erasure=True), "test_export_holds_its_section_and_erasure_leaves_nothing",
     "still in ['contract_probe_note.text']"),
    (dict(exports=False), "test_export_holds_its_section_and_erasure_leaves_nothing",
     "no section of contract_probe with records"),
])
def test_a_broken_promise_fails_its_check(make_app, broken, check, message):
    class Broken(ProbeContract):
        probe = Probe(**broken)

    with pytest.raises(AssertionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        run(Broken(), check, make_app)


def test_a_table_pointing_to_people_needs_add_person_data(make_app):
    class Forgetful(ProbeContract):
        add_person_data = None

    with pytest.raises(AssertionError, match="define add_person_data"):
        run(Forgetful(), "test_export_holds_its_section_and_erasure_leaves_nothing", make_app)


def test_a_wrong_ticket_letter_or_tile_fails(make_app):
    class WrongLetter(ProbeContract):
        ticket_letter = "Z"

    class WrongTile(ProbeContract):
        kiosk_tiles = {"de": {"visit": "Something else"}}

    with pytest.raises(AssertionError):
        run(WrongLetter(), "test_its_ticket_letter_and_kiosk_tiles", make_app)
    with pytest.raises(AssertionError, match="the kiosk tiles in de"):
        run(WrongTile(), "test_its_ticket_letter_and_kiosk_tiles", make_app)


def test_the_contract_class_itself_is_not_collected():
    assert not ServiceAreaContract.__name__.startswith("Test")
    assert not ProbeContract.__name__.startswith("Test")
