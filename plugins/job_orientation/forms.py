"""The forms of job orientation, with the translated labels of every stored key."""

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
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from intranet.plugin import DateInRange, MultiCheckboxField, PersonCodeField, choices

from . import _l
from .models import (
    APPOINTMENT_STATUSES,
    CONTACT_CHANNELS,
    DOCUMENTS,
    EMPLOYER_KINDS,
    EVENT_KINDS,
    OUTCOME_KINDS,
    PLACE_KINDS,
    TOPICS,
)

EMPLOYER_KIND_LABELS = {
    "job_centre": _l("Job centre"),
    "employment_agency": _l("Employment agency"),
    "youth_vocational_help": _l("Youth vocational help"),
    "chamber": _l("Chamber (crafts, commerce)"),
    "company": _l("Company"),
    "other": _l("Other partner"),
}
PLACE_KIND_LABELS = {"internship": _l("Internship"), "apprenticeship": _l("Apprenticeship")}
CHANNEL_LABELS = {
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "visit": _l("Visit"),
    "meeting": _l("Meeting at the Mittelpunkt"),
    "letter": _l("Letter"),
}
STATUS_LABELS = {"planned": _l("planned"), "held": _l("held"), "missed": _l("missed")}
TOPIC_LABELS = {
    "cv": _l("CV"),
    "cover_letter": _l("Cover letter"),
    "documents": _l("Documents checklist"),
    "job_search": _l("Looking for jobs and places"),
    "interview": _l("Preparing for an interview"),
    "online_application": _l("Online application"),
}
DOCUMENT_LABELS = {
    "cv": _l("CV"),
    "cover_letter": _l("Cover letter"),
    "school_certificates": _l("School certificates"),
    "work_certificates": _l("Work references"),
    "translations": _l("Translations of certificates"),
    "recognition": _l("Recognition of a foreign qualification"),
    "job_advert": _l("Job advert"),
    "job_centre_letter": _l("Letter from the job centre"),
}
OUTCOME_LABELS = {
    "internship": _l("Internship"),
    "apprenticeship": _l("Apprenticeship"),
    "job": _l("Job"),
    "course": _l("Course"),
    "none_yet": _l("None yet"),
}
EVENT_KIND_LABELS = {
    "employer_information": _l("Information event for employers"),
    "contact_meeting": _l("Contact meeting in the quarter"),
}
EVENT_LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")
EVENT_LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ru": "Русский",
                        "ar": "العربية", "fa": "دری / فارسی", "uk": "Українська"}

REQUIRED = _l("Please fill in this field.")


def keyed(keys: tuple[str, ...], labels: dict[str, Any]) -> list[Any]:
    """The stored keys in their order, with their translated labels, as choices."""
    return choices((key, labels[key]) for key in keys)


class EmployerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=keyed(EMPLOYER_KINDS, EMPLOYER_KIND_LABELS),
                       default="company")
    contact_person = StringField(_l("Contact person"), validators=[Length(max=120)])
    phone = StringField(_l("Phone"), validators=[
        Length(max=60),
        Regexp(r"^[0-9 +()/\-]*$", message=_l("Only digits, spaces and + ( ) / -."))])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Length(max=160),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an e-mail address."))])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class PlaceForm(FlaskForm):
    kind = SelectField(_l("Kind of place"), choices=keyed(PLACE_KINDS, PLACE_KIND_LABELS),
                       default="internship")
    field = StringField(_l("Field"), validators=[DataRequired(REQUIRED), Length(max=120)],
                        description=_l("e.g. retail, warehouse, care, office"))
    count = IntegerField(_l("Number of places"), default=1, validators=[
        DataRequired(REQUIRED),
        NumberRange(min=1, max=99, message=_l("Between 1 and 99."))])
    available_from = DateField(_l("From"), validators=[Optional(), DateInRange()])
    available_until = DateField(_l("Until"), validators=[Optional(), DateInRange()])
    note = StringField(_l("Note"), validators=[Length(max=300)])

    def validate_available_until(self, field: DateField) -> None:
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("The end lies before the start."))


class ContactForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED), DateInRange()])
    staff = SelectField(_l("Staff member"), coerce=int)
    channel = SelectField(_l("Channel"), choices=keyed(CONTACT_CHANNELS, CHANNEL_LABELS))
    note = TextAreaField(_l("Short note"), validators=[Length(max=500)])


class AppointmentForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED), DateInRange()])
    time = TimeField(_l("Time"), validators=[DataRequired(REQUIRED)])
    duration = IntegerField(_l("Duration (minutes)"), default=60, validators=[
        DataRequired(REQUIRED), NumberRange(min=5, max=480, message=_l("Between 5 and 480."))])
    staff = SelectField(_l("Staff member"), coerce=int)
    person_code = PersonCodeField(
        _l("Person code"), description=_l("e.g. P-7K3M, if the person has one"),
        not_found=_l("No person has this code. Check it, or leave it empty and give a "
                     "nickname for a new person."))
    nickname = StringField(_l("or a new person: nickname"), validators=[Length(max=80)],
                           description=_l("Only a first name or nickname, never a full name."))
    status = SelectField(_l("Status"), choices=keyed(APPOINTMENT_STATUSES, STATUS_LABELS),
                         default="planned")
    topics = MultiCheckboxField(_l("What it was about"), choices=keyed(TOPICS, TOPIC_LABELS))
    documents_brought = MultiCheckboxField(_l("Documents brought"),
                                           choices=keyed(DOCUMENTS, DOCUMENT_LABELS))
    documents_prepared = MultiCheckboxField(_l("Documents prepared together"),
                                            choices=keyed(DOCUMENTS, DOCUMENT_LABELS))
    consent_now = BooleanField(_l("The person consents now that a short description of "
                                  "the documents is kept"))
    documents_description = TextAreaField(
        _l("Short description of the documents"), validators=[Length(max=500)],
        description=_l("Only with recorded consent. No files are stored here, ever: "
                       "the person keeps their documents."))
    note = TextAreaField(_l("Short note"), validators=[Length(max=500)],
                         description=_l("Next steps; nothing about health, residence or family."))


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Outcome"), choices=keyed(OUTCOME_KINDS, OUTCOME_LABELS))
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED), DateInRange()])
    employer = SelectField(_l("Employer or partner"), coerce=int, default=0)
    note = StringField(_l("Note"), validators=[Length(max=300)])


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind of event"), choices=keyed(EVENT_KINDS, EVENT_KIND_LABELS))
    day = DateField(_l("Date"), validators=[DataRequired(REQUIRED), DateInRange()])
    start_time = TimeField(_l("Start"), validators=[DataRequired(REQUIRED)])
    end_time = TimeField(_l("End"), validators=[DataRequired(REQUIRED)])
    room = StringField(_l("Room"), validators=[Length(max=120)])
    title_de = StringField(_l("Title (German)"), validators=[DataRequired(REQUIRED),
                                                             Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    title_tr = StringField(_l("Title (Turkish)"), validators=[Length(max=200)])
    title_ru = StringField(_l("Title (Russian)"), validators=[Length(max=200)])
    title_ar = StringField(_l("Title (Arabic)"), validators=[Length(max=200)])
    title_fa = StringField(_l("Title (Persian/Dari)"), validators=[Length(max=200)])
    title_uk = StringField(_l("Title (Ukrainian)"), validators=[Length(max=200)])
    description_de = TextAreaField(_l("Description (German)"), validators=[Length(max=1000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=1000)])
    languages = MultiCheckboxField(
        _l("Languages spoken"),
        choices=keyed(EVENT_LANGUAGES, EVENT_LANGUAGE_NAMES),
        default=["de"])
    registration_needed = BooleanField(_l("Registration needed"))
    employers_attending = IntegerField(
        _l("Employers who came"), validators=[Optional(), NumberRange(min=0, max=999)],
        description=_l("Fill in after the event."))

    def validate_end_time(self, field: TimeField) -> None:
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The end must come after the start."))

    def title_fields(self) -> list[Any]:
        return [getattr(self, f"title_{code}") for code in EVENT_LANGUAGES]
