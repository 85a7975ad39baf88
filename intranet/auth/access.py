"""Who may open a page: a plugin's own rights on top of the login every page needs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


def permission_required(code: str) -> Callable[[F], F]:
    """Refuse a view (403) to a logged-in user without permission ``code``.

    Every page already needs a login; this adds the plugin's own right, e.g.
    ``@permission_required("consultations.view")``.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not current_user.has_permission(code):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as reachable without a staff login (kiosk, public programme)."""
    view._mittelpunkt_public = True  # type: ignore[attr-defined]
    return view
