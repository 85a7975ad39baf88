"""Plugin settings and administration sections: declared by hooks, rendered by the core.

A plugin defined here declares a setting of every type; the core's settings page shows,
checks and stores them, ``setting()`` reads them back (admin, then configuration, then
default), and the plugin's administration section joins the sub-navigation — both vanish
when the plugin is switched off.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Blueprint, render_template_string

from intranet.audit.models import AuditEntry
from intranet.core.extensions import db
from intranet.core.models import SiteSetting
from intranet.plugin import AdminSection, PluginInfo, Setting, hookimpl, setting
from intranet.testing import client_for

ROOT = Path(__file__).resolve().parent.parent


def weekdays() -> list[tuple[str, str]]:
    """Choices known only when asked (a function, not a tuple)."""
    return [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")]


class Tuning:
    """A plugin with one setting of each type and an administration page of its own."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="tuning", title="Fine tuning", service_area=False, order=500)

    @hookimpl
    def settings(self):
        return [
            Setting(key="TUNING_GREETING", type="str", default="Hallo", label="Greeting",
                    minimum=1, maximum=20, order=1, description="Said on the screen."),
            Setting(key="TUNING_NOTE", type="text", default="", label="Note", maximum=50,
                    order=2),
            Setting(key="TUNING_LIMIT", type="int", default=5, label="Limit", minimum=1,
                    maximum=10, order=3),
            Setting(key="TUNING_LOUD", type="bool", default=False, label="Loud", order=4),
            Setting(key="TUNING_COLOUR", type="choice", default="red", label="Colour",
                    choices=(("red", "Red"), ("green", "Green")), order=5),
            Setting(key="TUNING_DAYS", type="choices", default=["mon"], label="Days",
                    choices=weekdays, minimum=1, maximum=2, order=6),
            Setting(key="TUNING_LANGUAGES", type="languages", default=None,
                    label="Screen languages", minimum=1, order=7),
        ]

    @hookimpl
    def admin_sections(self, user):
        return [AdminSection(label="Tuning desk", endpoint="tuning.desk",
                             pictogram="adjustments", order=800,
                             active_prefixes=("tuning.",))]

    @hookimpl
    def register_blueprints(self):
        bp = Blueprint("tuning", __name__)
        bp.add_url_rule("/desk", "desk", lambda: render_template_string(
            '{% extends "base.html" %}{% block content %}'
            '{% include "admin/_subnav.html" %}<h1>Desk</h1>{% endblock %}'))
        return [bp]


# The values in force at first, as the form posts them.
DEFAULTS = {"site_name": "Mittelpunkt Hüttenstraße", "opening_hours": "Mo–Do 9–17 Uhr, Fr 9–13 Uhr",
            "site_address": "Hüttenstraße 12, Erdgeschoss", "site_phone": "0123 456 789",
            "tuning_greeting": "Hallo", "tuning_note": "", "tuning_limit": "5",
            "tuning_colour": "red", "tuning_days": ["mon"],
            "tuning_languages": ["de", "en", "tr", "ru", "ar", "fa", "uk"]}


@pytest.fixture
def app(make_app):
    return make_app(plugins=[], extra=[Tuning()])


@pytest.fixture
def admin(app):
    from intranet.auth.models import Role

    return client_for(app, "admin", role=Role.ADMIN, lang="en")


def stored(app):
    with app.app_context():
        return {row.key: row.value for row in db.session.scalars(db.select(SiteSetting))}


def read(app, key):
    with app.test_request_context("/"):
        return setting(key)


def row(page, key):
    """The part of the settings page that shows setting ``key``."""
    start = page.index(f'id="setting-{key}"')
    end = page.find('id="setting-', start + 1)
    return page[start:end if end > 0 else None]


def error_ids(page):
    return re.findall(r'id="([a-z_]+)-error"', page)


# -- the page ------------------------------------------------------------------------------

