"""Settings: defaults, then ``instance/config.py``, then ``MITTELPUNKT_*`` variables,
then the mapping given to ``create_app`` — each later source wins.
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
    # Shown on the kiosk and the public programme; admins can change it in the intranet.
    "OPENING_HOURS": "Mo–Do 9–17 Uhr, Fr 9–13 Uhr",
    # Languages offered on the kiosk's start screen; None: every available language.
    "KIOSK_LANGUAGES": None,
    "DEFAULT_LOCALE": "de",
    # Languages offered everywhere; any other language with a catalog is added.
    "LANGUAGES": ["de", "en", "tr", "ru", "ar", "fa", "uk"],
    "DEFAULT_TIMEZONE": "Europe/Berlin",
    # Staff sessions end after this many minutes without a request.
    "SESSION_IDLE_MINUTES": 30,
    # None loads every plugin of the entry-point group; a list loads just those.
    "PLUGINS": None,
    # Raise instead of logging and skipping a failing plugin (development, tests).
    "PLUGINS_STRICT": False,
    # Rooms staff call visitors to (shown on the call-up board).
    "ROOMS": ["Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café"],
    # Kiosk: seconds without touch before "Need more time?", its countdown, and how
    # long the waiting number stays on screen; check-ins a kiosk may take per minute.
    "KIOSK_IDLE_SECONDS": 60,
    "KIOSK_COUNTDOWN_SECONDS": 20,
    "KIOSK_NUMBER_SECONDS": 15,
    "KIOSK_CHECKINS_PER_MINUTE": 12,
    # Address phones reach the app under, for the QR codes on the kiosk (e.g.
    # "https://mittelpunkt.example"); None: the address the kiosk itself uses.
    "PUBLIC_BASE_URL": None,
    # Seconds SQLite waits for a lock before giving up.
    "SQLITE_BUSY_TIMEOUT": 10,
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
