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
from intranet.core.plugin_boundaries import TableOwners
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
    """The core's track, then every loaded plugin that ships migrations, by name.

    A track owns the tables the host finds its models define (see
    ``PluginHost.table_owners``): the core's track never looks at a table of any
    installed plugin, loaded into this application or not.
    """
    owners = plugin_host.table_owners()
    result = [Track(CORE_NAME, ENVIRONMENT / "versions", "alembic_version",
                    _owned_by(owners, CORE_NAME))]
    for record in plugin_host.plugins():
        folder = record.folder
        if record.loaded and folder and (folder / "migrations" / "versions").is_dir():
            result.append(Track(
                record.name, folder / "migrations" / "versions",
                f"alembic_version_{record.name}", _owned_by(owners, record.name)))
    return result


def _owned_by(owners: TableOwners, name: str) -> Callable[[str], bool]:
    return lambda table: owners.owner(table) == name


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
