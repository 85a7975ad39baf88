"""Merging two records of the same person: all or nothing.

The core moves its own check-ins and consents, asks every plugin through the
``merge_persons`` hook to move what it holds, fills the target's empty facts
from the source, deletes the source and writes the audit entry — in one
transaction. If any plugin fails (raises, or answers with something other than
a :class:`~intranet.hooktypes.MergeReport`), everything is rolled back: a half
merge would leave a plugin's records on a person that is about to be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from intranet.audit import audit
from intranet.extensions import db
from intranet.hooktypes import MergeReport
from intranet.models import CheckIn, Consent, Person
from intranet.plugin_host import host

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

    Raises :class:`MergeFailed` when a plugin fails (in strict and in lenient
    plugin mode alike) and :class:`ValueError` for a person merged into itself.
    """
    if source.id == target.id:
        raise ValueError("a person cannot be merged into itself")
    source_code, target_code = source.code, target.code
    try:
        checkins = db.session.execute(
            update(CheckIn).where(CheckIn.person_id == source.id).values(person_id=target.id)
        ).rowcount
        consents = db.session.execute(
            update(Consent).where(Consent.person_id == source.id).values(person_id=target.id)
        ).rowcount
        reports = _call_plugins(source, target)
        filled = _fill_empty_fields(source, target)
        audit("persons_merged", object_type="person", object_id=target.id,
              source=source_code, target=target_code, checkins=checkins, consents=consents,
              filled=list(filled), plugins={r.plugin: r.records_moved for r in reports})
        db.session.delete(source)
        db.session.commit()
    except MergeFailed:
        db.session.rollback()
        _audit_failure(source_code, target_code)
        raise
    except Exception as exc:
        db.session.rollback()
        _audit_failure(source_code, target_code)
        raise MergeFailed([], f"merge failed: {type(exc).__name__}: {exc}") from exc
    return MergeResult(checkins=checkins, consents=consents, filled=filled,
                       reports=tuple(reports))


def _call_plugins(source: Person, target: Person) -> list[MergeReport]:
    """Call ``merge_persons`` of every enabled plugin; raise :class:`MergeFailed` on any failure.

    The host logs a failing plugin and skips it (outside strict mode), and it
    records the failure in the plugin's record, replacing the list. A changed
    list after the call therefore means: some plugin failed in this call.
    """
    plugin_host = host()
    before = {name: (record.failures, list(record.failures))
              for name, record in plugin_host.records.items()}
    try:
        reports = plugin_host.collect("merge_persons", MergeReport, source=source, target=target)
    except Exception as exc:  # strict mode: the plugin's exception arrives here
        raise MergeFailed(_failing_plugins(before), str(exc)) from exc
    failed = _failing_plugins(before)
    if failed:
        raise MergeFailed(failed)
    return reports


def _failing_plugins(before: dict[str, tuple[list[str], list[str]]]) -> list[str]:
    failed = []
    for name, record in host().records.items():
        old_list, old_items = before.get(name, (None, []))
        if record.failures is not old_list or record.failures != old_items:
            failed.append(name)
    return sorted(failed)


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


def _audit_failure(source_code: str, target_code: str) -> None:
    """Record the failed attempt (after the rollback, in a transaction of its own)."""
    audit("persons_merge_failed", object_type="person", source=source_code, target=target_code)
    db.session.commit()


def counts(person: Person) -> tuple[int, int]:
    """How many check-ins and consents a person has (shown side by side before a merge)."""
    checkins = db.session.scalar(select(func.count()).select_from(CheckIn)
                                 .where(CheckIn.person_id == person.id)) or 0
    consents = db.session.scalar(select(func.count()).select_from(Consent)
                                 .where(Consent.person_id == person.id)) or 0
    return checkins, consents
