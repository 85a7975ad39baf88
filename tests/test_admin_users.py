"""Administration of staff users: list, create, edit, deactivate, permissions, password reset,
and the forced password change at the next login."""

from __future__ import annotations

import re

import pytest

from intranet.audit.models import AuditEntry
from intranet.auth.models import Role, User
from intranet.core.extensions import db
from intranet.testing import DEFAULT_PASSWORD, add_user, login

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/users/new", "/admin/users/1",
               "/admin/rooms", "/admin/settings", "/admin/audit", "/admin/privacy",
               "/admin/plugins"]
ADMIN_POSTS = ["/admin/users/new", "/admin/users/1", "/admin/users/1/active",
               "/admin/users/1/permissions", "/admin/users/1/password", "/admin/rooms",
               "/admin/rooms/1/rename", "/admin/rooms/1/move", "/admin/rooms/1/active",
               "/admin/settings", "/admin/settings/SITE_NAME/reset"]


def user(app, username):
    with app.app_context():
        found = db.session.scalar(db.select(User).where(User.username == username))
        if found is not None:
            found.permissions  # noqa: B018 - load the grants while the session is open
            db.session.expunge(found)
        return found


def audit_actions(app):
    with app.app_context():
        return [(e.action, e.object_id) for e in db.session.scalars(
            db.select(AuditEntry).order_by(AuditEntry.id))]


def shown_password(response) -> str:
    match = re.search(r'class="one-time-password"><code dir="ltr">([^<]+)</code>',
                      response.get_data(as_text=True))
    assert match, "no password shown"
    return match.group(1)


# -- who may open the administration ---------------------------------------------------

@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.STAFF, Role.VOLUNTEER])
def test_staff_and_volunteers_get_403_on_every_admin_page(app, role):
    add_user(app, "admin", role=Role.ADMIN)
    add_user(app, "amira", role=role, permissions=["core.reports", "consultations.view"])
    client = app.test_client()
    login(client, "amira")
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 403, url
    for url in ADMIN_POSTS:
        assert client.post(url, data={"name": "X", "active": "0", "role": "admin",
                                      "direction": "up"}).status_code == 403, url
    assert user(app, "admin").active and user(app, "amira").role == role


def test_admin_pages_open_for_admins_with_the_sub_navigation(admin_client):
    for url in ADMIN_PAGES:
        response = admin_client.get(url + "?lang=en", follow_redirects=True)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        nav = re.search(r'<nav class="admin-nav".*?</nav>', page, re.S).group(0)
        links = re.findall(r'href="([^"]+)"', nav)
        assert links == ["/admin/users", "/admin/rooms", "/admin/settings", "/admin/audit",
                         "/admin/privacy", "/admin/plugins", "/kiosk/admin/"], url
        assert nav.count('aria-current="page"') == 1, url


def test_the_kiosk_link_is_left_out_when_the_kiosk_is_not_loaded(make_app):
    app = make_app(plugins=["consultations"])
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/users").get_data(as_text=True)
    nav = re.search(r'<nav class="admin-nav".*?</nav>', page, re.S).group(0)
    assert "/admin/rooms" in nav and "/kiosk/" not in nav


# -- the list --------------------------------------------------------------------------

def test_the_list_searches_filters_and_sorts(app, admin_client):
    add_user(app, "amira")
    add_user(app, "ruslan", role=Role.VOLUNTEER)
    add_user(app, "former", active=False)

    def names(query=""):
        page = admin_client.get("/admin/users?lang=en" + query).get_data(as_text=True)
        return re.findall(r'href="/admin/users/\d+"><bdi>([^<]+)</bdi>', page)

    assert names() == ["admin", "amira", "ruslan"]  # active ones by default
    assert names("&state=all") == ["admin", "amira", "former", "ruslan"]
    assert names("&state=inactive") == ["former"]
    assert names("&role=volunteer") == ["ruslan"]
    assert names("&q=RUS") == ["ruslan"]
    assert names("&q=Amira") == ["amira"]  # the display name matches too
    assert names("&sort=username&dir=desc") == ["ruslan", "amira", "admin"]
    assert names("&q=nobody") == []


