"""The settings page: every setting the core and the enabled plugins declare.

The form is built for each request from the declarations (the ``settings`` hook, see
:mod:`intranet.core.site_settings`): a field per setting, checked against its declared type
and bounds, with the reason next to the field. Only values that differ from what is in
force are stored, so a setting left alone keeps following the configuration; "back to the
default" removes the admin's value again.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from intranet.admin.views import bp
from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.input_hygiene import one_line
from intranet.core.plugin_host import CORE_NAME, host
from intranet.core.site_settings import (
    choices_of,
    configured,
    declarations,
    in_choice_order,
    out_of_bounds,
    parse,
    reset_setting,
    save_setting,
    setting,
    stored_keys,
    whole_number_message,
)
from intranet.hooktypes import Setting

MULTIPLE = ("choices", "languages")


def field_name(key: str) -> str:
    """The form field of a setting: its key in lower case (``SITE_NAME`` → ``site_name``)."""
    return key.lower()


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _one_line(value: Any) -> Any:
    """A one-line setting lands in page titles and feeds: one line, no control characters."""
    return " ".join(one_line(part) for part in value.splitlines()) if isinstance(value, str) \
        else value


class WholeNumberField(IntegerField):
    """A number input whose every wrong entry ("abc", "2.5", "") gets the setting's message."""

    def __init__(self, *args: Any, declared: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.declared = declared

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse(self.declared, valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(whole_number_message(self.declared)) from None


def value_of(declared: Setting, data: Any) -> Any:
    """A field's data as the setting's value (a field missing from the post is empty)."""
    if declared.type in ("str", "text", "choice"):
        return data or ""
    if declared.type == "bool":
        return bool(data)
    if declared.type in MULTIPLE:
        return in_choice_order(declared, data or [])
    return data


def _keeps_its_bounds(declared: Setting) -> Any:
    def check(form: FlaskForm, field: Field) -> None:
        if field.process_errors:
            raise StopValidation()  # the field said already what is wrong
        problem = out_of_bounds(declared, value_of(declared, field.data))
        if problem:
            raise StopValidation(problem)

    return check


def make_field(declared: Setting) -> Field:
    """The form field of one declared setting."""
    common: dict[str, Any] = {"label": declared.label, "description": declared.description,
                              "validators": [_keeps_its_bounds(declared)]}
    kind = declared.type
    length = {"maxlength": declared.maximum} if declared.maximum else {}
    if kind == "str":
        return StringField(filters=[_one_line, _strip], render_kw=length, **common)
    if kind == "text":
        return TextAreaField(filters=[_strip], render_kw=length, **common)
    if kind == "int":
        render: dict[str, Any] = {"step": 1, "inputmode": "numeric"}
        if declared.minimum is not None:
            render["min"] = declared.minimum
        if declared.maximum is not None:
            render["max"] = declared.maximum
        return WholeNumberField(declared=declared, render_kw=render, **common)
    if kind == "bool":
        return BooleanField(label=declared.label, description=declared.description)
    choices = [SelectChoice(value=value, label=label) for value, label in choices_of(declared)]
    if kind == "choice":
        return SelectField(choices=choices, validate_choice=False, **common)
    return SelectMultipleField(choices=choices, validate_choice=False,
                               option_widget=CheckboxInput(),
                               widget=ListWidget(prefix_label=False), **common)


def settings_form(data: dict[str, Any] | None = None) -> FlaskForm:
    """A form with a field per declared setting, built now (plugins come and go): filled
    with ``data``, or with the request's post if there is none."""
    fields = {field_name(key): make_field(declared)
              for key, declared in declarations().items()}
    form_class = type("SettingsForm", (FlaskForm,), fields)
    return form_class() if data is None else form_class(formdata=None, data=data)


def shown(declared: Setting, value: Any) -> str:
    """A value as the page names it (the default beside a changed setting)."""
    if declared.type == "bool":
        return _("yes") if value else _("no")
    if declared.type in ("choice", *MULTIPLE):
        labels = dict(choices_of(declared))
        chosen = value if declared.type in MULTIPLE else [value]
        return ", ".join(labels.get(item, item) for item in chosen)
    return "" if value is None else str(value)


def bounds_hint(declared: Setting) -> str:
    """The range a whole number must lie in, said beside its field."""
    low, high = declared.minimum, declared.maximum
    if declared.type != "int" or (low is None and high is None):
        return ""
    if low is not None and high is not None:
        return _("From %(min)d to %(max)d.", min=low, max=high)
    if low is not None:
        return _("At least %(min)d.", min=low)
    return _("At most %(max)d.", max=high)


def groups_of(form: FlaskForm) -> list[dict[str, Any]]:
    """The page's sections: the core's settings first, then each plugin's under its title."""
    changed = stored_keys()
    groups: dict[str, dict[str, Any]] = {}
    for key, declared in declarations().items():
        plugin = declared.plugin or CORE_NAME
        if plugin not in groups:
            info = host().info(plugin)
            groups[plugin] = {
                "plugin": plugin, "rows": [],
                "title": _("General") if plugin == CORE_NAME else str(info.title if info
                                                                       else plugin),
                "order": (-1, "") if plugin == CORE_NAME else
                         (getattr(info, "order", 100), str(getattr(info, "title", plugin))),
            }
        groups[plugin]["rows"].append({
            "key": key, "kind": declared.type, "field": form[field_name(key)],
            "hint": bounds_hint(declared),
            "changed": key in changed, "default": shown(declared, configured(key)),
        })
    return sorted(groups.values(), key=lambda group: group["order"])


def render_settings(form: FlaskForm, status: int = 200) -> Any:
    return render_template("admin/settings.html", form=form, groups=groups_of(form)), status


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Any:
    declared = declarations()
    if request.method == "GET":
        return render_settings(settings_form(
            data={field_name(key): setting(key) for key in declared}))
    form = settings_form()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields. Nothing was saved."), "error")
        return render_settings(form, 400)
    before = {key: setting(key) for key in declared}
    changed = {}
    for key, one in declared.items():
        value = value_of(one, form[field_name(key)].data)
        if value != before[key]:
            save_setting(key, value)
            changed[key] = value
    if changed:
        # The keys name the entry (cut to fit its column); the details hold every value.
        keys = ",".join(changed)
        audit("settings_changed", object_type="setting",
              object_id=keys if len(keys) <= 80 else keys[:79] + "…", **changed)
        db.session.commit()
        flash(_("The settings are saved."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("admin.settings"))


@bp.route("/settings/<key>/reset", methods=["POST"])
def setting_reset(key: str) -> Any:
    if key not in declarations():
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    reset_setting(key)
    audit("setting_reset", object_type="setting", object_id=key)
    db.session.commit()
    flash(_("The setting is back to its default."), "success")
    return redirect(url_for("admin.settings"))
