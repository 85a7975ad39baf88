"""The tamper-evident audit chain: hashes, concurrent appends, verification, retention."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from intranet.audit.chain import verify_chain
from intranet.audit.log import audit
from intranet.audit.models import AuditChainHead, AuditEntry
from intranet.core.extensions import db
from intranet.core.timeutil import utcnow


def write_entries(app, count: int, **detail) -> None:
    with app.app_context():
        for n in range(count):
            audit("test_action", object_type="thing", object_id=n, n=n, **detail)
            db.session.commit()


def status(app):
    with app.app_context():
        return verify_chain(db.session)


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_entries_are_chained_and_verify(app):
    write_entries(app, 5, word="Grüße")
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq)).all()
        head = db.session.get(AuditChainHead, 1)
        assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
        assert entries[0].prev_hash == ""
        assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
        assert (head.seq, head.hash) == (5, entries[-1].hash)
    result = status(app)
    assert result.intact and result.checked == 5
    done = cli(app, "audit", "verify")
    assert done.exit_code == 0 and "intact: 5 entries checked" in done.output


def test_several_entries_in_one_transaction_and_tuples_in_details(app):
    with app.app_context():
        audit("a", values=(1, 2))
        audit("b", when=datetime(2026, 1, 1))
        db.session.commit()
    assert status(app).intact


def test_changed_detail_is_found(app):
    write_entries(app, 4)
    with app.app_context():
        victim = db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.seq == 3))
        db.session.execute(text("UPDATE audit_entry SET detail = :d WHERE id = :id"),
                           {"d": '{"n": 99}', "id": victim})
        db.session.commit()
    result = status(app)
    assert not result.intact and (result.broken_seq, result.broken_entry_id) == (3, victim)
    done = cli(app, "audit", "verify")
    assert done.exit_code != 0
    assert f"seq 3 (entry id {victim})" in done.output


def test_deleted_entry_in_the_middle_is_found(app):
    write_entries(app, 5)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_entry WHERE seq = 3"))
        after = db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.seq == 4))
        db.session.commit()
    result = status(app)
    assert not result.intact and (result.broken_seq, result.broken_entry_id) == (3, after)


def test_deleted_last_entry_and_forged_entry_are_found(app):
    write_entries(app, 3)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_entry WHERE seq = 3"))
        db.session.commit()
    assert not status(app).intact
    with app.app_context():
        db.session.execute(text("UPDATE audit_chain_head SET seq = 2, hash = "
                                "(SELECT hash FROM audit_entry WHERE seq = 2)"))
        db.session.execute(text(
            "INSERT INTO audit_entry (at, action, object_type, object_id, plugin, detail) "
            "VALUES (CURRENT_TIMESTAMP, 'forged', '', '', 'core', '{}')"))
        db.session.commit()
    result = status(app)
    assert not result.intact and result.reason == "entry outside the chain"


def test_retention_of_old_entries_keeps_the_chain_verifiable(app):
    with app.app_context():
        for days_ago in (1000, 900, 800, 10, 5):
            db.session.add(AuditEntry(at=utcnow() - timedelta(days=days_ago), action="old"))
            db.session.commit()
    from intranet.privacy.retention import purge

    with app.app_context():
        result = purge()
        assert result.ok and result.counts()["core.audit_entries"] == 3
        head = db.session.get(AuditChainHead, 1)
        assert head.anchor_seq == 3
        assert db.session.scalar(db.select(db.func.min(AuditEntry.seq))) == 4
    assert status(app).intact
    with app.app_context():
        assert purge().counts()["core.audit_entries"] == 0
    assert status(app).intact


def concurrent_appends(app, threads: int = 4, each: int = 25) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            write_entries(app, each)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    result = status(app)
    assert result.intact and result.checked == threads * each
    with app.app_context():
        seqs = db.session.scalars(db.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        assert seqs == list(range(1, threads * each + 1))


def test_concurrent_appends_on_sqlite_give_one_unbroken_chain(app):
    concurrent_appends(app)


@pytest.mark.postgres
def test_concurrent_appends_on_postgresql_give_one_unbroken_chain(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    concurrent_appends(app)
    with app.app_context():
        db.session.execute(text("UPDATE audit_entry SET action = 'other' WHERE seq = 7"))
        db.session.commit()
    assert status(app).broken_seq == 7


def test_admin_page_shows_the_chain_status(app, admin_client):
    page = admin_client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "The audit log is intact" in page
    with app.app_context():
        db.session.execute(text("UPDATE audit_entry SET action = 'x'"))
        db.session.commit()
    page = admin_client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "The audit log has been tampered with" in page


def test_privacy_page_shows_the_purge_and_the_chain(app, admin_client):
    page = admin_client.get("/admin/privacy?lang=en").get_data(as_text=True)
    assert "The privacy purge has never run" in page and "core.audit_entries" in page
    assert cli(app, "privacy", "purge").exit_code == 0
    page = admin_client.get("/admin/privacy?lang=en").get_data(as_text=True)
    assert "never run" not in page and "more than two days" not in page
    assert "The audit log is intact" in page
    with app.app_context():
        from intranet.privacy.models import PrivacyRun

        db.session.execute(db.update(PrivacyRun).values(
            finished_at=utcnow() - timedelta(days=3), started_at=utcnow() - timedelta(days=3)))
        db.session.commit()
    page = admin_client.get("/admin/privacy?lang=en").get_data(as_text=True)
    assert "has not run for more than two days" in page


def test_only_admins_see_the_privacy_page(app, client):
    from intranet.testing import add_user, login

    add_user(app, "amira", permissions=["core.people_view", "core.reports"])
    login(client, "amira")
    assert client.get("/admin/privacy").status_code == 403


def test_pages_check_only_the_newest_entries(app):
    write_entries(app, 30)
    with app.app_context():
        db.session.execute(text("UPDATE audit_entry SET action = 'x' WHERE seq = 2"))
        db.session.commit()
        quick = verify_chain(db.session, newest=10)
        assert quick.intact and quick.partial and quick.checked == 10
        assert not verify_chain(db.session).intact
