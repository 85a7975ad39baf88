"""Form building blocks shared by the core and every plugin (Flask-WTF, CSRF on).

- :class:`ActionForm`: a button that changes something, with nothing but the CSRF token;
- :class:`MultiCheckboxField`: a multiple choice as checkboxes (easier on a tablet than a
  multi-select box);
- :func:`choices`: ``(value, label)`` pairs as the choices WTForms takes.

Fields that need a capability's tables live with it: ``PersonCodeField`` in
:mod:`intranet.people.fields`, ``staff_choices`` in :mod:`intranet.auth.fields`.

Plugins reach them through :mod:`intranet.plugin`; the templates that show them are in
``_forms.html`` (see docs/plugins.md, "Pages and forms").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class ActionForm(FlaskForm):
    """Only the CSRF token: for buttons that change something (withdraw, delete, move)."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes; ``data`` is the list of chosen values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs: Iterable[tuple[Any, Any]], optgroup: Any = None) -> list[SelectChoice]:
    """``(value, label)`` pairs (a dict's items, a list) as choices for a select, radio or
    checkbox field; with ``optgroup``, all of them in that ``<optgroup>``."""
    return [SelectChoice(value=value, label=label, optgroup=optgroup) for value, label in pairs]
