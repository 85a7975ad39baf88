"""Data-protection requests for a pseudonymous person: export everything, erase everything.

One implementation for the whole app: the core asks EVERY loaded plugin, switched off
or not, through the ``export_person`` and ``erase_person`` hooks
(:meth:`~intranet.plugin_host.PluginHost.call_all`), then handles its own tables. Both
are all or nothing: if one plugin fails, nothing is exported or erased, the attempt is
audited on its own and :class:`~intranet.core.plugin_host.PluginCallFailed` names the plugins.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update

from intranet.audit.log import audit
from intranet.checkins.models import CheckIn
from intranet.core.database import checkpoint_wal
from intranet.core.extensions import db
from intranet.core.plugin_host import PluginCallFailed, host
from intranet.hooktypes import ErasureReport, ExportSection
from intranet.people.models import Consent, Person


def columns_of(row: Any) -> dict[str, Any]:
    """Every column of a row, by name: a new column is exported without anyone adding it."""
    return {column.name: getattr(row, attr.key)
            for attr in db.inspect(type(row)).column_attrs for column in attr.columns}


def _flatten(results: list[tuple[str, Any]]) -> list[Any]:
    return [item for _, result in results
            for item in (result if isinstance(result, list | tuple) else [result])]


def export_person(person: Person) -> dict[str, Any]:
    """Everything stored about a person (GDPR Art. 15), as plain JSON-ready data.

    The core's part is complete by construction (every column of the person, of each
    of its consents and check-ins); each plugin adds its own section.
    """
    person_id = person.id
    try:
        sections = _flatten(host().call_all("export_person", ExportSection, person=person))
    except PluginCallFailed as failure:
        _audit_failure("person_export_failed", person_id, failure.plugins)
        raise
    checkins = db.session.scalars(select(CheckIn).where(CheckIn.person_id == person_id)
                                  .order_by(CheckIn.day, CheckIn.number)).all()
    consents = Consent.of_person(person_id)[::-1]  # the oldest first, as the check-ins
    data = {
        "person": columns_of(person),
        "consents": [c.export_row() for c in consents],
        "checkins": [columns_of(c) for c in checkins],
        "plugins": [asdict(section) for section in sorted(sections, key=_section_key)],
    }
    audit("person_exported", object_type="person", object_id=person_id,
          checkins=len(checkins), consents=len(consents),
          plugins=sorted({s.plugin for s in sections}))
    db.session.commit()
    return data


def erase_person(person: Person) -> list[ErasureReport]:
    """Erase a person (GDPR Art. 17): every plugin first, then the core's record.

    Check-ins stay for the statistics but lose their link, first name and kiosk token,
    so counts of visits remain right while nobody can be identified. The WAL is folded
    into the file afterwards: with ``secure_delete`` the erased text is then gone from
    the disk's database files, not only from the tables.
    """
    person_id = person.id
    try:
        reports = _flatten(host().call_all("erase_person", ErasureReport, person=person))
        checkins = cast(CursorResult[Any], db.session.execute(
            update(CheckIn).where(CheckIn.person_id == person_id)
            .values(person_id=None, first_name=None, token=None))).rowcount or 0
        consents = cast(CursorResult[Any], db.session.execute(
            delete(Consent).where(Consent.person_id == person_id))).rowcount or 0
        audit("person_erased", object_type="person", object_id=person_id,
              checkins=checkins, consents=consents,
              plugins={r.plugin: r.records_erased for r in reports})
        db.session.delete(person)
        db.session.commit()
    except PluginCallFailed as failure:
        _audit_failure("person_erase_failed", person_id, failure.plugins)
        raise
    except Exception:
        _audit_failure("person_erase_failed", person_id, [])
        raise
    checkpoint_wal()
    return reports


def _audit_failure(action: str, person_id: int, plugins: list[str]) -> None:
    """Undo everything of the attempt, then record it in a transaction of its own."""
    db.session.rollback()
    audit(action, object_type="person", object_id=person_id, plugins=plugins)
    db.session.commit()


def _section_key(section: ExportSection) -> tuple[str, str]:
    return (section.plugin, str(section.title))
