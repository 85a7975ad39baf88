"""Online backups and restores of the database, encrypted when a backup key is set.

SQLite is copied with its own backup API (a consistent snapshot while the app keeps
writing); PostgreSQL with ``pg_dump -Fc`` (one snapshot transaction). With ``BACKUP_KEY``
(a Fernet key) the file is ``MAGIC`` followed by one Fernet token: authenticated
encryption, so a wrong key or a damaged file is refused before anything is restored.
Every file is created 0600, the default folder 0700.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import URL, make_url

MAGIC = b"MITTELPUNKT-BACKUP fernet v1\n"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
PG_BIN_GLOB = "usr/lib/postgresql/*/bin"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why (no data in it)."""


def new_key() -> str:
    """A fresh Fernet key for ``BACKUP_KEY``."""
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii") if isinstance(key, str) else key)
    except (ValueError, TypeError):
        raise BackupError("BACKUP_KEY is not a valid key; make one with 'backup keygen'") from None


def default_name(url: str, encrypted: bool, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if make_url(url).get_backend_name() == "sqlite" else ".pgdump"
    return f"mittelpunkt-{stamp}{suffix}{'.enc' if encrypted else ''}"


def private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)
    return folder


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that is 0600 from its first byte (never a wider mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A private (0700) temporary folder next to the target (same file system), removed
    after; the system's temporary folder when that one is read-only."""
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".mittelpunkt-backup-", dir=folder))
    except OSError:
        scratch = Path(tempfile.mkdtemp(prefix=".mittelpunkt-backup-"))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def postgres_tool(name: str, configured: str | None = None) -> str:
    """The path of ``pg_dump``/``pg_restore``: the setting, the PATH, Debian's folders."""
    if configured:
        return str(Path(configured) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/").glob(PG_BIN_GLOB))
    for folder in reversed(candidates):
        if (folder / name).exists():
            return str(folder / name)
    raise BackupError(f"{name} not found; install the PostgreSQL client or set POSTGRES_BIN_DIR")


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools; the password only in the environment."""
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")


def _snapshot(url: URL, target: Path, pg_bin: str | None) -> None:
    """Write a consistent plain copy of the database to ``target`` (a new 0600 file)."""
    if url.get_backend_name() == "sqlite":
        source = url.database
        if not source or source == ":memory:" or not Path(source).exists():
            raise BackupError("the SQLite database file does not exist")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(fd)
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: a single read transaction, a consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
        return
    args, env = _pg_args(url)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)
    _run([postgres_tool("pg_dump", pg_bin), "--format=custom", "--no-owner",
          *args, "--file", str(target), "--dbname", str(url.database)], env)


def create_backup(database_url: str, target: Path, *, key: str | None = None,
                  pg_bin: str | None = None) -> Path:
    """Back the database up to ``target`` (a file that must not exist yet)."""
    url = make_url(database_url)
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already")
    fernet = _fernet(key) if key else None
    if not target.parent.exists():
        private_folder(target.parent)
    with _scratch(target.parent) as scratch:
        plain = scratch / "plain"
        _snapshot(url, plain, pg_bin)
        if fernet is None:
            os.replace(plain, target)
        else:
            _write_private(target, MAGIC + fernet.encrypt(plain.read_bytes()))
    return target


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _plain_copy(source: Path, scratch: Path, key: str | None) -> Path:
    """The backup as a plain file in ``scratch``, decrypted (and authenticated) if needed."""
    if not is_encrypted(source):
        return source
    if not key:
        raise BackupError("the backup is encrypted; set BACKUP_KEY to the key it was made with")
    try:
        data = _fernet(key).decrypt(source.read_bytes()[len(MAGIC):])
    except InvalidToken:
        raise BackupError("cannot decrypt the backup: wrong key, or the file is damaged; "
                          "nothing was restored") from None
    plain = scratch / "plain"
    _write_private(plain, data)
    return plain


def restore_backup(database_url: str, source: Path, *, key: str | None = None,
                   pg_bin: str | None = None) -> None:
    """Put the backup ``source`` back into the configured database, replacing its content.

    Run it while the app is stopped. SQLite: the backup is checked, then copied in with the
    backup API (one transaction: the database is either untouched or fully restored).
    PostgreSQL: ``pg_restore --clean --if-exists --single-transaction``.
    """
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and not url.database:
        raise BackupError("the SQLite database file is not configured")
    sqlite_file = Path(url.database or "")  # used only for SQLite
    folder = sqlite_file.resolve().parent if sqlite else source.resolve().parent
    with _scratch(folder) as scratch:
        plain = _plain_copy(source, scratch, key)
        with open(plain, "rb") as handle:
            header = handle.read(16)
        if sqlite:
            if header != SQLITE_HEADER:
                raise BackupError("this is no SQLite backup")
            _restore_sqlite(plain, sqlite_file)
        else:
            if not header.startswith(PG_DUMP_HEADER):
                raise BackupError("this is no PostgreSQL backup (pg_dump custom format)")
            args, env = _pg_args(url)
            _run([postgres_tool("pg_restore", pg_bin), "--clean", "--if-exists", "--no-owner",
                  "--single-transaction", "--exit-on-error", *args,
                  "--dbname", str(url.database), str(plain)], env)


def _restore_sqlite(plain: Path, database: Path) -> None:
    check = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError:
        result = "not a database"
    finally:
        check.close()
    if result != "ok":
        raise BackupError("the backup file is damaged (integrity check failed); nothing restored")
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    src = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    dst = sqlite3.connect(database, timeout=30)
    try:
        src.backup(dst)  # the reverse direction: also handles the live file's WAL safely
    finally:
        dst.close()
        src.close()
