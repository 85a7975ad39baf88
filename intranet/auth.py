"""Staff login and logout (Flask-Login, hashed passwords, CSRF-protected form), and the
page where staff choose a new password — which a user whose password an admin reset
must do before any other page opens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

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
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from intranet.audit import audit
from intranet.extensions import db, login_manager
from intranet.models import User, utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # A user deactivated by an admin loses running sessions at once.
    return user if user is not None and user.active else None


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a page of this site, never to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        user = db.session.scalar(
            select(User).where(func.lower(User.username) == username.lower()))
        if user is None or not user.check_password(form.password.data):
            flash(_("User name or password is wrong."), "error")
        elif not user.active:
            flash(_("This account is deactivated. Please ask an administrator."), "error")
        else:
            session.clear()  # a fresh session: nothing of a previous user stays
            login_user(user)
            session.permanent = True
            session["seen"] = datetime.now(UTC).timestamp()
            if user.language:
                session["lang"] = user.language
            user.last_login_at = utcnow()
            audit("login", object_type="user", object_id=user.id)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.password", next=request.args.get("next")))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), (200 if not form.errors else 400)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


MIN_PASSWORD_LENGTH = 10
# Pages a user who must choose a new password may still open.
OPEN_WHILE_CHANGING = {"auth.password", "auth.logout", "auth.login", "static",
                       "main.healthz", "main.area_colours", "main.favicon"}


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[Optional(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=_l("At least %(n)d characters.",
                                                      n=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password",
                                            message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args: Any, forced: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forced = forced

    def validate_current_password(self, field: Any) -> None:
        # Whoever was sent here after a reset just logged in with the temporary password.
        if self.forced:
            return
        if not field.data or not current_user.check_password(field.data):
            raise ValidationError(_("This is not your current password."))

    def validate_new_password(self, field: Any) -> None:
        if field.data and current_user.check_password(field.data):
            raise ValidationError(_("Choose a password different from the current one."))


@bp.before_app_request
def _require_new_password() -> Any:
    """After an admin reset the password, no page opens until the user chose a new one."""
    if not getattr(current_user, "is_authenticated", False) \
            or not current_user.must_change_password:
        return None
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_WHILE_CHANGING or endpoint.endswith(".static"):
        return None
    if getattr(current_app.view_functions.get(endpoint), "_mittelpunkt_public", False):
        return None
    target = url_for("auth.password")
    if request.headers.get("HX-Request"):
        response = Response(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


@bp.route("/password", methods=["GET", "POST"])
def password() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    forced = bool(current_user.must_change_password)
    form = PasswordForm(forced=forced)
    if form.validate_on_submit():
        current_user.set_password(form.new_password.data)
        current_user.must_change_password = False
        audit("password_changed", object_type="user", object_id=current_user.id)
        db.session.commit()
        flash(_("Your new password is saved."), "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("admin/change_password.html", form=form, forced=forced,
                           min_length=MIN_PASSWORD_LENGTH), (400 if form.errors else 200)
