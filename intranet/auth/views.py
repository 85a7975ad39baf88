"""Staff login and logout, the second step of a login with a second factor, and the page
where staff choose a new password — which a user whose password an admin reset must do
before any other page opens, as a user who must set up a second factor must do that.

Logins are throttled per account and per address (:mod:`intranet.auth.throttle`); sessions
carry the user's session token (:mod:`intranet.auth.sessions`). A user with a second factor
is not logged in until the code is accepted: until then the session holds only the
pending user's id and the time, for ``LOGIN_CODE_MINUTES``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from intranet.audit.log import audit
from intranet.auth import sessions, throttle, two_factor
from intranet.auth.models import User, dummy_hash
from intranet.auth.passwords import MAX_LENGTH, MIN_LENGTH, StrongPassword, site_words
from intranet.core.extensions import db, login_manager
from intranet.core.redirects import safe_next
from intranet.core.timeutil import utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"

PENDING_KEY = "pending_login"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    # With the permissions in the same statement: nearly every page asks for them.
    user = db.session.get(User, int(user_id), options=[joinedload(User.permission_rows)])
    # A user deactivated by an admin loses running sessions at once, and so does a
    # session whose token was replaced (logout, password change, reset elsewhere).
    if user is None or not user.active or not sessions.token_matches(user):
        return None
    return user


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autofocus": True,
                                      "maxlength": 80})
    password = PasswordField(_l("Password"), validators=[DataRequired(),
                                                         Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password",
                                        "maxlength": MAX_LENGTH})


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the app, or a recovery code"),
                       validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autofocus": True,
                                  "maxlength": 40, "spellcheck": "false",
                                  "autocapitalize": "off", "dir": "ltr"})


def _keep_language_and_clear() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _login_page(form: FlaskForm, status: int) -> Any:
    return render_template("auth/login.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, 400 if form.errors else 200)
    username = form.username.data.strip()
    password = form.password.data
    keys = throttle.login_keys(username)
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.lower()))
    object_id = user.id if user is not None else ""
    wait = throttle.locked_for(keys)
    if wait:
        audit("login_throttled", object_type="user", object_id=object_id, step="password")
        db.session.commit()
        flash(throttle.wait_message(wait), "error")
        return _login_page(form, 429)
    if user is None:
        check_password_hash(dummy_hash(), password)  # same time as for a real account
        ok = False
    else:
        ok = user.check_password(password)
    if not ok:
        wait = throttle.record_failure(keys)
        audit("login_failed", object_type="user", object_id=object_id, step="password")
        db.session.commit()
        flash(throttle.wait_message(wait) if wait else _("User name or password is wrong."),
              "error")
        return _login_page(form, 429 if wait else 200)
    assert user is not None  # without a user, ok is False
    if not user.active:
        audit("login_failed", object_type="user", object_id=user.id, step="inactive")
        db.session.commit()
        flash(_("This account is deactivated. Please ask an administrator."), "error")
        return _login_page(form, 200)
    if two_factor.is_enabled(user):
        _keep_language_and_clear()
        session[PENDING_KEY] = {"user_id": user.id, "at": datetime.now(UTC).timestamp(),
                                "next": request.args.get("next")}
        return redirect(url_for("auth.login_code"))
    return _complete_login(user, keys, request.args.get("next"))


def _complete_login(user: User, keys: list[str], next_url: str | None) -> Any:
    throttle.record_success(keys)
    sessions.start_session(user)
    audit("login", object_type="user", object_id=user.id)
    db.session.commit()
    if user.must_change_password:
        return redirect(url_for("auth.password", next=next_url))
    if two_factor.required_for(user) and not two_factor.is_enabled(user):
        return redirect(url_for("account.two_factor_setup"))
    return redirect(safe_next(next_url))


def _pending_user() -> tuple[User | None, dict[str, Any]]:
    """The user who gave the right password and still owes the code, if in time."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user_id"), int):
        return None, {}
    age = datetime.now(UTC).timestamp() - float(pending.get("at") or 0)
    if age > float(current_app.config["LOGIN_CODE_MINUTES"]) * 60 or age < 0:
        return None, {}
    user = db.session.get(User, pending["user_id"])
    if user is None or not user.active or not two_factor.is_enabled(user):
        return None, {}
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user, pending = _pending_user()
    if user is None:
        if PENDING_KEY in session:
            session.pop(PENDING_KEY)
            flash(_("The time for entering the code ran out. Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 400 if form.is_submitted() and not form.validate() else 200
    if form.is_submitted() and not form.errors:
        keys = throttle.login_keys(user.username)
        wait = throttle.locked_for(keys)
        if wait:
            audit("login_throttled", object_type="user", object_id=user.id,
                  step="second_factor")
            db.session.commit()
            flash(throttle.wait_message(wait), "error")
            return render_template("auth/code.html", form=form), 429
        code = form.code.data.strip()
        if two_factor.accept_code(user, code):
            session.pop(PENDING_KEY, None)
            return _complete_login(user, keys, pending.get("next"))
        if two_factor.use_recovery_code(user, code):
            session.pop(PENDING_KEY, None)
            audit("recovery_code_used", object_type="user", object_id=user.id,
                  left=two_factor.recovery_codes_left(user))
            response = _complete_login(user, keys, pending.get("next"))
            flash(_("You used a recovery code; each works only once. You have %(n)d left.",
                    n=two_factor.recovery_codes_left(user)), "info")
            return response
        wait = throttle.record_failure(keys)
        audit("login_failed", object_type="user", object_id=user.id, step="second_factor")
        db.session.commit()
        flash(throttle.wait_message(wait) if wait else
              _("This code is wrong or was already used. Please enter the current code."),
              "error")
        status = 429 if wait else 200
    return render_template("auth/code.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated:
        # Ends this session and every other of the user, also a copied cookie.
        sessions.new_session_token(current_user)
        db.session.commit()
    logout_user()
    _keep_language_and_clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


# Pages a user who must choose a new password (or set up a second factor) may still open.
OPEN_WHILE_CHANGING = {"auth.password", "auth.logout", "auth.login", "auth.login_code",
                       "static", "main.healthz", "main.area_colours", "main.favicon"}
OPEN_WHILE_SETTING_UP = OPEN_WHILE_CHANGING | {"account.two_factor_setup",
                                               "account.two_factor_start"}


def _user_words(_form: Any) -> list[str]:
    return [current_user.username, current_user.display_name, *site_words()]


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[Length(max=MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH), StrongPassword(_user_words)],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password",
                                            message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args: Any, forced: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forced = forced
        if forced:
            # After a reset the temporary password proves it is the user, not a
            # session left over from before the reset.
            self.current_password.label.text = _("Temporary password")

    def validate_current_password(self, field: Any) -> None:
        ok, wait = throttle.confirm_password(current_user, field.data)
        if wait:
            raise ValidationError(throttle.wait_message(wait))
        if not ok:
            audit("password_change_failed", object_type="user", object_id=current_user.id)
            raise ValidationError(_("This is not the temporary password you were given.")
                                  if self.forced else _("This is not your current password."))

    def validate_new_password(self, field: Any) -> None:
        if field.data and current_user.check_password(field.data):
            raise ValidationError(_("Choose a password different from the current one."))


def _guard_redirect(target: str) -> Any:
    if request.headers.get("HX-Request"):
        response = Response(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def _open_anyway(endpoint: str | None, allowed: set[str]) -> bool:
    if endpoint is None or endpoint in allowed or endpoint.endswith(".static"):
        return True
    return bool(getattr(current_app.view_functions.get(endpoint), "_mittelpunkt_public", False))


@bp.before_app_request
def _require_new_password() -> Any:
    """After an admin reset the password, no page opens until the user chose a new one."""
    if not getattr(current_user, "is_authenticated", False) \
            or not current_user.must_change_password:
        return None
    if _open_anyway(request.endpoint, OPEN_WHILE_CHANGING):
        return None
    return _guard_redirect(url_for("auth.password"))


@bp.before_app_request
def _require_second_factor() -> Any:
    """Admins and holders of a confidential permission set up a second factor first."""
    if not getattr(current_user, "is_authenticated", False) \
            or two_factor.is_enabled(current_user):
        return None
    if _open_anyway(request.endpoint, OPEN_WHILE_SETTING_UP) \
            or not two_factor.required_for(current_user):
        return None
    return _guard_redirect(url_for("account.two_factor_setup"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    forced = bool(current_user.must_change_password)
    form = PasswordForm(forced=forced)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.set_password(form.new_password.data)
        user.must_change_password = False
        user.password_changed_at = utcnow()
        sessions.keep_this_session(user)  # every other session of the user ends
        audit("password_changed", object_type="user", object_id=user.id)
        db.session.commit()
        flash(_("Your new password is saved."), "success")
        return redirect(safe_next(request.args.get("next")))
    if form.errors:
        db.session.commit()  # failed attempts count toward the throttle
    return render_template("admin/change_password.html", form=form, forced=forced,
                           min_length=MIN_LENGTH), (400 if form.errors else 200)