def test_a_long_list_is_paginated_with_the_filters_kept(app, admin_client):
    with app.app_context():
        for number in range(30):
            db.session.add(User(username=f"helper{number:02d}", role=Role.VOLUNTEER,
                                password_hash="-"))
        db.session.commit()
    first = admin_client.get("/admin/users?role=volunteer").get_data(as_text=True)
    assert len(re.findall(r'href="/admin/users/\d+"', first)) == 25
    assert "/admin/users?role=volunteer&amp;page=2" in first
    second = admin_client.get("/admin/users?role=volunteer&page=2").get_data(as_text=True)
    assert re.findall(r"<bdi>(helper\d+)</bdi></a>", second) == [
        f"helper{n}" for n in range(25, 30)]
    assert admin_client.get("/admin/users?page=abc").status_code == 200


# -- creating --------------------------------------------------------------------------

def test_create_a_user_with_an_initial_password(app, admin_client):
    response = admin_client.post("/admin/users/new", data={
        "username": "ruslan", "display_name": "Ruslan K.", "role": "staff",
        "language": "ru", "password": "a long password"})
    assert response.status_code == 302
    created = user(app, "ruslan")
    assert (created.display_name, created.role, created.language, created.active,
            created.must_change_password) == ("Ruslan K.", "staff", "ru", True, False)
    assert response.headers["Location"] == f"/admin/users/{created.id}"
    assert ("user_created", str(created.id)) in audit_actions(app)
    client = app.test_client()
    assert login(client, "ruslan", "a long password").headers["Location"] == "/"


def test_create_a_user_with_a_generated_password_shown_once(app, admin_client):
    response = admin_client.post("/admin/users/new", data={
        "username": "amira", "role": "volunteer", "generate": "y"})
    assert response.status_code == 200
    password = shown_password(response)
    assert len(password) >= 10
    created = user(app, "amira")
    assert created.role == "volunteer" and created.must_change_password
    assert password not in admin_client.get(f"/admin/users/{created.id}").get_data(as_text=True)
    client = app.test_client()
    assert login(client, "amira", password).headers["Location"] == "/password"


@pytest.mark.parametrize("data, field", [
    ({"username": "", "role": "staff", "password": "a long password"}, "username"),
    ({"username": "with space", "role": "staff", "password": "a long password"}, "username"),
    ({"username": "ADMIN", "role": "staff", "password": "a long password"}, "username"),
    ({"username": "amira", "role": "staff", "password": "short"}, "password"),
    ({"username": "amira", "role": "staff"}, "password"),
    ({"username": "amira", "role": "king", "password": "a long password"}, "role"),
])
def test_create_refuses_wrong_input_with_a_message_next_to_the_field(app, admin_client,
                                                                     data, field):
    response = admin_client.post("/admin/users/new?lang=en", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


# -- editing, roles, deactivating ------------------------------------------------------

def test_edit_display_name_role_and_language(app, admin_client):
    amira = add_user(app, "amira")
    response = admin_client.post(f"/admin/users/{amira}", data={
        "display_name": "Amira S.", "role": "admin", "language": "ar"})
    assert response.status_code == 302
    changed = user(app, "amira")
    assert (changed.display_name, changed.role, changed.language) == ("Amira S.", "admin", "ar")
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "user_changed"))
        assert entry.object_id == str(amira)
        assert entry.detail["role"] == ["staff", "admin"]


def test_an_admin_cannot_demote_or_deactivate_themselves(app, admin_client):
    me = user(app, "admin").id
    add_user(app, "second", role=Role.ADMIN)  # not the last admin: still refused
    response = admin_client.post(f"/admin/users/{me}?lang=en", data={
        "display_name": "Admin", "role": "staff", "language": ""})
    assert response.status_code == 400
    assert "own administrator role" in response.get_data(as_text=True)
    admin_client.post(f"/admin/users/{me}/active", data={"active": "0"})
    me_now = user(app, "admin")
    assert me_now.role == "admin" and me_now.active
    assert not [a for a, _ in audit_actions(app) if a != "login"]


def test_at_least_one_active_admin_remains(app, admin_client):
    from intranet.admin.users import is_last_active_admin

    other = add_user(app, "other", role=Role.ADMIN)
    assert admin_client.post(f"/admin/users/{other}", data={
        "display_name": "", "role": "staff", "language": ""}).status_code == 302
    assert user(app, "other").role == "staff"
    with app.app_context():
        assert is_last_active_admin(db.session.get(User, user(app, "admin").id))
        assert not is_last_active_admin(db.session.get(User, other))


