"""The queue run with one hand: "Call next" (urgent first, only the areas in the filter,
never the same ticket twice), the room remembered per staff member, messages that stay,
tickets moved between areas, records that move their ticket, and polls answered 304."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from intranet.auth.models import Role, User
from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import NewCheckIn, call_next, create_checkin
from intranet.core.extensions import db
from intranet.testing import add_user, login

PURPOSES = {"B": ("consultations", "walk_in"), "F": ("womens_courses", "course"),
            "J": ("job_orientation", "application_help"), "C": ("core", "cafe")}
ALL_AREAS = ["consultations.view", "consultations.edit", "womens_courses.view",
             "job_orientation.view", "job_orientation.edit", "school_guidance.view"]


def check_in(app, letter, urgent=False):
    plugin, purpose = PURPOSES[letter]
    with app.app_context():
        row = create_checkin(NewCheckIn(plugin=plugin, purpose=purpose, ticket_letter=letter,
                                        language="de"))
        if urgent:
            row.urgent = True
            db.session.commit()
        return row.id


def staff(app, username="sam", permissions=ALL_AREAS):
    user_id = add_user(app, username, role=Role.STAFF, permissions=permissions)
    client = app.test_client()
    assert login(client, username).status_code == 302
    client.get("/queue/?lang=en")
    return client, user_id


def status(app, checkin_id):
    with app.app_context():
        row = db.session.get(CheckIn, checkin_id)
        return row.status, row.room, row.plugin, row.ticket


def message_of(page):
    found = re.search(r'<div id="queue-messages" hx-swap-oob="afterbegin">\s*'
                      r'<p class="flash flash-info queue-message" role="alert">\s*<span>([^<]+)',
                      page)
    return found.group(1) if found else None


def test_call_next_takes_the_longest_waiting_urgent_first_within_the_filter(app):
    first = check_in(app, "B")
    women = check_in(app, "F")
    urgent = check_in(app, "B", urgent=True)
    later = check_in(app, "B")
    client, user_id = staff(app)
    # without a room nothing is called, and the reason comes out of band
    page = client.post("/queue/next").get_data(as_text=True)
    assert message_of(page) == "Choose the room you are calling to first."
    assert status(app, urgent)[0] == CheckInStatus.WAITING
    client.post("/queue/choose", data={"area": "consultations", "room": "Beratungsraum"})
    page = client.post("/queue/next", data={"area": "consultations",
                                            "room": "Beratungsraum"}).get_data(as_text=True)
    assert message_of(page) == "B-3 is called to Beratungsraum."
    assert status(app, urgent)[:2] == (CheckInStatus.CALLED, "Beratungsraum")
    client.post("/queue/next", data={"area": "consultations"})  # the room is remembered
    assert status(app, first)[:2] == (CheckInStatus.CALLED, "Beratungsraum")
    client.post("/queue/next", data={"area": "consultations"})
    assert status(app, later)[0] == CheckInStatus.CALLED
    page = client.post("/queue/next", data={"area": "consultations"}).get_data(as_text=True)
    assert message_of(page) == "Nobody is waiting in the areas you chose."
    assert status(app, women)[0] == CheckInStatus.WAITING  # another area: untouched
    with app.app_context():
        assert db.session.get(User, user_id).queue_room == "Beratungsraum"


def test_the_room_is_remembered_per_staff_member_across_sessions(app):
    client, _user_id = staff(app)
    client.post("/queue/choose", data={"area": "", "room": "Kursraum 1"})
    again = app.test_client()
    login(again, "sam")
    page = again.get("/?lang=en").get_data(as_text=True)
    assert '<option value="Kursraum 1" selected>' in page
    other, _ = staff(app, "kim")
    assert 'selected>Kursraum 1' not in other.get("/").get_data(as_text=True)
    assert '<option value="Kursraum 1" selected>' not in other.get("/").get_data(as_text=True)


def test_without_a_room_the_call_buttons_cannot_be_pressed(app):
    check_in(app, "B")
    client, _ = staff(app)
    page = client.get("/queue/").get_data(as_text=True)
    assert re.search(r'class="button-primary queue-call-next"[^>]*disabled', page)
    assert re.search(r'/call"\s+hx-target="#queue-list" hx-include="#queue-controls" disabled',
                     page)
    assert 'id="queue-room-needed"' in page
    client.post("/queue/choose", data={"room": "Büro"})
    page = client.get("/queue/").get_data(as_text=True)
    assert "disabled" not in page and 'id="queue-room-needed"' not in page


def test_a_poll_gets_304_while_nothing_changed(app):
    check_in(app, "B")
    client, _ = staff(app)
    first = client.get("/queue/")
    etag = first.headers["ETag"]
    assert client.get("/queue/", headers={"If-None-Match": etag}).status_code == 304
    check_in(app, "C")
    changed = client.get("/queue/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "C-2" in changed.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert 'id="queue-messages"' in page and 'data-poll-etag=""' in page


def test_urgent_toggle_and_moving_a_ticket_keeps_its_number(app):
    ticket = check_in(app, "B")
    client, _ = staff(app)
    client.post(f"/queue/{ticket}/urgent")
    assert "is-urgent" in client.get("/queue/").get_data(as_text=True)
    page = client.get(f"/queue/{ticket}/move").get_data(as_text=True)
    assert 'value="job_orientation:application_help"' in page
    assert 'value="consultations:walk_in"' not in page  # where it is already
    refused = client.post(f"/queue/{ticket}/move", data={"purpose": "nowhere:at_all"})
    assert refused.status_code == 400 and "Please choose where" in refused.get_data(as_text=True)
    moved = client.post(f"/queue/{ticket}/move",
                        data={"purpose": "job_orientation:application_help"})
    assert moved.status_code == 302
    assert status(app, ticket) == (CheckInStatus.WAITING, None, "job_orientation", "B-1")


def test_records_started_from_a_ticket_move_it_to_in_progress(app):
    """Saving moves it to done (the plugins' own tests save their records)."""
    for letter, url in (("B", "/consultations/records/new"),
                        ("J", "/job_orientation/appointments/new")):
        ticket = check_in(app, letter)
        client, _ = staff(app, f"user{letter}")
        assert client.get(f"{url}?checkin={ticket}").status_code == 200
        assert status(app, ticket)[0] == CheckInStatus.IN_PROGRESS
        # the queue offers "Done" for it now, no more "Call"
        assert f"/queue/{ticket}/done" in client.get("/queue/").get_data(as_text=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_app(request, make_app):
    if request.param == "sqlite":
        return make_app()
    return make_app(DATABASE_URL=request.getfixturevalue("postgres_url"))


def test_two_colleagues_pressing_call_next_at_once_never_get_the_same_ticket(database_app):
    app = database_app
    for _ in range(12):
        check_in(app, "B")
    start = threading.Barrier(4)

    def colleague(index):
        start.wait()
        called = []
        for _ in range(3):
            with app.app_context():
                row = call_next({"consultations"}, "Beratungsraum", None)
                called.append(row.ticket if row else None)
        return called

    with ThreadPoolExecutor(max_workers=4) as pool:
        tickets = [t for rows in pool.map(colleague, range(4)) for t in rows]
    assert None not in tickets and len(set(tickets)) == 12
    with app.app_context():
        assert set(db.session.scalars(select(CheckIn.status))) == {CheckInStatus.CALLED}
