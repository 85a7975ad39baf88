"""The audit log page: newest first, 50 per page, filters, free-text search, admins only."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from intranet.audit.models import AuditEntry
from intranet.auth.models import Role, User
from intranet.core.extensions import db
from intranet.testing import add_user, login


def rows(response) -> list[str]:
    """The record column of each row, e.g. ``person #7``."""
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(
        r'<tr class="audit-entry">.*?<td>.*?</td>\s*<td>.*?</td>\s*<td>.*?</td>\s*'
        r'<td><code dir="ltr">(.*?)</code></td>', page, re.S)]


@pytest.fixture
def seeded(app, admin_client):
    """Entries of two users on known days (times in UTC; Berlin is UTC+1 in winter)."""
    amira = add_user(app, "amira")
    with app.app_context():
        admin = db.session.scalar(db.select(User.id).where(User.username == "admin"))
        db.session.execute(db.delete(AuditEntry))  # the admin's login
        db.session.add_all([
            AuditEntry(at=datetime(2025, 1, 10, 9), user_id=amira, action="person_viewed",
                       object_type="person", object_id="7"),
            AuditEntry(at=datetime(2025, 1, 10, 23, 30), user_id=amira,
                       action="consultation_read", object_type="consultation",
                       object_id="12", plugin="consultations",
                       detail={"topic": "Jobcenter-Brief"}),
            AuditEntry(at=datetime(2025, 1, 12, 8), user_id=admin, action="user_changed",
                       object_type="user", object_id=str(amira),
                       detail={"display_name": ["", "Amira Ö."]}),
            AuditEntry(at=datetime(2025, 1, 15, 8), user_id=None, action="login",
                       object_type="user", object_id="99"),
        ])
        db.session.commit()
    return {"amira": amira, "admin": admin}


def test_staff_get_403_and_anonymous_users_the_login(app, client):
    add_user(app, "amira", permissions=["core.reports", "consultations.read_notes"])
    response = client.get("/admin/audit")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login(client, "amira")
    assert client.get("/admin/audit").status_code == 403


def test_newest_first_with_who_did_what(seeded, admin_client):
    response = admin_client.get("/admin/audit?lang=en")
    assert rows(response) == ["user #99", f"user #{seeded['amira']}", "consultation #12",
                              "person #7"]
    page = response.get_data(as_text=True)
    assert "consultation_read" in page and "Jobcenter-Brief" in page
    assert "nobody logged in" in page and "<bdi>amira</bdi>" in page


@pytest.mark.parametrize("query, expected", [
    ("action=person_viewed", ["person #7"]),
    ("plugin=consultations", ["consultation #12"]),
    ("object_type=user", ["user #99", "user #{amira}"]),
    ("user={amira}", ["consultation #12", "person #7"]),
    ("user={admin}&object_type=user", ["user #{amira}"]),
    ("q=12", ["consultation #12"]),
    ("q=jobcenter", ["consultation #12"]),
    ("q=Amira+Ö", ["user #{amira}"]),  # non-ASCII details are found too
    # local days: 23:30 UTC on the 10th is the 11th in Berlin
    ("from=2025-01-11&to=2025-01-12", ["user #{amira}", "consultation #12"]),
    ("from=2025-01-10&to=2025-01-10", ["person #7"]),
    ("from=2025-01-13", ["user #99"]),
    ("to=2025-01-09", []),
])
def test_filters_and_search(seeded, admin_client, query, expected):
    url = "/admin/audit?lang=en&" + query.format(**seeded)
    assert rows(admin_client.get(url)) == [e.format(**seeded) for e in expected]


def test_wrong_dates_give_a_message_and_are_ignored(seeded, admin_client):
    response = admin_client.get("/admin/audit?lang=en&from=31.01.2025&to=2025-01-12")
    page = response.get_data(as_text=True)
    assert 'id="audit-from-error"' in page and 'id="audit-to-error"' not in page
    assert len(rows(response)) == 3
    reversed_range = admin_client.get("/admin/audit?lang=en&from=2025-01-12&to=2025-01-10")
    assert 'id="audit-to-error"' in reversed_range.get_data(as_text=True)


def test_empty_results_say_so(seeded, admin_client):
    page = admin_client.get("/admin/audit?lang=en&q=nothing-like-this").get_data(as_text=True)
    assert "No entry matches these filters." in page


def test_fifty_per_page_with_the_filters_kept(app, admin_client):
    with app.app_context():
        db.session.add_all(AuditEntry(at=datetime(2025, 2, 1, 8, n // 60, n % 60),
                                      action="person_viewed", object_type="person",
                                      object_id=str(n)) for n in range(120))
        db.session.commit()
    first = admin_client.get("/admin/audit?action=person_viewed")
    assert rows(first) == [f"person #{n}" for n in range(119, 69, -1)]
    assert "/admin/audit?action=person_viewed&amp;page=3" in first.get_data(as_text=True)
    third = admin_client.get("/admin/audit?action=person_viewed&page=3")
    assert rows(third) == [f"person #{n}" for n in range(19, -1, -1)]
    # A page past the end (an old bookmark) shows the last page, not an empty list.
    assert rows(admin_client.get("/admin/audit?action=person_viewed&page=9")) == rows(third)


def test_admin_changes_appear_in_the_log(app, admin_client):
    amira = add_user(app, "amira", role=Role.VOLUNTEER)
    admin_client.post(f"/admin/users/{amira}/active", data={"active": "0"})
    admin_client.post("/admin/rooms", data={"name": "Kursraum 1"})
    page = admin_client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "user_deactivated" in page and "room_created" in page
    assert rows(admin_client.get("/admin/audit?action=user_deactivated")) == [f"user #{amira}"]
