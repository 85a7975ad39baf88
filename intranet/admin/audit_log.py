"""The audit log for admins: who did what to which record, when; filtered and searched."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import String, cast, func, or_, select

from intranet.admin.views import bp
from intranet.audit.chain import ChainStatus, verify_chain
from intranet.audit.models import AuditEntry
from intranet.auth.models import User
from intranet.core.extensions import db
from intranet.core.pagination import paginate
from intranet.privacy.retention import (
    all_rules,
    last_real_run,
    last_runs,
    purge_is_stale,
    retention_days,
)

PER_PAGE = 50
# The pages walk only the newest entries (measured: about a second per 50,000): the log
# page, opened often, a few; the data-protection page more. The daily purge and
# `flask --app intranet audit verify` walk the whole chain.
LOG_PAGE_VERIFY_ENTRIES = 5_000
PRIVACY_PAGE_VERIFY_ENTRIES = 50_000


def local_day_start_utc(day: date) -> datetime:
    """Local midnight of ``day`` as naive UTC, the way ``AuditEntry.at`` is stored."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    local = datetime.combine(day, time.min, tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def parse_day(name: str, errors: dict[str, str]) -> date | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Enter a date like 2025-03-31.")
        return None


def distinct(column: Any) -> list[str]:
    return [value for value in db.session.scalars(
        select(column).distinct().order_by(column)) if value]


@bp.route("/audit")
def audit() -> Any:
    args = request.args
    errors: dict[str, str] = {}
    statement = select(AuditEntry)
    user_id = args.get("user", "")
    if user_id.isdigit():
        statement = statement.where(AuditEntry.user_id == int(user_id))
    for name, column in (("action", AuditEntry.action), ("plugin", AuditEntry.plugin),
                         ("object_type", AuditEntry.object_type)):
        if args.get(name):
            statement = statement.where(column == args[name])
    start, end = parse_day("from", errors), parse_day("to", errors)
    if start and end and end < start:
        errors["to"] = _("The end lies before the start.")
        end = None
    if start:
        statement = statement.where(AuditEntry.at >= local_day_start_utc(start))
    if end:
        statement = statement.where(
            AuditEntry.at < local_day_start_utc(end + timedelta(days=1)))
    query = (args.get("q") or "").strip()
    if query:
        # Details are stored as JSON, where non-ASCII letters are escaped (\u00fc) and the
        # database's lower() leaves them alone: search the usual spellings of the words.
        terms = {query.lower()} | {
            json.dumps(variant)[1:-1].lower()
            for variant in (query, query.lower(), query.upper(), query.capitalize(),
                            query.title())}
        conditions = []
        for term in terms:
            like = f"%{term}%"
            conditions += [func.lower(AuditEntry.object_id).like(like),
                           func.lower(cast(AuditEntry.detail, String)).like(like)]
        statement = statement.where(or_(*conditions))
    statement = statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    pagination = paginate(statement, per_page=PER_PAGE)
    users = list(db.session.scalars(select(User).order_by(func.lower(User.username))))
    return render_template(
        "admin/audit.html", pagination=pagination, entries=pagination.items,
        users=users, actions=distinct(AuditEntry.action),
        plugins=distinct(AuditEntry.plugin), object_types=distinct(AuditEntry.object_type),
        errors=errors, query=query, chain=verify_chain(db.session, LOG_PAGE_VERIFY_ENTRIES),
        filtered=any(args.get(k) for k in (
            "user", "action", "plugin", "object_type", "from", "to", "q")),
        when=lambda at: format_datetime(at, "short"), detail_text=detail_text)


def detail_text(detail: Any) -> list[tuple[str, str]]:
    """The details of an entry as (key, value) pairs to show."""
    if not isinstance(detail, dict):
        return []
    pairs = []
    for key, value in sorted(detail.items()):
        if isinstance(value, list | dict):
            value = json.dumps(value, ensure_ascii=False)
        pairs.append((str(key), str(value)))
    return pairs


@bp.route("/privacy")
def privacy() -> Any:
    """When the privacy purge last ran and what it removed; whether the audit chain holds."""
    rules, failed = all_rules()
    overrides = retention_days()
    last = last_real_run()
    return render_template(
        "admin/privacy.html", runs=last_runs(), last=last, stale=purge_is_stale(),
        rules=[(rule, overrides.get(rule.key, rule.days)) for rule in rules],
        failed_plugins=[f.plugin for f in failed], counts=(last.results if last else {}),
        chain=verify_chain(db.session, PRIVACY_PAGE_VERIFY_ENTRIES), full_check=last_full_check(),
        when=lambda at: format_datetime(at, "short"))


def last_full_check() -> AuditEntry | None:
    """The latest purge's audit entry: its detail says how the whole chain verified."""
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy_purge")
                             .order_by(AuditEntry.seq.desc()).limit(1))


def chain_summary(chain: ChainStatus) -> str:
    """One sentence on the chain's state, for the audit log and data-protection pages."""
    if chain.intact and chain.partial:
        return _("The audit log is intact: the newest %(count)s entries were checked.",
                 count=chain.checked)
    if chain.intact:
        return _("The audit log is intact: all %(count)s entries were checked.",
                 count=chain.checked)
    if chain.broken_seq is not None and chain.broken_entry_id is not None:
        return _("The audit log has been tampered with: the chain breaks at position "
                 "%(seq)s (entry id %(id)s).", seq=chain.broken_seq, id=chain.broken_entry_id)
    if chain.broken_entry_id is not None:
        return _("The audit log has been tampered with: entry id %(id)s is not part of the "
                 "chain.", id=chain.broken_entry_id)
    return _("The audit log has been tampered with: its latest entries are missing.")


@bp.app_template_global()
def audit_chain_summary(chain: ChainStatus) -> str:
    return chain_summary(chain)
