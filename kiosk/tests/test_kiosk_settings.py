"""The kiosk's settings live in the kiosk: declared by its ``settings`` hook, shown on the
core's settings page under its title, set by the admin, instance/config.py or
``MITTELPUNKT_KIOSK_*`` as before."""

from __future__ import annotations

import re

from intranet.plugin import setting
from intranet.testing import client_for
from kiosk.testing import pair

KEYS = ("KIOSK_LANGUAGES", "KIOSK_IDLE_SECONDS", "KIOSK_COUNTDOWN_SECONDS",
        "KIOSK_NUMBER_SECONDS", "KIOSK_CHECKINS_PER_MINUTE")


def admin_of(app):
    return client_for(app, "admin", role="admin", lang="en")


def timers(screen):
    page = screen.get("/kiosk/").get_data(as_text=True)
    return {name: int(value) for name, value in
            re.findall(r'data-(idle|countdown|number)-seconds="(\d+)"', page)}


def test_the_kiosk_declares_its_settings_under_its_own_title(app):
    page = admin_of(app).get("/admin/settings").get_data(as_text=True)
    section = page[page.index('id="settings-kiosk"'):]
    assert "Kiosk" in section[:section.index("</h2>")]
    for key in KEYS:
        assert f'name="{key.lower()}"' in section, key
    assert "From 10 to 600." in section  # the idle time's bounds
    with app.test_request_context("/"):
        assert [setting(key) for key in KEYS[1:]] == [60, 20, 15, 12]


def test_the_environment_still_sets_the_kiosk(make_app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_KIOSK_IDLE_SECONDS", "90")
    monkeypatch.setenv("MITTELPUNKT_KIOSK_LANGUAGES", '["de", "ar"]')
    monkeypatch.setenv("MITTELPUNKT_KIOSK_CHECKINS_PER_MINUTE", "30")
    app = make_app(KIOSK_NUMBER_SECONDS=25)  # as instance/config.py would
    screen = pair(app)
    assert timers(screen) == {"idle": 90, "countdown": 20, "number": 25}
    start = screen.get("/kiosk/").get_data(as_text=True)
    assert sorted(re.findall(r'class="kiosk-language"[^>]*lang="(\w+)"', start)) == ["ar", "de"]
    with app.test_request_context("/"):
        assert setting("KIOSK_CHECKINS_PER_MINUTE") == 30


def test_the_admins_choice_reaches_the_kiosk_screen(app):
    admin = admin_of(app)
    screen = pair(app)
    with app.test_request_context("/"):
        languages = setting("KIOSK_LANGUAGES")  # every language, as nobody chose yet
    form = {"site_name": "Mittelpunkt", "opening_hours": "", "kiosk_languages": languages,
            "kiosk_idle_seconds": "120", "kiosk_countdown_seconds": "30",
            "kiosk_number_seconds": "10", "kiosk_checkins_per_minute": "12"}
    assert admin.post("/admin/settings", data=form).status_code == 302
    assert timers(screen) == {"idle": 120, "countdown": 30, "number": 10}
    # out of bounds: refused beside the field, the screen keeps what it had
    response = admin.post("/admin/settings", data={**form, "kiosk_idle_seconds": "3"})
    assert response.status_code == 400
    assert "Enter a whole number from 10 to 600." in response.get_data(as_text=True)
    assert timers(screen)["idle"] == 120
