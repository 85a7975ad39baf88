"""The forms of school guidance: a talk, a new parents' evening, its attendance.

Not one field asks for a child's name: a talk records the child's age group and
school type only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from intranet.plugin import (
    DateInRange,
    MultiCheckboxField,
    Person,
    PersonCodeField,
    choices,
    language_name,
)

from . import _l
from .choices import AGE_GROUPS, LANGUAGES, REFERRALS, SCHOOL_TYPES


def language_choices() -> list[Any]:
    return choices((code, language_name(code)) for code in LANGUAGES)


class TalkForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Please enter the date.")),
                                            DateInRange()])
    staff_id = SelectField(_l("Staff member"), coerce=int,
                           validators=[InputRequired(_l("Please choose who held the talk."))])
    person_code = PersonCodeField(
        _l("Person code (optional)"), validators=[Optional()],
        description=_l("The parent's code, e.g. P-7K3M. Leave empty for an anonymous talk."),
        not_found=_l("No person has this code. Check it, or leave the field empty."))
    language = SelectField(_l("Language of the talk"), default="de")
    age_group = RadioField(_l("Child's age group"), choices=choices(AGE_GROUPS.items()),
                           validators=[InputRequired(_l("Please choose the age group."))])
    school_type = SelectField(
        _l("School or day care now"),
        choices=choices([("", _l("– please choose –")), *SCHOOL_TYPES.items()]),
        validators=[DataRequired(_l("Please choose the school type."))])
    question = TextAreaField(
        _l("Question"), validators=[DataRequired(_l("Please write down the question.")),
                                    Length(max=300)],
        description=_l("In a few words, without names."))
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=300)])
    referrals = MultiCheckboxField(_l("Referred to"), choices=choices(REFERRALS.items()))

    def __init__(self, *args: Any, staff: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_id.choices = list(staff)
        self.language.choices = language_choices()

    @property
    def person(self) -> Person | None:
        """The parent of the code (found while the form validated), else ``None``."""
        return self.person_code.person


class EveningForm(FlaskForm):
    source = RadioField(_l("Which date?"), default="offer",
                        choices=choices([("offer", _l("A date of a planned parents' evening")),
                                         ("one_off", _l("A new one-off evening"))]))
    occurrence = SelectField(_l("Planned date"), validators=[Optional()])
    day = DateField(_l("Date"), validators=[Optional(), DateInRange()])
    start_time = TimeField(_l("Start"), validators=[Optional()])
    end_time = TimeField(_l("End"), validators=[Optional()])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    languages = MultiCheckboxField(
        _l("Languages offered"),
        validators=[DataRequired(_l("Please choose at least one language."))],
        description=_l("German and every language that is interpreted."))

    def __init__(self, *args: Any, occurrences: Sequence[tuple[str, str]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occurrence.choices = choices([("", str(_l("– please choose –"))), *occurrences])
        self.languages.choices = language_choices()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        required = str(_l("Please fill in this field."))
        if self.source.data == "offer":
            if not self.occurrence.data:
                self.occurrence.errors = [*self.occurrence.errors,
                                          str(_l("Please choose a date."))]
                valid = False
        else:
            for field in (self.day, self.start_time, self.end_time):
                if field.data is None and not field.errors:
                    field.errors = [*field.errors, required]
                    valid = False
            if self.start_time.data and self.end_time.data \
                    and self.end_time.data <= self.start_time.data:
                self.end_time.errors = [*self.end_time.errors,
                                        str(_l("The end must be after the start."))]
                valid = False
        return valid


def attendance_form(languages: list[str], **data: Any) -> FlaskForm:
    """The attendance form of one evening: totals, and parents per language offered."""

    class AttendanceForm(FlaskForm):
        parents = IntegerField(
            _l("Parents"), validators=[InputRequired(_l("Please enter a number.")),
                                       NumberRange(min=0, max=999)])
        families = IntegerField(
            _l("Families"), validators=[InputRequired(_l("Please enter a number.")),
                                        NumberRange(min=0, max=999)])

        def language_fields(self) -> list[tuple[str, Any]]:
            return [(code, self[f"lang_{code}"]) for code in languages]

        def validate(self, extra_validators: Any = None) -> bool:
            valid = super().validate(extra_validators)
            if not valid:
                return False
            if self.families.data > self.parents.data:
                self.families.errors = [str(_l("There cannot be more families than parents."))]
                valid = False
            counted = sum(field.data or 0 for _, field in self.language_fields())
            if counted > self.parents.data:
                first = self.language_fields()[0][1]
                first.errors = [str(_l("Together the languages count more parents than "
                                       "were there."))]
                valid = False
            return valid

    for code in languages:
        setattr(AttendanceForm, f"lang_{code}", IntegerField(
            language_name(code), validators=[Optional(), NumberRange(min=0, max=999)]))
    return AttendanceForm(data=data)
