"""Login throttling: per account and per address, growing locks, a message that does not
reveal whether the account exists, keyed hashes in the table, audit entries without the
typed name or the address, and one shared state for several servers on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from intranet.audit.models import AuditEntry
from intranet.auth.models import LoginThrottle, User
from intranet.core.extensions import db
from intranet.core.timeutil import utcnow
from intranet.testing import DEFAULT_PASSWORD, add_user, login


def attempt(client, username, password="wrong password", addr="10.0.0.7", lang="en"):
    return client.post(f"/login?lang={lang}", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def audit_rows(app):
    with app.app_context():
        return [(e.action, e.object_type, e.object_id, e.detail) for e in db.session.scalars(
            db.select(AuditEntry).order_by(AuditEntry.id))]


def throttle_rows(app):
    with app.app_context():
        return db.session.scalars(db.select(LoginThrottle)).all()


def test_five_failures_lock_the_account_even_for_the_right_password(app, client):
    user_id = add_user(app, "amira")
    for n in range(4):
        response = attempt(client, "amira")
        assert response.status_code == 200, n
        assert "User name or password is wrong" in response.get_data(as_text=True)
    fifth = attempt(client, "amira")
    assert fifth.status_code == 429
    assert "Too many failed attempts. Please wait 1 minute and try again." in \
        fifth.get_data(as_text=True)
    right = attempt(client, "amira", DEFAULT_PASSWORD)
    assert right.status_code == 429 and client.get("/").status_code == 302
    # From another address the account is locked all the same.
    assert attempt(app.test_client(), "amira", DEFAULT_PASSWORD, addr="10.9.9.9"
                   ).status_code == 429
    rows = audit_rows(app)
    assert [r[0] for r in rows] == ["login_failed"] * 5 + ["login_throttled"] * 2
    assert all(r[1:3] == ("user", str(user_id)) for r in rows)
    assert all("amira" not in str(r) and "10.0.0.7" not in str(r) for r in rows)


def test_unknown_names_are_locked_alike_and_the_answer_does_not_tell(app, client):
    add_user(app, "amira")
    known = [attempt(client, "amira", addr="10.0.0.1") for _ in range(6)]
    unknown = [attempt(client, "nobody", addr="10.0.0.2") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] \
        == [200] * 4 + [429] * 2
    assert known[-1].get_data(as_text=True).replace("amira", "nobody") \
        .split("<main")[1].split("</main>")[0] == \
        unknown[-1].get_data(as_text=True).split("<main")[1].split("</main>")[0]
    failed = [r for r in audit_rows(app) if r[0] == "login_failed" and r[2] == ""]
    assert len(failed) == 5  # the unknown name's failures: no object, no typed name


def test_an_unknown_name_costs_a_password_check_too(app, client, monkeypatch):
    import intranet.auth.views

    calls = []
    real = intranet.auth.views.check_password_hash
    monkeypatch.setattr(intranet.auth.views, "check_password_hash",
                        lambda *args: calls.append(1) or real(*args))
    attempt(client, "nobody")
    assert calls == [1]


def test_many_names_from_one_address_lock_that_address(app):
    add_user(app, "amira")
    client = app.test_client()
    for name in ("a1", "b2", "c3", "d4", "e5"):
        attempt(client, name, addr="10.0.0.66")
    assert attempt(client, "amira", DEFAULT_PASSWORD, addr="10.0.0.66").status_code == 429
    elsewhere = app.test_client()
    assert attempt(elsewhere, "amira", DEFAULT_PASSWORD, addr="10.0.0.67").status_code == 302


def test_the_table_holds_keyed_hashes_only(app, client):
    add_user(app, "amira")
    attempt(client, "Amira", addr="192.0.2.44")
    rows = throttle_rows(app)
    assert len(rows) == 2 and all(r.failures == 1 for r in rows)
    for row in rows:
        assert len(row.key) == 64 and int(row.key, 16) >= 0
        assert "amira" not in row.key.lower() and "192.0.2.44" not in row.key
    attempt(client, "AMIRA ", addr="192.0.2.44")  # same account whatever the case
    assert sorted(r.failures for r in throttle_rows(app)) == [2, 2]


def test_locks_grow_and_are_capped(app):
    from intranet.auth.throttle import lock_minutes

    with app.app_context():
        assert [lock_minutes(n) for n in (1, 4, 5, 6, 7, 8, 11, 12, 40)] == \
            [0, 0, 1, 2, 4, 8, 60, 60, 60]


def test_a_lock_runs_out_and_a_success_clears_the_counters(app, client):
    add_user(app, "amira")
    for _ in range(5):
        attempt(client, "amira")
    with app.app_context():
        for row in db.session.scalars(db.select(LoginThrottle)):
            row.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    # The sixth failure in a row locks for two minutes.
    sixth = attempt(client, "amira")
    assert "Please wait 2 minutes" in sixth.get_data(as_text=True)
    with app.app_context():
        for row in db.session.scalars(db.select(LoginThrottle)):
            row.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert attempt(client, "amira", DEFAULT_PASSWORD).status_code == 302
    assert throttle_rows(app) == []


def test_counters_start_again_after_a_quiet_period(app, client):
    add_user(app, "amira")
    for _ in range(4):
        attempt(client, "amira")
    with app.app_context():
        for row in db.session.scalars(db.select(LoginThrottle)):
            row.last_failure_at = utcnow() - timedelta(minutes=61)
        db.session.commit()
    assert attempt(client, "amira").status_code == 200  # counted as the first again
    assert [r.failures for r in throttle_rows(app)] == [1, 1]


def test_wrong_current_passwords_count_toward_the_lock(app, client):
    add_user(app, "amira")
    login(client, "amira")
    for _ in range(5):
        response = client.post("/password?lang=en", data={
            "current_password": "guess", "new_password": "Kompass Wolke Gießkanne",
            "confirm": "Kompass Wolke Gießkanne"})
        assert response.status_code == 400
    assert "Too many failed attempts" in response.get_data(as_text=True)
    client.post("/logout")
    assert attempt(app.test_client(), "amira", DEFAULT_PASSWORD).status_code == 429


def test_the_fresh_password_check_counts_and_refuses_when_locked(app):
    from flask_login import login_user

    from intranet.auth.reauth import password_confirmed

    user_id = add_user(app, "amira")
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.1.1.1"}):
        login_user(db.session.get(User, user_id))
        assert password_confirmed(DEFAULT_PASSWORD, "export")
        assert not any(password_confirmed("guess", "export") for _ in range(5))
        assert not password_confirmed(DEFAULT_PASSWORD, "export")  # locked now
        db.session.commit()
    assert len([r for r in audit_rows(app) if r[0] == "reauth_failed"]) == 6


def test_login_form_bounds(app, client):
    response = client.post("/login?lang=en", data={"username": "a" * 5000,
                                                  "password": "b" * 5000})
    assert response.status_code == 400
    assert throttle_rows(app) == []  # refused before any lookup


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_share_the_count(make_app, postgres_url):
    first = make_app(DATABASE_URL=postgres_url)
    second = make_app(DATABASE_URL=postgres_url)
    add_user(first, "amira")
    on_first, on_second = first.test_client(), second.test_client()
    for _ in range(3):
        assert attempt(on_first, "amira", addr="10.0.0.1").status_code == 200
    assert attempt(on_second, "amira", addr="10.0.0.2").status_code == 200
    assert attempt(on_second, "amira", addr="10.0.0.3").status_code == 429  # the fifth
    assert attempt(on_first, "amira", DEFAULT_PASSWORD, addr="10.0.0.4").status_code == 429
    assert attempt(on_second, "amira", DEFAULT_PASSWORD, addr="10.0.0.5").status_code == 429


@pytest.mark.postgres
def test_concurrent_failures_on_postgresql_are_all_counted(make_app, postgres_url):
    apps = [make_app(DATABASE_URL=postgres_url) for _ in range(2)]
    add_user(apps[0], "amira")
    start = threading.Barrier(8)

    def fail(app):
        client = app.test_client()
        start.wait()
        attempt(client, "amira", addr="10.0.0.8")

    threads = [threading.Thread(target=fail, args=(apps[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with apps[0].app_context():
        counts = sorted(r.failures for r in db.session.scalars(db.select(LoginThrottle)))
    assert counts == [8, 8]


def test_behind_a_proxy_the_clients_address_counts(make_app):
    app = make_app(LOGIN_THROTTLE_PROXIES=1)
    add_user(app, "amira")
    client = app.test_client()
    for n in range(5):
        client.post("/login", data={"username": f"guess{n}", "password": "x"},
                    headers={"X-Forwarded-For": "203.0.113.9"},
                    environ_base={"REMOTE_ADDR": "127.0.0.1"})
    blocked = client.post("/login", data={"username": "amira", "password": DEFAULT_PASSWORD},
                          headers={"X-Forwarded-For": "203.0.113.9"})
    assert blocked.status_code == 429
    # Another visitor behind the same proxy is not locked out with the attacker.
    other = app.test_client().post("/login", data={"username": "amira",
                                                   "password": DEFAULT_PASSWORD},
                                   headers={"X-Forwarded-For": "198.51.100.4"})
    assert other.status_code == 302


def test_concurrent_failures_on_sqlite_are_all_counted(app):
    add_user(app, "amira")
    start = threading.Barrier(6)

    def fail():
        client = app.test_client()
        start.wait()
        attempt(client, "amira", addr="10.0.0.8")

    threads = [threading.Thread(target=fail) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.failures for r in throttle_rows(app)) == [6, 6]
