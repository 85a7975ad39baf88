"""Settings an admin changes in the intranet, over those of the configuration.

Which settings exist is declared through the ``settings`` hook — the core's own in
:mod:`intranet.web.hooks`, each enabled plugin's in its package — as
:class:`~intranet.hooktypes.Setting` objects. A setting's value is, first match wins:

1. the admin's choice, a row in ``site_setting`` (read once per request, so a change
   shows on the next page without a restart);
2. the configuration: the same name in ``instance/config.py``, as ``MITTELPUNKT_<KEY>``
   in the environment or in the mapping given to ``create_app`` (all in ``app.config``),
   parsed to the declared type;
3. the declared default.

A value of the wrong type (``MITTELPUNKT_GARDEN_BEDS=many``) is ignored with a
warning in the log, never a crash. One outside the declared bounds is used as configured,
also with a warning: the bounds guard the admin page, while an operator may need e.g. the
short timeouts of a test. The log names the setting, never the value.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from flask import current_app, g, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from intranet.core.brief_cache import forget, forget_when_committed, remembered
from intranet.core.extensions import db
from intranet.core.i18n import available_languages, language_name
from intranet.core.models import SiteSetting
from intranet.core.plugin_host import CORE_NAME, host
from intranet.hooktypes import Setting

log = logging.getLogger(__name__)
# The name of the admins' choices in intranet.core.brief_cache.
CACHE_NAME = "site_settings"
forget_when_committed((SiteSetting,), CACHE_NAME)

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}
# Any script's digits: an admin typing ۶۰ in Persian means 60.
_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")


# -- what is declared ---------------------------------------------------------------------

def declarations() -> dict[str, Setting]:
    """Every setting the core and the enabled plugins declare, by key, in page order.

    A plugin's keys must start with its name in upper case and ``_`` (so two plugins never
    claim one name); a declaration breaking that rule, or repeating a key, is left out
    with a warning. Cached for the process (declarations are code), as long as no plugin
    is switched on or off.
    """
    if "mittelpunkt" not in current_app.extensions:  # while the app is being built
        return {}
    disabled = frozenset(host().disabled_names())
    cached = current_app.extensions.get("mittelpunkt_setting_declarations")
    if cached is not None and cached[0] == disabled:
        return cached[1]
    found: dict[str, Setting] = {}
    for declared in host().collect("settings", Setting):
        prefix = f"{declared.plugin.upper()}_"
        if declared.plugin != CORE_NAME and not declared.key.startswith(prefix):
            _warn_once(declared.key, "declared",
                       f"setting {declared.key} of plugin {declared.plugin} is left out: "
                       f"a plugin's setting keys start with {prefix}")
        elif declared.key in found:
            _warn_once(declared.key, "declared",
                       f"setting {declared.key} of plugin {declared.plugin} is left out: "
                       f"plugin {found[declared.key].plugin} declares it already")
        else:
            found[declared.key] = declared
    current_app.extensions["mittelpunkt_setting_declarations"] = (disabled, found)
    return found


def choices_of(declared: Setting) -> list[tuple[str, str]]:
    """The ``(value, label)`` pairs a choice setting offers, in their order."""
    if declared.type == "languages":
        return [(code, language_name(code)) for code in available_languages()]
    pairs = declared.choices() if callable(declared.choices) else declared.choices
    return [(str(value), str(label)) for value, label in pairs]


# -- reading --------------------------------------------------------------------------------

def setting(key: str) -> Any:
    """The value of a setting: the admin's choice, else the configuration, else its default.

    A ``languages`` setting gives a list of language codes (``None``, every language the
    site offers, becomes that list). A key nobody declares, e.g. of a switched-off plugin,
    gives the configuration's value (``None`` if there is none).
    """
    memo = g.setdefault("_setting_values", {}) if has_app_context() else {}
    if key not in memo:  # a page asks for some settings many times: check them once
        memo[key] = _value(key)
    return memo[key]


def _value(key: str) -> Any:
    declared = declarations().get(key)
    if declared is None:
        return current_app.config.get(key)
    stored = _stored()
    if key in stored:
        value = _accepted(declared, stored[key], "stored by an admin")
        if value is not None:
            return _resolved(declared, value)
    return configured(key)


def configured(key: str) -> Any:
    """What a declared setting is without the admin's choice: the configuration's value
    if it has the declared type, else the default."""
    declared = declarations()[key]
    raw = current_app.config.get(key)
    value = None if raw is None else _accepted(declared, raw, "configured")
    return _resolved(declared, declared.default if value is None else value)


def stored_value(key: str) -> Any:
    """The raw value stored under ``key`` (declared or not, e.g. the core's own records
    such as the users exempt from a second factor), or ``None``: read with the settings,
    so it costs no statement of its own."""
    return _stored().get(key)


def stored_keys() -> set[str]:
    """Keys of the declared settings an admin has changed."""
    return set(_stored()) & set(declarations())


def _stored() -> dict[str, Any]:
    """The admins' choices: one reading per request, kept a moment for the next ones
    (see :mod:`intranet.core.brief_cache`)."""
    if has_app_context() and "_site_settings" in g:
        return g._site_settings
    try:
        stored = remembered(CACHE_NAME, _read_stored)
    except Exception:  # before `db upgrade`: the configuration alone (and not kept)
        stored = {}
    if has_app_context():
        g._site_settings = stored
    return stored


def _read_stored() -> dict[str, Any]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(SiteSetting.key, SiteSetting.value)).all()
    return {key: value for key, value in rows}


def forget_stored() -> None:
    """The next reading comes from the database (after a change of a stored row)."""
    g.pop("_site_settings", None)
    g.pop("_setting_values", None)
    forget(CACHE_NAME)


def _resolved(declared: Setting, value: Any) -> Any:
    if declared.type == "languages" and value is None:
        return list(available_languages())
    return value


def _accepted(declared: Setting, raw: Any, source: str) -> Any:
    """``raw`` as the declared type, or ``None`` (logged) if it has none."""
    try:
        value = parse(declared, raw)
    except ValueError:
        _warn_once(declared.key, source,
                   f"setting {declared.key}: the value {source} is no {declared.type}; "
                   "it is ignored")
        return None
    if out_of_bounds(declared, value):
        _warn_once(declared.key, source,
                   f"setting {declared.key}: the value {source} is outside the declared "
                   "bounds or choices; it is used all the same")
    return value


def _warn_once(key: str, source: str, text: str) -> None:
    """Log a warning once per application, setting and source (not on every page)."""
    warned = current_app.extensions.setdefault("mittelpunkt_setting_warnings", set())
    if (key, source, text) not in warned:
        warned.add((key, source, text))
        log.warning("%s", text)


# -- checking ---------------------------------------------------------------------------------

def parse(declared: Setting, raw: Any) -> Any:
    """``raw`` (from config.py, the environment, the database or a form) as the declared
    type; raises ``ValueError`` if it cannot be one.

    Environment values arrive as JSON where they parse (``90``, ``true``, ``["de","tr"]``),
    else as text: a whole number may also be text, yes/no also ``yes``, ``on``, ``0`` …,
    and a list also ``de, tr``.
    """
    kind = declared.type
    if kind in ("str", "text", "choice"):
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise ValueError(kind)
        return str(raw)
    if kind == "int":
        if isinstance(raw, bool):
            raise ValueError(kind)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw):
            return int(raw)
        raise ValueError(kind)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise ValueError(kind)
    # choices, languages: a list of values
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return list(raw)
    raise ValueError(kind)


def out_of_bounds(declared: Setting, value: Any) -> str | None:
    """Why ``value`` (of the declared type) breaks the declaration's bounds or choices, as a
    translated sentence for the admin; ``None`` if it keeps them."""
    low, high = declared.minimum, declared.maximum
    kind = declared.type
    if kind == "int":
        if value is None or (low is not None and value < low) \
                or (high is not None and value > high):
            return whole_number_message(declared)
        return None
    if kind in ("str", "text"):
        if low and not value:
            return _("Please fill in this field.")
        if low and len(value) < low:
            return ngettext("At least %(num)d character.", "At least %(num)d characters.", low)
        if high is not None and len(value) > high:
            return ngettext("At most %(num)d character.", "At most %(num)d characters.", high)
        return declared.check(value) if declared.check and value else None
    if kind == "bool":
        return None
    offered = [code for code, _label in choices_of(declared)]
    if kind == "choice":
        return None if value in offered else _("Choose one of the options.")
    if any(item not in offered for item in value):
        return _("Choose only from the options shown.")
    languages = kind == "languages"
    if low and len(value) < low:
        return (ngettext("Choose at least one language.", "Choose at least %(num)d languages.",
                         low) if languages else
                ngettext("Choose at least one option.", "Choose at least %(num)d options.", low))
    if high is not None and len(value) > high:
        return (ngettext("Choose at most one language.", "Choose at most %(num)d languages.",
                         high) if languages else
                ngettext("Choose at most one option.", "Choose at most %(num)d options.", high))
    return None


def whole_number_message(declared: Setting) -> str:
    """What a whole-number setting asks for, as an error message."""
    low, high = declared.minimum, declared.maximum
    if low is not None and high is not None:
        return _("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)
    if low is not None:
        return _("Enter a whole number of at least %(min)d.", min=low)
    if high is not None:
        return _("Enter a whole number of at most %(max)d.", max=high)
    return _("Enter a whole number.")


def in_choice_order(declared: Setting, values: Sequence[str]) -> list[str]:
    """The chosen values in the order the choices are offered, each once (unknown ones last,
    so that :func:`out_of_bounds` still sees them)."""
    offered = [code for code, _label in choices_of(declared)]
    known = [code for code in offered if code in values]
    return known + [value for value in dict.fromkeys(values) if value not in offered]


# -- changing ---------------------------------------------------------------------------------

def save_setting(key: str, value: Any) -> None:
    """Store an admin's choice (committed by the caller) and forget this request's cache.

    Raises ``KeyError`` for a key nobody declares and ``ValueError`` for a value that is
    not of the declared type or breaks its bounds.
    """
    declared = declarations()[key]
    value = parse(declared, value)
    problem = out_of_bounds(declared, value)
    if problem:
        raise ValueError(f"{key}: {problem}")
    row = db.session.get(SiteSetting, key) or SiteSetting(key=key)
    row.value = value
    db.session.add(row)
    forget_stored()


def reset_setting(key: str) -> None:
    """Go back to the configuration's value."""
    row = db.session.get(SiteSetting, key)
    if row is not None:
        db.session.delete(row)
    forget_stored()