def test_deactivate_and_reactivate_a_user(app, admin_client):
    amira = add_user(app, "amira")
    amira_client = app.test_client()
    login(amira_client, "amira")
    assert amira_client.get("/").status_code == 200
    assert admin_client.post(f"/admin/users/{amira}/active",
                             data={"active": "0"}).status_code == 302
    assert not user(app, "amira").active
    assert amira_client.get("/").status_code == 302  # the running session ends at once
    admin_client.post(f"/admin/users/{amira}/active", data={"active": "1"})
    assert user(app, "amira").active
    actions = audit_actions(app)
    assert ("user_deactivated", str(amira)) in actions
    assert ("user_reactivated", str(amira)) in actions


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/999").status_code == 404
    assert admin_client.post("/admin/users/999/password").status_code == 404


# -- permissions -----------------------------------------------------------------------

def test_permissions_are_grouped_by_plugin_and_saved(app, admin_client):
    amira = add_user(app, "amira", permissions=["core.reports", "gone_plugin.view"])
    page = admin_client.get(f"/admin/users/{amira}?lang=en").get_data(as_text=True)
    legends = re.findall(r"<legend>([^<]+)</legend>", page)
    assert legends[0] == "General" and "Consultations" in legends
    assert re.search(r'value="core.reports" checked', page)
    assert not re.search(r'value="consultations.view" checked', page)
    assert "gone_plugin.view" in page  # a grant of a plugin not loaded is shown and kept
    assert "Administrators hold every permission" not in page

    response = admin_client.post(f"/admin/users/{amira}/permissions", data={
        "permission": ["consultations.view", "consultations.read_notes", "made.up"]})
    assert response.status_code == 302
    assert user(app, "amira").permissions == {
        "consultations.view", "consultations.read_notes", "gone_plugin.view"}
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "user_permissions_changed"))
        assert entry.detail == {"added": ["consultations.read_notes", "consultations.view"],
                                "removed": ["core.reports"]}
    amira_client = app.test_client()
    login(amira_client, "amira")
    assert amira_client.get("/consultations/").status_code == 200
    with app.app_context():
        assert not db.session.get(User, amira).has_permission("core.reports")


def test_the_page_says_admins_hold_every_permission(app, admin_client):
    me = user(app, "admin").id
    page = admin_client.get(f"/admin/users/{me}?lang=en").get_data(as_text=True)
    assert "Administrators hold every permission" in page


# -- password reset and the forced change ----------------------------------------------

