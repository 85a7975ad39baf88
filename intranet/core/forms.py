"""Form building blocks shared by the core and every plugin (Flask-WTF, CSRF on).

- :class:`ActionForm`: a button that changes something, with nothing but the CSRF token;
- :class:`MultiCheckboxField`: a multiple choice as checkboxes (easier on a tablet than a
  multi-select box);
- :func:`choices`: ``(value, label)`` pairs as the choices WTForms takes;
- :class:`ConsentForm`: the day a person gave a consent, for the consent forms of the
  core and the plugins (each adds what its consent is for).

Fields that need a capability's tables live with it: ``PersonCodeField`` in
:mod:`intranet.people.fields`, ``staff_choices`` in :mod:`intranet.auth.fields`.

Plugins reach them through :mod:`intranet.plugin`; the templates that show them are in
``_forms.html`` (see docs/plugins.md, "Pages and forms").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from intranet.core.input_hygiene import DateInRange
from intranet.core.timeutil import local_today


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


def not_in_future(_form: Any, field: Any) -> None:
    """Form validator: a day that has not come yet cannot have happened (a consent, a visit)."""
    if field.data and field.data > local_today():
        raise ValidationError(_l("This date is in the future."))


class ConsentForm(FlaskForm):
    """When the person gave the consent: today, unless the signed paper says another day.

    ``ConsentRecord`` tables share this; a form for one adds its own fields (``purpose``).
    """

    given_on = DateField(_l("Given on"), default=local_today,
                         validators=[InputRequired(), DateInRange(), not_in_future])
