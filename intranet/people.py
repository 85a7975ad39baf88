"""Data-protection requests for a pseudonymous person: export everything, erase everything.

One implementation for the whole app: the core collects what every plugin holds
through the ``export_person`` and ``erase_person`` hooks, then handles its own tables.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select, update

from intranet.audit import audit
from intranet.extensions import db
from intranet.hooktypes import ErasureReport, ExportSection
from intranet.models import CheckIn, Person
from intranet.plugin_host import host


def find_person(code: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.code == code.strip().upper()))


def export_person(person: Person) -> dict[str, Any]:
    """Everything stored about a person (GDPR Art. 15), as plain JSON-ready data."""
    checkins = db.session.scalars(select(CheckIn).where(CheckIn.person_id == person.id)).all()
    sections = host().collect("export_person", ExportSection, person=person)
    audit("person_exported", object_type="person", object_id=person.id)
    db.session.commit()
    return {
        "person": {
            "code": person.code, "nickname": person.nickname,
            "year_of_birth": person.year_of_birth, "gender": person.gender,
            "languages": person.languages, "country_of_origin": person.country_of_origin,
            "first_visit": person.first_visit, "created_at": person.created_at,
        },
        "checkins": [{"day": c.day, "ticket": c.ticket, "purpose": f"{c.plugin}.{c.purpose}",
                      "language": c.language, "status": c.status} for c in checkins],
        "plugins": [asdict(section) for section in sections],
    }


def erase_person(person: Person) -> list[ErasureReport]:
    """Erase a person (GDPR Art. 17): each plugin first, then the core's record.

    Check-ins stay for the statistics but lose their link and first name, so
    counts of visits remain right while nobody can be identified.
    """
    reports = host().collect("erase_person", ErasureReport, person=person)
    db.session.execute(update(CheckIn).where(CheckIn.person_id == person.id)
                       .values(person_id=None, first_name=None))
    audit("person_erased", object_type="person", object_id=person.id,
          plugins={r.plugin: r.records_erased for r in reports})
    db.session.delete(person)
    db.session.commit()
    return reports
