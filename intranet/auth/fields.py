"""Choices of staff users for "who held it" fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from intranet.auth.models import User
from intranet.core.extensions import db
from intranet.core.forms import choices


def staff_choices(blank: Any = None) -> list[SelectChoice]:
    """The active staff users by name (values: user ids); ``blank`` first (value 0) if given."""
    users = db.session.scalars(select(User).where(User.active.is_(True))
                               .order_by(User.display_name, User.username))
    pairs = [(user.id, user.name) for user in users]
    return choices([(0, blank), *pairs] if blank is not None else pairs)
