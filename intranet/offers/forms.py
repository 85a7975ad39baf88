"""Forms for offers (Flask-WTF: CSRF-protected, errors shown next to each field).

Title and short description exist once per kiosk language (German required);
the form class is built once per language list, so a meeting point that offers
other languages gets their fields without a code change.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from intranet.core.extensions import db
from intranet.core.forms import MultiCheckboxField, choices
from intranet.core.gather import all_purposes
from intranet.core.i18n import LANGUAGE_NAMES, current_locale, language_name, text_direction
from intranet.core.input_hygiene import DateInRange
from intranet.core.models import Room
from intranet.core.timeutil import local_today
from intranet.hooktypes import AUDIENCES
from intranet.offers.models import Offer

CORE_AREA = "core"
TITLE_MAX = 200
DESCRIPTION_MAX = 1000
AUDIENCE_LABELS = {
    "everyone": _l("Everyone"),
    "women": _l("Women only"),
    "parents": _l("Parents"),
    "youth": _l("Young people"),
    "children": _l("Children"),
    "seniors": _l("Older people"),
}
assert set(AUDIENCE_LABELS) == set(AUDIENCES)


def add_error(field: Any, message: Any) -> None:
    field.errors = [*field.errors, message]


def text_languages() -> list[str]:
    """The languages an offer's title and description are written in: German first."""
    configured = [str(code) for code in current_app.config["LANGUAGES"]]
    return ["de", *(code for code in dict.fromkeys(configured) if code != "de")]


def spoken_language_choices() -> list[tuple[str, str]]:
    """Languages that can be spoken at an offer: the quarter's languages."""
    codes = dict.fromkeys([*text_languages(), *LANGUAGE_NAMES])
    return [(code, language_name(code)) for code in codes]


def room_names(keep: str = "") -> list[str]:
    """The managed rooms (active ones, in their order); the configured list when none exist.

    ``keep`` is the room an offer already has, kept even if it left the list.
    """
    rooms = list(db.session.scalars(
        select(Room.name).where(Room.active.is_(True)).order_by(Room.position, Room.id)))
    if not rooms:
        rooms = [str(name) for name in current_app.config.get("ROOMS") or ()]
    if keep and keep not in rooms:
        rooms.append(keep)
    return rooms


class OfferFormBase(FlaskForm):
    """The fields every offer has; the per-language fields are added by :func:`offer_form`."""

    service_area = SelectField(_l("Service area"), validators=[InputRequired()])
    room = SelectField(_l("Room"), validate_choice=True)
    repeat = RadioField(_l("How often"), default="once",
                        choices=choices([("once", _l("Once")), ("weekly", _l("Every week"))]))
    first_date = DateField(_l("Date (for a weekly offer: the first date)"),
                           validators=[InputRequired(_l("Enter a date.")), DateInRange()])
    last_date = DateField(_l("Last date (weekly only; empty: no end yet)"),
                          validators=[Optional(), DateInRange()])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired(_l("Enter a time."))])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired(_l("Enter a time."))])
    languages = MultiCheckboxField(_l("Languages spoken"))
    audience = SelectField(_l("For whom"), default="everyone",
                           choices=choices(AUDIENCE_LABELS.items()))
    childcare = BooleanField(_l("Childcare available"))
    registration_needed = BooleanField(_l("Registration needed"))
    kiosk_purpose = SelectField(
        _l("Check-in at the kiosk"), default="", validate_choice=True,
        description=_l("A purpose chosen here is offered on the kiosk only while this offer "
                       "runs (e.g. the job centre's hour on Thursdays); other days show "
                       "its next date. Purposes no offer names are always offered."))

    text_codes: tuple[str, ...] = ()

    def setup(self, areas: list[tuple[str, str]], rooms: list[str]) -> None:
        area_titles = {str(value): str(label) for value, label in areas}
        self.service_area.choices = choices(areas)
        self.room.choices = choices([("", _l("— no room —")), *((name, name) for name in rooms)])
        self.languages.choices = choices(spoken_language_choices())
        self.kiosk_purpose.choices = choices([
            ("", _l("— always offered, not tied to this offer —")),
            *((f"{p.plugin}:{p.key}", f"{area_titles.get(p.plugin, p.plugin)}: {p.label}")
              for p in all_purposes(current_locale()) if p.plugin in area_titles)])

    def title_field(self, code: str) -> Any:
        return self[f"title_{code}"]

    def description_field(self, code: str) -> Any:
        return self[f"description_{code}"]

    def text_fields(self) -> list[tuple[str, Any, Any]]:
        """``(code, title field, description field)`` per language, German first."""
        return [(code, self.title_field(code), self.description_field(code))
                for code in self.text_codes]

    @property
    def weekly(self) -> bool:
        return self.repeat.data == "weekly"

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        start, end = self.start_time.data, self.end_time.data
        if start and end and end <= start:
            add_error(self.end_time, _l("The end must be after the start."))
            ok = False
        first, last = self.first_date.data, self.last_date.data
        if self.weekly and first and last and last <= first:
            add_error(self.last_date, _l("The last date must be after the first date."))
            ok = False
        purpose = self.kiosk_purpose.data or ""
        if purpose and purpose.partition(":")[0] != self.service_area.data:
            add_error(self.kiosk_purpose, _l("Choose a purpose of the offer's service area."))
            ok = False
        return ok

    def fill(self, offer: Offer) -> None:
        """Put the form's values into an offer (new or existing)."""
        offer.service_area = self.service_area.data
        offer.room = self.room.data or ""
        offer.weekly = self.weekly
        offer.first_date = self.first_date.data
        offer.last_date = self.last_date.data if self.weekly else None
        offer.start_time = self.start_time.data
        offer.end_time = self.end_time.data
        offer.languages = list(self.languages.data or [])
        offer.audience = self.audience.data
        offer.childcare = bool(self.childcare.data)
        offer.registration_needed = bool(self.registration_needed.data)
        offer.kiosk_purpose = self.kiosk_purpose.data or None
        titles = dict(offer.titles or {})
        descriptions = dict(offer.descriptions or {})
        for code, title, description in self.text_fields():
            for store, value in ((titles, title.data), (descriptions, description.data)):
                value = (value or "").strip()
                if value:
                    store[code] = value
                else:
                    store.pop(code, None)
        offer.titles = titles  # new dicts: SQLAlchemy sees the change of a JSON column
        offer.descriptions = descriptions

    def load(self, offer: Offer) -> None:
        """Show an existing offer in the form (on GET)."""
        self.service_area.data = offer.service_area
        self.room.data = offer.room
        self.repeat.data = "weekly" if offer.weekly else "once"
        self.first_date.data = offer.first_date
        self.last_date.data = offer.last_date
        self.start_time.data = offer.start_time
        self.end_time.data = offer.end_time
        self.languages.data = list(offer.languages or [])
        self.audience.data = offer.audience
        self.kiosk_purpose.data = offer.kiosk_purpose or ""
        self.childcare.data = offer.childcare
        self.registration_needed.data = offer.registration_needed
        for code, title, description in self.text_fields():
            title.data = (offer.titles or {}).get(code, "")
            description.data = (offer.descriptions or {}).get(code, "")


