"""The second factor: set-up with a QR code, two-step login, replay and recovery codes,
who must have it (admins, holders of a confidential permission), the demo's exemption,
switching it off and an admin's reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from intranet.audit.models import AuditEntry
from intranet.auth.models import RecoveryCode, Role, User
from intranet.core.extensions import db
from intranet.testing import (
    DEFAULT_PASSWORD,
    add_user,
    demo_client,
    login,
)


def audit_entries(app, action):
    with app.app_context():
        return [(e.object_id, e.detail) for e in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def set_up(client) -> tuple[str, list[str]]:
    """Switch the second factor on through the pages; returns the secret and the codes."""
    client.post("/account/two-factor/start")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'class="two-factor-secret" dir="ltr">([A-Z2-7 ]+)</code>',
                       page).group(1).replace(" ", "")
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r'<li><code dir="ltr">([a-z0-9-]+)</code></li>',
                       response.get_data(as_text=True))
    return secret, codes


def step_back(app, username, steps=3):
    """Pretend the last accepted code was some time steps ago (tests run within one step)."""
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        user.totp_last_step -= steps
        db.session.commit()


def code_at_previous_step(secret):
    return pyotp.TOTP(secret).at(time.time() - 30)


def test_set_up_shows_a_qr_code_and_the_key_and_needs_a_valid_code(app):
    user_id = add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'action="/account/two-factor/start"' in page
    with app.app_context():
        assert db.session.get(User, user_id).totp_secret is None  # a GET stores nothing
    assert client.post("/account/two-factor/start").headers["Location"] == \
        "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and 'class="two-factor-qr"' in page
    wrong = client.post("/account/two-factor?lang=en", data={"code": "000000"})
    assert wrong.status_code == 400 and "code is wrong" in wrong.get_data(as_text=True)
    nonsense = client.post("/account/two-factor", data={"code": "x" * 500})
    assert nonsense.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).totp_confirmed_at is None
    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_confirmed_at is not None and user.totp_secret == secret
        stored = [r.code_hash for r in db.session.scalars(db.select(RecoveryCode))]
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert audit_entries(app, "two_factor_enabled") == [(str(user_id), {})]
    assert "A login asks for a code" in client.get("/account/?lang=en").get_data(as_text=True)


def test_login_takes_two_steps_and_the_password_alone_logs_nobody_in(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(app, "amira")

    response = login(client, "amira")
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # not logged in yet
    assert client.get("/account/").headers["Location"].startswith("/login")
    page = client.get("/login/code")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.get_data(
        as_text=True)
    wrong = client.post("/login/code", data={"code": "123456"})
    assert wrong.status_code == 200 and client.get("/").status_code == 302
    response = client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_code_step_keeps_the_next_page(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(app, "amira")
    client.post("/login?next=/reports/", data={"username": "amira",
                                               "password": DEFAULT_PASSWORD})
    response = client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/reports/"


def test_a_code_is_never_accepted_twice(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(app, "amira")
    code = pyotp.TOTP(secret).now()
    login(client, "amira")
    assert client.post("/login/code", data={"code": code}).headers["Location"] == "/"
    client.post("/logout")

    other = app.test_client()  # someone who read the code over the shoulder
    login(other, "amira")
    replay = other.post("/login/code?lang=en", data={"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.get_data(as_text=True)
    assert other.get("/").status_code == 302
    # An older step than the last accepted one is refused as well.
    assert other.post("/login/code", data={"code": code_at_previous_step(secret)}
                      ).status_code == 200
    assert other.get("/").status_code == 302


def test_a_recovery_code_works_once(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    _secret, codes = set_up(client)
    client.post("/logout")

    login(client, "amira")
    response = client.post("/login/code", data={"code": codes[0].upper()})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "9" in client.get("/").get_data(as_text=True)  # "… 9 left"
    client.post("/logout")
    login(client, "amira")
    again = client.post("/login/code", data={"code": codes[0]})
    assert again.status_code == 200 and client.get("/").status_code == 302
    assert client.post("/login/code", data={"code": codes[1]}).status_code == 302
    assert len(audit_entries(app, "recovery_code_used")) == 2


def test_new_recovery_codes_replace_the_old_ones_and_need_the_password(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    _secret, old = set_up(client)
    wrong = client.post("/account/two-factor/recovery-codes",
                        data={"codes-password": "not my password"})
    assert wrong.status_code == 400
    response = client.post("/account/two-factor/recovery-codes",
                           data={"codes-password": DEFAULT_PASSWORD})
    new = re.findall(r'<li><code dir="ltr">([a-z0-9-]+)</code></li>',
                     response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    login(client, "amira")
    assert client.post("/login/code", data={"code": old[0]}).status_code == 200
    assert client.post("/login/code", data={"code": new[0]}).status_code == 302


def test_the_pending_login_expires(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(app, "amira")
    login(client, "amira")
    with client.session_transaction() as session:
        pending = dict(session["pending_login"])
        pending["at"] -= 6 * 60
        session["pending_login"] = pending
    response = client.post("/login/code?lang=en", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert "ran out" in client.get("/login").get_data(as_text=True)


def test_wrong_codes_are_throttled_like_passwords(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(app, "amira")
    login(client, "amira")
    for _ in range(5):
        client.post("/login/code", data={"code": "000000"})
    locked = client.post("/login/code?lang=en", data={"code": pyotp.TOTP(secret).now()})
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302
    failed = audit_entries(app, "login_failed")
    assert len(failed) == 5 and all(d == {"step": "second_factor"} for _id, d in failed)
    assert audit_entries(app, "login_throttled")


def test_switching_off_needs_password_and_a_current_code(app):
    user_id = add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    step_back(app, "amira")
    no_code = client.post("/account/two-factor/off", data={"off-password": DEFAULT_PASSWORD,
                                                           "off-code": "000000"})
    assert no_code.status_code == 400
    no_password = client.post("/account/two-factor/off", data={
        "off-password": "wrong", "off-code": pyotp.TOTP(secret).now()})
    assert no_password.status_code == 400
    response = client.post("/account/two-factor/off", data={
        "off-password": DEFAULT_PASSWORD, "off-code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_secret is None and user.totp_confirmed_at is None
        assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    assert audit_entries(app, "two_factor_disabled") == [(str(user_id), {})]
    client.post("/logout")
    assert login(client, "amira").headers["Location"] == "/"  # one step again


# -- who must have it ----------------------------------------------------------------

@pytest.fixture
def strict_app(make_app):
    return make_app(TWO_FACTOR_REQUIRED=True)


def test_an_admin_must_set_it_up_before_any_page_opens(strict_app):
    app = strict_app
    add_user(app, "chef", role=Role.ADMIN)
    client = app.test_client()
    response = login(client, "chef")
    assert response.headers["Location"] == "/account/two-factor"
    for url in ("/", "/admin/users", "/consultations/", "/account/", "/queue/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/two-factor", url
    htmx = client.get("/queue/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/account/two-factor"
    assert "confidential data" in client.get("/account/two-factor?lang=en").get_data(
        as_text=True)
    secret, _codes = set_up(client)
    assert client.get("/admin/users").status_code == 200
    assert "cannot be switched off" in client.get("/account/?lang=en").get_data(as_text=True)
    # Required: it cannot be switched off.
    step_back(app, "chef")
    off = client.post("/account/two-factor/off", data={
        "off-password": DEFAULT_PASSWORD, "off-code": pyotp.TOTP(secret).now()})
    assert off.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.username == "chef")
                                 ).totp_confirmed_at is not None


def test_staff_with_a_confidential_permission_must_set_it_up(strict_app):
    app = strict_app
    add_user(app, "berater", permissions=["consultations.view", "consultations.read_notes"])
    add_user(app, "kursleitung", permissions=["consultations.view"])
    client = app.test_client()
    assert login(client, "berater").headers["Location"] == "/account/two-factor"
    assert client.get("/consultations/").headers["Location"] == "/account/two-factor"
    other = app.test_client()
    assert login(other, "kursleitung").headers["Location"] == "/"
    assert other.get("/consultations/").status_code == 200


def test_the_requirement_can_be_switched_off_by_setting(app):
    add_user(app, "chef", role=Role.ADMIN)
    client = app.test_client()
    assert login(client, "chef").headers["Location"] == "/"


def test_the_demo_admin_is_exempt_but_not_a_new_admin(make_demo_app):
    app = make_demo_app(TWO_FACTOR_REQUIRED=True)
    client = demo_client(app)
    assert client.get("/").status_code == 200
    assert client.get("/admin/users").status_code == 200
    add_user(app, "chefin", role=Role.ADMIN)
    other = app.test_client()
    assert login(other, "chefin").headers["Location"] == "/account/two-factor"


def test_the_cli_ends_the_demo_exemption(make_demo_app):
    from intranet.testing import DEMO_PASSWORD

    app = make_demo_app(TWO_FACTOR_REQUIRED=True)
    result = app.test_cli_runner().invoke(args=["users", "require-two-factor"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "admin", DEMO_PASSWORD).headers["Location"] == "/account/two-factor"


def test_an_admin_resets_a_lost_second_factor(app, admin_client):
    user_id = add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    set_up(client)
    page = admin_client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert f"/admin/users/{user_id}/two-factor" in page
    response = admin_client.post(f"/admin/users/{user_id}/two-factor")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # her sessions ended
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_secret is None and user.totp_confirmed_at is None
    assert audit_entries(app, "user_two_factor_reset") == [(str(user_id), {})]
    assert login(client, "amira").headers["Location"] == "/"


def test_the_account_page_refuses_bad_input_without_an_error_page(app):
    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    assert client.get("/account/").status_code == 200
    assert client.post("/account/language", data={"language": "xx"}).status_code == 400
    assert client.post("/account/two-factor/off", data={"off-code": "1" * 500}
                       ).status_code == 302  # not on: nothing to switch off
    assert client.post("/login/code", data={"code": "1"}).status_code == 302


def test_the_whole_flow_works_with_csrf_protection(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "amira")
    client = app.test_client()

    def token(url):
        page = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    client.post("/login", data={"username": "amira", "password": DEFAULT_PASSWORD,
                                "csrf_token": token("/login")})
    client.post("/account/two-factor/start", data={"csrf_token": token("/account/two-factor")})
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'class="two-factor-secret" dir="ltr">([A-Z2-7 ]+)</code>',
                       page).group(1).replace(" ", "")
    assert client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()}
                       ).status_code == 400  # no token
    response = client.post("/account/two-factor", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": token("/account/two-factor")})
    assert response.status_code == 200
    client.post("/logout", data={"csrf_token": token("/account/")})
    step_back(app, "amira")
    client.post("/login", data={"username": "amira", "password": DEFAULT_PASSWORD,
                                "csrf_token": token("/login")})
    response = client.post("/login/code", data={"code": pyotp.TOTP(secret).now(),
                                                "csrf_token": token("/login/code")})
    assert response.status_code == 302 and client.get("/").status_code == 200


@pytest.mark.postgres
def test_a_code_accepted_by_one_server_is_refused_by_the_other(make_app, postgres_url):
    first = make_app(DATABASE_URL=postgres_url)
    second = make_app(DATABASE_URL=postgres_url)
    add_user(first, "amira")
    client = first.test_client()
    login(client, "amira")
    secret, _codes = set_up(client)
    client.post("/logout")
    step_back(first, "amira")
    code = pyotp.TOTP(secret).now()
    on_first, on_second = first.test_client(), second.test_client()
    login(on_first, "amira")
    login(on_second, "amira")
    assert on_first.post("/login/code", data={"code": code}).status_code == 302
    assert on_second.post("/login/code", data={"code": code}).status_code == 200
    assert on_first.get("/").status_code == 200 and on_second.get("/").status_code == 302