def test_reset_password_forces_a_new_one_at_the_next_login(app, admin_client):
    amira = add_user(app, "amira")
    response = admin_client.post(f"/admin/users/{amira}/password")
    assert response.status_code == 200
    temporary = shown_password(response)
    assert user(app, "amira").must_change_password
    assert ("user_password_reset", str(amira)) in audit_actions(app)

    client = app.test_client()
    assert login(client, "amira").status_code == 200  # the old password is gone
    response = login(client, "amira", temporary)
    assert response.headers["Location"] == "/password"
    for url in ("/", "/admin/users", "/consultations/", "/queue/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/password", url
    htmx = client.get("/queue/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/password"
    assert client.get("/password").status_code == 200

    too_short = client.post("/password?lang=en", data={
        "current_password": temporary, "new_password": "short", "confirm": "short"})
    assert too_short.status_code == 400 and 'id="new_password-error"' in \
        too_short.get_data(as_text=True)
    different = client.post("/password", data={
        "current_password": temporary,
        "new_password": "my own long password", "confirm": "my own long passwort"})
    assert different.status_code == 400
    same = client.post("/password", data={"current_password": temporary,
                                          "new_password": temporary, "confirm": temporary})
    assert same.status_code == 400
    # The forced change, too, asks for the temporary password.
    without = client.post("/password?lang=en", data={
        "new_password": "my own long password", "confirm": "my own long password"})
    assert without.status_code == 400 and 'id="current_password-error"' in \
        without.get_data(as_text=True)
    assert user(app, "amira").must_change_password

    response = client.post("/password", data={
        "current_password": temporary,
        "new_password": "my own long password", "confirm": "my own long password"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not user(app, "amira").must_change_password
    assert client.get("/").status_code == 200
    assert ("password_changed", str(amira)) in audit_actions(app)
    client.post("/logout")
    assert login(client, "amira", "my own long password").headers["Location"] == "/"


def test_the_forced_change_keeps_the_next_page(app):
    add_user(app, "amira")
    with app.app_context():
        db.session.scalar(db.select(User).where(User.username == "amira")) \
            .must_change_password = True
        db.session.commit()
    client = app.test_client()
    response = client.post("/login?next=/reports/", data={
        "username": "amira", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/password?next=/reports/"
    response = client.post("/password?next=/reports/", data={
        "current_password": DEFAULT_PASSWORD,
        "new_password": "another long password", "confirm": "another long password"})
    assert response.headers["Location"] == "/reports/"


def test_every_staff_member_can_change_their_own_password(app):
    add_user(app, "amira", role=Role.VOLUNTEER)
    client = app.test_client()
    login(client, "amira")
    assert client.get("/password").status_code == 200
    wrong = client.post("/password?lang=en", data={
        "current_password": "not my password", "new_password": "a new long password",
        "confirm": "a new long password"})
    assert wrong.status_code == 400 and 'id="current_password-error"' in \
        wrong.get_data(as_text=True)
    right = client.post("/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "a new long password",
        "confirm": "a new long password"})
    assert right.status_code == 302
    client.post("/logout")
    assert login(client, "amira", "a new long password").status_code == 302


def test_the_password_page_needs_a_login(client):
    response = client.get("/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_admin_forms_refuse_posts_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "admin", role=Role.ADMIN)
    amira = add_user(app, "amira")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": DEFAULT_PASSWORD,
                                "csrf_token": token})
    assert client.post(f"/admin/users/{amira}/password").status_code == 400
    assert client.post(f"/admin/users/{amira}/active", data={"active": "0"}).status_code == 400
    assert not user(app, "amira").must_change_password and user(app, "amira").active


def test_admin_forms_work_with_the_csrf_token_of_the_page(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "admin", role=Role.ADMIN)
    amira = add_user(app, "amira")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": DEFAULT_PASSWORD,
                                "csrf_token": token})
    page = client.get(f"/admin/users/{amira}").get_data(as_text=True)
    form = re.search(rf'action="/admin/users/{amira}/active">(.*?)</form>', page, re.S).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(f"/admin/users/{amira}/active",
                           data={"active": "0", "csrf_token": token})
    assert response.status_code == 302 and not user(app, "amira").active


# -- roles cap permissions --------------------------------------------------------------

def test_a_volunteer_cannot_be_given_a_confidential_permission(app, admin_client):
    helper = add_user(app, "helper", role=Role.VOLUNTEER)
    page = admin_client.get(f"/admin/users/{helper}?lang=en").get_data(as_text=True)
    assert re.search(r'value="consultations.read_notes" disabled', page)
    assert "Not for volunteers" in page
    response = admin_client.post(f"/admin/users/{helper}/permissions?lang=en", data={
        "permission": ["consultations.view", "consultations.read_notes"]})
    assert response.status_code == 302
    assert user(app, "helper").permissions == set()  # nothing saved
    page = admin_client.get(f"/admin/users/{helper}?lang=en").get_data(as_text=True)
    assert "Volunteers cannot be given confidential permissions" in page
    admin_client.post(f"/admin/users/{helper}/permissions", data={
        "permission": ["consultations.view"]})
    assert user(app, "helper").permissions == {"consultations.view"}


def test_demoting_to_volunteer_removes_confidential_grants(app, admin_client):
    amira = add_user(app, "amira", permissions=["consultations.view",
                                                "consultations.read_notes"])
    response = admin_client.post(f"/admin/users/{amira}", data={
        "display_name": "Amira", "role": "volunteer", "language": ""})
    assert response.status_code == 302
    assert user(app, "amira").permissions == {"consultations.view"}
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "user_permissions_changed"))
        assert entry.object_id == str(amira)
        assert entry.detail == {"added": [], "removed": ["consultations.read_notes"],
                                "reason": "role_volunteer"}


def test_a_volunteers_stored_confidential_grant_counts_for_nothing(app):
    helper = add_user(app, "helper", role=Role.VOLUNTEER,
                      permissions=["consultations.view", "consultations.read_notes"])
    staff = add_user(app, "amira", permissions=["consultations.read_notes"])
    with app.test_request_context("/"):
        assert db.session.get(User, helper).has_permission("consultations.view")
        assert not db.session.get(User, helper).has_permission("consultations.read_notes")
        assert db.session.get(User, staff).has_permission("consultations.read_notes")
    client = app.test_client()
    login(client, "helper")
    assert client.get("/consultations/").status_code == 200  # the view right still works
