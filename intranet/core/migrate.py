"""Database migrations in tracks: one Alembic history for the core and one per plugin.

Each track has its own version table (``alembic_version`` for the core,
``alembic_version_<plugin>`` for a plugin) and its own ``versions`` folder
(``<plugin>/migrations/versions``), so installing, upgrading or removing a
plugin never touches another's history. The core runs first: plugin tables
may reference core tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from intranet.core.extensions import db
from intranet.core.plugin_host import CORE_NAME, PluginHost

ENVIRONMENT = Path(__file__).resolve().parents[1] / "migrations"


@dataclass(frozen=True)
class Track:
    """One migration history: who owns it, where its scripts live, its version table."""

    name: str
    versions: Path
    version_table: str
    owns: Callable[[str], bool]


def tracks(plugin_host: PluginHost) -> list[Track]:
    """The core's track, then every loaded plugin that ships migrations, by name."""
    plugin_names = sorted(r.name for r in plugin_host.plugins() if r.loaded)
    prefixes = tuple(f"{name}_" for name in plugin_names)
    result = [Track(CORE_NAME, ENVIRONMENT / "versions", "alembic_version",
                    lambda table: not table.startswith(prefixes)
                    and not table.startswith("alembic_version"))]
    for record in plugin_host.plugins():
        folder = record.folder
        if record.loaded and folder and (folder / "migrations" / "versions").is_dir():
            prefix = f"{record.name}_"
            result.append(Track(
                record.name, folder / "migrations" / "versions",
                f"alembic_version_{record.name}",
                lambda table, prefix=prefix: table.startswith(prefix),
            ))
    return result


def alembic_config(track: Track) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ENVIRONMENT))
    config.set_main_option("version_locations", str(track.versions))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.attributes["track"] = track
    return config


def find_track(plugin_host: PluginHost, name: str) -> Track:
    for track in tracks(plugin_host):
        if track.name == name:
            return track
    raise KeyError(name)


def upgrade_all(plugin_host: PluginHost) -> list[str]:
    """Bring the core and every plugin to their newest revision; return the track names."""
    done = []
    for track in tracks(plugin_host):
        command.upgrade(alembic_config(track), "head")
        done.append(track.name)
    return done


def current_revisions(plugin_host: PluginHost) -> dict[str, str | None]:
    """The revision each track's version table records (``None``: not yet created)."""
    result = {}
    with db.engine.connect() as connection:
        for track in tracks(plugin_host):
            context = MigrationContext.configure(
                connection, opts={"version_table": track.version_table})
            result[track.name] = context.get_current_revision()
    return result
