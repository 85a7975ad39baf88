"""A plugin's failure lives in the database: every worker, ``plugins list`` and ``/healthz``
say the same, a restart keeps it, and it stays until an admin clears it.

Two workers are two applications on one database file, as gunicorn runs them.
"""

from __future__ import annotations

import sqlite3
import sys

from entry_points import install_entry_point
from sqlalchemy import select

from intranet.core.extensions import db
from intranet.core.models import PluginState
from intranet.hooktypes import Purpose
from intranet.plugin import PluginInfo, hookimpl
from intranet.testing import add_user, audit_entries, csrf_token, login


class Cafe:
    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="cafe_plus", title="Café plus")

    @hookimpl
    def kiosk_purposes(self):
        return [Purpose(key="cake", label="Kuchen")]


class Flaky:
    """Fails in kiosk_purposes while ``broken`` is set, as a plugin does on a bad day."""

    broken = True

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="flaky", title="Flaky")

    @hookimpl
    def kiosk_purposes(self):
        if Flaky.broken:
            raise RuntimeError("the flaky service is down")
        return [Purpose(key="flake", label="Flocke")]


def workers(make_app, count=2, **settings):
    """``count`` applications on the first one's database file."""
    first = make_app(plugins=[], extra=[Cafe(), Flaky()], PLUGINS_STRICT=False,
                     HEALTHZ_DETAILS=True, **settings)
    others = [make_app(plugins=[], extra=[Cafe(), Flaky()], PLUGINS_STRICT=False,
                       HEALTHZ_DETAILS=True, migrate=False,
                       DATABASE_URL=first.config["DATABASE_URL"], **settings)
              for _ in range(count - 1)]
    return [first, *others]


def ask_for_tiles(app):
    with app.test_request_context("/"):
        return app.extensions["mittelpunkt"].collect("kiosk_purposes", Purpose, locale="de")


def health(app):
    return app.test_client().get("/healthz").json["plugins"]


def admin(app, username="admin"):
    add_user(app, username, role="admin")
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_a_failure_in_one_worker_is_seen_by_every_worker(make_app):
    Flaky.broken = True
    one, two = workers(make_app)
    assert health(one)["flaky"] == health(two)["flaky"] == "ok"

    assert {p.plugin for p in ask_for_tiles(one)} == {"cafe_plus", "core"}  # isolated
    assert health(one)["flaky"] == health(two)["flaky"] == "failing"
    assert health(two)["cafe_plus"] == "ok"
    assert two.extensions["mittelpunkt"].records["flaky"].failures == []  # not from memory

    listing = two.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "flaky -  enabled  FAILING (kiosk_purposes: RuntimeError: the flaky service is " \
           "down" in listing
    page = admin(two).get("/admin/plugins?lang=en").get_data(as_text=True)
    assert "kiosk_purposes: RuntimeError: the flaky service is down" in page
    assert "Last failure:" in page and "Clear failures" in page

    # a worker started after the failure (a restart) knows it too
    restarted = make_app(plugins=[], extra=[Cafe(), Flaky()], PLUGINS_STRICT=False,
                         HEALTHZ_DETAILS=True, migrate=False,
                         DATABASE_URL=one.config["DATABASE_URL"])
    assert health(restarted)["flaky"] == "failing"


def test_a_failure_stays_after_the_plugin_recovers_until_an_admin_clears_it(make_app):
    Flaky.broken = True
    one, two = workers(make_app, WTF_CSRF_ENABLED=True)
    ask_for_tiles(one)
    Flaky.broken = False
    assert "flaky" in {p.plugin for p in ask_for_tiles(one)}  # working again
    assert health(one)["flaky"] == health(two)["flaky"] == "failing"  # but not forgotten

    client = admin(two)
    refused = client.post("/admin/plugins/flaky/clear")  # without the CSRF token
    assert refused.status_code == 400
    assert health(one)["flaky"] == "failing"

    token = csrf_token(client, "/admin/plugins")
    assert client.post("/admin/plugins/flaky/clear", data={"csrf_token": token}).status_code \
        == 302
    assert health(one)["flaky"] == health(two)["flaky"] == "ok"
    assert [e.object_id for e in audit_entries(two, "plugin_failures_cleared")] == ["flaky"]
    page = client.get("/admin/plugins?lang=en").get_data(as_text=True)
    assert "the flaky service is down" not in page and "Clear failures" not in page


def test_each_failing_hook_keeps_its_latest_line(make_app):
    class Twice:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="twice", title="Twice")

        @hookimpl
        def kiosk_purposes(self):
            raise RuntimeError("tiles are gone")

        @hookimpl
        def navigation(self):
            return "not a NavItem"

    app = make_app(plugins=[], extra=[Twice()], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    ask_for_tiles(app)
    ask_for_tiles(app)  # the same failure again: still one line
    from intranet.hooktypes import NavItem

    with app.test_request_context("/"):
        host.collect("navigation", NavItem, user=None)
    with app.app_context():
        failures = host.failures_of("twice")
    assert len(failures) == 2
    assert failures[0].startswith("kiosk_purposes: RuntimeError: tiles are gone")
    assert failures[1] == "navigation: returned str, expected NavItem"


def test_a_failure_while_the_database_is_locked_is_stored_afterwards(make_app):
    Flaky.broken = True
    one, two = workers(make_app, SQLITE_BUSY_TIMEOUT=0.2)
    path = one.config["DATABASE_URL"].removeprefix("sqlite:///")
    lock = sqlite3.connect(path, timeout=0)
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the file, as a long merge does
    try:
        ask_for_tiles(one)
    finally:
        lock.rollback()
        lock.close()
    assert health(two)["flaky"] == "ok"  # not in the database yet …
    assert one.extensions["mittelpunkt"]._unstored  # … but kept by the worker
    assert health(one)["flaky"] == "failing"  # stored on the next look
    assert health(two)["flaky"] == "failing"


def test_an_import_error_and_a_refusal_are_stored_the_same_way(make_app, monkeypatch,
                                                               tmp_path):
    install_entry_point(monkeypatch, tmp_path / "site", "broken", "no_such_module_anywhere")
    install_entry_point(monkeypatch, tmp_path / "site2", "reports", "mittelpunkt_garden")
    monkeypatch.delitem(sys.modules, "mittelpunkt_garden", raising=False)
    app = make_app(plugins=["broken", "reports"], PLUGINS_STRICT=False, HEALTHZ_DETAILS=True)
    assert health(app) == {"broken": "failing", "reports": "failing"}
    with app.app_context():
        stored = dict(db.session.execute(select(PluginState.name, PluginState.last_error)).all())
    assert stored["broken"].startswith("load: ModuleNotFoundError: No module named "
                                       "'no_such_module_anywhere'")
    assert stored["reports"] == "load: the name reports is taken by a part of the core " \
                                "(blueprint reports)"
    # cleared, the load problem still shows: it is true as long as the plugin is installed
    admin_client = admin(app)
    admin_client.post("/admin/plugins/reports/clear")
    with app.app_context():
        assert db.session.get(PluginState, "reports").last_error is None
        assert app.extensions["mittelpunkt"].failures_of("reports") == [
            "the name reports is taken by a part of the core (blueprint reports)"]


def test_switching_a_plugin_on_again_clears_its_failures(make_app):
    Flaky.broken = True
    one, two = workers(make_app)
    ask_for_tiles(one)
    client = admin(two)
    client.post("/admin/plugins/flaky", data={"enabled": "0"})
    assert health(one)["flaky"] == "failing"
    client.post("/admin/plugins/flaky", data={"enabled": "1"})
    assert health(one)["flaky"] == "ok"
