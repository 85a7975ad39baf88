"""Settings an admin changes in the intranet (``intranet.core.site_settings.EDITABLE``).

Only values that differ from what is in force are stored, so a setting left
alone keeps following the configuration; "back to the default" removes the
admin's value again.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from intranet.admin.views import bp
from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.core.i18n import available_languages, language_name
from intranet.core.models import SiteSetting
from intranet.core.site_settings import EDITABLE, reset_setting, save_setting, setting
from intranet.web.input_hygiene import one_line

# Sensible bounds of the kiosk's times, in whole seconds.
SECONDS_BOUNDS = {
    "KIOSK_IDLE_SECONDS": (10, 600),
    "KIOSK_COUNTDOWN_SECONDS": (5, 120),
    "KIOSK_NUMBER_SECONDS": (5, 120),
}
FIELDS = {
    "SITE_NAME": "site_name",
    "OPENING_HOURS": "opening_hours",
    "KIOSK_LANGUAGES": "kiosk_languages",
    "KIOSK_IDLE_SECONDS": "kiosk_idle_seconds",
    "KIOSK_COUNTDOWN_SECONDS": "kiosk_countdown_seconds",
    "KIOSK_NUMBER_SECONDS": "kiosk_number_seconds",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _one_line(value: Any) -> Any:
    """The site name lands in page titles and the calendar feed: one line, no controls."""
    return " ".join(one_line(part) for part in value.splitlines()) if isinstance(value, str) \
        else value


def _seconds(label: Any, key: str, description: Any) -> IntegerField:
    low, high = SECONDS_BOUNDS[key]
    return IntegerField(
        label, description=description,
        validators=[InputRequired(),
                    NumberRange(min=low, max=high,
                                message=_l("Between %(min)d and %(max)d seconds.",
                                           min=low, max=high))],
        render_kw={"min": low, "max": high, "step": 1, "inputmode": "numeric"})


class SettingsForm(FlaskForm):
    site_name = StringField(_l("Name of the meeting point"), filters=[_one_line, _strip],
                            validators=[DataRequired(), Length(max=120)],
                            description=_l("Shown on every page, the kiosk and the programme."))
    opening_hours = TextAreaField(_l("Opening hours"), filters=[_strip],
                                  validators=[Length(max=500)],
                                  description=_l("Shown on the kiosk and the public programme."))
    kiosk_languages = SelectMultipleField(
        _l("Languages offered on the kiosk"), option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        description=_l("The languages visitors can choose on the kiosk's start screen."))
    kiosk_idle_seconds = _seconds(
        _l("Seconds without a touch before the kiosk asks “Need more time?”"),
        "KIOSK_IDLE_SECONDS", _l("Between 10 and 600."))
    kiosk_countdown_seconds = _seconds(
        _l("Seconds of that question's countdown before the kiosk starts over"),
        "KIOSK_COUNTDOWN_SECONDS", _l("Between 5 and 120."))
    kiosk_number_seconds = _seconds(
        _l("Seconds the waiting number stays on the kiosk's screen"),
        "KIOSK_NUMBER_SECONDS", _l("Between 5 and 120."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kiosk_languages.choices = [(code, language_name(code))
                                        for code in available_languages()]

    def validate_kiosk_languages(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one language."))


def current_values() -> dict[str, Any]:
    """The values in force, as the form shows them."""
    values = {key: setting(key) for key in EDITABLE}
    if not values["KIOSK_LANGUAGES"]:  # None in the configuration: every language
        values["KIOSK_LANGUAGES"] = list(available_languages())
    return values


def default_of(key: str) -> Any:
    value = current_app.config.get(key)
    if key == "KIOSK_LANGUAGES":
        codes = value or available_languages()
        return ", ".join(language_name(code) for code in codes)
    return value


def render_settings(form: SettingsForm, status: int = 200) -> Any:
    stored = set(db.session.scalars(select(SiteSetting.key)))
    rows = [{"key": key, "field": form[FIELDS[key]], "changed": key in stored,
             "default": default_of(key)} for key in EDITABLE if key in FIELDS]
    return render_template("admin/settings.html", form=form, rows=rows), status


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Any:
    if request.method == "GET":
        values = current_values()
        form = SettingsForm(formdata=None,
                            data={FIELDS[key]: values[key] for key in FIELDS})
        return render_settings(form)
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields. Nothing was saved."), "error")
        return render_settings(form, 400)
    values = current_values()
    changed = {}
    for key, name in FIELDS.items():
        value = form[name].data
        if EDITABLE[key] is str:
            value = value or ""  # a field missing from the post is empty, not None
        if key == "KIOSK_LANGUAGES":
            offered = available_languages()
            value = [code for code in offered if code in value]  # in the usual order
        if value != values[key]:
            save_setting(key, value)
            changed[key] = value
    if changed:
        audit("settings_changed", object_type="setting", object_id=",".join(changed),
              **changed)
        db.session.commit()
        flash(_("The settings are saved."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("admin.settings"))


@bp.route("/settings/<key>/reset", methods=["POST"])
def setting_reset(key: str) -> Any:
    if key not in EDITABLE:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    reset_setting(key)
    audit("setting_reset", object_type="setting", object_id=key)
    db.session.commit()
    flash(_("The setting is back to its default."), "success")
    return redirect(url_for("admin.settings"))
