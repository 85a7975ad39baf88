"""Alembic environment shared by every migration track (the core and each plugin).

The track being run is handed in by :mod:`intranet.core.migrate`: it decides the
version table (one per track, so plugins never rewrite each other's history)
and which tables autogenerate may look at.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from intranet.core.extensions import db

config = context.config
track = config.attributes["track"]


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Autogenerate looks only at the tables this track owns."""
    if type_ == "table":
        return track.owns(name or "")
    table = getattr(obj, "table", None)
    return table is None or track.owns(table.name)


def run() -> None:
    options: dict[str, Any] = {
        "target_metadata": db.metadata,
        "version_table": track.version_table,
        "include_object": include_object,
        "render_as_batch": True,  # SQLite can only ALTER through table copies
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=str(db.engine.url), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    with db.engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


run()
