"""A fresh password entry before a grave action (a person's export, erasure, merge).

The logged-in user types their own password again in the form of the action; a wrong
one is refused and audited, so a session left open on a shared computer cannot be used
to take a person's whole file away.
"""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from intranet.audit.log import audit

FIELD_LABEL = _l("Your password (to confirm it is you)")


def password_field() -> PasswordField:
    """The form field: add it to the form of every action that needs a fresh password."""
    return PasswordField(FIELD_LABEL, validators=[DataRequired(), Length(max=200)],
                         render_kw={"autocomplete": "current-password"})


def password_confirmed(password: str | None, action: str) -> bool:
    """True when ``password`` is the current user's; a wrong one is audited (not committed:
    the caller commits, also when it refuses the action)."""
    user = current_user
    if not getattr(user, "is_authenticated", False):
        return False
    from intranet.auth.throttle import confirm_password, wait_message

    # Wrong passwords count toward the login throttle: an open session is no way
    # around it.
    ok, wait = confirm_password(user, password)
    if ok:
        return True
    if wait:
        flash(wait_message(wait), "error")
    audit("reauth_failed", object_type="user", object_id=user.id, for_action=action)
    return False
