"""Every module that holds core tables, imported together so the metadata is complete
before migrations, ``create_all`` or a relationship's first use."""

from __future__ import annotations

from importlib import import_module

CORE_MODEL_MODULES = (
    "intranet.core.models",
    "intranet.auth.models",
    "intranet.offers.models",
    "intranet.people.models",
    "intranet.checkins.models",
    "intranet.audit.models",
    "intranet.privacy.models",
)


def import_core_tables() -> None:
    for name in CORE_MODEL_MODULES:
        import_module(name)
