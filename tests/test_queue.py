"""The staff live queue: today's open tickets, the area filter, the room, the actions,
and who may see which area's tickets."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from intranet.auth.models import Role
from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import NewCheckIn, create_checkin
from intranet.core.extensions import db
from intranet.core.timeutil import local_today, utcnow
from intranet.plugin import NavItem, PluginInfo, hookimpl
from intranet.testing import add_user, login

PURPOSES = {"B": ("consultations", "walk_in"), "F": ("womens_courses", "course"),
            "J": ("job_orientation", "application_help"), "S": ("school_guidance",
                                                                 "homework_help"),
            "C": ("core", "cafe")}


def check_in(app, letter, **fields):
    plugin, purpose = PURPOSES[letter]
    with app.app_context():
        checkin = create_checkin(NewCheckIn(plugin=plugin, purpose=purpose, ticket_letter=letter,
                                            language=fields.pop("language", "de"), **fields))
        return checkin.id


def staff_client(app, username="sam", role=Role.STAFF, permissions=()):
    user_id = add_user(app, username, role=role, permissions=permissions)
    client = app.test_client()
    assert login(client, username).status_code == 302
    assert client.get("/queue/?lang=en").status_code == 200  # English from here on
    return client, user_id


def tickets_in(page):
    return re.findall(r'<span class="queue-ticket"><bdi>([^<]+)</bdi></span>', page)


def queue(client, query=""):
    response = client.get(f"/queue/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stored(app, checkin_id):
    with app.app_context():
        return db.session.get(CheckIn, checkin_id)


ALL_AREAS = ["consultations.view", "womens_courses.view", "job_orientation.view",
             "school_guidance.view"]


def test_anonymous_visitors_are_sent_to_the_login(app):
    checkin_id = check_in(app, "C")
    anonymous = app.test_client()
    for response in (anonymous.get("/"), anonymous.get("/queue/"),
                     anonymous.post(f"/queue/{checkin_id}/call", data={"room": "Büro"})):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert stored(app, checkin_id).status == CheckInStatus.WAITING


def test_the_start_page_polls_the_queue(app):
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    page = client.get("/").get_data(as_text=True)
    container = re.search(r'<div id="queue-list"[^>]*>', page).group(0)
    assert 'hx-get="/queue/"' in container
    trigger = re.search(r'hx-trigger="([^"]*)"', container).group(1)
    assert "every 2s" in trigger
    assert 'hx-include="#queue-controls"' in container
    controls = page.split('id="queue-controls"', 1)[1].split("</form>", 1)[0]
    assert 'name="area"' in controls and 'name="room"' in controls
    for room in app.config["ROOMS"]:
        assert f'<option value="{room}"' in controls


def test_the_queue_shows_todays_open_tickets_with_what_staff_need(app):
    first = check_in(app, "B", language="ar", first_visit=True, first_name="Amira")
    check_in(app, "F", language="tr", first_visit=False)
    done = check_in(app, "C")
    check_in(app, "S", language="uk")
    with app.app_context():
        db.session.get(CheckIn, first).created_at = utcnow() - timedelta(minutes=7, seconds=5)
        db.session.get(CheckIn, done).status = CheckInStatus.DONE
        yesterday = local_today() - timedelta(days=1)
        db.session.add(CheckIn(day=yesterday, number=1, ticket="J-1", plugin="job_orientation",
                               purpose="application_help", language="de",
                               status=CheckInStatus.WAITING, created_at=utcnow()))
        db.session.commit()
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    page = queue(client)
    assert tickets_in(page) == ["B-1", "F-2", "S-4"]  # in order; not done, not yesterday's
    items = dict(zip(tickets_in(page), page.split('<li class="queue-item')[1:], strict=True))
    amira = items["B-1"]
    assert "area-consultations" in page and "status-waiting" in amira
    assert "Consultation without appointment" in amira
    assert "<bdi>Amira</bdi>" in amira
    assert '<span lang="ar">العربية</span>' in amira
    assert "first visit" in amira
    assert "waiting 7 minutes" in amira
    assert "German course for women" in items["F-2"] and "Türkçe" in items["F-2"]
    assert "first visit" not in items["F-2"]
    assert "waiting 0 minutes" in items["S-4"] and "Українська" in items["S-4"]


def test_an_empty_queue_says_so(app):
    client, _user_id = staff_client(app)
    page = queue(client)
    assert tickets_in(page) == [] and '<p class="empty">' in page


def test_the_area_filter_and_the_room_are_kept_between_polls(app):
    for letter in "BFC":
        check_in(app, letter)
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    assert tickets_in(queue(client)) == ["B-1", "F-2", "C-3"]
    # the controls are sent along with each poll: a GET filters, but keeps nothing
    assert tickets_in(queue(client, "?area=womens_courses&room=Kursraum+2")) == ["F-2"]
    assert tickets_in(queue(client)) == ["B-1", "F-2", "C-3"]
    # choosing in the controls is a POST, and that is kept for the next polls
    response = client.post("/queue/choose", data={"area": "womens_courses", "room": "Kursraum 2"})
    assert response.status_code == 200 and tickets_in(response.get_data(as_text=True)) == ["F-2"]
    assert tickets_in(queue(client)) == ["F-2"]
    page = client.get("/").get_data(as_text=True)
    assert 'hx-post="/queue/choose"' in page.split('id="queue-controls"', 1)[1].split(">", 1)[0]
    assert '<option value="womens_courses" selected>' in page
    assert '<option value="Kursraum 2" selected>' in page
    assert tickets_in(queue(client, "?area=")) == ["B-1", "F-2", "C-3"]
    client.post("/queue/choose", data={"area": "", "room": "Kursraum 2"})
    assert tickets_in(queue(client)) == ["B-1", "F-2", "C-3"]

    # the remembered room is where a call goes when the button sends no room
    ticket = stored(app, 1)
    response = client.post(f"/queue/{ticket.id}/call")
    assert response.status_code == 200
    assert "called to Kursraum 2" in response.get_data(as_text=True)
    assert stored(app, ticket.id).room == "Kursraum 2"


def room_of(app, user_id):
    from intranet.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).queue_room


def test_a_link_cannot_change_the_queue_choice(app):
    """``GET /queue/?room=...`` (a link someone was sent) stores nothing."""
    checkin_id = check_in(app, "B")
    client, user_id = staff_client(app, permissions=ALL_AREAS)
    client.post("/queue/choose", data={"area": "", "room": "Büro"})
    queue(client, "?area=consultations&room=Free+text+room")
    with client.session_transaction() as state:
        assert state.get("queue_area") == ""
    assert room_of(app, user_id) == "Büro"  # kept on the account, not in the session
    client.post(f"/queue/{checkin_id}/call")
    assert stored(app, checkin_id).room == "Büro"


def test_a_room_outside_the_managed_list_is_refused(app):
    checkin_id = check_in(app, "B")
    client, user_id = staff_client(app, permissions=ALL_AREAS)
    for room in ("Hacked <b>room</b>", "x" * 500, "Büro\x00"):
        response = client.post(f"/queue/{checkin_id}/call", data={"room": room})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        if room.startswith("Büro"):  # the NUL is dropped on arrival: a real room
            assert "called to Büro" in page
            continue
        assert 'role="alert"' in page and "is not one of the rooms" in page
        assert "<b>room</b>" not in page
        ticket = stored(app, checkin_id)
        assert (ticket.status, ticket.room) == (CheckInStatus.WAITING, None)
    response = client.post("/queue/choose", data={"room": "Nowhere"})
    assert "is not one of the rooms" in response.get_data(as_text=True)
    assert room_of(app, user_id) is None


def test_the_board_shows_only_managed_rooms(app):
    from intranet.core.models import Room

    checkin_id = check_in(app, "B")
    with app.app_context():
        ticket = db.session.get(CheckIn, checkin_id)
        ticket.status, ticket.room, ticket.called_at = CheckInStatus.CALLED, "Fake", utcnow()
        db.session.add(Room(name="Raum 7", position=1, active=True))
        db.session.commit()
    board = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert "Fake" not in board and "B-1" not in board
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    assert "is not one of the rooms" in client.post(
        f"/queue/{checkin_id}/call", data={"room": "Büro"}).get_data(as_text=True)
    client.post(f"/queue/{checkin_id}/call", data={"room": "Raum 7"})
    board = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert "Raum 7" in board and "B-1" in board


def test_calling_without_a_room_gives_a_message_and_changes_nothing(app):
    checkin_id = check_in(app, "B")
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    for data in ({}, {"room": ""}):
        response = client.post(f"/queue/{checkin_id}/call", data=data)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'role="alert"' in page and "Choose the room you are calling to first." in page
        assert tickets_in(page) == ["B-1"]
    ticket = stored(app, checkin_id)
    assert (ticket.status, ticket.room, ticket.called_at, ticket.staff_id) == (
        CheckInStatus.WAITING, None, None, None)
    assert "B-1" not in app.test_client().get("/kiosk/board/calls").get_data(as_text=True)


def test_a_call_puts_the_ticket_on_the_board_then_start_and_done(app):
    checkin_id = check_in(app, "B")
    other = check_in(app, "C")
    client, user_id = staff_client(app, permissions=ALL_AREAS)
    response = client.post(f"/queue/{checkin_id}/call", data={"room": "Beratungsraum"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "called to Beratungsraum" in page and "status-called" in page
    ticket = stored(app, checkin_id)
    assert (ticket.status, ticket.room, ticket.staff_id) == (
        CheckInStatus.CALLED, "Beratungsraum", user_id)
    assert ticket.called_at is not None

    board = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert re.findall(r'class="board-(?:ticket|room)"[^>]*>(?:<bdi>)?([^<]+)<', board) == [
        "B-1", "Beratungsraum"]

    assert client.post(f"/queue/{checkin_id}/start").status_code == 200
    ticket = stored(app, checkin_id)
    assert ticket.status == CheckInStatus.IN_PROGRESS and ticket.started_at is not None
    assert "in progress" in queue(client)
    assert "B-1" not in app.test_client().get("/kiosk/board/calls").get_data(as_text=True)

    page = client.post(f"/queue/{checkin_id}/done").get_data(as_text=True)
    assert tickets_in(page) == ["C-2"]
    ticket = stored(app, checkin_id)
    assert ticket.status == CheckInStatus.DONE and ticket.finished_at is not None

    page = client.post(f"/queue/{other}/left").get_data(as_text=True)
    assert tickets_in(page) == []
    assert stored(app, other).status == CheckInStatus.LEFT


def test_an_action_that_no_longer_fits_is_refused_with_a_message(app):
    checkin_id = check_in(app, "F")
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    assert client.post(f"/queue/{checkin_id}/done").status_code == 200
    # a colleague's screen still showed the ticket and someone presses "Begin"
    response = client.post(f"/queue/{checkin_id}/start")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "F-1" in page
    assert stored(app, checkin_id).status == CheckInStatus.DONE


@pytest.mark.parametrize("url", ["/queue/{id}/explode", "/queue/999999/call"])
def test_unknown_actions_and_tickets_are_not_found(app, url):
    checkin_id = check_in(app, "C")
    client, _user_id = staff_client(app, permissions=ALL_AREAS)
    response = client.post(url.format(id=checkin_id), data={"room": "Büro"})
    assert response.status_code == 404
    assert stored(app, checkin_id).status == CheckInStatus.WAITING


def test_staff_see_and_act_only_on_their_areas_and_the_core(app):
    consultation = check_in(app, "B")
    course = check_in(app, "F")
    cafe = check_in(app, "C")
    client, _user_id = staff_client(app, permissions=["womens_courses.view"])
    assert tickets_in(queue(client)) == ["F-2", "C-3"]
    # choosing an area one may not see shows nothing of it
    assert "B-1" not in tickets_in(queue(client, "?area=consultations"))
    page = client.get("/").get_data(as_text=True)
    assert '<option value="consultations"' not in page
    assert '<option value="womens_courses"' in page
    queue(client, "?area=")

    for action in ("call", "start", "done", "left"):
        response = client.post(f"/queue/{consultation}/{action}", data={"room": "Büro"})
        assert response.status_code == 404, action
    assert stored(app, consultation).status == CheckInStatus.WAITING

    assert client.post(f"/queue/{course}/call", data={"room": "Kursraum 1"}).status_code == 200
    assert stored(app, course).status == CheckInStatus.CALLED
    assert client.post(f"/queue/{cafe}/call", data={"room": "Café"}).status_code == 200
    assert stored(app, cafe).status == CheckInStatus.CALLED


def test_the_cafe_queue_is_for_everyone_and_admins_see_all(app):
    for letter in "BFJSC":
        check_in(app, letter)
    volunteer, _user_id = staff_client(app, "vera", role=Role.VOLUNTEER)
    assert tickets_in(queue(volunteer)) == ["C-5"]
    cafe = stored(app, 5)
    assert volunteer.post(f"/queue/{cafe.id}/call", data={"room": "Café"}).status_code == 200
    admin, _admin_id = staff_client(app, "anna", role=Role.ADMIN)
    assert tickets_in(queue(admin)) == ["B-1", "F-2", "J-3", "S-4", "C-5"]


def test_a_check_in_at_the_kiosk_appears_in_the_queue(app, pair_kiosk):
    screen = pair_kiosk(app, lang="fa")
    response = screen.post("/kiosk/checkin/ticket", data={
        "token": "from-the-kiosk", "purpose": "job_orientation:job_centre",
        "first_name": "Reza", "first_visit": "yes"})
    assert response.status_code == 200
    client, _user_id = staff_client(app, permissions=["job_orientation.view"])
    page = queue(client)
    assert tickets_in(page) == ["J-1"]
    assert "Job centre consultation hour" in page and "<bdi>Reza</bdi>" in page
    assert '<span lang="fa">' in page and "first visit" in page
    with app.app_context():
        assert db.session.scalar(select(CheckIn.kiosk_id)) == screen.kiosk_id


class OpenLink:
    """A service area that offers a link from its own tickets in the queue."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="linker", title="Linker", ticket_letter="L")

    @hookimpl
    def queue_actions(self, checkin):
        return [NavItem(label="Open this", endpoint="consultations.overview",
                        url_values={"ticket": checkin.id}, permission="consultations.edit")]


def test_plugins_add_links_to_their_tickets(make_app):
    app = make_app(extra=[OpenLink()])
    with app.app_context():
        own = create_checkin(NewCheckIn(plugin="linker", purpose="visit", ticket_letter="L",
                                        language="de")).id
    check_in(app, "B")  # a counselling ticket: the linker is not asked about it
    check_in(app, "C")
    allowed, _id = staff_client(app, "berater", permissions=[
        "linker.view", "consultations.view", "consultations.edit"])
    page = queue(allowed)
    assert page.count("Open this") == 1
    assert f"/consultations/?ticket={own}" in page
    viewer, _id = staff_client(app, "reader", permissions=["linker.view", "consultations.view"])
    assert "Open this" not in queue(viewer)  # the link's permission is missing