def test_every_declared_setting_shows_on_the_settings_page(app, admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    general = page.index('id="settings-core"')
    tuning = page.index('id="settings-tuning"')
    assert general < tuning  # the core's own settings first, then each plugin's
    assert "Fine tuning" in page[tuning:]
    assert re.search(r'<input[^>]*name="tuning_greeting"[^>]*value="Hallo"', page)
    assert re.search(r'<textarea[^>]*name="tuning_note"', page)
    limit = re.search(r'<input[^>]*name="tuning_limit"[^>]*>', page).group(0)
    assert 'type="number"' in limit and 'min="1"' in limit and 'max="10"' in limit
    assert 'value="5"' in limit
    assert "From 1 to 10." in page  # the bounds beside the field
    loud = re.search(r'<input[^>]*name="tuning_loud"[^>]*>', page).group(0)
    assert 'type="checkbox"' in loud and "checked" not in loud
    assert re.search(r'<option selected value="red">Red</option>', page)
    days = {m.group(1): "checked" in m.group(0)
            for m in re.finditer(r'<input[^>]*name="tuning_days"[^>]*value="(\w+)"[^>]*>', page)}
    assert days == {"mon": True, "tue": False, "wed": False}
    # a languages setting: every language, each named in its own script, all ticked
    assert re.search(r'<label lang="ar"><input checked[^>]*name="tuning_languages"', page)
    assert "العربية" in page
    assert "Said on the screen." in page


def test_values_are_checked_against_their_declaration(app, admin):
    cases = [
        ("tuning_greeting", "   ", "Please fill in this field."),
        ("tuning_greeting", "x" * 21, "At most 20 characters."),
        ("tuning_note", "x" * 51, "At most 50 characters."),
        ("tuning_limit", "0", "Enter a whole number from 1 to 10."),
        ("tuning_limit", "11", "Enter a whole number from 1 to 10."),
        ("tuning_limit", "2.5", "Enter a whole number from 1 to 10."),
        ("tuning_limit", "", "Enter a whole number from 1 to 10."),
        ("tuning_colour", "blue", "Choose one of the options."),
        ("tuning_days", [], "Choose at least one option."),
        ("tuning_days", ["mon", "tue", "wed"], "Choose at most 2 options."),
        ("tuning_days", ["mon", "fri"], "Choose only from the options shown."),
        ("tuning_languages", [], "Choose at least one language."),
        ("tuning_languages", ["de", "xx"], "Choose only from the options shown."),
    ]
    for field, value, message in cases:
        response = admin.post("/admin/settings", data={**DEFAULTS, field: value})
        assert response.status_code == 400, (field, value)
        page = response.get_data(as_text=True)
        assert error_ids(page) == [field], (field, value)
        error = re.search(rf'id="{field}-error">([^<]*)<', page).group(1)
        assert error.strip() == message, (field, value)
    # a field left out of the post altogether is refused the same way
    without = {key: value for key, value in DEFAULTS.items() if key != "tuning_limit"}
    assert error_ids(admin.post("/admin/settings", data=without).get_data(as_text=True)) \
        == ["tuning_limit"]
    assert stored(app) == {}


def test_values_are_stored_typed_and_read_back(app, admin):
    changed = {**DEFAULTS, "tuning_greeting": "  Moin\n", "tuning_limit": "7",
               "tuning_loud": "y", "tuning_colour": "green", "tuning_days": ["tue", "mon"],
               "tuning_languages": ["tr", "de"]}
    response = admin.post("/admin/settings", data=changed)
    assert response.status_code == 302
    assert stored(app) == {"TUNING_GREETING": "Moin", "TUNING_LIMIT": 7, "TUNING_LOUD": True,
                           "TUNING_COLOUR": "green", "TUNING_DAYS": ["mon", "tue"],
                           "TUNING_LANGUAGES": ["de", "tr"]}
    assert [read(app, key) for key in ("TUNING_GREETING", "TUNING_LIMIT", "TUNING_LOUD",
                                       "TUNING_DAYS", "TUNING_NOTE")] \
        == ["Moin", 7, True, ["mon", "tue"], ""]
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "settings_changed"))
        assert entry.detail["TUNING_LIMIT"] == 7
        assert entry.object_id.startswith("TUNING_GREETING,TUNING_LIMIT")
        assert len(entry.object_id) <= 80  # six keys do not fit its column: cut, not refused
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "changed here" in row(page, "TUNING_LIMIT")
    assert "<bdi>5</bdi>" in row(page, "TUNING_LIMIT")  # its default, beside the change
    assert "<bdi>Monday</bdi>" in row(page, "TUNING_DAYS")
    assert "changed here" not in row(page, "TUNING_NOTE")
    # the checkbox unticked: stored as False, since True is in force now
    assert admin.post("/admin/settings", data={**changed, "tuning_loud": ""}).status_code == 302
    assert read(app, "TUNING_LOUD") is False
    assert admin.post("/admin/settings/TUNING_LIMIT/reset").status_code == 302
    assert read(app, "TUNING_LIMIT") == 5 and "TUNING_LIMIT" not in stored(app)


