"""The application factory: order of settings, secret key, SQLite pragmas, health check."""

from __future__ import annotations

import stat

from intranet import create_app
from intranet.core.database import sqlite_journal_mode
from intranet.core.extensions import db


def _app(tmp_path, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path), "PLUGINS": [], **config})


def test_settings_come_from_defaults_file_environment_and_mapping_in_that_order(
        tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'SITE_NAME = "from file"\nSESSION_IDLE_MINUTES = 7\nSQLITE_BUSY_TIMEOUT = 3\n')
    monkeypatch.setenv("MITTELPUNKT_SESSION_IDLE_MINUTES", "11")
    monkeypatch.setenv("MITTELPUNKT_SQLITE_BUSY_TIMEOUT", "4")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "PLUGINS": [], "SQLITE_BUSY_TIMEOUT": 5})
    assert app.config["DEFAULT_LOCALE"] == "de"  # default
    assert app.config["SITE_NAME"] == "from file"  # file beats default
    assert app.config["SESSION_IDLE_MINUTES"] == 11  # environment beats file, parsed as JSON
    assert app.config["SQLITE_BUSY_TIMEOUT"] == 5  # the mapping beats everything
    assert app.permanent_session_lifetime.total_seconds() == 11 * 60


def test_database_url_from_the_environment(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/elsewhere.sqlite3"
    monkeypatch.setenv("MITTELPUNKT_DATABASE_URL", url)
    app = _app(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = _app(tmp_path)
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 64
    assert _app(tmp_path).config["SECRET_KEY"] == first.config["SECRET_KEY"]
    other = tmp_path / "other"
    assert _app(other).config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_default_database_is_sqlite_in_the_instance_folder_with_wal_and_foreign_keys(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        assert db.engine.url.database == str(tmp_path / "mittelpunkt.sqlite3")
        assert sqlite_journal_mode(db.engine) == "wal"
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_flask_cli_finds_the_factory(tmp_path, monkeypatch):
    from flask.cli import ScriptInfo

    monkeypatch.setenv("MITTELPUNKT_INSTANCE_PATH", str(tmp_path))
    app = ScriptInfo(app_import_path="intranet").load_app()
    assert "mittelpunkt" in app.extensions


def test_healthz_reports_the_database(client, admin_client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}  # anonymous
    response = admin_client.get("/healthz")
    assert response.json["status"] == "ok" and response.json["database"] == "ok"
    assert set(response.json["plugins"]) >= {"consultations", "school_guidance"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path, monkeypatch):
    # (a missing folder is no longer unreachable: the engine set-up creates it)
    monkeypatch.setattr("intranet.web.views.database_answers", lambda: False)
    app = _app(tmp_path, HEALTHZ_DETAILS=True)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error" and response.json["database"] == "unreachable"


def test_security_headers_forbid_inline_code(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
