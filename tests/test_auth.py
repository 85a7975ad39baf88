"""Login, logout, inactive users, the login guard on every page, CSRF, idle sessions."""

from __future__ import annotations

import re

import pytest

from intranet.testing import DEFAULT_PASSWORD, add_user, login

PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.login_code", "main.healthz", "main.area_colours",
                    "main.favicon"}


def test_login_and_logout(app, client):
    add_user(app, "amira")
    response = login(client, "amira")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Amira" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_for_the_user_name(app, client):
    add_user(app, "Ruslan")
    assert login(client, "ruslan").status_code == 302


def test_wrong_password_is_refused_with_a_message(app, client):
    add_user(app, "amira")
    response = login(client, "amira", "not the password")
    assert response.status_code == 200
    assert "Benutzername oder Passwort ist falsch" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_user_is_refused(app, client):
    add_user(app, "former", active=False)
    response = login(client, "former")
    assert response.status_code == 200
    assert "deaktiviert" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_user_deactivated_while_logged_in_is_logged_out(app, client):
    from intranet.auth.models import User
    from intranet.core.extensions import db

    user_id = add_user(app, "amira")
    login(client, "amira")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_next_only_follows_local_paths(app, client):
    add_user(app, "amira")
    response = client.post("/login?next=https://evil.example/", data={
        "username": "amira", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/admin/plugins", data={
        "username": "amira", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/admin/plugins"


def _example_url(rule) -> str:
    from werkzeug.routing import IntegerConverter

    values = {arg: ("1" if isinstance(rule._converters[arg], IntegerConverter) else "x")
              for arg in rule.arguments}
    url = rule.rule
    for arg, value in values.items():
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", value, url)
    return url


def test_every_intranet_route_sends_an_anonymous_user_to_login(app):
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.endswith(".static") \
                or getattr(view, "_mittelpunkt_public", False):
            continue
        url = _example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
            checked += 1
    assert checked >= 8  # the core's pages and every plugin's overview


def test_a_form_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "amira")
    client = app.test_client()
    response = client.post("/login", data={"username": "amira", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Nichts wurde gespeichert" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_login_with_csrf_token_works(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "amira")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={
        "username": "amira", "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    logout_without_token = client.post("/logout")
    assert logout_without_token.status_code == 400


@pytest.mark.parametrize("minutes_idle, logged_in", [(5, True), (31, False)])
def test_session_ends_after_inactivity(app, client, minutes_idle, logged_in):
    add_user(app, "amira")
    login(client, "amira")
    with client.session_transaction() as session:
        session["seen"] -= minutes_idle * 60
    response = client.get("/")
    assert (response.status_code == 200) is logged_in


def test_passwords_are_stored_hashed(app):
    from intranet.auth.models import User
    from intranet.core.extensions import db

    user_id = add_user(app, "amira")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
    assert DEFAULT_PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_only_known_pages_are_public(app):
    """A page reachable without login is a deliberate choice, listed here."""
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "_mittelpunkt_public", False)}
    assert public == {
        "main.healthz", "main.area_colours", "main.favicon", "main.offer_page",
        # the public weekly programme, its poster and feed; the school-system explainer
        "programme.programme", "programme.poster", "programme.ics", "school_guidance.explainer",
        # the kiosk's screens (check-in itself needs a paired browser) and the board
        "kiosk.start", "kiosk.pair", "kiosk.pair_link", "kiosk.checkin", "kiosk.details",
        "kiosk.ticket", "kiosk.offers", "kiosk.offers_list", "kiosk.offer_qr_image", "kiosk.board",
        "kiosk.board_calls", "kiosk.board_speech",
    }


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example",
                                    "/\t/evil.example"])
def test_next_after_login_and_password_change_stays_on_the_site(app, target):
    add_user(app, "amira")
    client = app.test_client()
    response = client.post("/login", query_string={"next": target}, data={
        "username": "amira", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/"
    response = client.post("/password", query_string={"next": target}, data={
        "current_password": DEFAULT_PASSWORD, "new_password": "Kompass Wolke Gießkanne",
        "confirm": "Kompass Wolke Gießkanne"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_get_with_lang_changes_only_the_session(app, client):
    from intranet.auth.models import User
    from intranet.core.extensions import db

    user_id = add_user(app, "amira")
    login(client, "amira")
    assert client.get("/?lang=en").status_code == 200
    with app.app_context():
        assert db.session.get(User, user_id).language is None
