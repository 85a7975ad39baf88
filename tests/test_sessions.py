"""Staff sessions the server can end: a copied session cookie stops working after logout,
a password change, an admin's reset, "end all sessions" and deactivation; sessions also
end after an absolute lifetime. On PostgreSQL, two servers sharing one database agree."""

from __future__ import annotations

import pytest

from intranet.audit.models import AuditEntry
from intranet.auth.models import Role, User
from intranet.core.extensions import db
from intranet.testing import DEFAULT_PASSWORD, add_user, login

NEW_PASSWORD = "Kompass Wolke Gießkanne"


def copy_cookie(source, target) -> None:
    """Put ``source``'s session cookie into ``target`` (as a thief would)."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def logged_in_pair(app, username="amira"):
    """A logged-in client and a second client holding a copy of its cookie."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    thief = app.test_client()
    copy_cookie(client, thief)
    assert thief.get("/").status_code == 200  # a copy works while the session lives
    return client, thief


def test_a_copied_cookie_stops_working_after_logout(app):
    add_user(app, "amira")
    client, thief = logged_in_pair(app)
    client.post("/logout")
    response = thief.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert thief.get("/people/").status_code == 302


def test_logout_ends_every_session_of_the_user(app):
    add_user(app, "amira")
    office = app.test_client()
    login(office, "amira")
    laptop = app.test_client()
    login(laptop, "amira")
    office.post("/logout")
    assert laptop.get("/").status_code == 302


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(app):
    add_user(app, "amira")
    client, thief = logged_in_pair(app)
    response = client.post("/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert thief.get("/").status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "amira"))
        assert user.password_changed_at is not None


def test_an_admin_reset_ends_the_users_sessions(app, admin_client):
    user_id = add_user(app, "amira")
    _client, thief = logged_in_pair(app)
    assert admin_client.post(f"/admin/users/{user_id}/password").status_code == 200
    # The old session can neither open pages nor choose a password without the temporary one.
    assert thief.get("/").status_code == 302
    response = thief.post("/password", data={"new_password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.must_change_password and not user.check_password(NEW_PASSWORD)


def test_the_forced_change_asks_for_the_temporary_password(app):
    user_id = add_user(app, "amira")
    with app.app_context():
        db.session.get(User, user_id).must_change_password = True
        db.session.commit()
    client = app.test_client()
    assert login(client, "amira").headers["Location"].startswith("/password")
    refused = client.post("/password?lang=en", data={"new_password": NEW_PASSWORD,
                                                     "confirm": NEW_PASSWORD})
    assert refused.status_code == 400
    assert "temporary password" in refused.get_data(as_text=True)
    accepted = client.post("/password", data={"current_password": DEFAULT_PASSWORD,
                                              "new_password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302 and client.get("/").status_code == 200


def test_an_admin_ends_all_sessions_of_a_user(app, admin_client):
    user_id = add_user(app, "amira")
    client, thief = logged_in_pair(app)
    page = admin_client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert f'action="/admin/users/{user_id}/sessions"' in page
    assert admin_client.get(f"/admin/users/{user_id}/sessions").status_code == 405
    response = admin_client.post(f"/admin/users/{user_id}/sessions")
    assert response.status_code == 302
    assert client.get("/").status_code == 302 and thief.get("/").status_code == 302
    assert admin_client.get("/").status_code == 200  # the admin's own session goes on
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action == "user_sessions_ended")).all()
        assert [(e.object_id, e.detail) for e in entries] == [(str(user_id), {})]
    assert login(client, "amira").status_code == 302  # she can log in again


def test_deactivation_ends_sessions_for_good(app, admin_client):
    user_id = add_user(app, "amira")
    _client, thief = logged_in_pair(app)
    admin_client.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    assert thief.get("/").status_code == 302
    admin_client.post(f"/admin/users/{user_id}/active", data={"active": "1"})
    assert thief.get("/").status_code == 302  # reactivation does not revive the old cookie


def test_a_session_without_its_token_is_logged_out(app, client):
    add_user(app, "amira")
    login(client, "amira")
    with client.session_transaction() as session:
        session.pop("token")
    response = client.get("/?lang=en")
    assert response.status_code == 302
    assert "Your session was ended" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("hours, logged_in", [(11, True), (13, False)])
def test_a_session_ends_after_its_absolute_lifetime(app, client, hours, logged_in):
    add_user(app, "amira")
    login(client, "amira")
    with client.session_transaction() as session:
        session["started"] -= hours * 3600  # active all the while: "seen" stays fresh
    assert (client.get("/").status_code == 200) is logged_in


def test_the_absolute_lifetime_is_a_setting(make_app):
    app = make_app(SESSION_ABSOLUTE_HOURS=1)
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    with client.session_transaction() as session:
        session["started"] -= 2 * 3600
    assert client.get("/").status_code == 302


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_end_sessions_together(make_app, postgres_url):
    first = make_app(DATABASE_URL=postgres_url)
    second = make_app(DATABASE_URL=postgres_url)
    add_user(first, "amira")
    add_user(first, "chef", role=Role.ADMIN)
    on_first = first.test_client()
    assert login(on_first, "amira").status_code == 302
    on_second = second.test_client()
    copy_cookie(on_first, on_second)  # a load balancer may send the next request anywhere
    assert on_second.get("/").status_code == 200
    on_first.post("/logout")
    assert on_second.get("/").status_code == 302

    assert login(on_second, "amira").status_code == 302
    admin = first.test_client()
    login(admin, "chef")
    with first.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.username == "amira"))
    admin.post(f"/admin/users/{user_id}/sessions")
    assert on_second.get("/").status_code == 302
