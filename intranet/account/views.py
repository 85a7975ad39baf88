"""The account page of every staff member: preferred language, own password, and the
second factor (set up with a QR code, recovery codes, switch off).

The language stored here is the one a login starts in; ``?lang=`` on a page only
changes the current session (a GET changes nothing stored).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from intranet.audit.log import audit
from intranet.auth import throttle, two_factor
from intranet.auth.models import User
from intranet.auth.passwords import MAX_LENGTH
from intranet.core.extensions import db
from intranet.core.forms import ActionForm, choices
from intranet.core.timeutil import utcnow

bp = Blueprint("account", __name__, url_prefix="/account")


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language after login"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from intranet.admin.users import language_choices

        super().__init__(*args, **kwargs)
        self.language.choices = choices(language_choices())


def _code_field(label: Any = None) -> StringField:
    return StringField(label or _l("Code from the app"),
                       validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "maxlength": 40, "dir": "ltr"})


def _password_field() -> PasswordField:
    return PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                         render_kw={"autocomplete": "current-password"})


class ConfirmCodeForm(FlaskForm):
    code = _code_field()


class PasswordAndCodeForm(FlaskForm):
    """Password and a current code: to switch the second factor off."""

    password = _password_field()
    code = _code_field()

    def validate_password(self, field: Any) -> None:
        _check_password(field.data)


class PasswordOnlyForm(FlaskForm):
    """Password again: to make new recovery codes."""

    password = _password_field()

    def validate_password(self, field: Any) -> None:
        _check_password(field.data)


def _check_password(password: str | None) -> None:
    ok, wait = throttle.confirm_password(current_user, password)
    if wait:
        raise ValidationError(throttle.wait_message(wait))
    if not ok:
        audit("reauth_failed", object_type="user", object_id=current_user.id,
              for_action="account")
        raise ValidationError(_("This is not your current password."))


def _user() -> User:
    return current_user._get_current_object()


def _page(status: int = 200, **forms: Any) -> Any:
    user = _user()
    language_form = forms.pop("language_form", None) or LanguageForm(
        data={"language": user.language or ""})
    return render_template(
        "account/index.html", user=user, language_form=language_form,
        off_form=forms.pop("off_form", None) or PasswordAndCodeForm(prefix="off"),
        codes_form=forms.pop("codes_form", None) or PasswordOnlyForm(prefix="codes"),
        enabled=two_factor.is_enabled(user), required=two_factor.required_for(user),
        codes_left=two_factor.recovery_codes_left(user)), status


@bp.route("/")
def index() -> Any:
    return _page()


@bp.route("/language", methods=["POST"])
def language() -> Any:
    form = LanguageForm()
    if not form.validate_on_submit():
        return _page(400, language_form=form)
    user = _user()
    chosen = form.language.data or None
    if user.language != chosen:
        user.language = chosen
        audit("account_language_changed", object_type="user", object_id=user.id)
        db.session.commit()
    if chosen:
        session["lang"] = chosen
    else:
        session.pop("lang", None)
    flash(_("Your language is saved; it is used at your next login too."), "success")
    return redirect(url_for("account.index"))


@bp.route("/two-factor/start", methods=["POST"])
def two_factor_start() -> Any:
    """Make a new secret (a POST: a GET never changes what is stored)."""
    user = _user()
    if not two_factor.is_enabled(user) and ActionForm().validate_on_submit():
        # Kept unconfirmed until a code proves the app has it; login ignores it till then.
        user.totp_secret = two_factor.new_secret()
        db.session.commit()
    return redirect(url_for("account.two_factor_setup"))


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor_setup() -> Any:
    """Show the QR code of the new secret; a valid code from the app switches it on."""
    user = _user()
    if two_factor.is_enabled(user):
        return redirect(url_for("account.index"))
    if not user.totp_secret:
        return render_template("account/two_factor_start.html",
                               required=two_factor.required_for(user),
                               start_form=ActionForm())
    form = ConfirmCodeForm()
    status = 200
    if form.validate_on_submit():
        if two_factor.accept_code(user, form.code.data):
            user.totp_confirmed_at = utcnow()
            codes = two_factor.new_recovery_codes(user)
            audit("two_factor_enabled", object_type="user", object_id=user.id)
            db.session.commit()
            flash(_("The second factor is on. From now on, a login asks for a code."),
                  "success")
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append(_("This code is wrong. Please enter the code the app shows "
                                  "now; check that the phone's clock is right."))
        status = 400
    elif form.errors:
        status = 400
    uri = two_factor.provisioning_uri(user, user.totp_secret)
    return render_template(
        "account/two_factor_setup.html", form=form, qr=two_factor.qr_data_uri(uri),
        secret=two_factor.grouped(user.totp_secret),
        required=two_factor.required_for(user)), status


@bp.route("/two-factor/recovery-codes", methods=["POST"])
def recovery_codes() -> Any:
    user = _user()
    form = PasswordOnlyForm(prefix="codes")
    if not two_factor.is_enabled(user):
        return redirect(url_for("account.index"))
    if not form.validate_on_submit():
        db.session.commit()  # failed attempts count toward the throttle
        return _page(400, codes_form=form)
    codes = two_factor.new_recovery_codes(user)
    audit("recovery_codes_renewed", object_type="user", object_id=user.id)
    db.session.commit()
    return render_template("account/recovery_codes.html", codes=codes)


@bp.route("/two-factor/off", methods=["POST"])
def two_factor_off() -> Any:
    user = _user()
    if not two_factor.is_enabled(user):
        return redirect(url_for("account.index"))
    if two_factor.required_for(user):
        flash(_("Your role or permissions require a second factor; it cannot be switched "
                "off."), "error")
        return redirect(url_for("account.index"))
    form = PasswordAndCodeForm(prefix="off")
    valid = form.validate_on_submit()
    if valid and not two_factor.accept_code(user, form.code.data):
        throttle.record_failure(throttle.login_keys(user.username))
        form.code.errors.append(_("This code is wrong or was already used. Please enter the "
                                  "current code."))
        valid = False
    if not valid:
        db.session.commit()  # failed attempts count toward the throttle
        return _page(400, off_form=form)
    two_factor.disable(user)
    audit("two_factor_disabled", object_type="user", object_id=user.id)
    db.session.commit()
    flash(_("The second factor is off."), "success")
    return redirect(url_for("account.index"))
