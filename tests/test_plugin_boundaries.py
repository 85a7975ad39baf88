"""A plugin that takes a name, URL, blueprint or table of the core is refused: the app starts.

Refused means: not loaded, none of its hooks called, shown as failing on the admin page,
in ``plugins list`` and on ``/healthz``; with ``PLUGINS_STRICT`` (the tests' default) the
refusal raises :class:`PluginRefused` with the same message instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from entry_points import install_entry_point
from flask import Blueprint
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.extensions import db
from intranet.core.plugin_host import PluginRefused
from intranet.hooktypes import Purpose
from intranet.plugin import PluginInfo, hookimpl
from intranet.testing import add_user, login


def plugin(name: str, blueprints: object = None, **hooks: object) -> object:
    """A plugin object named ``name`` with a kiosk tile (to see whether it is called)."""

    class Plugin:
        calls: list[str] = []

        @hookimpl
        def plugin_info(self):
            return PluginInfo(name=name, title=name.title())

        @hookimpl
        def kiosk_purposes(self):
            Plugin.calls.append(name)
            return [Purpose(key="tile", label=f"{name} tile")]

        if blueprints is not None:
            @hookimpl
            def register_blueprints(self):
                if isinstance(blueprints, Exception):
                    raise blueprints
                return blueprints

    for hook_name, function in hooks.items():
        setattr(Plugin, hook_name, hookimpl(function))
    return Plugin()


def blueprint(name: str, url_prefix: str | None = None, text: str = "page") -> Blueprint:
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    bp.add_url_rule("/", "home", lambda: text)
    return bp


def admin_client(app):
    add_user(app, "admin", role="admin")
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def test_a_plugin_named_reports_leaves_the_app_running(make_app, monkeypatch, tmp_path):
    """Installed through a real entry point, as the issue tells it."""
    install_entry_point(monkeypatch, tmp_path / "site", "reports", "mittelpunkt_garden")
    monkeypatch.delitem(sys.modules, "mittelpunkt_garden", raising=False)
    app = make_app(plugins=None, PLUGINS_STRICT=False, HEALTHZ_DETAILS=True)
    host = app.extensions["mittelpunkt"]
    record = host.records["reports"]
    assert not record.loaded and record.refusal is not None
    assert str(record.refusal) == "the name reports is taken by a part of the core " \
                                  "(blueprint reports)"
    assert host.pm.get_plugin("reports") is None  # none of its hooks is ever called
    with app.test_request_context("/"):
        tiles = host.collect("kiosk_purposes", Purpose, locale="de")
    assert "reports" not in {t.plugin for t in tiles}

    client = admin_client(app)
    assert client.get("/reports/").status_code == 200  # the core's reports, not the plugin
    assert app.url_map.bind("").match("/reports/")[0] == "reports.index"
    page = client.get("/admin/plugins?lang=en").get_data(as_text=True)
    row = page[page.index("<code>reports</code>"):]
    row = row[:row.index("</tr>")]
    assert "refused" in row and "failing" in row
    assert "Not loaded: the name reports is taken by a part of the core (blueprint reports)" \
        in row
    assert client.get("/healthz").json["plugins"]["reports"] == "failing"
    listing = app.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "reports 1.0  refused  FAILING (the name reports is taken by a part" in listing


def test_in_strict_mode_the_refusal_raises_with_the_same_message(make_app):
    with pytest.raises(PluginRefused, match="the name reports is taken by a part of the core"):
        make_app(plugins=[], extra=[plugin("reports")])


@pytest.mark.parametrize("name, message", [
    ("admin", "the name admin is taken by a part of the core (blueprint admin)"),
    ("main", "the name main is taken by a part of the core (blueprint main)"),
    ("programme", "the name programme is taken by a part of the core"),
    ("core", "the name core is taken by a part of the core"),
    ("login", "the URL prefix /login/ belongs to the core"),
    ("healthz", "the URL prefix /healthz/ belongs to the core"),
    ("static", "the URL prefix /static/ belongs to the core"),
    ("person", "collides with the core's table person"),
    ("user", "the name user collides with the core's table user"),
    ("checkin", "the name checkin collides with the core's table checkin"),
    ("audit", "the name audit collides with the core's table audit_chain_head"),
    ("Garden", "Garden is not a valid plugin name"),
    ("my-garden", "my-garden is not a valid plugin name"),
    ("class", "class is not a valid plugin name"),
    ("g", "g is not a valid plugin name"),
])
def test_names_the_core_uses_are_refused(make_app, name, message):
    app = make_app(plugins=[], extra=[plugin(name), plugin("good_garden")],
                   PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    assert message in str(host.records[name].refusal)
    assert host.failures_of(name)[0] == str(host.records[name].refusal)
    assert host.records["good_garden"].loaded  # the other plugin is untouched
    with app.test_request_context("/"):
        tiles = {t.label for t in host.collect("kiosk_purposes", Purpose, locale="de")}
    assert "good_garden tile" in tiles and f"{name} tile" not in tiles


def test_the_reserved_names_are_read_from_the_app(app):
    """Every core blueprint and first URL segment, not a list kept by hand."""
    reserved = app.extensions["mittelpunkt"].reserved  # read before any plugin was mounted
    core_blueprints = {"auth", "account", "main", "admin", "queue", "offers", "programme",
                       "people", "reports"}
    assert core_blueprints <= reserved.blueprints
    assert not {"consultations", "kiosk", "kiosk_admin"} & reserved.blueprints  # plugins'
    assert {"admin", "offers", "people", "reports", "queue", "account", "static", "healthz",
            "login"} <= reserved.url_segments
    assert {"person", "offer", "user", "checkin", "room", "consent", "plugin_state"} \
        <= reserved.tables
    assert not {t for t in reserved.tables if t.startswith("consultations_")}


@pytest.fixture
def model_named() -> Iterator:
    """Define a model in this test module (so it is the test plugin's) and take its
    table out of the shared metadata afterwards."""
    made = []

    def define(table_name: str) -> type:
        namespace = {"__tablename__": table_name, "__module__": __name__,
                     "__annotations__": {"id": Mapped[int], "title": Mapped[str]},
                     "id": mapped_column(primary_key=True), "title": mapped_column(String(40))}
        model = type(f"Model_{table_name}", (db.Model,), namespace)
        made.append(model)  # held: the mapper registry forgets a class nobody holds
        return model

    yield define
    for model in made:
        db.metadata.remove(model.__table__)


def test_a_plugin_whose_table_lacks_its_prefix_is_refused(make_app, model_named):
    model_named("loans")  # should be lending_loans
    app = make_app(plugins=[], extra=[plugin("lending")], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    assert str(host.records["lending"].refusal) == \
        "its table loans must be named lending_..."
    assert not host.records["lending"].loaded
    # ownership comes from the model's module, not from the name
    assert host.table_owners().owner("loans") is None


def test_a_plugin_whose_tables_carry_its_prefix_loads(make_app, model_named):
    model_named("lending_loans")
    app = make_app(plugins=[], extra=[plugin("lending")], migrate=False)
    host = app.extensions["mittelpunkt"]
    assert host.records["lending"].loaded
    assert host.tables_of("lending") == ["lending_loans"]
    assert host.table_owners().owner("lending_loans") == "lending"


def test_register_blueprints_is_isolated(make_app):
    raising = plugin("raising", blueprints=RuntimeError("no pages today"))
    garbage = plugin("garbage", blueprints="<h1>not a blueprint</h1>")
    good = plugin("good_garden", blueprints=[blueprint("good_garden", text="garden")])
    app = make_app(plugins=[], extra=[raising, garbage, good], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert "/good_garden/" in rules
    assert not [r for r in rules if r.startswith(("/raising", "/garbage"))]
    with app.app_context():
        assert "register_blueprints: RuntimeError: no pages today" in \
            host.failures_of("raising")[0]
        assert host.failures_of("garbage") == \
            ["register_blueprints: returned str, expected Blueprint"]
    client = admin_client(app)
    assert client.get("/good_garden/").get_data(as_text=True) == "garden"
    assert client.get("/").status_code == 200


def test_in_strict_mode_a_raising_register_blueprints_raises(make_app):
    with pytest.raises(RuntimeError, match="no pages today"):
        make_app(plugins=[], extra=[plugin("raising", blueprints=RuntimeError("no pages today"))])


@pytest.mark.parametrize("blueprints, message", [
    ([blueprint("admin")], "its blueprint admin must be named garden or garden_..."),
    ([blueprint("garden"), blueprint("reports")],
     "its blueprint reports must be named garden or garden_..."),
    ([blueprint("garden", url_prefix="/admin/garden")],
     "its blueprint garden asks for the URL prefix /admin/garden: a plugin's pages live "
     "below /garden/"),
    ([blueprint("garden"), blueprint("garden")], "its blueprint garden collides with a "
                                                 "blueprint of that name"),
])
def test_blueprints_against_the_rules_get_their_plugin_refused(make_app, blueprints, message):
    app = make_app(plugins=[], extra=[plugin("garden", blueprints=blueprints)],
                   PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    assert str(host.records["garden"].refusal) == message
    assert not [r for r in app.url_map.iter_rules() if r.rule.startswith("/garden")]
    assert app.url_map.bind("").match("/admin/users")[0] == "admin.users"


def test_a_blueprint_may_live_further_below_its_plugins_prefix(make_app):
    app = make_app(plugins=[], extra=[plugin("garden", blueprints=[
        blueprint("garden", text="garden"),
        blueprint("garden_board", url_prefix="/garden/board", text="board")])])
    client = admin_client(app)
    assert client.get("/garden/").get_data(as_text=True) == "garden"
    assert client.get("/garden/board/").get_data(as_text=True) == "board"


def test_two_plugins_wanting_one_blueprint_name_do_not_stop_the_app(make_app):
    first = plugin("kiosk2", blueprints=[blueprint("kiosk2_admin", text="first")])
    second = plugin("kiosk2_admin", blueprints=[blueprint("kiosk2_admin", text="second")])
    app = make_app(plugins=[], extra=[first, second], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    refused = [name for name in ("kiosk2", "kiosk2_admin") if host.records[name].refusal]
    assert len(refused) == 1
    assert "collides with a blueprint of that name" in str(host.records[refused[0]].refusal)


def test_a_refused_plugins_pages_answer_404_when_its_tables_are_refused_late(make_app,
                                                                              model_named):
    """Tables are checked once the blueprints are mounted (views may import the models)."""
    model_named("shelf")
    app = make_app(plugins=[], extra=[plugin("library", blueprints=[blueprint("library")])],
                   PLUGINS_STRICT=False)
    assert "its table shelf must be named library_" in \
        str(app.extensions["mittelpunkt"].records["library"].refusal)
    assert admin_client(app).get("/library/").status_code == 404


def test_a_refused_plugin_makes_data_requests_fail_naming_it(make_app):
    """A refused plugin may hold data nobody can reach now: an export must not pretend to
    be complete (as for a plugin that failed to import)."""
    from intranet.core.plugin_host import PluginCallFailed
    from intranet.hooktypes import ExportSection
    from intranet.testing import add_person

    app = make_app(plugins=[], extra=[plugin("reports")], PLUGINS_STRICT=False)
    person = add_person(app)
    with app.test_request_context("/"):
        from intranet.people.models import Person

        with pytest.raises(PluginCallFailed) as failed:
            app.extensions["mittelpunkt"].call_all(
                "export_person", ExportSection, person=db.session.get(Person, person.id))
    assert failed.value.plugins == ["reports"]
    assert admin_client(app).get("/").status_code == 200