@cache
def _form_class(codes: tuple[str, ...]) -> type[OfferFormBase]:
    fields: dict[str, Any] = {"text_codes": codes}
    for code in codes:
        direction = text_direction(code)
        keywords = {"lang": code, "dir": direction}
        title_validators: list[Any] = [Length(max=TITLE_MAX)]
        if code == "de":
            title_validators.insert(0, DataRequired(_l("A title in German is needed.")))
        else:
            title_validators.insert(0, Optional())
        fields[f"title_{code}"] = StringField(_l("Title"), validators=title_validators,
                                              render_kw=dict(keywords))
        fields[f"description_{code}"] = TextAreaField(
            _l("Short description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
            render_kw={**keywords, "rows": 2})
    return type("OfferForm", (OfferFormBase,), fields)


def offer_form(areas: list[tuple[str, str]], rooms: list[str], **kwargs: Any) -> OfferFormBase:
    """A new offer form with title and description fields for every text language."""
    form = _form_class(tuple(text_languages()))(**kwargs)
    form.setup(areas, rooms)
    return form


class CancelDateForm(FlaskForm):
    """Cancel one date of an offer, with a reason shown to staff."""

    day = SelectField(_l("Date"), validators=[InputRequired()])
    reason = StringField(_l("Reason (for colleagues, optional)"),
                         validators=[Length(max=200)],
                         render_kw={"placeholder": _l("e.g. course leader ill")})

    def setup(self, days: list[date], label: Any) -> None:
        self.day.choices = choices((day.isoformat(), label(day)) for day in days)


class EndSeriesForm(FlaskForm):
    """End a weekly offer from a date on (the last date becomes the day before)."""

    from_day = DateField(_l("No more dates from"), validators=[InputRequired(), DateInRange()],
                         default=local_today)

    def check(self, offer: Offer) -> bool:
        today = local_today()
        ok = self.validate()
        day = self.from_day.data
        if ok and day < today:
            add_error(self.from_day, _l("Choose today or a later date: past dates stay "
                                        "as they were."))
            ok = False
        if ok and offer.last_date and day > offer.last_date:
            add_error(self.from_day, _l("The offer already ends before this date."))
            ok = False
        return ok

    def apply(self, offer: Offer) -> bool:
        """End the series; ``True`` when nothing is left and the offer should be deleted."""
        day = self.from_day.data
        if day <= offer.first_date:
            return True
        offer.last_date = day - timedelta(days=1)
        offer.cancellations = [c for c in offer.cancellations if c.day < day]
        return False
