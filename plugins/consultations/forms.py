"""The Beratung forms (Flask-WTF: CSRF-protected, errors shown next to each field)."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from intranet.plugin import ConsentForm as BaseConsentForm
from intranet.plugin import (
    DateInRange,
    MultiCheckboxField,
    Person,
    PersonCodeField,
    choices,
    current_locale,
    db,
    language_name,
    local_today,
)

from . import _l
from .models import OUTCOMES, Topic

# Languages a consultation is held in or interpreted into: the quarter's languages.
LANGUAGES = ("de", "ar", "fa", "tr", "ru", "uk", "ps", "ku", "sq", "sr", "bs", "en", "fr")
OUTCOME_LABELS = {
    "answered": _l("Question answered"),
    "document": _l("Letter or application written"),
    "referred": _l("Referred elsewhere"),
    "follow_up": _l("Another appointment needed"),
    "unresolved": _l("Could not be resolved"),
}
assert set(OUTCOME_LABELS) == set(OUTCOMES)
NICKNAME = re.compile(r"^[^\s\d@]{1,40}$")


def add_error(field: Any, message: Any) -> None:
    field.errors = [*field.errors, message]


def language_choices(blank: Any = None) -> list[Any]:
    languages = [(code, language_name(code)) for code in LANGUAGES]
    return choices([("", blank), *languages] if blank is not None else languages)


def topic_choices(selected: list[int] | None = None) -> list[Any]:
    """Active topics, plus inactive ones a record already has (so editing keeps them)."""
    locale = current_locale()
    query = select(Topic).order_by(Topic.position, Topic.key)
    keep = set(selected or ())
    return choices((t.id, t.label(locale)) for t in db.session.scalars(query)
                   if t.active or t.id in keep)


class PersonFields:
    """Pick a person by code, or create one with just a first name or nickname."""

    person_code = PersonCodeField(_l("Person code"), validators=[Optional()],
                                  not_found=_l("No person has this code. Check it, or enter "
                                               "a first name to add someone new."))
    nickname = StringField(_l("or, for someone new: first name or nickname"),
                           validators=[Optional(), Length(max=40)],
                           render_kw={"autocomplete": "off"})
    year_of_birth = IntegerField(_l("Year of birth (optional)"),
                                 validators=[Optional(), NumberRange(min=1900, max=2100)])

    person: Person | None = None

    def check_person(self) -> bool:
        """The person of the code (looked up while the form validated), or a check of the
        nickname for someone new; errors go to the fields."""
        nickname = (self.nickname.data or "").strip()
        if self.person_code.data:
            self.person = self.person_code.person
            return self.person is not None
        if not nickname:
            add_error(self.person_code, _l("Enter a person's code, or a first name or "
                                           "nickname for someone new."))
            return False
        if not NICKNAME.match(nickname):
            add_error(self.nickname, _l("Only one first name or a nickname, no full name "
                                        "and no numbers."))
            return False
        year = self.year_of_birth.data
        if year is not None and not 1900 <= year <= local_today().year:
            add_error(self.year_of_birth, _l("Enter a year between 1900 and this year."))
            return False
        return True

    def person_for_saving(self) -> Person:
        """The chosen person, or a new one (added to the session, not committed)."""
        if self.person is None:
            self.person = Person(nickname=self.nickname.data.strip(),
                                 year_of_birth=self.year_of_birth.data,
                                 first_visit=local_today())
            db.session.add(self.person)
        return self.person


class ConsultationForm(PersonFields, FlaskForm):
    kind = SelectField(_l("Kind"), default="walk_in",
                       choices=choices([("walk_in", _l("Walk-in")),
                                        ("appointment", _l("By appointment"))]))
    held_on = DateField(_l("Date"), validators=[InputRequired(), DateInRange()])
    held_time = TimeField(_l("Time"), validators=[InputRequired()])
    minutes = IntegerField(_l("Duration in minutes"),
                           validators=[Optional(), NumberRange(min=1, max=600)])
    topics = MultiCheckboxField(_l("Topics"), coerce=int)
    language = SelectField(_l("Language used"), default="de")
    interpreter_language = SelectField(_l("Interpreter for"), default="")
    interpreter_name = StringField(_l("Interpreter (who)"), validators=[Length(max=120)],
                                   render_kw={"placeholder": _l("e.g. volunteer, phone service")})
    outcome = SelectField(_l("Outcome"), default="")
    referral = StringField(_l("Referred to (service or partner)"), validators=[Length(max=200)])
    follow_up_on = DateField(_l("Follow-up on"), validators=[Optional(), DateInRange()])
    follow_up_done = BooleanField(_l("Follow-up done"))
    note = TextAreaField(_l("Confidential note"), validators=[Length(max=20000)],
                         render_kw={"rows": 6})

    def __init__(self, *args: Any, selected_topics: list[int] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics.choices = topic_choices(selected_topics)
        self.language.choices = language_choices()
        self.interpreter_language.choices = language_choices(_l("no interpreter"))
        self.outcome.choices = choices([("", _l("not yet recorded")), *OUTCOME_LABELS.items()])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.interpreter_name.data and not self.interpreter_language.data:
            add_error(self.interpreter_language,
                      _l("Choose the language the interpreter translated into."))
            ok = False
        if not self.topics.data:
            add_error(self.topics, _l("Choose at least one topic."))
            ok = False
        return ok


class EditConsultationForm(ConsultationForm):
    """Editing a record: the person stays as it is."""

    def check_person(self) -> bool:
        return True


class SlotsForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(), DateInRange()])
    start = TimeField(_l("From"), validators=[InputRequired()])
    end = TimeField(_l("Until"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes per appointment"), default=30,
                           validators=[InputRequired(), NumberRange(min=10, max=240)])
    room = StringField(_l("Room"), validators=[Length(max=120)])
    interpreter_language = SelectField(_l("Interpreter for"), default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interpreter_language.choices = language_choices(_l("no interpreter"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.end.data <= self.start.data:
            add_error(self.end, _l("The end must be after the start."))
            ok = False
        return ok


class BookingForm(PersonFields, FlaskForm):
    pass


class ConsentForm(BaseConsentForm):
    purpose = StringField(_l("Consent to keep (what for)"),
                          validators=[DataRequired(), Length(max=200)],
                          render_kw={"placeholder": _l("e.g. health data for the "
                                                       "residence consultation")})


class ReleaseForm(FlaskForm):
    recipient = StringField(_l("Recipient"), validators=[DataRequired(), Length(max=200)],
                            render_kw={"placeholder": _l("e.g. job centre")})
    scope = StringField(_l("About what"), validators=[Length(max=300)])
    signed_on = DateField(_l("Signed on"), validators=[InputRequired(), DateInRange()],
                          default=local_today)
    expires_on = DateField(_l("Valid until"), validators=[Optional(), DateInRange()])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.expires_on.data and self.expires_on.data < self.signed_on.data:
            add_error(self.expires_on, _l("The release cannot end before it was signed."))
            ok = False
        return ok


TOPIC_LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")


class TopicForm(FlaskForm):
    label_de = StringField(_l("German"), validators=[DataRequired(), Length(max=120)])
    label_en = StringField(_l("English"), validators=[DataRequired(), Length(max=120)])
    label_tr = StringField("Türkçe", validators=[Length(max=120)])
    label_ru = StringField("Русский", validators=[Length(max=120)])
    label_ar = StringField("العربية", validators=[Length(max=120)],
                           render_kw={"lang": "ar", "dir": "rtl"})
    label_fa = StringField("فارسی / دری", validators=[Length(max=120)],
                           render_kw={"lang": "fa", "dir": "rtl"})
    label_uk = StringField("Українська", validators=[Length(max=120)])

    def labels(self) -> dict[str, str]:
        return {code: value.strip() for code in TOPIC_LANGUAGES
                if (value := getattr(self, f"label_{code}").data or "").strip()}

    def fill(self, topic: Topic) -> None:
        for code in TOPIC_LANGUAGES:
            getattr(self, f"label_{code}").data = topic.labels.get(code, "")
