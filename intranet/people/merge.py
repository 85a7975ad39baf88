"""Merging two records of the same person: all or nothing.

The core moves its own check-ins and consents, asks every plugin through the
``merge_persons`` hook to move what it holds, fills the target's empty facts
from the source, deletes the source and writes the audit entry — in one
transaction. Every loaded plugin is asked, switched off or not
(:meth:`~intranet.plugin_host.PluginHost.call_all`). If any plugin fails (raises, or
answers with something other than a :class:`~intranet.hooktypes.MergeReport`),
everything is rolled back: a half merge would leave a plugin's records on a person that
is about to be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from intranet.audit.log import audit
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.plugin_host import PluginCallFailed, host
from intranet.hooktypes import MergeReport
from intranet.people.models import Consent, Person

# Facts copied from the source when the target has none.
FILLED_FIELDS = ("nickname", "year_of_birth", "gender", "country_of_origin")


class MergeFailed(RuntimeError):
    """A plugin failed during a merge; nothing was changed."""

    def __init__(self, plugins: list[str], message: str = "") -> None:
        super().__init__(message or f"merge failed in: {', '.join(plugins) or 'core'}")
        self.plugins = plugins


@dataclass(frozen=True)
class MergeResult:
    checkins: int
    consents: int
    filled: tuple[str, ...]
    reports: tuple[MergeReport, ...]


def merge_persons(source: Person, target: Person) -> MergeResult:
    """Merge ``source`` into ``target`` and delete ``source``; commit, or roll back and raise.

    Every loaded plugin takes part, switched off or not (its records must move too).
    Raises :class:`MergeFailed` when a plugin fails (in strict and in lenient plugin
    mode alike) and :class:`ValueError` for a person merged into itself.
    """
    if source.id == target.id:
        raise ValueError("a person cannot be merged into itself")
    source_id, target_id = source.id, target.id
    try:
        checkins = cast(CursorResult[Any], db.session.execute(
            update(CheckIn).where(CheckIn.person_id == source_id).values(person_id=target_id)
        )).rowcount
        consents = cast(CursorResult[Any], db.session.execute(
            update(Consent).where(Consent.person_id == source_id).values(person_id=target_id)
        )).rowcount
        results = host().call_all("merge_persons", MergeReport, source=source, target=target)
        reports = [item for _, result in results
                   for item in (result if isinstance(result, list | tuple) else [result])]
        filled = _fill_empty_fields(source, target)
        audit("persons_merged", object_type="person", object_id=target_id,
              source=source_id, target=target_id, checkins=checkins, consents=consents,
              filled=list(filled), plugins={r.plugin: r.records_moved for r in reports})
        db.session.delete(source)
        db.session.commit()
    except PluginCallFailed as failure:
        _audit_failure(source_id, target_id, failure.plugins)
        raise MergeFailed(failure.plugins, str(failure)) from failure
    except Exception as exc:
        _audit_failure(source_id, target_id, [])
        raise MergeFailed([], f"merge failed: {type(exc).__name__}: {exc}") from exc
    return MergeResult(checkins=checkins, consents=consents, filled=filled,
                       reports=tuple(reports))


def _fill_empty_fields(source: Person, target: Person) -> tuple[str, ...]:
    """Give the target what only the source knows; the earlier first visit wins."""
    filled = []
    for name in FILLED_FIELDS:
        if getattr(target, name) in (None, "") and getattr(source, name) not in (None, ""):
            setattr(target, name, getattr(source, name))
            filled.append(name)
    languages = list(target.languages or [])
    extra = [code for code in source.languages or [] if code not in languages]
    if extra:
        target.languages = languages + extra
        filled.append("languages")
    if source.first_visit and (target.first_visit is None
                               or source.first_visit < target.first_visit):
        target.first_visit = source.first_visit
        filled.append("first_visit")
    return tuple(filled)


def _audit_failure(source_id: int, target_id: int, plugins: list[str]) -> None:
    """Roll back, then record the failed attempt in a transaction of its own."""
    db.session.rollback()
    audit("persons_merge_failed", object_type="person", object_id=target_id,
          source=source_id, target=target_id, plugins=plugins)
    db.session.commit()


def counts(person: Person) -> tuple[int, int]:
    """How many check-ins and consents a person has (shown side by side before a merge)."""
    checkins = db.session.scalar(select(func.count()).select_from(CheckIn)
                                 .where(CheckIn.person_id == person.id)) or 0
    consents = db.session.scalar(select(func.count()).select_from(Consent)
                                 .where(Consent.person_id == person.id)) or 0
    return checkins, consents
