"""``flask --app intranet backup create|restore|keygen``: online backups of the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Backups of the database (encrypted with BACKUP_KEY).")


def _settings() -> tuple[str, str | None, str | None]:
    from intranet.core.extensions import db

    config = current_app.config
    # The engine's URL, not the setting: a relative SQLite path lives in the instance folder.
    url = db.engine.url.render_as_string(hide_password=False)
    return url, config.get("BACKUP_KEY") or None, config.get("POSTGRES_BIN_DIR") or None


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=Path))
def backup_create(path: Path | None) -> None:
    """Back the database up while the app keeps running (to PATH, a folder or a file;
    default: instance/backups/ with a timestamped name)."""
    from intranet.privacy.backup import BackupError, create_backup, default_name, private_folder

    url, key, pg_bin = _settings()
    if path is None:
        folder = Path(current_app.config.get("BACKUP_DIR") or
                      Path(current_app.instance_path) / "backups")
        path = private_folder(folder) / default_name(url, encrypted=bool(key))
    elif path.is_dir():
        path = path / default_name(url, encrypted=bool(key))
    try:
        create_backup(url, path, key=key, pg_bin=pg_bin)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    state = "encrypted" if key else "NOT encrypted (no BACKUP_KEY set)"
    click.echo(f"backup written to {path} ({state})")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the whole database with this backup? "
                                  "(stop the app first)")
def backup_restore(path: Path) -> None:
    """Replace the configured database with the backup at PATH (stop the app first)."""
    from intranet.core.extensions import db
    from intranet.privacy.backup import BackupError, restore_backup

    url, key, pg_bin = _settings()
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds the database open
    try:
        restore_backup(url, path, key=key, pg_bin=pg_bin)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {path}; run 'flask --app intranet db upgrade' if it is older "
               "than this version")


@backup_cli.command("keygen")
def backup_keygen() -> None:
    """Print a new key for the BACKUP_KEY setting (keep a copy away from the backups)."""
    from intranet.privacy.backup import new_key

    click.echo(new_key())
