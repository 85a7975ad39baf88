"""Pytest fixtures for the core's and every plugin's tests.

Loaded for the whole suite by the top-level ``conftest.py``; a plugin installed
from elsewhere adds ``pytest_plugins = ["intranet.testing"]`` to its own.

``make_app(plugins=[...])`` builds an application with just the named
entry-point plugins (plus ``extra`` plugin objects) on a real SQLite file in a
temporary instance folder. The schema comes from the real migrations; each
distinct plugin set is migrated once per test session and copied from there.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet import create_app
from intranet.auth.models import Role, User
from intranet.core.extensions import db
from intranet.core.timeutil import local_today

DEFAULT_PASSWORD = "correct horse battery"
ALL_BUILTIN = ("consultations", "womens_courses", "job_orientation", "school_guidance", "kiosk")


@pytest.fixture(scope="session")
def _migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[Any, Path]:
    """Migrated database files by plugin set, shared by the whole session."""
    return {}


@pytest.fixture
def make_app(tmp_path: Path, _migrated_templates: dict[Any, Path],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Flask]]:
    """Factory: ``make_app(plugins=["consultations"], extra=[module], **settings)``.

    ``plugins=None`` loads every installed plugin. Settings default to testing
    mode with strict plugins (a failing plugin raises) and CSRF switched off;
    pass ``WTF_CSRF_ENABLED=True`` or ``PLUGINS_STRICT=False`` to test those.
    """
    apps: list[Flask] = []

    def factory(plugins: Iterable[str] | None = ALL_BUILTIN, extra: Iterable[Any] = (),
                migrate: bool = True, **settings: Any) -> Flask:
        instance = tmp_path / f"instance{len(apps)}"
        instance.mkdir()
        database = instance / "mittelpunkt.sqlite3"
        config = {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{database}",
            "PLUGINS": None if plugins is None else list(plugins),
            "EXTRA_PLUGINS": list(extra),
            "PLUGINS_STRICT": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-key",
            "TWO_FACTOR_REQUIRED": False,  # tests of the requirement switch it on
        }
        config.update(settings)
        app = create_app(config)
        apps.append(app)
        if migrate and str(config["DATABASE_URL"]).startswith("sqlite:///"):
            _migrate_from_template(app, database, _migrated_templates, tmp_path_factory)
        elif migrate:
            from intranet.core.migrate import upgrade_all

            with app.app_context():
                upgrade_all(app.extensions["mittelpunkt"])
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _migrate_from_template(app: Flask, database: Path, templates: dict[Any, Path],
                           tmp_path_factory: pytest.TempPathFactory) -> None:
    from intranet.core.migrate import upgrade_all

    host = app.extensions["mittelpunkt"]
    key = tuple(sorted((r.name, str(r.folder)) for r in host.plugins() if r.loaded))
    with app.app_context():
        if key not in templates:
            upgrade_all(host)
            db.engine.dispose()
            with db.engine.connect() as conn:  # fold the WAL into the file before copying
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
            template = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
            shutil.copyfile(database, template)
            templates[key] = template
        else:
            db.engine.dispose()
            shutil.copyfile(templates[key], database)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The application with the four built-in plugins, migrated and empty."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_user(app: Flask, username: str = "staff", role: str = Role.STAFF,
             password: str = DEFAULT_PASSWORD, active: bool = True,
             permissions: Iterable[str] = ()) -> int:
    """Create a user and return its id."""
    from intranet.auth.models import UserPermission

    with app.app_context():
        user = User(username=username, role=role, active=active, display_name=username.title())
        user.set_password(password)
        user.permission_rows = [UserPermission(code=code) for code in permissions]
        db.session.add(user)
        db.session.commit()
        return user.id


def login(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    """A test client logged in as an admin (who holds every permission)."""
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    response = login(client, "admin")
    assert response.status_code == 302, "admin login failed"
    return client


DEMO_PASSWORD = "demo password 123"


def week_start(app: Flask) -> date:
    """Monday of the current local week: the demo data's week."""
    with app.app_context():
        today = local_today()
    return today - timedelta(days=today.weekday())


@pytest.fixture
def make_demo_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Factory like ``make_app`` whose database holds the demo week and the demo admin."""

    def factory(visits: bool = False, **kwargs: Any) -> Flask:
        from intranet.demo.data import load_demo

        app = make_app(**kwargs)
        with app.app_context():
            load_demo(DEMO_PASSWORD, visits=visits)
        return app

    return factory


def demo_client(app: Flask) -> FlaskClient:
    """A test client logged in as the demo admin of ``make_demo_app``."""
    client = app.test_client()
    response = login(client, "admin", DEMO_PASSWORD)
    assert response.status_code == 302, "demo admin login failed"
    return client
