"""``flask --app intranet backup``: online backups under write load, restore, encryption."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from intranet.audit.chain import verify_chain
from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.people.models import Person
from intranet.privacy.backup import MAGIC

MARKER = "PLAINTEXT-MARKER-Qx7"


class Writers:
    """Threads that add a person and an audit entry per transaction, committing non-stop."""

    def __init__(self, app, threads: int = 3) -> None:
        self.app, self.committed, self.errors = app, [], []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.work) for _ in range(threads)]

    def work(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    person = Person(nickname=f"{MARKER}-{threading.get_ident()}")
                    db.session.add(person)
                    db.session.flush()
                    audit("person_created", object_type="person", object_id=person.id)
                    db.session.commit()
                    self.committed.append(person.id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(self.committed) < 30 and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def backup_under_load(app, target: Path) -> list[int]:
    """Take a backup while writers commit; return the ids committed before it started."""
    with Writers(app) as writers:
        before = list(writers.committed)
        result = app.test_cli_runner().invoke(args=["backup", "create", str(target)])
        assert result.exit_code == 0, result.output
        time.sleep(0.1)  # writes go on after the backup too
    assert writers.errors == []
    assert len(writers.committed) > len(before)
    return before


def restored_ids(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(db.select(Person.id)))


def chain_intact(app) -> bool:
    with app.app_context():
        return verify_chain(db.session).intact


def test_sqlite_backup_under_write_load_restores_every_committed_row(make_app, tmp_path):
    app = make_app()
    target = tmp_path / "backup.sqlite3"
    before = backup_under_load(app, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh = make_app(migrate=False)
    result = fresh.test_cli_runner().invoke(args=["backup", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert set(before) <= restored_ids(fresh)
    with fresh.app_context():
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert chain_intact(fresh)


@pytest.mark.postgres
def test_postgresql_backup_under_write_load_restores_every_committed_row(
        make_app, postgres_url, tmp_path):
    import psycopg

    app = make_app(DATABASE_URL=postgres_url)
    target = tmp_path / "backup.pgdump"
    before = backup_under_load(app, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"PGDMP")
    server, _name = postgres_url.rsplit("/", 1)
    with psycopg.connect(server.replace("+psycopg", "") + "/postgres", autocommit=True) as conn:
        conn.execute('CREATE DATABASE "restored_here"')
    fresh = make_app(DATABASE_URL=f"{server}/restored_here", migrate=False)
    result = fresh.test_cli_runner().invoke(args=["backup", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert set(before) <= restored_ids(fresh)
    assert chain_intact(fresh)
    with fresh.app_context():
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version


def test_encrypted_backup_hides_the_data_and_needs_the_right_key(make_app, tmp_path):
    key = make_app().test_cli_runner().invoke(args=["backup", "keygen"]).output.strip()
    app = make_app(BACKUP_KEY=key)
    with app.app_context():
        db.session.add(Person(nickname=MARKER))
        db.session.commit()
    done = app.test_cli_runner().invoke(args=["backup", "create"])
    assert done.exit_code == 0 and "(encrypted)" in done.output
    folder = Path(app.instance_path) / "backups"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [backup] = list(folder.iterdir())
    assert backup.name.startswith("mittelpunkt-") and backup.name.endswith(".sqlite3.enc")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    data = backup.read_bytes()
    assert data.startswith(MAGIC)
    assert MARKER.encode() not in data and b"SQLite format 3" not in data

    from cryptography.fernet import Fernet

    wrong = make_app(BACKUP_KEY=Fernet.generate_key().decode())
    with wrong.app_context():
        db.session.add(Person(nickname="still here"))
        db.session.commit()
    failed = wrong.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert failed.exit_code != 0 and "wrong key" in failed.output
    with wrong.app_context():
        assert db.session.scalars(db.select(Person.nickname)).all() == ["still here"]
    no_key = make_app()
    failed = no_key.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert failed.exit_code != 0 and "BACKUP_KEY" in failed.output

    right = make_app(BACKUP_KEY=key, migrate=False)
    done = right.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert done.exit_code == 0, done.output
    with right.app_context():
        assert db.session.scalars(db.select(Person.nickname)).all() == [MARKER]
    assert not [p for p in Path(right.instance_path).iterdir() if p.name.startswith(".")]


def test_a_damaged_or_foreign_file_is_refused(make_app, tmp_path):
    app = make_app()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a backup at all")
    failed = app.test_cli_runner().invoke(args=["backup", "restore", str(junk), "--yes"])
    assert failed.exit_code != 0 and "no SQLite backup" in failed.output
    existing = tmp_path / "exists"
    existing.write_text("")
    failed = app.test_cli_runner().invoke(args=["backup", "create", str(existing)])
    assert failed.exit_code != 0 and "exists already" in failed.output


def test_the_password_never_goes_on_the_command_line(monkeypatch, tmp_path):
    from intranet.privacy import backup

    seen = {}

    def fake_run(command, env, **_kwargs):
        seen["command"], seen["env"] = command, env
        Path(command[command.index("--file") + 1]).write_bytes(b"PGDMP")

        class Done:
            returncode, stderr = 0, ""
        return Done()

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    backup.create_backup("postgresql+psycopg://staff:s3cret@db.example:5433/mp",
                         tmp_path / "out.pgdump", pg_bin="/opt/pg/bin")
    assert "s3cret" not in " ".join(seen["command"])
    assert seen["env"]["PGPASSWORD"] == "s3cret"
    assert seen["command"][0] == "/opt/pg/bin/pg_dump" and "--format=custom" in seen["command"]
    assert os.environ.get("PGPASSWORD") != "s3cret"


def test_the_default_relative_sqlite_url_is_found_in_the_instance_folder(make_app, tmp_path):
    """``DATABASE_URL`` defaults to a relative file name: backups find it in the instance."""
    app = make_app(DATABASE_URL="sqlite:///mittelpunkt.sqlite3")
    with app.app_context():
        db.session.add(Person(nickname=MARKER))
        db.session.commit()
    target = tmp_path / "relative.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM person WHERE nickname = ?",
                            (MARKER,)).fetchone() == (1,)
