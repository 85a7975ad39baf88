"""The service-area base: the usual hooks from a declaration, and the live queue asking a
ticket's own plugin only for its actions."""

from __future__ import annotations

import re
import sys
import types
from datetime import date

import pytest
from flask import Blueprint
from flask_babel import lazy_gettext

from intranet.checkins.numbering import NewCheckIn, create_checkin
from intranet.plugin import (
    NavItem,
    Permission,
    PluginInfo,
    Purpose,
    ServiceArea,
    hookimpl,
)
from intranet.testing import client_for, collect_hook, purposes_of

# A lazy string the core's catalogs translate (a plugin's would use its own domain).
_l = lazy_gettext

DEMO_WEEKS: list[date] = []


def add_demo_week(week_start: date) -> None:
    DEMO_WEEKS.append(week_start)


def repair_area(**changes) -> ServiceArea:
    bp = Blueprint(changes.get("name", "repair"), __name__)
    bp.add_url_rule("/", "overview", lambda: "the repair café's overview")
    declaration = dict(
        name="repair", title="Reparaturcafé", description="Fahrräder und Toaster.",
        colour="#336699", pictogram="tool", ticket_letter="R", order=70,
        purposes=[Purpose("repair", _l("Meeting someone"), "tool"),
                  Purpose("return", "Abholen", "box", order=5)],
        rights={"view": "Reparaturen sehen", "edit": "Reparaturen eintragen"},
        confidential_rights={"notes": "Notizen lesen"},
        blueprint=lambda: bp, demo=add_demo_week)
    return ServiceArea(**(declaration | changes))


def module_of(area: ServiceArea, **own) -> types.ModuleType:
    """A plugin module as a plugin author writes it: the usual hooks taken from ``area``."""
    module = types.ModuleType(area.name)
    for name in ("plugin_info", "register_blueprints", "navigation", "kiosk_purposes",
                 "permissions", "dashboard_widgets", "load_demo_data"):
        setattr(module, name, getattr(area, name))
    for name, function in own.items():
        setattr(module, name, hookimpl(function))
    return module


def test_the_declaration_answers_the_usual_hooks(make_app):
    app = make_app(plugins=["consultations"], extra=[module_of(repair_area())])
    host = app.extensions["mittelpunkt"]
    assert host.failures_of("repair") == []
    assert host.info("repair") == PluginInfo(
        name="repair", title="Reparaturcafé", pictogram="tool", colour="#336699",
        ticket_letter="R", description="Fahrräder und Toaster.", order=70)
    with app.test_request_context("/"):
        [nav] = [n for n in collect_hook(app, "navigation", NavItem, user=None)
                 if n.plugin == "repair"]
        rights = [p for p in collect_hook(app, "permissions", Permission) if p.plugin == "repair"]
    assert (nav.endpoint, nav.permission, nav.order, nav.pictogram) == (
        "repair.overview", "repair.view", 70, "tool")
    assert [(p.code, str(p.label), p.order, p.confidential) for p in rights] == [
        ("repair.view", "Reparaturen sehen", 10, False),
        ("repair.edit", "Reparaturen eintragen", 11, False),
        ("repair.notes", "Notizen lesen", 12, True)]
    # tiles in the visitor's language, in the area's order unless a tile brings its own
    german, english = purposes_of(app, "repair", "de"), purposes_of(app, "repair", "en")
    assert german["repair"].label == "Jemanden treffen"
    assert english["repair"].label == "Meeting someone"
    assert isinstance(english["repair"].label, str)
    assert [(p.key, p.order) for p in sorted(german.values(), key=lambda p: p.order)] == [
        ("return", 5), ("repair", 70)]
    staff = client_for(app, "fixer", ["repair.view"])
    assert staff.get("/repair/").get_data(as_text=True) == "the repair café's overview"
    assert 'href="/repair/"' in staff.get("/").get_data(as_text=True)


def test_the_usual_widget_and_the_demo_week(make_app):
    app = make_app(plugins=[], extra=[module_of(repair_area())])
    monday = date(2026, 11, 23)
    with app.test_request_context("/?lang=en"):
        [box] = [w for w in collect_hook(app, "dashboard_widgets", type(
            repair_area().todays_offers_widget(monday)), user=None, today=monday)
            if w.plugin == "repair"]
        app.extensions["mittelpunkt"].call("load_demo_data", week_start=monday)
    assert (box.title, box.empty_text, box.items, box.permission, box.order) == (
        "Reparaturcafé today", "No offers today.", (), "repair.view", 70)
    assert DEMO_WEEKS[-1] == monday


def test_a_blueprint_and_a_demo_can_be_named_by_module_and_attribute(monkeypatch):
    pages = types.ModuleType("repair_pages")
    pages.bp = Blueprint("repair_named", __name__)
    pages.add_demo_data = add_demo_week
    monkeypatch.setitem(sys.modules, "repair_pages", pages)
    area = repair_area(blueprint="repair_pages:bp", demo="repair_pages:add_demo_data")
    assert area.register_blueprints() == [pages.bp]
    area.load_demo_data(date(2027, 1, 4))
    assert DEMO_WEEKS[-1] == date(2027, 1, 4)
    with pytest.raises(ValueError, match="package.module:attribute"):
        repair_area(blueprint="repair_pages").register_blueprints()


def test_registering_the_declaration_itself_works_too(make_app):
    app = make_app(plugins=[], extra=[repair_area()])
    with app.test_request_context("/"):
        assert [p.key for p in collect_hook(app, "kiosk_purposes", Purpose, locale="de")
                if p.plugin == "repair"] == ["return", "repair"]


@pytest.mark.parametrize("changes, message", [
    ({"name": "Repair Café"}, "lowercase letters"),
    ({"ticket_letter": "rr"}, "one letter"),
    ({"rights": {"edit": "Eintragen"}}, "declare the right 'view'"),
    ({"confidential_rights": {"view": "Sehen"}}, "declared twice"),
    ({"purposes": [Purpose("a", "A"), Purpose("a", "B")]}, "share a key"),
])
def test_a_wrong_declaration_is_refused_when_the_plugin_is_imported(changes, message):
    with pytest.raises(ValueError, match=message):
        repair_area(**changes)


# -- queue actions: asked of the ticket's own plugin only ---------------------------------

asked: list[tuple[str, str]] = []


def links_of(name: str):
    def queue_actions(checkin):
        asked.append((name, checkin.ticket))
        return [NavItem(label=f"Open in {name}", endpoint=f"{name}.overview",
                        url_values={"ticket": checkin.id})]
    return queue_actions


def test_the_queue_asks_only_the_tickets_own_plugin_for_its_actions(make_app):
    first = repair_area()
    second = repair_area(name="sewing", ticket_letter="N", purposes=[])
    app = make_app(plugins=[], extra=[
        module_of(first, queue_actions=links_of("repair")),
        module_of(second, queue_actions=links_of("sewing"))])
    with app.app_context():
        mine = create_checkin(NewCheckIn(plugin="repair", purpose="repair", ticket_letter="R",
                                         language="de"))
    asked.clear()
    staff = client_for(app, "both", ["repair.view", "sewing.view"])
    page = staff.get("/queue/").get_data(as_text=True)
    assert asked == [("repair", mine.ticket)]
    assert re.findall(r">Open in (\w+)<", page) == ["repair"]
    assert f"/repair/?ticket={mine.id}" in page
