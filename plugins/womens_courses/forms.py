"""The Frauenkurse forms: a course with its weekly date, and an enrolment."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from intranet.plugin import DateInRange, MultiCheckboxField, PersonCodeField, choices

from . import _l

KINDS = choices([
    ("german", _l("German")),
    ("computer", _l("Computer basics")),
    ("swimming", _l("Swimming")),
    ("sewing", _l("Sewing")),
    ("other", _l("Other")),
])
WEEKDAYS = choices([
    ("", _l("— no new date —")),
    ("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")),
    ("3", _l("Thursday")), ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday")),
])
# Languages a certificate can be printed in besides German (the kiosk languages).
CERTIFICATE_LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")


class CourseForm(FlaskForm):
    title = StringField(_l("Name of the course"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=KINDS)
    level = StringField(_l("Level"), validators=[Optional(), Length(max=60)],
                        description=_l("e.g. A1, beginners, no prior knowledge"))
    teacher_id = SelectField(_l("Teacher"), coerce=int, choices=[])
    places = IntegerField(_l("Places"), default=12,
                          validators=[DataRequired(), NumberRange(min=1, max=200)])
    childcare_places = IntegerField(_l("Childcare places"), default=0,
                                    validators=[Optional(), NumberRange(min=0, max=200)])
    drop_in = BooleanField(_l("Low-threshold: women can come without enrolling (drop-in)"))
    note = TextAreaField(_l("Note for staff"), validators=[Optional(), Length(max=2000)])
    offer_ids = MultiCheckboxField(_l("Course dates from the programme"), coerce=int, choices=[])
    new_weekday = SelectField(_l("New weekly date"), choices=WEEKDAYS, default="")
    new_start = TimeField(_l("From"), validators=[Optional()])
    new_end = TimeField(_l("Until"), validators=[Optional()])
    new_room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    new_first_date = DateField(_l("First date"), validators=[Optional(), DateInRange()],
                               description=_l("Empty: from this week on"))

    def validate_childcare_places(self, field: Any) -> None:
        if field.data and self.places.data and field.data > self.places.data:
            raise ValidationError(_l("There cannot be more childcare places than places."))

    def validate(self, extra_validators: Any = None) -> bool:
        """A new weekly date needs its times (checked here: empty fields stop field checks)."""
        valid = super().validate(extra_validators)
        if not self.new_weekday.data:
            return valid
        start, end = self.new_start, self.new_end
        if start.data is None and not start.errors:
            start.errors = [*start.errors, _l("When does the new date start?")]
        if end.data is None and not end.errors:
            end.errors = [*end.errors, _l("When does the new date end?")]
        elif start.data is not None and end.data is not None and end.data <= start.data:
            end.errors = [*end.errors, _l("The end must be after the start.")]
        return valid and not start.errors and not end.errors


class EnrolForm(FlaskForm):
    person_code = PersonCodeField(_l("Person code"), validators=[Optional()],
                                  description=_l("If she has been here before, e.g. P-7K3M"),
                                  not_found=_l("No person has this code."))
    nickname = StringField(_l("Or: first name or nickname (new person)"),
                           validators=[Optional(), Length(max=80)])
    reading_language = SelectField(_l("Language she reads best"), default="",
                                   choices=[])
    needs_childcare = BooleanField(_l("Needs a childcare place"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        code = (self.person_code.data or "").strip()
        name = (self.nickname.data or "").strip()
        if not code and not name:
            self.nickname.errors = [*self.nickname.errors,
                                    _l("Enter her person code or a first name.")]
            return False
        if code and name:
            self.nickname.errors = [*self.nickname.errors,
                                    _l("Enter either a person code or a first name, not both.")]
            return False
        return valid
