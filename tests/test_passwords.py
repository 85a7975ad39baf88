"""The password policy (at least 12 characters, zxcvbn score 3 or more, the user's own
words count against it) everywhere a password is set: own change, an admin's initial
password, ``flask users create``; generated passwords always pass."""

from __future__ import annotations

import pytest

from intranet.auth.models import User
from intranet.auth.passwords import MIN_LENGTH, generate_password, password_problems
from intranet.core.extensions import db
from intranet.testing import DEFAULT_PASSWORD, add_user, login


@pytest.mark.parametrize("password", [
    "password12", "password1234", "qwertzuiopas", "aaaaaaaaaaaaaa", "123456789012",
    "Mittelpunkt2024", "amira amira amira",
])
def test_weak_passwords_are_refused_with_advice(app, password):
    with app.test_request_context("/?lang=en"):
        problems = password_problems(password, ["amira", "Amira", "Mittelpunkt Hüttenstraße"])
    assert problems, password
    assert any("unrelated words" in p for p in problems)


def test_the_reason_is_named(app):
    with app.test_request_context("/?lang=en"):
        assert "most common passwords" in " ".join(password_problems("password1234"))
        assert "your name" in " ".join(password_problems("amirasultani1", ["amirasultani"]))
        assert f"at least {MIN_LENGTH} characters" in password_problems("short")[0]
        assert "at most" in password_problems("x" * 201)[0]


@pytest.mark.parametrize("password", ["Kompass Wolke Gießkanne", "tulpe radweg mondschein 7",
                                      "correct horse battery"])
def test_long_unrelated_words_pass(app, password):
    with app.test_request_context("/"):
        assert password_problems(password, ["amira"]) == []


def test_generated_passwords_are_long_and_pass(app):
    with app.test_request_context("/"):
        for _ in range(20):
            password = generate_password()
            assert len(password) >= 20 and password_problems(password) == []


def test_own_password_change_refuses_a_weak_one(app, client):
    add_user(app, "amira")
    login(client, "amira")
    response = client.post("/password?lang=en", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "password12",
        "confirm": "password12"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="new_password-error"' in page and "too easy to guess" not in page  # too short
    response = client.post("/password?lang=en", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "password1234",
        "confirm": "password1234"})
    assert response.status_code == 400 and "too easy to guess" in response.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User)).check_password(DEFAULT_PASSWORD)


def test_an_admins_initial_password_follows_the_policy(app, admin_client):
    response = admin_client.post("/admin/users/new?lang=en", data={
        "username": "ruslan", "role": "staff", "password": "ruslan123456"})
    assert response.status_code == 400
    assert "too easy to guess" in response.get_data(as_text=True)
    assert admin_client.post("/admin/users/new", data={
        "username": "ruslan", "role": "staff", "password": "Kompass Wolke Gießkanne"}
    ).status_code == 302


def test_an_admin_reset_gives_a_password_that_passes(app, admin_client):
    import re

    user_id = add_user(app, "amira")
    page = admin_client.post(f"/admin/users/{user_id}/password").get_data(as_text=True)
    password = re.search(r'class="one-time-password"><code dir="ltr">([^<]+)</code>',
                         page).group(1)
    with app.test_request_context("/"):
        assert len(password) >= 20 and password_problems(password) == []


def test_the_cli_refuses_a_weak_password_with_a_clear_message(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "password12")
    result = runner.invoke(args=["users", "create", "olena"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "olena1234567")
    result = runner.invoke(args=["users", "create", "olena"])
    assert result.exit_code != 0 and "too easy to guess" in result.output
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "tulpe radweg mondschein 7")
    assert runner.invoke(args=["users", "create", "olena"]).exit_code == 0
