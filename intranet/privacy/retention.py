"""Retention: the core's rules, and the one place every rule (core and plugins) is applied.

Each rule runs in its own transaction: a failing rule is rolled back and reported, the
others still run, and the run is marked not ok. Results are counts per rule key, never
personal data. ``flask --app intranet privacy purge`` calls :func:`purge`, daily by a timer.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnClause,
    CursorResult,
    column,
    exists,
    func,
    inspect,
    literal_column,
    or_,
    select,
    table,
    update,
)

from intranet.audit.chain import move_anchor, verify_chain
from intranet.audit.log import audit
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.plugin_host import host
from intranet.core.timeutil import utcnow
from intranet.hooktypes import RetentionRule
from intranet.people.models import Consent, Person
from intranet.privacy.models import PrivacyRun

log = logging.getLogger(__name__)

# The admin page warns when the purge has not run for longer than this.
STALE_AFTER = timedelta(days=2)


def local_moment(cutoff: datetime) -> datetime:
    """The naive UTC ``cutoff`` as naive local wall-clock time (for local-time columns)."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    return cutoff.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)


def local_day(cutoff: datetime) -> date:
    """The local date of ``cutoff``: data of days before it are due."""
    return local_moment(cutoff).date()


# -- the core's rules -------------------------------------------------------------


def _checkin_first_names(cutoff: datetime, dry_run: bool) -> int:
    due = (CheckIn.day < local_day(cutoff), CheckIn.first_name.is_not(None))
    return _update_or_count(CheckIn, due, {"first_name": None}, dry_run)


def _checkins_anonymised(cutoff: datetime, dry_run: bool) -> int:
    # Day, number, area, purpose, language, first visit, status and times stay: the reports
    # count them. The link to the person goes, and with it the person counts of old periods.
    due = (CheckIn.day < local_day(cutoff),
           or_(CheckIn.person_id.is_not(None), CheckIn.token.is_not(None),
               CheckIn.first_name.is_not(None)))
    return _update_or_count(CheckIn, due, {"person_id": None, "token": None,
                                           "first_name": None}, dry_run)


def _withdrawn_consents(cutoff: datetime, dry_run: bool) -> int:
    due = (Consent.withdrawn_on.is_not(None), Consent.withdrawn_on < local_day(cutoff))
    return delete_or_count(Consent, due, dry_run)


def _unreferenced_people(cutoff: datetime, dry_run: bool) -> int:
    # Asked of the database itself, not the loaded models: a table of a plugin that is not
    # loaded still points to people, and such a person must stay.
    inspector = inspect(db.session.connection())
    still_referenced = []
    for name in inspector.get_table_names():
        for key in inspector.get_foreign_keys(name):
            if key["referred_table"] == Person.__tablename__:
                link: ColumnClause[Any] = column(key["constrained_columns"][0])
                still_referenced.append(exists(
                    select(literal_column("1")).select_from(table(name, link))
                    .where(link == Person.id)))
    due = (Person.created_at < cutoff, *[~condition for condition in still_referenced])
    return delete_or_count(Person, due, dry_run)


def _audit_entries(cutoff: datetime, dry_run: bool) -> int:
    return move_anchor(db.session, cutoff, dry_run=dry_run)


def core_rules() -> list[RetentionRule]:
    """The core's retention rules (returned by its ``retention_rules`` hook)."""
    audit_days = int(current_app.config["AUDIT_RETENTION_DAYS"])
    return [
        RetentionRule(key="core.checkin_first_name", days=0, order=1,
                      label=_l("First names of check-ins (removed after their day)"),
                      apply=_checkin_first_names),
        RetentionRule(key="core.checkin_anonymise", days=90, order=2,
                      label=_l("Check-ins (person link removed, counts kept)"),
                      apply=_checkins_anonymised),
        RetentionRule(key="core.consent_withdrawn", days=3 * 365, order=3,
                      label=_l("Withdrawn consents"), apply=_withdrawn_consents),
        RetentionRule(key="core.people_unreferenced", days=365, order=800,
                      label=_l("People no record refers to any more"),
                      apply=_unreferenced_people),
        RetentionRule(key="core.audit_entries", days=audit_days, order=900,
                      label=_l("Audit log entries"), apply=_audit_entries),
    ]


# -- helpers for rules (plugins get them through intranet.plugin) ---------------------


def _update_or_count(model: Any, where: Any, values: dict[str, Any], dry_run: bool) -> int:
    if dry_run:
        return count_of(model, where)
    result = db.session.execute(update(model).where(*where).values(**values))
    return cast(CursorResult[Any], result).rowcount or 0


