"""Migrations build everything on an empty database, SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from intranet import create_app
from intranet.core.extensions import db
from intranet.core.migrate import tracks
from intranet.testing import add_user, login

CORE_TABLES = {"user", "user_permission", "plugin_state", "offer", "offer_cancellation",
               "checkin_counter", "checkin", "person", "audit_entry", "room", "consent",
               "site_setting", "user_recovery_code", "login_throttle",
               "audit_chain_head", "privacy_run"}


def _upgrade_with_cli(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return result.output


def test_db_upgrade_builds_an_empty_sqlite_database(make_app):
    app = make_app(plugins=None, migrate=False)
    output = _upgrade_with_cli(app)
    assert "core: up to date" in output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert tables >= CORE_TABLES
    assert "alembic_version" in tables
    assert "consultations_topic" in tables and "alembic_version_consultations" in tables
    # every other table carries its plugin's name as a prefix
    plugin_names = [r.name for r in app.extensions["mittelpunkt"].plugins()]
    for table in tables - CORE_TABLES:
        assert table.startswith("alembic_version") or any(
            table.startswith(f"{name}_") for name in plugin_names), table
    assert "up to date" in _upgrade_with_cli(app)  # running it twice changes nothing


def test_migrations_match_the_models(app):
    """Autogenerate finds nothing to do: the models and the migration scripts agree."""
    with app.app_context(), db.engine.connect() as connection:
        for track in tracks(app.extensions["mittelpunkt"]):
            context = MigrationContext.configure(connection, opts={
                "include_object": lambda obj, name, type_, r, c, track=track: (
                    track.owns(name) if type_ == "table" else track.owns(obj.table.name)),
                "compare_type": True})
            assert compare_metadata(context, db.metadata) == [], track.name


def test_removing_a_plugin_leaves_the_others_history_alone(make_app, tmp_path):
    app = make_app(plugins=None, migrate=False)
    _upgrade_with_cli(app)
    database = app.config["DATABASE_URL"]
    # the same database opened by an installation without the consultations plugin
    others = [n for n in app.extensions["mittelpunkt"].records if n != "consultations"]
    smaller = create_app({"INSTANCE_PATH": str(tmp_path / "smaller"), "DATABASE_URL": database,
                          "PLUGINS": others, "TESTING": True})
    output = _upgrade_with_cli(smaller)
    assert "consultations" not in output and "core: up to date" in output


@pytest.mark.postgres
def test_db_upgrade_and_login_on_postgresql(make_app, postgres_url):
    app = make_app(plugins=None, migrate=False, DATABASE_URL=postgres_url)
    _upgrade_with_cli(app)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        tables = set(inspect(db.engine).get_table_names())
    assert CORE_TABLES | {"consultations_topic"} <= tables
    add_user(app, "amira", role="admin")
    client = app.test_client()
    assert login(client, "amira").status_code == 302
    assert client.get("/admin/plugins").status_code == 200
    assert client.get("/healthz").json["database"] == "ok"
