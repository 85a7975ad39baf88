"""The ``flask --app intranet`` commands: users, plugins, demo data."""

from __future__ import annotations

from sqlalchemy import func, select

from intranet.auth.models import User
from intranet.core.extensions import db
from intranet.offers.models import Offer
from intranet.testing import login


def test_users_create_admin_with_password_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "a long enough password")
    result = app.test_cli_runner().invoke(args=["users", "create", "--admin", "leyla"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "leyla"))
        assert user.role == "admin" and user.check_password("a long enough password")
    client = app.test_client()
    assert login(client, "leyla", "a long enough password").status_code == 302
    assert client.get("/admin/plugins").status_code == 200


def test_users_create_prompts_for_the_password(app, monkeypatch):
    monkeypatch.delenv("MITTELPUNKT_NEW_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "olena"], input="typed password 1\ntyped password 1\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "olena")) == "staff"


def test_users_create_refuses_short_passwords_and_duplicates(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "short")
    result = runner.invoke(args=["users", "create", "olena"])
    assert result.exit_code != 0 and "at least" in result.output
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "long enough password")
    assert runner.invoke(args=["users", "create", "olena"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "OLENA"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_plugins_list_shows_version_state_and_hooks(app):
    with app.app_context():
        app.extensions["mittelpunkt"].set_enabled("job_orientation", False)
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    consultations = next(line for line in lines if line.startswith("consultations "))
    assert "enabled" in consultations and "ok" in consultations
    assert "disabled" in next(line for line in lines if line.startswith("job_orientation "))
    hooks = lines[lines.index(consultations) + 1]
    assert "kiosk_purposes" in hooks and "plugin_info" in hooks and "queue_actions" in hooks


def test_demo_load_fills_a_week_from_every_plugin_once(app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "demo password 123")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo password 123" in result.output
    with app.app_context():
        areas = set(db.session.scalars(select(Offer.service_area).distinct()))
        offers = db.session.scalar(select(func.count()).select_from(Offer))
    assert {"consultations", "womens_courses", "job_orientation", "school_guidance"} <= areas
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and "already has data" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Offer)) == offers


def test_demo_admin_sees_the_four_service_areas(app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "demo password 123")
    app.test_cli_runner().invoke(args=["demo", "load"])
    client = app.test_client()
    assert login(client, "admin", "demo password 123").status_code == 302
    page = client.get("/").get_data(as_text=True)
    for prefix in ("/consultations/", "/womens_courses/", "/job_orientation/",
                   "/school_guidance/"):
        assert f'href="{prefix}"' in page
        assert client.get(prefix).status_code == 200


def test_demo_load_adds_four_weeks_of_past_visits(app, monkeypatch):
    from intranet.checkins.models import CheckIn
    from intranet.core.timeutil import local_today
    from intranet.people.models import Person

    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "demo password 123")
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        days = set(db.session.scalars(select(CheckIn.day).distinct()))
        visits = db.session.scalar(select(func.count()).select_from(CheckIn))
        linked = db.session.scalar(select(func.count()).select_from(CheckIn)
                                   .where(CheckIn.person_id.is_not(None)))
        people = db.session.scalar(select(func.count()).select_from(Person))
        today = local_today()
    assert days and max(days) < today  # nothing today: the live queue starts empty
    assert all(day.weekday() < 5 for day in days)
    assert visits >= 8 * len(days) and 0 < linked < visits and people >= 10


def _offers_of(app, area):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Offer)
                                 .where(Offer.service_area == area))


def test_demo_load_for_one_plugin_installed_later(make_app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "demo password 123")
    first = make_app(plugins=["consultations"])
    assert first.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    url = first.config["DATABASE_URL"]
    later = make_app(plugins=["consultations", "womens_courses"], migrate=False, DATABASE_URL=url)
    runner = later.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    consultations_before = _offers_of(later, "consultations")

    result = runner.invoke(args=["demo", "load", "--plugin", "womens_courses"])

    assert result.exit_code == 0, result.output
    assert _offers_of(later, "womens_courses") > 0
    assert _offers_of(later, "consultations") == consultations_before
    again = runner.invoke(args=["demo", "load", "--plugin", "womens_courses"])
    assert again.exit_code == 1
    assert "has data already" in again.output


def test_demo_load_refuses_an_unknown_plugin(app):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--plugin", "nosuch"])
    assert result.exit_code == 1
    assert "no plugin named 'nosuch'" in result.output


def test_translations_compile_for_one_plugin_only(app):
    from intranet.core.i18n import CORE_TRANSLATIONS

    core_mo = CORE_TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.mo"
    with app.app_context():
        from intranet.core.plugin_host import host

        folder = host().records["consultations"].folder
    plugin_mo = folder / "translations" / "de" / "LC_MESSAGES" / "consultations.mo"
    core_before, plugin_before = core_mo.stat().st_mtime_ns, plugin_mo.stat().st_mtime_ns

    result = app.test_cli_runner().invoke(
        args=["translations", "compile", "--plugin", "consultations"])

    assert result.exit_code == 0, result.output
    assert plugin_mo.stat().st_mtime_ns > plugin_before
    assert core_mo.stat().st_mtime_ns == core_before
    unknown = app.test_cli_runner().invoke(args=["translations", "compile", "--plugin", "x"])
    assert unknown.exit_code == 1 and "no plugin named 'x'" in unknown.output
