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


class Misspelt:
    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="misspelt", title="Misspelt")

    @hookimpl
    def kiosk_purpose(self):  # the hook is kiosk_purposes
        return []


def test_a_misspelt_hook_implementation_is_an_error(make_app):
    with pytest.raises(PluginError, match="implements kiosk_purpose, which is not a hook"):
        make_app(plugins=[], extra=[Misspelt()])


def test_a_misspelt_hook_gets_its_plugin_refused_and_the_app_starts(make_app):
    app = make_app(plugins=[], extra=[Misspelt(), Cafe()], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    assert str(host.records["misspelt"].refusal) == \
        "it implements kiosk_purpose, which is not a hook (a misspelt name?)"
    assert host.records["cafe_plus"].loaded


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


# -- pluggy's own semantics ------------------------------------------------------------

def kiosk_tile(name, **marker):
    """A plugin answering ``kiosk_purposes`` with one tile, its impl marked with ``marker``."""

    class Tile:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name=name, title=name)

        @hookimpl(**marker)
        def kiosk_purposes(self):
            return [Purpose(key=name, label=name)]

    return Tile()


def test_tryfirst_and_trylast_order_the_calls_as_pluggy_does(make_app):
    app = make_app(plugins=[], extra=[kiosk_tile("late", trylast=True), kiosk_tile("plain_a"),
                                      kiosk_tile("early", tryfirst=True), kiosk_tile("plain_b")])
    with app.test_request_context("/"):
        order = [name for name, _ in app.extensions["mittelpunkt"].call(
            "kiosk_purposes", locale="de")]
    # tryfirst first, trylast last, the rest the last registered first (the core came first)
    assert order == ["early", "plain_b", "plain_a", "core", "late"]


@pytest.mark.parametrize("marker", [{"wrapper": True}, {"hookwrapper": True}])
def test_a_hook_wrapper_is_refused_loudly(make_app, marker):
    class Wrapping:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(name="wrapping", title="Wrapping")

        @hookimpl(**marker)
        def navigation(self, user):
            result = yield
            return result

    app = make_app(plugins=[], extra=[Wrapping(), Cafe()], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    assert "declares a hook wrapper for navigation" in str(host.records["wrapping"].refusal)
    assert host.pm.get_plugin("wrapping") is None and host.records["cafe_plus"].loaded
    with app.app_context():
        assert "wrapper" in host.failures_of("wrapping")[0]
    with pytest.raises(PluginError, match="declares a hook wrapper for navigation"):
        make_app(plugins=[], extra=[Wrapping()])


def test_hook_call_monitoring_sees_each_plugins_call_and_isolation_holds(make_app):
    app = make_app(plugins=[], extra=[Cafe(), Broken()], PLUGINS_STRICT=False)
    host = app.extensions["mittelpunkt"]
    before, after = [], []
    undo = host.pm.add_hookcall_monitoring(
        lambda name, impls, kwargs: before.append((name, [i.plugin_name for i in impls],
                                                   dict(kwargs))),
        lambda outcome, name, impls, kwargs: after.append(
            (name, impls[0].plugin_name, outcome.exception)))
    try:
        found = purposes(app)
    finally:
        undo()
    assert {p.plugin for p in found} == {"cafe_plus", "core"}  # the raising one is skipped
    assert ("kiosk_purposes", ["broken_area"], {"locale": "de"}) in before
    assert ("kiosk_purposes", ["cafe_plus"], {"locale": "de"}) in before
    assert ("kiosk_purposes", ["core"], {"locale": "de"}) in before
    outcomes = {plugin: exc for name, plugin, exc in after if name == "kiosk_purposes"}
    assert isinstance(outcomes["broken_area"], RuntimeError)
    assert outcomes["cafe_plus"] is None and outcomes["core"] is None
    purposes(app)
    assert len(before) == 3  # undone: no more monitoring


def test_tracing_shows_the_hosts_calls(make_app):
    app = make_app(plugins=[], extra=[Cafe()])
    host = app.extensions["mittelpunkt"]
    lines = []
    host.pm.trace.root.setwriter(lines.append)
    undo = host.pm.enable_tracing()
    try:
        purposes(app)
    finally:
        undo()
    assert any("kiosk_purposes" in line for line in lines)


def test_firstresult_specs_are_honoured_and_a_raising_plugin_is_skipped(make_app):
    import pluggy

    from intranet.core.plugin_host import PluginHost
    from intranet.web import hooks as core_hooks

    hookspec = pluggy.HookspecMarker("mittelpunkt")
    asked = []

    class Specs:
        @hookspec(firstresult=True)
        def greeting(self, locale):
            """The first plugin with a greeting wins."""

    def greeter(name, answer, **marker):
        class Greeter:
            @hookimpl
            def plugin_info(self):
                return PluginInfo(name=name, title=name)

            @hookimpl(**marker)
            def greeting(self, locale):
                asked.append(name)
                if isinstance(answer, Exception):
                    raise answer
                return answer

        return Greeter()

    app = make_app(plugins=[], PLUGINS_STRICT=False)
    host = PluginHost(app)  # a host of its own, with one more hook
    host.pm.add_hookspecs(Specs)
    assert host.pm.hook.greeting.spec.opts["firstresult"]
    host.load(core_hooks, [], extra=[
        greeter("last", "Servus", trylast=True), greeter("silent", None, tryfirst=True),
        greeter("second", "Moin"), greeter("first", RuntimeError("no voice"), tryfirst=True)])
    with app.test_request_context("/"):
        assert host.call("greeting", locale="de") == [("second", "Moin")]
        assert host.call_one("last", "greeting", locale="de") == "Servus"
    assert asked == ["first", "silent", "second", "last"]  # "last" only when asked alone
    with app.app_context():
        assert "greeting: RuntimeError: no voice" in host.failures_of("first")[0]


def test_call_one_asks_only_that_plugin_and_not_when_switched_off(make_app):
    app = make_app(plugins=[], extra=[Cafe(), kiosk_tile("other")])
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        answer = host.call_one("other", "kiosk_purposes", locale="de")
        assert [p.key for p in answer] == ["other"]
        host.set_enabled("other", False)
        assert host.call_one("other", "kiosk_purposes", locale="de") is None
