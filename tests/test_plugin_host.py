"""The plugin host: one manager per app, isolation of failures, switches, ordering."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Blueprint

from intranet.core.plugin_host import PluginError
from intranet.hooktypes import NavItem, OfferView, Purpose
from intranet.plugin import PluginInfo, hookimpl
from intranet.testing import add_user, login


class Cafe:
    """A well-behaved plugin defined inside the test."""

    calls = 0

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="cafe_plus", title="Café plus", ticket_letter="K")

    @hookimpl
    def kiosk_purposes(self):
        Cafe.calls += 1
        return [Purpose(key="late", label="Zzz late", order=5),
                Purpose(key="early", label="Aaa early", order=1)]

    @hookimpl
    def navigation(self):
        return NavItem(label="Café plus", endpoint="cafe_plus.home", order=50)

    @hookimpl
    def register_blueprints(self):
        bp = Blueprint("cafe_plus", __name__)
        bp.add_url_rule("/", "home", lambda: "café plus home")
        return [bp]


class Broken:
    """Raises in one hook and returns nonsense from another."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="broken_area", title="Broken")

    @hookimpl
    def kiosk_purposes(self, locale):
        raise RuntimeError("database of the broken plugin is gone")

    @hookimpl
    def navigation(self):
        return "<script>alert(1)</script>"


def purposes(app):
    with app.test_request_context("/"):
        return app.extensions["mittelpunkt"].collect("kiosk_purposes", Purpose, locale="de")


def test_each_app_has_its_own_plugin_manager(make_app):
    first = make_app(plugins=[], extra=[Cafe()])
    second = make_app(plugins=[])
    assert first.extensions["mittelpunkt"].pm is not second.extensions["mittelpunkt"].pm
    assert "cafe_plus" in first.extensions["mittelpunkt"].records
    assert "cafe_plus" not in second.extensions["mittelpunkt"].records


def test_results_are_flattened_stamped_and_sorted_by_order(make_app):
    app = make_app(plugins=[], extra=[Cafe()])
    found = [(p.plugin, p.key) for p in purposes(app)]
    # the core's own purposes (order 900+) come after the plugin's, whatever the load order
    assert found[:2] == [("cafe_plus", "early"), ("cafe_plus", "late")]
    assert ("core", "cafe") in found


def test_a_plugin_raising_in_a_hook_is_isolated(make_app):
    app = make_app(plugins=[], extra=[Cafe(), Broken()], PLUGINS_STRICT=False)
    found = purposes(app)
    assert {p.plugin for p in found} == {"cafe_plus", "core"}
    record = app.extensions["mittelpunkt"].records["broken_area"]
    assert any("database of the broken plugin is gone" in f for f in record.failures)

    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    start = client.get("/")
    assert start.status_code == 200  # navigation() returned a string: dropped, not rendered
    assert "<script>alert(1)</script>" not in start.get_data(as_text=True)
    admin_page = client.get("/admin/plugins").get_data(as_text=True)
    assert "broken_area" in admin_page and "database of the broken plugin is gone" in admin_page


def test_strict_mode_raises_the_plugins_error(make_app):
    app = make_app(plugins=[], extra=[Broken()], PLUGINS_STRICT=True)
    with pytest.raises(RuntimeError, match="broken plugin is gone"):
        purposes(app)
    with app.test_request_context("/"), pytest.raises(PluginError, match="expected NavItem"):
        app.extensions["mittelpunkt"].collect("navigation", NavItem, user=None)


def test_a_misspelt_hook_implementation_is_an_error(make_app):
    from pluggy import PluginValidationError

    class Misspelt:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="misspelt", title="Misspelt")

        @hookimpl
        def kiosk_purpose(self):  # the hook is kiosk_purposes
            return []

    with pytest.raises(PluginValidationError, match="kiosk_purpose"):
        make_app(plugins=[], extra=[Misspelt()])


def test_implementations_may_take_only_the_arguments_they_need(make_app):
    class OnlyStart:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="only_start", title="Only start")

        @hookimpl
        def offers(self, start):
            from datetime import datetime, time
            return [OfferView(key="x", title="Start only",
                              start=datetime.combine(start, time(9)),
                              end=datetime.combine(start, time(10)))]

    app = make_app(plugins=[], extra=[OnlyStart()])
    with app.test_request_context("/"):
        found = app.extensions["mittelpunkt"].collect(
            "offers", OfferView, start=date(2026, 11, 23), end=date(2026, 11, 29), locale="de")
    assert [o.title for o in found if o.plugin == "only_start"] == ["Start only"]


def test_disabled_plugin_is_not_called_and_its_pages_answer_404(make_app):
    Cafe.calls = 0
    app = make_app(plugins=[], extra=[Cafe()], WTF_CSRF_ENABLED=False)
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    assert client.get("/cafe_plus/").get_data(as_text=True) == "café plus home"
    assert "Café plus" in client.get("/").get_data(as_text=True)

    response = client.post("/admin/plugins/cafe_plus", data={"enabled": "0"})
    assert response.status_code == 302
    calls_before = Cafe.calls
    purposes(app)
    assert Cafe.calls == calls_before  # not called while switched off
    assert client.get("/cafe_plus/").status_code == 404
    assert "Café plus" not in client.get("/").get_data(as_text=True)

    client.post("/admin/plugins/cafe_plus", data={"enabled": "1"})  # no restart needed
    assert client.get("/cafe_plus/").status_code == 200
    assert {p.plugin for p in purposes(app)} >= {"cafe_plus"}


def test_only_admins_switch_plugins(make_app):
    app = make_app(plugins=[], extra=[Cafe()])
    add_user(app, "staff")
    client = app.test_client()
    login(client, "staff")
    assert client.get("/admin/plugins").status_code == 403
    assert client.post("/admin/plugins/cafe_plus", data={"enabled": "0"}).status_code == 403
    assert client.get("/cafe_plus/").status_code == 200


def test_builtin_plugins_load_through_entry_points(app):
    host = app.extensions["mittelpunkt"]
    for name in ("consultations", "womens_courses", "job_orientation", "school_guidance"):
        record = host.records[name]
        assert record.loaded and record.source == "entry point" and record.version
        assert record.info.name == name
        assert f"/{name}/" in {r.rule for r in app.url_map.iter_rules()}
    letters = [host.info(n).ticket_letter for n in host.records]
    assert len(set(letters)) == len(letters)  # every area has its own ticket letter