def count_of(model: Any, where: Any) -> int:
    """How many rows of ``model`` match the conditions ``where`` (a sequence)."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def delete_or_count(model: Any, where: Any, dry_run: bool) -> int:
    """Delete the rows of ``model`` matching ``where``, or in a dry run count them."""
    if dry_run:
        return count_of(model, where)
    result = db.session.execute(model.__table__.delete().where(*where))
    return cast(CursorResult[Any], result).rowcount or 0


def anonymise_or_count(model: Any, where: Any, values: dict[str, Any], dry_run: bool) -> int:
    """Overwrite ``values`` in the rows matching ``where``, or in a dry run count them."""
    return _update_or_count(model, where, values, dry_run)


# -- applying every rule ----------------------------------------------------------


@dataclass
class RuleResult:
    """What one rule did in a run: its count, or the name of the error it raised."""

    key: str
    label: str
    plugin: str
    days: int
    count: int = 0
    error: str = ""


@dataclass
class PurgeResult:
    """One run of every rule, as the command and the tests see it."""

    run_id: int
    dry_run: bool
    results: list[RuleResult] = field(default_factory=list)
    chain_intact: bool | None = None

    @property
    def ok(self) -> bool:
        return not any(r.error for r in self.results)

    def counts(self) -> dict[str, int]:
        return {r.key: r.count for r in self.results if not r.error}


def retention_days() -> dict[str, int]:
    """The ``RETENTION_DAYS`` setting: rule key → days, overriding each rule's default."""
    return {str(k): int(v) for k, v in (current_app.config.get("RETENTION_DAYS") or {}).items()}


def all_rules() -> tuple[list[RetentionRule], list[RuleResult]]:
    """Every installed plugin's rules (enabled or not: data stays due when a plugin is
    switched off), and a failed result for each plugin whose hook raised."""
    rules: list[RetentionRule] = []
    # A plugin that failed to import still holds data nobody can purge now: report it.
    failed = [RuleResult(key=f"{r.name}.*", label="", plugin=r.name, days=0,
                         error="ImportError") for r in host().plugins() if r.import_error]
    for impl in host().pm.hook.retention_rules.get_hookimpls():
        try:
            answer = impl.function() or []
            answers = answer if isinstance(answer, list | tuple) else [answer]
            for rule in answers:
                if not isinstance(rule, RetentionRule):
                    raise TypeError(f"returned {type(rule).__name__}, expected RetentionRule")
                rules.append(rule if rule.plugin else dataclasses.replace(
                    rule, plugin=impl.plugin_name))
        except Exception as exc:
            log.exception("retention rules of plugin %s failed", impl.plugin_name)
            failed.append(RuleResult(key=f"{impl.plugin_name}.*", label="",
                                     plugin=impl.plugin_name, days=0,
                                     error=type(exc).__name__))
    return sorted(rules, key=lambda r: (r.order, r.key)), failed


def purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Apply every retention rule; store a ``PrivacyRun`` and audit the counts."""
    now = now or utcnow()
    run = PrivacyRun(started_at=utcnow(), dry_run=dry_run, ok=True, results={})
    db.session.add(run)
    db.session.commit()
    result = PurgeResult(run_id=run.id, dry_run=dry_run)
    rules, failed = all_rules()
    result.results.extend(failed)
    overrides = retention_days()
    for rule in rules:
        days = overrides.get(rule.key, rule.days)
        outcome = RuleResult(key=rule.key, label=str(rule.label), plugin=rule.plugin, days=days)
        try:
            outcome.count = int(rule.apply(cutoff=now - timedelta(days=days), dry_run=dry_run))
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
        except Exception as exc:
            db.session.rollback()
            outcome.error = type(exc).__name__
            log.exception("retention rule %s failed", rule.key)
        result.results.append(outcome)
    run = db.session.get_one(PrivacyRun, result.run_id)
    run.finished_at, run.ok = utcnow(), result.ok
    # Counts per rule key; a failed rule is recorded as None.
    run.results = {r.key: None if r.error else r.count for r in result.results}
    failed_keys = [r.key for r in result.results if r.error]
    # The daily run also walks the whole audit chain; the admin page shows the outcome.
    chain = verify_chain(db.session)
    result.chain_intact = chain.intact
    audit("privacy_purge", object_type="privacy_run", object_id=run.id, dry_run=dry_run,
          counts=result.counts(), failed=failed_keys, chain_intact=chain.intact,
          chain_checked=chain.checked, chain_broken_seq=chain.broken_seq)
    db.session.commit()
    log.info("privacy purge%s: %s%s", " (dry run)" if dry_run else "", result.counts(),
             f"; failed: {failed_keys}" if failed_keys else "")
    return result


def last_runs(limit: int = 10) -> list[PrivacyRun]:
    return list(db.session.scalars(
        select(PrivacyRun).order_by(PrivacyRun.started_at.desc(), PrivacyRun.id.desc())
        .limit(limit)))


def last_real_run() -> PrivacyRun | None:
    """The latest finished purge that was not a dry run."""
    return db.session.scalar(
        select(PrivacyRun).where(PrivacyRun.dry_run.is_(False),
                                 PrivacyRun.finished_at.is_not(None))
        .order_by(PrivacyRun.started_at.desc(), PrivacyRun.id.desc()).limit(1))


def purge_is_stale(now: datetime | None = None) -> bool:
    run = last_real_run()
    if run is None or run.finished_at is None:  # (a real run is always finished)
        return True
    return (now or utcnow()) - run.finished_at > STALE_AFTER
