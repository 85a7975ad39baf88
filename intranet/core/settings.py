"""Settings: defaults, then ``instance/config.py``, then ``MITTELPUNKT_*`` variables,
then the mapping given to ``create_app`` — each later source wins.

``MITTELPUNKT_<NAME>`` sets ``NAME``; its value is read as JSON where it parses (numbers,
true/false, lists), else as text. The same sources set the settings plugins declare
(``GARDEN_BEDS`` of a plugin ``garden``, say): their defaults live with the
declaration, and :func:`intranet.core.site_settings.setting` parses them to the declared
type and lets an admin's choice win.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "MITTELPUNKT"

DEFAULTS: dict[str, Any] = {
    # SQLite file in the instance folder; PostgreSQL by setting e.g.
    # postgresql+psycopg://user:password@host/mittelpunkt
    "DATABASE_URL": "sqlite:///mittelpunkt.sqlite3",
    "SITE_NAME": "Mittelpunkt Hüttenstraße",
    # Shown on the lobby screens and the public programme; admins can change it.
    "OPENING_HOURS": "Mo–Do 9–17 Uhr, Fr 9–13 Uhr",
    "SITE_ADDRESS": "Hüttenstraße 12, Erdgeschoss",
    "SITE_PHONE": "0123 456 789",
    "DEFAULT_LOCALE": "de",
    # Languages offered everywhere; any other language with a catalog is added.
    "LANGUAGES": ["de", "en", "tr", "ru", "ar", "fa", "uk"],
    "DEFAULT_TIMEZONE": "Europe/Berlin",
    # Staff sessions end after this many minutes without a request.
    "SESSION_IDLE_MINUTES": 30,
    # ... and at the latest this many hours after login, however active.
    "SESSION_ABSOLUTE_HOURS": 12,
    # Failed logins per account and per client address before a lock of 1, 2, 4 …
    # minutes (at most LOGIN_THROTTLE_MAX_MINUTES); the count starts again after a
    # success or LOGIN_THROTTLE_RESET_MINUTES without failures.
    "LOGIN_THROTTLE_FAILURES": 5,
    "LOGIN_THROTTLE_MAX_MINUTES": 60,
    "LOGIN_THROTTLE_RESET_MINUTES": 60,
    # Reverse proxies in front of the app (each adds to X-Forwarded-For): the throttle
    # counts per client address, not per proxy. 0: the connection's address.
    "LOGIN_THROTTLE_PROXIES": 0,
    # Minutes between the right password and the second factor's code at login.
    "LOGIN_CODE_MINUTES": 5,
    # Admins and holders of a confidential permission must use a second factor (TOTP).
    "TWO_FACTOR_REQUIRED": True,
    # Tests only (read while TESTING is on, else ignored): the werkzeug method of new
    # password hashes, e.g. a cheap "pbkdf2:sha256:1000"; production always uses scrypt.
    "PASSWORD_HASH_METHOD": None,
    # Tests only (read while TESTING is on): the local wall-clock time the app sees as
    # "now", e.g. "2026-03-10T09:30" (see intranet/core/timeutil.py).
    "FIXED_NOW": None,
    # None loads every plugin of the entry-point group; a list loads just those.
    "PLUGINS": None,
    # Raise instead of logging and skipping a failing plugin (development, tests).
    "PLUGINS_STRICT": False,
    # Rooms staff call visitors to (shown on the call-up board).
    "ROOMS": ["Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café"],
    # Address phones and partners reach the app under, for every absolute URL in QR
    # codes and the programme feed (e.g. "https://mittelpunkt.example"); None: the
    # address of the request (then set TRUSTED_HOSTS, so that is never a stranger's).
    "PUBLIC_BASE_URL": None,
    # Host names the app answers to (Flask's TRUSTED_HOSTS, e.g. ["mittelpunkt.example"]);
    # any other Host header gets a 400. None answers to every name: production should
    # set it (or PUBLIC_BASE_URL and a proxy that only forwards its own name).
    "TRUSTED_HOSTS": None,
    # /healthz tells anonymous callers only "ok" or "error"; true adds the database,
    # version and plugin states for every caller (a monitor inside the network).
    "HEALTHZ_DETAILS": False,
    # Seconds SQLite waits for a lock before giving up.
    "SQLITE_BUSY_TIMEOUT": 10,
    # Seconds a worker keeps the site settings and plugin switches it read: a change made
    # on another worker or server counts within them (intranet/core/brief_cache.py).
    "SHARED_STATE_SECONDS": 2,
    # Retention: days each kind of personal data is kept, by rule key (see docs/operations.md),
    # overriding the rule's default, e.g. {"consultations.records": 1460}.
    "RETENTION_DAYS": {},
    # Days audit log entries are kept (the rule core.audit_entries).
    "AUDIT_RETENTION_DAYS": 730,
    # Backups: a Fernet key (`flask --app intranet backup keygen`) encrypts them; None: plain.
    "BACKUP_KEY": None,
    # Where `backup create` writes without a path; None: the instance folder's backups/.
    "BACKUP_DIR": None,
    # Folder of pg_dump/pg_restore; None: the PATH, then /usr/lib/postgresql/*/bin.
    "POSTGRES_BIN_DIR": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": None,
}


def instance_path_from(config: Mapping[str, Any] | None) -> str | None:
    """The instance folder, if the caller or the environment chose one."""
    if config and config.get("INSTANCE_PATH"):
        return str(config["INSTANCE_PATH"])
    return os.environ.get(f"{ENV_PREFIX}_INSTANCE_PATH") or None


def load_settings(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` from the four sources, in order."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(ENV_PREFIX, loads=_loads)
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        minutes=int(app.config["SESSION_IDLE_MINUTES"])
    )
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["DEFAULT_TIMEZONE"]
    if isinstance(app.config.get("TRUSTED_HOSTS"), str):  # "a.example, b.example" from env
        app.config["TRUSTED_HOSTS"] = [name.strip() for name in
                                       app.config["TRUSTED_HOSTS"].split(",") if name.strip()]


def _loads(value: str) -> Any:
    """Read JSON where it parses (numbers, true/false, lists), else the plain string."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def _instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating a random one on first start."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Write a private temporary file, then link it into place: when two workers
    # start at once, exactly one key wins and nobody reads a half-written file.
    tmp = instance / f".secret_key.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    try:
        os.link(tmp, key_file)
    except FileExistsError:
        key = key_file.read_text().strip()
    finally:
        tmp.unlink()
    return key
