"""Staff login and logout (Flask-Login, hashed passwords, CSRF-protected form)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

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
