"""Database engine settings: SQLite gets WAL, foreign keys, a busy timeout and secure delete.

The SQLite file holds confidential counselling data: it (and its ``-wal``/``-shm``
companions) is readable by its owner only, the instance folder likewise, and deleted
content is overwritten (``secure_delete``) so an erased person cannot be read back
from the file's free pages.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from intranet.core.extensions import db

FILE_MODE = 0o600
FOLDER_MODE = 0o700
COMPANIONS = ("-wal", "-shm", "-journal")


def configure_engine(app: Flask) -> None:
    """Set SQLite's pragmas on every new connection (PostgreSQL needs nothing)."""
    with app.app_context():
        engine = db.engine
    instance = Path(app.instance_path)
    if instance.is_dir():  # the secret key and (usually) the database live here
        with contextlib.suppress(OSError):
            os.chmod(instance, FOLDER_MODE)
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = int(float(app.config["SQLITE_BUSY_TIMEOUT"]) * 1000)
    path = sqlite_path(engine)
    if path is not None:
        prepare_private_file(path)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()
        if path is not None:
            restrict_companions(path)


def sqlite_path(engine: Engine) -> Path | None:
    """The SQLite database file, or None for PostgreSQL and in-memory databases."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def prepare_private_file(path: Path) -> None:
    """Create the database file as 0600 before SQLite opens it (whatever the umask is);
    an existing file is narrowed to 0600 too. A new folder for it is made 0700."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=FOLDER_MODE)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, FILE_MODE)
    restrict_companions(path)


def restrict_companions(path: Path) -> None:
    """``-wal`` and ``-shm`` hold the same data as the file: owner only, too."""
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            if companion.exists() and companion.stat().st_mode & 0o077:
                os.chmod(companion, FILE_MODE)


def checkpoint_wal() -> None:
    """Fold the WAL into the database file and truncate it (after an erasure).

    Old page versions in the WAL would still hold the erased text; secure delete then
    has overwritten it in the file itself. Busy readers may keep a checkpoint from
    completing: it is then retried by SQLite's own automatic checkpoints.
    """
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


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
