"""Settings an admin changes in the intranet, over those of the configuration.

The configuration (defaults, instance/config.py, MITTELPUNKT_* variables) gives
every value; a row in ``site_setting`` for one of the keys below wins over it,
read once per request so a change shows on the next page without a restart.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import select

from intranet.core.extensions import db
from intranet.core.models import SiteSetting

# The keys an admin may change, and the type each value must have.
EDITABLE: dict[str, type] = {
    "SITE_NAME": str,
    "OPENING_HOURS": str,
    "KIOSK_LANGUAGES": list,
    "KIOSK_IDLE_SECONDS": int,
    "KIOSK_COUNTDOWN_SECONDS": int,
    "KIOSK_NUMBER_SECONDS": int,
}


def _stored() -> dict[str, Any]:
    if has_request_context() and "_site_settings" in g:
        return g._site_settings
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(select(SiteSetting.key, SiteSetting.value)).all()
        stored = {key: value for key, value in rows if key in EDITABLE}
    except Exception:  # before `db upgrade`: the configuration alone
        stored = {}
    if has_request_context():
        g._site_settings = stored
    return stored


def setting(key: str) -> Any:
    """The value of a setting: the admin's choice if there is one, else the configuration."""
    stored = _stored()
    if key in stored:
        return stored[key]
    return current_app.config.get(key)


def save_setting(key: str, value: Any) -> None:
    """Store an admin's choice (committed by the caller) and forget this request's cache."""
    if key not in EDITABLE:
        raise KeyError(key)
    if not isinstance(value, EDITABLE[key]):
        raise TypeError(f"{key} must be a {EDITABLE[key].__name__}")
    row = db.session.get(SiteSetting, key) or SiteSetting(key=key)
    row.value = value
    db.session.add(row)
    if has_request_context():
        g.pop("_site_settings", None)


def reset_setting(key: str) -> None:
    """Go back to the configuration's value."""
    row = db.session.get(SiteSetting, key)
    if row is not None:
        db.session.delete(row)
    if has_request_context():
        g.pop("_site_settings", None)
