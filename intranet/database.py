"""Database engine settings: SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from intranet.extensions import db


def configure_engine(app: Flask) -> None:
    """Set SQLite's pragmas on every new connection (PostgreSQL needs nothing)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = int(float(app.config["SQLITE_BUSY_TIMEOUT"]) * 1000)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def database_answers() -> bool:
    """True when a trivial query succeeds (used by ``/healthz``)."""
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:
        return False


def sqlite_journal_mode(engine: Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA journal_mode").scalar()
