"""Administration of staff users: list, create, edit, deactivate, permissions, password reset,
ending a user's sessions and resetting their second factor.

Routes of the ``admin`` blueprint (admins only). Rules that keep the house
administrable: an admin cannot deactivate or demote themselves, and at least
one active admin always remains; a volunteer never holds a confidential permission.
Every change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from intranet.admin.views import bp
from intranet.audit.log import audit
from intranet.auth import sessions, two_factor
from intranet.auth.models import Role, User, UserPermission
from intranet.auth.passwords import MAX_LENGTH, generate_password, password_problems, site_words
from intranet.core.extensions import db
from intranet.core.forms import ActionForm, choices
from intranet.core.i18n import available_languages, language_name
from intranet.core.pagination import paginate
from intranet.core.plugin_host import CORE_NAME, host
from intranet.hooktypes import Permission

PER_PAGE = 25
SORTS = {
    "username": func.lower(User.username),
    "name": func.lower(User.display_name),
    "role": User.role,
    "last_login": User.last_login_at,
    "created": User.created_at,
}


def role_choices() -> list[tuple[str, str]]:
    return [(Role.ADMIN.value, _("Administrator")), (Role.STAFF.value, _("Staff")),
            (Role.VOLUNTEER.value, _("Volunteer"))]


def role_label(role: str) -> str:
    return dict(role_choices()).get(role, role)


def language_choices() -> list[tuple[str, str]]:
    return [("", _("Default of the meeting point"))] + [
        (code, language_name(code)) for code in available_languages()]


def new_password() -> str:
    """A long random password, to be read out or copied once (passes the policy)."""
    return generate_password()


def active_admin_count() -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.active.is_(True))) or 0


def is_last_active_admin(user: User) -> bool:
    return user.is_admin and user.active and active_admin_count() <= 1


class UserForm(FlaskForm):
    """Display name, role and language: the part of a user an admin edits."""

    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    language = SelectField(_l("Language"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices(role_choices())
        self.language.choices = choices(language_choices())


class NewUserForm(UserForm):
    username = StringField(
        _l("User name"),
        validators=[DataRequired(), Length(max=80),
                    Regexp(r"^[A-Za-z0-9._-]+$",
                           message=_l("Only letters, digits, dot, hyphen and underscore."))],
        render_kw={"autocomplete": "off"})
    password = PasswordField(_l("Initial password"), validators=[Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "new-password"})
    generate = BooleanField(_l("Generate a password (shown once)"))

    def validate_username(self, field: Any) -> None:
        name = (field.data or "").strip()
        if db.session.scalar(select(User.id).where(func.lower(User.username) == name.lower())):
            raise ValidationError(_("This user name is taken. Please choose another one."))

    def validate_password(self, field: Any) -> None:
        if self.generate.data:
            return
        if not field.data:
            raise ValidationError(_("Enter an initial password or let one be generated."))
        words = [self.username.data or "", self.display_name.data or "", *site_words()]
        problems = password_problems(field.data, words)
        if problems:
            raise ValidationError(" ".join(problems))


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


@bp.route("/")
def index() -> Any:
    return redirect(url_for("admin.users"))


@bp.route("/users")
def users() -> Any:
    query = (request.args.get("q") or "").strip()
    role = request.args.get("role", "")
    state = request.args.get("state", "active")
    sort = request.args.get("sort", "username")
    descending = request.args.get("dir") == "desc"
    statement = select(User)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(User.username).like(like),
                                        func.lower(User.display_name).like(like)))
    if role in {r.value for r in Role}:
        statement = statement.where(User.role == role)
    if state == "active":
        statement = statement.where(User.active.is_(True))
    elif state == "inactive":
        statement = statement.where(User.active.is_(False))
    column = SORTS.get(sort, SORTS["username"])
    order = column.desc() if descending else column.asc()
    statement = statement.order_by(order, User.id)
    pagination = paginate(statement, per_page=PER_PAGE)
    return render_template(
        "admin/users.html", pagination=pagination, users=pagination.items,
        query=query, role=role, state=state, sort=sort, descending=descending,
        roles=role_choices(), role_label=role_label)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    form = NewUserForm()
    if request.method == "GET":
        form.role.data = Role.STAFF.value
    if form.validate_on_submit():
        user = User(username=form.username.data.strip(),
                    display_name=(form.display_name.data or "").strip(),
                    role=form.role.data, language=form.language.data or None,
                    active=True)
        generated = new_password() if form.generate.data else None
        user.set_password(generated or form.password.data)
        # A generated password is known to the admin: the user chooses their own at login.
        user.must_change_password = generated is not None
        db.session.add(user)
        db.session.flush()
        audit("user_created", object_type="user", object_id=user.id, role=user.role)
        db.session.commit()
        flash(_("%(name)s was created.", name=user.username), "success")
        if generated:
            return render_template("admin/password_shown.html", user=user,
                                   password=generated, created=True)
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_new.html", form=form), (400 if form.errors else 200)


def permission_groups(user: User) -> list[dict[str, Any]]:
    """Every enabled plugin's permissions, grouped by plugin, with the user's grants;
    confidential ones are ``blocked`` for volunteers."""
    granted = user.permissions
    volunteer = user.role == Role.VOLUNTEER
    groups: dict[str, dict[str, Any]] = {}
    for permission in host().collect("permissions", Permission):
        plugin = permission.plugin or CORE_NAME
        if plugin not in groups:
            info = host().info(plugin)
            title = info.title if info is not None else (
                _("General") if plugin == CORE_NAME else plugin)
            groups[plugin] = {"plugin": plugin, "title": title, "permissions": []}
        groups[plugin]["permissions"].append(
            {"code": permission.code, "label": permission.label,
             "granted": permission.code in granted and not (volunteer and permission.confidential),
             "confidential": permission.confidential,
             "blocked": volunteer and permission.confidential})
    core = [groups.pop(CORE_NAME)] if CORE_NAME in groups else []
    return core + sorted(groups.values(), key=lambda g: str(g["title"]))


def render_edit(user: User, form: UserForm | None = None, status: int = 200) -> Any:
    if form is None:
        form = UserForm(obj=user)
        form.language.data = user.language or ""
    groups = permission_groups(user)
    shown = {p["code"] for g in groups for p in g["permissions"]}
    return render_template(
        "admin/user_edit.html", user=user, form=form, groups=groups,
        hidden_grants=sorted(user.permissions - shown), action_form=ActionForm(),
        is_self=user.id == current_user.id, last_admin=is_last_active_admin(user),
        role_label=role_label, two_factor_on=two_factor.is_enabled(user),
        two_factor_required=two_factor.required_for(user),
        two_factor_exempt=user.id in two_factor.exempt_user_ids()), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    if request.method == "GET":
        return render_edit(user)
    form = UserForm()
    if not form.validate_on_submit():
        return render_edit(user, form, 400)
    new_role = form.role.data
    if user.is_admin and new_role != Role.ADMIN:
        if user.id == current_user.id:
            form.role.errors.append(_("You cannot take away your own administrator role."))
            return render_edit(user, form, 400)
        if is_last_active_admin(user):
            form.role.errors.append(_("At least one active administrator must remain."))
            return render_edit(user, form, 400)
    changes: dict[str, Any] = {}  # field: [old, new]
    display_name = (form.display_name.data or "").strip()
    language = form.language.data or None
    for field, value in (("display_name", display_name), ("role", new_role),
                         ("language", language)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if changes:
        audit("user_changed", object_type="user", object_id=user.id, fields=sorted(changes),
              **{k: v for k, v in changes.items() if k != "display_name"})
        if new_role == Role.VOLUNTEER:
            _drop_confidential_grants(user)
        db.session.commit()
        flash(_("The changes to %(name)s are saved.", name=user.username), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _drop_confidential_grants(user: User) -> None:
    """A volunteer keeps no confidential permission: remove such grants, audited."""
    removed = sorted(user.permissions & two_factor.confidential_codes())
    if removed:
        user.permission_rows = [row for row in user.permission_rows if row.code not in removed]
        audit("user_permissions_changed", object_type="user", object_id=user.id,
              added=[], removed=removed, reason="role_volunteer")
        flash(_("Volunteers cannot hold confidential permissions; these were removed: "
                "%(codes)s", codes=", ".join(removed)), "info")


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    active = form.active.data == "1"
    if not active and user.id == current_user.id:
        flash(_("You cannot deactivate yourself."), "error")
    elif not active and is_last_active_admin(user):
        flash(_("At least one active administrator must remain."), "error")
    elif user.active != active:
        user.active = active
        sessions.new_session_token(user)  # a deactivated user's sessions end for good
        audit("user_reactivated" if active else "user_deactivated", object_type="user",
              object_id=user.id)
        db.session.commit()
        flash(_("%(name)s can log in again.", name=user.username) if active
              else _("%(name)s is deactivated and can no longer log in.", name=user.username),
              "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/permissions", methods=["POST"])
def user_permissions(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    shown = {p["code"] for g in permission_groups(user) for p in g["permissions"]}
    chosen = set(request.form.getlist("permission")) & shown
    refused = sorted(chosen & two_factor.confidential_codes()) \
        if user.role == Role.VOLUNTEER else []
    if refused:
        flash(_("Volunteers cannot be given confidential permissions (%(codes)s). Nothing "
                "was saved; give the user the staff role first.", codes=", ".join(refused)),
              "error")
        return redirect(url_for("admin.user_edit", user_id=user.id) + "#permissions")
    before = user.permissions
    # Grants of plugins that are switched off now are not on the page: they stay.
    after = (before - shown) | chosen
    added, removed = sorted(after - before), sorted(before - after)
    if added or removed:
        user.permission_rows = [row for row in user.permission_rows if row.code in after] + [
            UserPermission(code=code) for code in added]
        audit("user_permissions_changed", object_type="user", object_id=user.id,
              added=added, removed=removed)
        db.session.commit()
        flash(_("The permissions of %(name)s are saved.", name=user.username), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("admin.user_edit", user_id=user.id) + "#permissions")


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def user_password_reset(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    password = new_password()
    user.set_password(password)
    user.must_change_password = True
    sessions.new_session_token(user)  # whoever held a session of the user is out
    audit("user_password_reset", object_type="user", object_id=user.id)
    db.session.commit()
    return render_template("admin/password_shown.html", user=user, password=password,
                           created=False)


@bp.route("/users/<int:user_id>/sessions", methods=["POST"])
def user_sessions_end(user_id: int) -> Any:
    """End every session of the user, on every computer (e.g. a device was lost)."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    sessions.new_session_token(user)
    audit("user_sessions_ended", object_type="user", object_id=user.id)
    db.session.commit()
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    flash(_("Every session of %(name)s has ended.", name=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/two-factor", methods=["POST"])
def user_two_factor_reset(user_id: int) -> Any:
    """Switch a user's second factor off (a lost phone); they set it up again at login
    when it is required for them. Their sessions end."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash(_("The change could not be saved. Please try again."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    if not user.totp_secret:
        flash(_("Nothing was changed."), "info")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    two_factor.disable(user)
    sessions.new_session_token(user)
    audit("user_two_factor_reset", object_type="user", object_id=user.id)
    db.session.commit()
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    flash(_("The second factor of %(name)s is reset.", name=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))
