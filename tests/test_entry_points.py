"""A plugin installed from elsewhere is found through its entry point, with no core change."""

from __future__ import annotations

import sys
from datetime import date

from entry_points import install_entry_point

from intranet.hooktypes import OfferView, Purpose
from intranet.testing import add_user, login


def test_external_plugin_adds_purpose_offer_and_page(make_app, monkeypatch, tmp_path):
    install_entry_point(monkeypatch, tmp_path / "site", "mittelpunkt_garden",
                        "mittelpunkt_garden", version="2.3")
    monkeypatch.delitem(sys.modules, "mittelpunkt_garden", raising=False)
    app = make_app(plugins=None)  # None: every plugin of the entry-point group
    host = app.extensions["mittelpunkt"]

    record = host.records["mittelpunkt_garden"]
    assert record.loaded and record.version == "2.3"
    with app.test_request_context("/"):
        purposes = host.collect("kiosk_purposes", Purpose, locale="de")
        offers = host.collect("offers", OfferView, start=date(2026, 11, 23),
                              end=date(2026, 11, 29), locale="de")
    garden = [p for p in purposes if p.plugin == "mittelpunkt_garden"]
    assert [p.key for p in garden] == ["garden"]
    assert [o.title for o in offers if o.plugin == "mittelpunkt_garden"] == ["Gartentreff"]
    assert offers[0].start <= offers[-1].start  # sorted by time, not load order

    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    start = client.get("/").get_data(as_text=True)
    assert "Garten" in start and "/mittelpunkt_garden/" in start
    page = client.get("/mittelpunkt_garden/")
    assert page.status_code == 200
    assert "Gartentreff im Hof" in page.get_data(as_text=True)


def test_without_the_entry_point_the_plugin_is_absent(make_app):
    app = make_app(plugins=None)
    assert "mittelpunkt_garden" not in app.extensions["mittelpunkt"].records
    assert "/mittelpunkt_garden/" not in {r.rule for r in app.url_map.iter_rules()}


def test_plugin_that_fails_to_import_is_listed_as_failing(make_app, monkeypatch, tmp_path):
    install_entry_point(monkeypatch, tmp_path / "site", "broken", "no_such_module_anywhere")
    app = make_app(plugins=None, PLUGINS_STRICT=False)
    record = app.extensions["mittelpunkt"].records["broken"]
    assert not record.loaded
    assert "ModuleNotFoundError" in record.import_error
    add_user(app, "admin", role="admin")
    client = app.test_client()
    login(client, "admin")
    assert client.get("/").status_code == 200  # the app still works
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "broken" in page and "ModuleNotFoundError" in page


def test_strict_setting_makes_a_failing_import_loud(make_app, monkeypatch, tmp_path):
    import pytest

    from intranet.core.plugin_host import PluginError

    install_entry_point(monkeypatch, tmp_path / "site", "broken", "no_such_module_anywhere")
    with pytest.raises(PluginError, match="broken"):
        make_app(plugins=None, PLUGINS_STRICT=True)
