"""Forms of the people register: a person's few facts, consents, erasure and merge.

A person is pseudonymous: a first name or nickname and a handful of optional
facts. The form offers nothing more, on purpose.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from intranet.auth.reauth import password_field
from intranet.core.forms import ConsentForm as BaseConsentForm
from intranet.core.forms import MultiCheckboxField, choices, not_in_future
from intranet.core.i18n import LANGUAGE_NAMES, current_locale, language_name
from intranet.core.timeutil import local_today

GENDERS: dict[str, Any] = {
    "female": _l("female"),
    "male": _l("male"),
    "diverse": _l("diverse"),
}
# Countries many visitors of the quarter come from: offered first in the list.
COMMON_COUNTRIES = ("SY", "AF", "TR", "IQ", "IR", "RU", "UA", "KZ", "XK", "AL", "RS", "BA",
                    "MK", "ER", "DE")
# Babel "territories" that are no country one can come from.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "DG",
                           "EA", "IC", "TA", "CQ"})
# One first name or nickname: no digits or e-mail addresses, at most two words.
NICKNAME = re.compile(r"^[^\d@\s]+(?: [^\d@\s]+)?$")


def add_error(field: Any, message: Any) -> None:
    field.errors = [*field.errors, message]


def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 codes with their names in the user's language."""
    try:
        territories = Locale.parse(current_locale()).territories
    except (ValueError, TypeError):
        territories = Locale.parse("en").territories
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return country_names().get(code, code)


def country_choices(blank: Any) -> list[SelectChoice]:
    """Grouped choices: the quarter's common countries first, then all others by name."""
    names = country_names()
    common = [(code, names[code]) for code in COMMON_COUNTRIES if code in names]
    rest = sorted(((code, name) for code, name in names.items() if code not in COMMON_COUNTRIES),
                  key=lambda pair: pair[1].casefold())
    return [*choices([("", blank)]), *choices(common, optgroup=_l("Often in the quarter")),
            *choices(rest, optgroup=_l("All countries"))]


def language_choices(keep: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The quarter's languages, each in its own script (plus codes a record already has)."""
    codes = list(LANGUAGE_NAMES) + [code for code in keep if code not in LANGUAGE_NAMES]
    return [(code, language_name(code)) for code in codes]


def gender_label(value: str | None) -> str:
    return str(GENDERS[value]) if value in GENDERS else ""


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class PersonForm(FlaskForm):
    nickname = StringField(_l("First name or nickname"),
                           validators=[DataRequired(), Length(max=40)],
                           filters=[_strip],
                           render_kw={"autocomplete": "off"})
    year_of_birth = IntegerField(_l("Year of birth"), validators=[Optional()],
                                 render_kw={"inputmode": "numeric"})
    gender = SelectField(_l("Gender"))
    languages = MultiCheckboxField(_l("Languages"))
    country_of_origin = SelectField(_l("Country of origin"))
    first_visit = DateField(_l("First visit"), validators=[Optional(), not_in_future])

    def __init__(self, *args: Any, obj: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        self.gender.choices = choices([("", _l("not stated")), *GENDERS.items()])
        # Languages a stored record already has stay choosable, even if no longer listed.
        self.languages.choices = choices(
            language_choices(list(getattr(obj, "languages", None) or ())))
        self.country_of_origin.choices = country_choices(_l("not stated"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        nickname = self.nickname.data or ""
        if nickname and not NICKNAME.match(nickname):
            add_error(self.nickname, _l("Only a first name or a nickname: no full name, "
                                        "no numbers, no e-mail address."))
            ok = False
        year = self.year_of_birth.data
        if year is not None and not 1900 <= year <= local_today().year:
            add_error(self.year_of_birth, _l("Enter a year between 1900 and this year."))
            ok = False
        return ok

    def apply_to(self, person: Any) -> list[str]:
        """Write the form into ``person``; return the names of the fields that changed."""
        values = {
            "nickname": self.nickname.data,
            "year_of_birth": self.year_of_birth.data,
            "gender": self.gender.data or None,
            "languages": list(self.languages.data or []),
            "country_of_origin": self.country_of_origin.data or None,
            "first_visit": self.first_visit.data,
        }
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        for name in changed:
            setattr(person, name, values[name])
        return changed


class ConsentForm(BaseConsentForm):
    purpose = StringField(_l("What for"), validators=[DataRequired(), Length(max=200)],
                          render_kw={"list": "consent-purposes", "autocomplete": "off"})
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])


class ConfirmForm(FlaskForm):
    """A confirmation by typing the person's code (erasure), or a plain one (merge)."""

    code = StringField(_l("Type the person's code to confirm"),
                       validators=[Optional(), Length(max=16)],
                       render_kw={"autocomplete": "off"})
    other = HiddenField()
    next = HiddenField()


class ExportForm(FlaskForm):
    """A person's whole file leaves the house: only with a fresh password."""

    password = password_field()


class EraseForm(ConfirmForm):
    """Erasure: the person's code typed, and a fresh password."""

    password = password_field()


class MergeForm(FlaskForm):
    """Merge: the duplicate's code (hidden), and a fresh password."""

    other = HiddenField()
    password = password_field()


class LinkForm(FlaskForm):
    person = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class NewFromTicketForm(FlaskForm):
    nickname = StringField(_l("First name or nickname"),
                           validators=[DataRequired(), Length(max=40)],
                           render_kw={"autocomplete": "off"})
    next = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        self.nickname.data = (self.nickname.data or "").strip()
        if self.nickname.data and not NICKNAME.match(self.nickname.data):
            add_error(self.nickname, _l("Only a first name or a nickname: no full name, "
                                        "no numbers, no e-mail address."))
            ok = False
        return ok


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