def test_the_environment_and_the_configuration_override_the_default(make_app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_TUNING_LIMIT", "8")
    monkeypatch.setenv("MITTELPUNKT_TUNING_LOUD", "yes")
    monkeypatch.setenv("MITTELPUNKT_TUNING_DAYS", "tue, wed")
    monkeypatch.setenv("MITTELPUNKT_TUNING_GREETING", "Servus")
    app = make_app(plugins=[], extra=[Tuning()], TUNING_COLOUR="green")
    assert [read(app, key) for key in ("TUNING_LIMIT", "TUNING_LOUD", "TUNING_DAYS",
                                       "TUNING_GREETING", "TUNING_COLOUR")] \
        == [8, True, ["tue", "wed"], "Servus", "green"]
    from intranet.auth.models import Role

    admin = client_for(app, "admin", role=Role.ADMIN, lang="en")
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="tuning_limit"[^>]*value="8"', page)
    # the admin's choice wins over the environment, until set back
    form = {**DEFAULTS, "tuning_greeting": "Servus", "tuning_limit": "3", "tuning_loud": "y",
            "tuning_colour": "green", "tuning_days": ["tue", "wed"]}
    assert admin.post("/admin/settings", data=form).status_code == 302
    assert stored(app) == {"TUNING_LIMIT": 3}
    assert read(app, "TUNING_LIMIT") == 3
    admin.post("/admin/settings/TUNING_LIMIT/reset")
    assert read(app, "TUNING_LIMIT") == 8


def test_instance_config_py_sets_a_plugin_setting_and_the_environment_wins(
        make_app, monkeypatch, tmp_path):
    instance = tmp_path / "own-instance"
    instance.mkdir()
    (instance / "config.py").write_text('TUNING_GREETING = "Moin"\nTUNING_LIMIT = 9\n')
    monkeypatch.setenv("MITTELPUNKT_TUNING_LIMIT", "4")
    app = make_app(plugins=[], extra=[Tuning()], INSTANCE_PATH=str(instance))
    assert read(app, "TUNING_GREETING") == "Moin"
    assert read(app, "TUNING_LIMIT") == 4


def test_a_bad_configured_value_falls_back_to_the_default_with_a_warning(
        make_app, monkeypatch, caplog):
    monkeypatch.setenv("MITTELPUNKT_TUNING_LIMIT", "plenty")
    monkeypatch.setenv("MITTELPUNKT_TUNING_LOUD", "perhaps")
    monkeypatch.setenv("MITTELPUNKT_TUNING_DAYS", '{"mon": 1}')
    monkeypatch.setenv("MITTELPUNKT_TUNING_COLOUR", "purple")  # a string, but no choice
    app = make_app(plugins=[], extra=[Tuning()])
    with caplog.at_level(logging.WARNING, logger="intranet.core.site_settings"):
        assert [read(app, key) for key in ("TUNING_LIMIT", "TUNING_LOUD", "TUNING_DAYS")] \
            == [5, False, ["mon"]]
        # outside the choices or bounds: used as configured (an operator's decision)
        assert read(app, "TUNING_COLOUR") == "purple"
        from intranet.auth.models import Role

        admin = client_for(app, "admin", role=Role.ADMIN, lang="en")
        assert admin.get("/admin/settings").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for key in ("TUNING_LIMIT", "TUNING_LOUD", "TUNING_DAYS", "TUNING_COLOUR"):
        assert [text for text in warnings if key in text], key
    assert not [text for text in warnings if "plenty" in text or "perhaps" in text]
    # each warned once, not on every page
    assert len([text for text in warnings if "TUNING_LIMIT" in text]) == 1


# -- declarations ---------------------------------------------------------------------------

@pytest.mark.parametrize("wrong", [
    {"key": "tuning limit"}, {"type": "float"}, {"type": "choice"},
    {"minimum": 5, "maximum": 1},
])
def test_a_wrong_declaration_is_refused_where_it_is_made(wrong):
    with pytest.raises(ValueError):
        Setting(**{"key": "TUNING_X", "type": "int", "default": 1, "label": "X", **wrong})


class Squatter:
    """Declares a key outside its own name, and one of another plugin's."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="squatter", title="Squatter", service_area=False)

    @hookimpl
    def settings(self):
        return [Setting(key="SITE_NAME", type="str", default="Mine", label="Name"),
                Setting(key="TUNING_LIMIT", type="int", default=1, label="Limit"),
                Setting(key="SQUATTER_OWN", type="bool", default=True, label="Own")]


class Sloppy:
    """Makes a wrong declaration: its hook fails, the page does not."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="sloppy", title="Sloppy", service_area=False)

    @hookimpl
    def settings(self):
        return [Setting(key="SLOPPY_SPEED", type="float", default=1.5, label="Speed")]


def test_keys_belong_to_their_plugin_and_a_failing_declaration_stays_its_own(
        make_app, caplog):
    app = make_app(plugins=[], extra=[Tuning(), Squatter(), Sloppy()], PLUGINS_STRICT=False)
    from intranet.auth.models import Role

    admin = client_for(app, "admin", role=Role.ADMIN, lang="en")
    with caplog.at_level(logging.WARNING):
        page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'value="Mittelpunkt Hüttenstraße"' in page and 'name="squatter_own"' in page
    assert page.count('name="tuning_limit"') == 1 and 'name="sloppy_speed"' not in page
    assert read(app, "SITE_NAME") == "Mittelpunkt Hüttenstraße"
    assert any("SITE_NAME" in r.getMessage() and "squatter" in r.getMessage()
               for r in caplog.records)
    with app.app_context():
        assert app.extensions["mittelpunkt"].failures_of("sloppy")


# -- switched off -------------------------------------------------------------------------------

def test_a_plugins_section_joins_the_sub_navigation_and_leaves_with_the_plugin(app, admin):
    page = admin.get("/admin/users").get_data(as_text=True)
    start = page.index('class="admin-nav"')
    nav = page[start:page.index("</nav>", start)]
    labels = re.findall(r"<span>([^<]+)</span></a>", nav)
    assert labels == ["Users", "Rooms", "Settings", "Audit log", "Data protection", "Plugins",
                      "Tuning desk"]
    assert 'href="/admin/users" aria-current="page"' in nav
    desk = admin.get("/tuning/desk").get_data(as_text=True)
    assert 'href="/tuning/desk" aria-current="page"' in desk
    admin.post("/admin/settings", data={**DEFAULTS, "tuning_limit": "9"})

    assert admin.post("/admin/plugins/tuning", data={"enabled": "0"}).status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Tuning desk" not in page
    settings = admin.get("/admin/settings").get_data(as_text=True)
    assert 'name="tuning_limit"' not in settings and 'id="settings-tuning"' not in settings
    assert admin.post("/admin/settings/TUNING_LIMIT/reset").status_code == 404
    # the core's settings save without the switched-off plugin's fields, which keep theirs
    assert admin.post("/admin/settings", data={
        "site_name": "Nord", "opening_hours": ""}).status_code == 302
    assert stored(app)["TUNING_LIMIT"] == 9 and read(app, "TUNING_LIMIT") is None

    admin.post("/admin/plugins/tuning", data={"enabled": "1"})
    assert read(app, "TUNING_LIMIT") == 9
    assert "Tuning desk" in admin.get("/admin/users").get_data(as_text=True)


def test_the_kiosks_section_follows_the_kiosk(make_app):
    from intranet.auth.models import Role

    app = make_app()
    admin = client_for(app, "admin", role=Role.ADMIN, lang="en")
    assert 'href="/kiosk/admin/"' in admin.get("/admin/settings").get_data(as_text=True)
    devices = admin.get("/kiosk/admin/").get_data(as_text=True)
    assert 'href="/kiosk/admin/" aria-current="page"' in devices  # the sub-navigation there
    admin.post("/admin/plugins/kiosk", data={"enabled": "0"})
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'href="/kiosk/admin/"' not in page and 'name="kiosk_idle_seconds"' not in page


# -- the core names no plugin ---------------------------------------------------------------------

# Code that names the kiosk plugin: its name as a string, its endpoints or URLs, its
# settings, an import of it. Words such as "kiosk purposes" in prose are not code.
NAMES_THE_KIOSK = re.compile(
    r"""['"]kiosk['"]|['"/]kiosk(_admin)?[./]|KIOSK_|^\s*(from|import)\s+kiosk\b""",
    re.MULTILINE)


def test_the_core_names_no_kiosk_in_its_code():
    found = []
    for path in sorted((ROOT / "intranet").rglob("*")):
        if path.suffix not in {".py", ".html", ".tmpl", ".js", ".css", ".cfg"} \
                or "translations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in NAMES_THE_KIOSK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert found == []
