"""The audit log: one function every part of the app uses to record an action.

Entries join the tamper-evident chain when the session flushes (``intranet.audit.chain``).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from intranet.audit import chain  # noqa: F401  (registers the chain's flush event)
from intranet.audit.models import AuditEntry
from intranet.core.extensions import db


def audit(action: str, *, object_type: str = "", object_id: Any = "", plugin: str = "core",
          **detail: Any) -> AuditEntry:
    """Add an audit entry for the current user to the session (committed with the caller's work)."""
    user_id = None
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        user_id = current_user.id
    entry = AuditEntry(action=action, object_type=object_type, object_id=str(object_id),
                       plugin=plugin, user_id=user_id, detail=detail)
    db.session.add(entry)
    return entry
