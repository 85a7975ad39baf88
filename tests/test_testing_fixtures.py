"""The testing kit for plugin authors (intranet.testing, kiosk.testing) does what it says:
its pytest entry points, the cheap password hash (tests only), the stopped clock,
call_hook, login with CSRF and a second factor, the paired kiosk."""

from __future__ import annotations

from datetime import date, datetime, time
from importlib import metadata

import pyotp
import pytest
from sqlalchemy import select

from intranet import create_app
from intranet.auth.models import STRONG_HASH_METHOD, User
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.timeutil import local_now, local_today, utcnow
from intranet.hooktypes import Permission
from intranet.testing import (
    TEST_HASH_METHOD,
    add_user,
    builtin_plugins,
    call_hook,
    collect_hook,
    login,
)


def test_both_fixture_modules_are_pytest_plugins_of_the_distribution():
    points = {ep.name: ep.value for ep in metadata.distribution("mittelpunkt").entry_points
              if ep.group == "pytest11"}
    assert points == {"intranet.testing": "intranet.testing",
                      "intranet.browser_testing": "intranet.browser_testing",
                      "kiosk.testing": "kiosk.testing"}


def test_make_app_loads_the_distributions_own_plugins_by_default(app):
    assert builtin_plugins() == ("consultations", "job_orientation", "kiosk",
                                 "school_guidance", "womens_courses")
    assert sorted(r.name for r in app.extensions["mittelpunkt"].plugins()) == list(
        builtin_plugins())


# -- password hashing --------------------------------------------------------------------

def stored_hash(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def test_tests_hash_cheaply_and_logins_still_check_the_password(app, client):
    user_id = add_user(app, "amira")
    assert stored_hash(app, user_id).startswith(f"{TEST_HASH_METHOD}$")
    assert login(client, "amira", "wrong password").status_code == 200
    assert login(client, "amira").status_code == 302


def test_production_always_hashes_with_scrypt(tmp_path):
    """Outside TESTING the setting is ignored: no configuration can weaken the hashes."""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "PLUGINS": [],
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                      "PASSWORD_HASH_METHOD": TEST_HASH_METHOD})
    assert STRONG_HASH_METHOD == "scrypt" and app.config["TESTING"] is False
    with app.app_context():
        user = User(username="amira")
        user.set_password("correct horse battery")
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password("correct horse battery")


def test_the_default_setting_is_the_strong_hash_under_testing_too(make_app):
    app = make_app(plugins=[], PASSWORD_HASH_METHOD=None)
    assert stored_hash(app, add_user(app, "amira")).startswith("scrypt:")


# -- the stopped clock ---------------------------------------------------------------------

def test_fixed_today_stops_every_clock_of_the_app(app, fixed_today, pair_kiosk):
    moment = fixed_today(app, date(2026, 3, 10), time(9, 30))
    assert moment == datetime(2026, 3, 10, 9, 30)
    with app.app_context():
        assert local_now() == moment and local_today() == date(2026, 3, 10)
        assert utcnow() == datetime(2026, 3, 10, 8, 30)  # Berlin is UTC+1 in March
    screen = pair_kiosk(app)
    response = screen.post("/kiosk/checkin/ticket",
                           data={"token": "fixed-day-token", "purpose": "core:cafe"})
    assert response.status_code == 200
    with app.app_context():
        checkin = db.session.scalar(select(CheckIn))
        assert checkin.day == date(2026, 3, 10)  # numbered on the stopped day
        assert checkin.created_at == datetime(2026, 3, 10, 8, 30)


@pytest.mark.parametrize("value, expected", [
    ("2026-03-10T09:30", datetime(2026, 3, 10, 9, 30)),
    ("2026-03-10", datetime(2026, 3, 10, 12, 0)),  # a day alone means noon
    (date(2026, 12, 24), datetime(2026, 12, 24, 12, 0)),
    ("2026-07-01T10:00+00:00", datetime(2026, 7, 1, 12, 0)),  # aware: to local (CEST)
])
def test_fixed_now_is_a_setting_in_every_form(make_app, value, expected):
    app = make_app(plugins=[], FIXED_NOW=value)
    with app.app_context():
        assert local_now() == expected


def test_fixed_now_is_ignored_outside_testing(make_app):
    app = make_app(plugins=[], FIXED_NOW="2001-01-01", TESTING=False)
    with app.app_context():
        assert local_today().year > 2001


# -- hooks and logging in ----------------------------------------------------------------------

def test_call_hook_gives_each_plugins_own_answer_and_collect_hook_the_core_view(app):
    pairs = call_hook(app, "permissions")
    assert {name for name, _answer in pairs} >= {"core", "consultations", "womens_courses"}
    consultations = dict(pairs)["consultations"]
    assert isinstance(consultations, list) and not consultations[0].plugin  # as returned
    collected = collect_hook(app, "permissions", Permission)
    assert all(isinstance(p, Permission) and p.plugin for p in collected)
    assert "consultations.view" in {p.code for p in collected}


def test_login_works_with_csrf_protection_on(make_app):
    app = make_app(plugins=[], WTF_CSRF_ENABLED=True)
    add_user(app, "amira")
    client = app.test_client()
    assert client.post("/login", data={"username": "amira", "password": "x"}).status_code == 400
    response = login(client, "amira")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_stops_at_the_code_step_or_enters_the_code(make_app):
    app = make_app(plugins=[], WTF_CSRF_ENABLED=True)
    user_id = add_user(app, "amira")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
        db.session.commit()
    first, second = app.test_client(), app.test_client()
    assert login(first, "amira").headers["Location"] == "/login/code"
    assert first.get("/").status_code == 302  # not logged in yet
    assert login(second, "amira", second_factor=True).headers["Location"] == "/"
    assert second.get("/").status_code == 200
    third = app.test_client()  # the same minute: the next code, never the used one again
    assert login(third, "amira", second_factor=True).headers["Location"] == "/"


def test_paired_kiosk_is_a_kiosk_of_the_app(app, paired_kiosk):
    assert paired_kiosk.get("/kiosk/checkin").status_code == 200
    assert app.test_client().get("/kiosk/checkin").status_code != 200  # an unpaired browser
    assert paired_kiosk.kiosk_id >= 1


# -- speed ----------------------------------------------------------------------------------

def test_apps_share_compiled_url_builders_and_build_the_same_urls(make_app):
    from flask import url_for
    from werkzeug.routing.rules import Rule

    from intranet.testing import _sample_values

    first, second = make_app(), make_app(plugins=["consultations"])
    assert getattr(Rule._compile_builder, "_shared", False)
    rules = {r.endpoint: r for r in second.url_map.iter_rules()}
    shared = [r for r in first.url_map.iter_rules() if r.endpoint in rules]
    assert len(shared) > 40
    assert all(r._build.__func__ is rules[r.endpoint]._build.__func__ for r in shared)
    for rule in shared:
        values = _sample_values(rule)
        with first.test_request_context("/"):
            one = url_for(rule.endpoint, **values, extra="ä b")
        with second.test_request_context("/"):
            other = url_for(rule.endpoint, **values, extra="ä b")
        assert one == other and one.endswith("extra=%C3%A4+b"), one
