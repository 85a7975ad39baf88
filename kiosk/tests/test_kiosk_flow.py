"""The lobby kiosk through the test client: pairing, the check-in flow, offers, the board.

Texts are checked in English (``?lang=en``): the source strings, whatever the
German catalogs say. htmx requests that swap the check-in step carry
``HX-Request: true`` and ``HX-Target: flow`` and get fragments; the same posts
without them (plain forms) and the screen navigation get whole pages.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time, timedelta
from html import unescape
from urllib.parse import quote, unquote

import pytest
import segno
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from intranet.plugin import (
    CheckIn,
    CheckInStatus,
    Offer,
    OfferCancellation,
    Role,
    change_status,
    db,
    local_today,
    utcnow,
)
from intranet.testing import add_user, host, login
from kiosk.models import KioskDevice
from kiosk.pairing import COOKIE
from kiosk.testing import new_kiosk, pair

# htmx swapping the check-in step (#flow) gets a fragment; navigation swaps the whole screen
HX = {"HX-Request": "true", "HX-Target": "flow"}
NAV = {"HX-Request": "true", "HX-Target": "kiosk-page"}
TICKET = re.compile(r'id="kiosk-ticket"><bdi>([^<]+)</bdi>')
LETTERS = {"consultations": "B", "womens_courses": "F", "job_orientation": "J",
           "school_guidance": "S", "core": "C"}
ALL_PURPOSES = {
    "consultations:walk_in", "consultations:appointment",
    "womens_courses:course", "womens_courses:sign_up",
    "job_orientation:application_help", "job_orientation:job_centre",
    "school_guidance:homework_help", "school_guidance:school_questions",
    "core:cafe", "core:meeting",
}


# -- helpers ---------------------------------------------------------------------

def admin_client(app):
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def paired_client(app, name="Eingang", lang="en"):
    """A client paired as kiosk ``name`` (kiosk.testing.pair), in English; and its id."""
    screen = pair(app, name, lang)
    return screen, screen.kiosk_id


def fresh_token(client, htmx=True):
    """The one-time token the purposes screen hands out."""
    page = client.get("/kiosk/checkin", headers=NAV if htmx else {}).get_data(as_text=True)
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def get_ticket(client, purpose="consultations:walk_in", token=None, htmx=True, **fields):
    """Post the last step of the flow; the response."""
    data = {"token": token or secrets.token_urlsafe(16), "purpose": purpose,
            "first_name": "", "first_visit": "", **fields}
    return client.post("/kiosk/checkin/ticket", data=data, headers=HX if htmx else {})


def ticket_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return TICKET.search(response.get_data(as_text=True)).group(1)


def waiting_before(response):
    page = response.get_data(as_text=True)
    if "Nobody is waiting before you." in page:
        return 0
    return int(re.search(r"(\d+) (?:person is|people are) waiting before you", page).group(1))


def checkins(app):
    with app.app_context():
        return list(db.session.scalars(select(CheckIn).order_by(CheckIn.number)))


def count_checkins(app):
    with app.app_context():
        return db.session.scalar(select(func.count(CheckIn.id)))


def is_fragment(response):
    page = response.get_data(as_text=True)
    return "<html" not in page and "<!doctype" not in page.lower()


def is_whole_page(response):
    page = response.get_data(as_text=True)
    return page.lstrip().lower().startswith("<!doctype html>") and 'id="kiosk-page"' in page


# -- pairing ---------------------------------------------------------------------

def test_admin_creates_a_kiosk_and_its_code_pairs_one_browser_once(app):
    admin = admin_client(app)
    assert admin.get("/kiosk/admin/").status_code == 200
    response = admin.post("/kiosk/admin/new", data={"name": "  Eingang  "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    code = re.search(r'id="pairing-code">([A-Z0-9]{8})<', page).group(1)
    link = unescape(re.search(r'id="pairing-link" href="([^"]+)"', page).group(1))
    assert code in link
    assert 'src="data:image/svg+xml' in page  # the link as a QR code
    with app.app_context():
        device = db.session.scalar(select(KioskDevice))
        assert device.name == "Eingang" and device.state == "waiting"
        assert code not in (device.pairing_code_hash, device.secret_hash)  # only hashes
        kiosk_id = device.id
    # the code is shown once: the list does not show it again
    assert code not in admin.get("/kiosk/admin/").get_data(as_text=True)

    screen = app.test_client()
    assert screen.get("/kiosk/").status_code == 403
    # The link the admin opens on the kiosk screen shows the form with the code filled in;
    # opening it changes nothing (a link preview or a crawler cannot use the code up) …
    shown = screen.get(link)
    assert shown.status_code == 200 and f'value="{code}"' in shown.get_data(as_text=True)
    assert screen.get_cookie(COOKIE) is None
    with app.app_context():
        assert db.session.get(KioskDevice, kiosk_id).state == "waiting"
    # … one tap on "Set up" pairs the screen.
    response = screen.post("/kiosk/pair", data={"code": code})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/kiosk/?reset=1")
    cookie = screen.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only
    assert cookie.expires is not None and cookie.expires > datetime.now(cookie.expires.tzinfo) \
        + timedelta(days=300)
    start = screen.get("/kiosk/")
    assert start.status_code == 200 and 'href="/kiosk/checkin"' in start.get_data(as_text=True)
    with app.app_context():
        device = db.session.get(KioskDevice, kiosk_id)
        assert device.state == "paired" and device.paired_at is not None
        assert device.pairing_code_hash is None

    other = app.test_client()
    response = other.get(f"/kiosk/pair/{code}")
    assert response.status_code == 400
    assert other.get_cookie(COOKIE) is None
    assert other.get("/kiosk/").status_code == 403
    assert screen.get("/kiosk/").status_code == 200  # the first browser stays a kiosk
    # the kiosk itself restarted on its old link carries on
    assert screen.get(link).status_code == 302
    assert screen.get("/kiosk/").status_code == 200
    assert app.test_client().get(link).status_code == 400


def test_using_the_kiosk_renews_its_cookie(app):
    screen, _kiosk_id = paired_client(app, lang=None)
    response = screen.get("/kiosk/")
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert len(cookies) == 1 and "Max-Age=31536000" in cookies[0] and "HttpOnly" in cookies[0]


def test_a_typed_code_works_in_lower_case_and_with_dashes(app):
    _kiosk_id, code = new_kiosk(app)
    screen = app.test_client()
    assert screen.get("/kiosk/pair").status_code == 200  # the form to type it into
    typed = f"{code[:4].lower()}-{code[4:].lower()} "
    assert screen.post("/kiosk/pair", data={"code": typed}).status_code == 302
    assert screen.get("/kiosk/").status_code == 200


def test_an_expired_code_is_refused(app):
    kiosk_id, code = new_kiosk(app)
    with app.app_context():
        device = db.session.get(KioskDevice, kiosk_id)
        device.pairing_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    screen = app.test_client()
    assert screen.get(f"/kiosk/pair/{code}").status_code == 400
    assert screen.get_cookie(COOKIE) is None
    assert screen.get("/kiosk/").status_code == 403


def test_a_wrong_code_gets_the_friendly_page(app):
    new_kiosk(app)
    screen = app.test_client()
    response = screen.get("/kiosk/pair/WRONG234?lang=en")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "This code is not valid." in page
    assert 'name="code"' in page  # the form to try another code
    assert "Traceback" not in page and 'class="mainnav"' not in page
    assert screen.get_cookie(COOKIE) is None


def test_revoking_shows_the_same_browser_the_not_set_up_page_at_once(app):
    admin = admin_client(app)
    screen, kiosk_id = paired_client(app)
    assert screen.get("/kiosk/").status_code == 200
    assert screen.get("/kiosk/checkin", headers=HX).status_code == 200

    response = admin.post(f"/kiosk/admin/{kiosk_id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/admin/")

    response = screen.get("/kiosk/")
    assert response.status_code == 403
    assert "This screen is not set up as a kiosk." in response.get_data(as_text=True)
    response = screen.get("/kiosk/checkin", headers=HX)
    assert response.status_code == 403 and is_fragment(response)
    assert get_ticket(screen).status_code == 403
    assert count_checkins(app) == 0
    assert screen.get("/kiosk/offers").status_code == 200  # today's offers stay public
    with app.app_context():
        assert db.session.get(KioskDevice, kiosk_id).state == "revoked"


def test_a_new_pairing_code_replaces_the_old_one_and_can_bring_a_kiosk_back(app):
    admin = admin_client(app)
    page = admin.post("/kiosk/admin/new", data={"name": "Eingang"}).get_data(as_text=True)
    old_code = re.search(r'id="pairing-code">([A-Z0-9]{8})<', page).group(1)
    with app.app_context():
        kiosk_id = db.session.scalar(select(KioskDevice.id))

    response = admin.post(f"/kiosk/admin/{kiosk_id}/code")
    assert response.status_code == 200
    new_code = re.search(r'id="pairing-code">([A-Z0-9]{8})<',
                         response.get_data(as_text=True)).group(1)
    assert new_code != old_code
    assert app.test_client().get(f"/kiosk/pair/{old_code}").status_code == 400

    first = app.test_client()
    assert first.post("/kiosk/pair", data={"code": new_code}).status_code == 302
    assert first.get("/kiosk/").status_code == 200

    # revoked, then a new code: a browser paired with it is a kiosk again, the old one not
    assert admin.post(f"/kiosk/admin/{kiosk_id}/revoke").status_code == 302
    page = admin.post(f"/kiosk/admin/{kiosk_id}/code").get_data(as_text=True)
    third_code = re.search(r'id="pairing-code">([A-Z0-9]{8})<', page).group(1)
    second = app.test_client()
    assert second.post("/kiosk/pair", data={"code": third_code}).status_code == 302
    assert second.get("/kiosk/").status_code == 200
    assert first.get("/kiosk/").status_code == 403


def test_the_kiosk_admin_pages_are_for_admins_only(app):
    kiosk_id, _code = new_kiosk(app)
    add_user(app, "sam", permissions=["consultations.view", "consultations.edit"])
    staff = app.test_client()
    login(staff, "sam")
    assert staff.get("/kiosk/admin/").status_code == 403
    assert staff.post("/kiosk/admin/new", data={"name": "Sneaky"}).status_code == 403
    assert staff.post(f"/kiosk/admin/{kiosk_id}/code").status_code == 403
    assert staff.post(f"/kiosk/admin/{kiosk_id}/revoke").status_code == 403
    anonymous = app.test_client()
    response = anonymous.get("/kiosk/admin/")
    assert response.status_code in (302, 403)
    assert "/kiosk/pair/" not in response.get_data(as_text=True)
    assert anonymous.post("/kiosk/admin/new", data={"name": "Sneaky"}).status_code in (302, 403)
    with app.app_context():
        devices = list(db.session.scalars(select(KioskDevice)))
    assert [(d.name, d.state) for d in devices] == [("Eingang", "waiting")]


def test_a_tampered_cookie_is_ignored(app):
    screen, kiosk_id = paired_client(app, lang=None)
    good = screen.get_cookie(COOKIE).value
    assert screen.get("/kiosk/").status_code == 200
    other_id, _code = new_kiosk(app, "Flur")
    right_key = URLSafeSerializer(app.config["SECRET_KEY"], salt="mittelpunkt-kiosk")
    wrong_key = URLSafeSerializer("not-the-secret-key", salt="mittelpunkt-kiosk")
    secret = right_key.loads(good)["secret"]
    forged = [
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # broken signature
        "garbage",
        wrong_key.dumps({"id": kiosk_id, "secret": secret}),  # signed with another key
        right_key.dumps({"id": kiosk_id, "secret": "guessed"}),  # wrong secret
        right_key.dumps({"id": other_id, "secret": secret}),  # another, unpaired kiosk
        right_key.dumps({"id": "x"}),
        right_key.dumps(["not", "a", "dict"]),
    ]
    for value in forged:
        browser = app.test_client()
        browser.set_cookie(COOKIE, value)
        response = browser.get("/kiosk/")
        assert response.status_code == 403, value
        assert f"{COOKIE}=" not in str(response.headers.getlist("Set-Cookie"))  # not renewed
        assert get_ticket(browser).status_code == 403, value
    assert count_checkins(app) == 0
    browser = app.test_client()
    browser.set_cookie(COOKIE, good)  # the real cookie, copied as it is, still works
    assert browser.get("/kiosk/").status_code == 200


# -- the check-in flow ------------------------------------------------------------

def test_purposes_come_from_every_enabled_plugin_and_the_core(app):
    screen, _kiosk_id = paired_client(app)
    response = screen.get("/kiosk/checkin", headers=HX)
    assert response.status_code == 200 and is_fragment(response)
    offered = set(re.findall(r'name="purpose" value="([^"]+)"', response.get_data(as_text=True)))
    assert offered == ALL_PURPOSES
    page = response.get_data(as_text=True)
    assert "Consultation without appointment" in page and "Meeting someone" in page

    for headers in (NAV, {}):  # the start screen's tile swaps the whole screen
        whole = screen.get("/kiosk/checkin", headers=headers)
        assert whole.status_code == 200 and is_whole_page(whole)
        page = whole.get_data(as_text=True)
        assert 'data-idle="prompt"' in page and 'class="mainnav"' not in page
        assert set(re.findall(r'name="purpose" value="([^"]+)"', page)) == ALL_PURPOSES


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain-form"])
def test_a_whole_check_in_step_by_step(app, htmx):
    screen, kiosk_id = paired_client(app)
    headers = HX if htmx else {}
    shape = is_fragment if htmx else is_whole_page
    token = fresh_token(screen, htmx)

    response = screen.post("/kiosk/checkin/details", headers=headers,
                           data={"token": token, "purpose": "consultations:walk_in"})
    assert response.status_code == 200 and shape(response)
    page = response.get_data(as_text=True)
    assert 'name="first_name"' in page and f'name="token" value="{token}"' in page
    assert "Consultation without appointment" in page

    # The answer to "first time here?" takes the number: two buttons, nothing stored before.
    assert re.findall(r'<button type="submit" name="first_visit" value="([a-z]+)"', page) == [
        "yes", "no"]
    assert 'action="/kiosk/checkin/ticket"' in page
    assert count_checkins(app) == 0

    response = screen.post("/kiosk/checkin/ticket", headers=headers, data={
        "token": token, "purpose": "consultations:walk_in",
        "first_name": "  Amira \t", "first_visit": "yes"})
    assert shape(response)
    assert ticket_of(response) == "B-1"
    assert waiting_before(response) == 0
    assert "data-kiosk-number" in response.get_data(as_text=True)
    [row] = checkins(app)
    assert (row.ticket, row.number, row.plugin, row.purpose) == (
        "B-1", 1, "consultations", "walk_in")
    assert (row.first_name, row.first_visit, row.language, row.kiosk_id, row.status) == (
        "Amira", True, "en", kiosk_id, CheckInStatus.WAITING)
    assert row.token == token


def test_a_made_up_first_visit_answer_is_stored_as_no_answer(app):
    screen, _kiosk_id = paired_client(app)
    get_ticket(screen, "core:cafe", first_visit="maybe")
    assert checkins(app)[0].first_visit is None


@pytest.mark.parametrize("purpose", ["nonsense:thing", "consultations", "consultations:nope",
                                     "core:", ":walk_in", ""])
def test_an_invalid_purpose_gets_a_message_not_an_error(app, purpose):
    screen, _kiosk_id = paired_client(app)
    token = fresh_token(screen)
    for step in ("details", "ticket"):
        response = screen.post(f"/kiosk/checkin/{step}", headers=HX,
                               data={"token": token, "purpose": purpose})
        assert response.status_code == 400, step
        page = response.get_data(as_text=True)
        assert 'role="alert"' in page and "Please choose what you came for." in page, step
        assert set(re.findall(r'name="purpose" value="([^"]+)"', page)) == ALL_PURPOSES
        assert "Traceback" not in page
    # the details step keeps the visitor's token, so the next tap still counts once
    response = screen.post("/kiosk/checkin/details", headers=HX,
                           data={"token": token, "purpose": purpose})
    assert f'name="token" value="{token}"' in response.get_data(as_text=True)
    assert count_checkins(app) == 0


def test_a_ticket_needs_the_token(app):
    screen, _kiosk_id = paired_client(app)
    response = screen.post("/kiosk/checkin/ticket", headers=HX,
                           data={"purpose": "core:cafe", "token": ""})
    assert response.status_code == 400
    assert count_checkins(app) == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("  Amira  ", "Amira"),
    ("x" * 60, "x" * 40),
    ("  " + "y" * 39 + "zzz", "y" * 39 + "z"),
    ("Am\x00i\x1bra\n", "Amira"),
    ("   ", None),
    ("", None),
])
def test_the_first_name_is_trimmed_and_limited(app, typed, stored):
    screen, _kiosk_id = paired_client(app)
    ticket_of(get_ticket(screen, "core:meeting", first_name=typed))
    assert checkins(app)[0].first_name == stored


def test_each_area_has_its_letter_and_the_numbers_count_on_across_areas(app):
    screen, _kiosk_id = paired_client(app)
    purposes = sorted(ALL_PURPOSES)
    tickets = [ticket_of(get_ticket(screen, purpose)) for purpose in purposes]
    expected = [f"{LETTERS[p.split(':')[0]]}-{n}" for n, p in enumerate(purposes, start=1)]
    assert tickets == expected
    assert [(c.plugin, c.purpose) for c in checkins(app)] == [
        tuple(p.split(":")) for p in purposes]


def test_people_waiting_before_you_counts_only_your_own_area(app):
    screen, _kiosk_id = paired_client(app)
    first = get_ticket(screen, "consultations:walk_in")
    assert (ticket_of(first), waiting_before(first)) == ("B-1", 0)
    women = get_ticket(screen, "womens_courses:course")
    assert (ticket_of(women), waiting_before(women)) == ("F-2", 0)
    second = get_ticket(screen, "consultations:appointment")  # same area, another purpose
    assert (ticket_of(second), waiting_before(second)) == ("B-3", 1)
    get_ticket(screen, "core:cafe")
    third = get_ticket(screen, "consultations:walk_in")
    assert (ticket_of(third), waiting_before(third)) == ("B-5", 2)
    with app.app_context():  # B-1 is called in: no longer waiting before anyone
        change_status(db.session.scalar(select(CheckIn).filter_by(ticket="B-1")),
                      CheckInStatus.CALLED, room="Beratungsraum")
    fourth = get_ticket(screen, "consultations:walk_in")
    assert (ticket_of(fourth), waiting_before(fourth)) == ("B-6", 2)
    assert "2 people are waiting before you." in fourth.get_data(as_text=True)
    second_women = get_ticket(screen, "womens_courses:sign_up")
    assert "1 person is waiting before you." in second_women.get_data(as_text=True)


def test_the_same_token_twice_gives_the_same_ticket_and_one_row(app):
    screen, _kiosk_id = paired_client(app)
    token = fresh_token(screen)
    first = ticket_of(get_ticket(screen, "school_guidance:homework_help", token=token))
    again = ticket_of(get_ticket(screen, "school_guidance:homework_help", token=token))
    plain = ticket_of(get_ticket(screen, "school_guidance:homework_help", token=token,
                                 htmx=False))
    assert first == again == plain == "S-1"
    assert count_checkins(app) == 1
    assert ticket_of(get_ticket(screen, "school_guidance:homework_help")) == "S-2"


def test_an_unpaired_browser_cannot_check_in_and_nothing_is_stored(app):
    new_kiosk(app)  # a kiosk exists, but this browser is not it
    browser = app.test_client()
    response = browser.get("/kiosk/")
    assert response.status_code == 403 and is_whole_page(response)
    assert "/kiosk/checkin" not in response.get_data(as_text=True)
    response = browser.get("/kiosk/checkin")
    assert response.status_code == 403 and is_whole_page(response)
    response = browser.get("/kiosk/checkin", headers=HX)
    assert response.status_code == 403 and is_fragment(response)
    data = {"token": "t" * 20, "purpose": "core:cafe"}
    for step in ("details", "ticket"):
        for headers in (HX, {}):
            assert browser.post(f"/kiosk/checkin/{step}", data=data,
                                headers=headers).status_code == 403
    assert count_checkins(app) == 0
    assert browser.get("/kiosk/offers").status_code == 200
    assert browser.get("/kiosk/board").status_code == 200


def test_a_disabled_plugins_purpose_is_neither_offered_nor_accepted(app):
    screen, _kiosk_id = paired_client(app)
    with app.app_context():
        host().set_enabled("consultations", False)
    page = screen.get("/kiosk/checkin", headers=HX).get_data(as_text=True)
    offered = set(re.findall(r'name="purpose" value="([^"]+)"', page))
    assert offered == {p for p in ALL_PURPOSES if not p.startswith("consultations:")}
    for step in ("details", "ticket"):
        response = screen.post(f"/kiosk/checkin/{step}", headers=HX,
                               data={"token": "t" * 20, "purpose": "consultations:walk_in"})
        assert response.status_code == 400, step
    assert count_checkins(app) == 0
    assert ticket_of(get_ticket(screen, "womens_courses:course")) == "F-1"
    with app.app_context():
        host().set_enabled("consultations", True)
    assert ticket_of(get_ticket(screen, "consultations:walk_in")) == "B-2"


def test_reset_forgets_the_language_but_keeps_the_form_protection_working(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    screen, _kiosk_id = paired_client(app, lang=None)
    page = screen.get("/kiosk/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    page = screen.get("/kiosk/checkin", headers=HX).get_data(as_text=True)
    before_reset = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    response = screen.get("/kiosk/?reset=1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in page
    header_token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'",
                             page).group(1)
    assert '<html lang="de"' in screen.get("/kiosk/checkin").get_data(as_text=True)

    data = {"token": token, "purpose": "core:cafe"}
    # without a token the post is refused: the protection is on
    assert screen.post("/kiosk/checkin/details", data=data, headers=HX).status_code == 400
    # the token of the page before the reset and the one of the new page both work
    response = screen.post("/kiosk/checkin/details", headers=HX,
                           data={**data, "csrf_token": before_reset})
    assert response.status_code == 200 and 'name="first_name"' in response.get_data(as_text=True)
    response = screen.post("/kiosk/checkin/ticket", data=data,
                           headers={**HX, "X-CSRFToken": header_token})
    assert ticket_of(response) == "C-1"
    assert checkins(app)[0].language == "de"


def test_the_kiosk_cookie_survives_a_reset(app):
    screen, _kiosk_id = paired_client(app)
    assert screen.get("/kiosk/?reset=1").status_code == 200
    assert ticket_of(get_ticket(screen)) == "B-1"


# -- rate limit -----------------------------------------------------------------------

def test_check_ins_are_rate_limited_per_kiosk(make_app):
    app = make_app(KIOSK_CHECKINS_PER_MINUTE=3)
    screen, kiosk_id = paired_client(app, "Eingang")
    other, _other_id = paired_client(app, "Flur")
    tokens = [secrets.token_urlsafe(16) for _ in range(3)]
    tickets = [ticket_of(get_ticket(screen, "core:cafe", token=t)) for t in tokens]
    assert tickets == ["C-1", "C-2", "C-3"]

    response = get_ticket(screen, "core:cafe")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Many people checked in just now." in page and is_fragment(response)
    assert TICKET.search(page) is None
    response = get_ticket(screen, "core:cafe", htmx=False)
    assert response.status_code == 429 and is_whole_page(response)
    assert count_checkins(app) == 3

    # a resent request of an earlier visitor still finds its ticket
    assert ticket_of(get_ticket(screen, "core:cafe", token=tokens[1])) == "C-2"
    # another kiosk is not affected
    assert ticket_of(get_ticket(other, "core:cafe")) == "C-4"
    assert count_checkins(app) == 4

    # a minute later the kiosk takes check-ins again
    with app.app_context():
        for row in db.session.scalars(select(CheckIn).filter_by(kiosk_id=kiosk_id)):
            row.created_at -= timedelta(seconds=61)
        db.session.commit()
    assert ticket_of(get_ticket(screen, "core:cafe")) == "C-5"


# -- today's offers ----------------------------------------------------------------------

def qr_matrix_of(data_uri):
    """The dark modules of a segno SVG data URI, without the quiet zone."""
    svg = unquote(data_uri.split(",", 1)[1])
    path = re.search(r"""\sd=['"]([^'"]+)['"]""", svg).group(1)
    cells, x, y = set(), 0.0, 0.0
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            cells.update((int(x) + i, int(y)) for i in range(int(float(first))))
            x += float(first)
    left, top = min(c[0] for c in cells), min(c[1] for c in cells)
    return {(cx - left, cy - top) for cx, cy in cells}


def qr_encodes(data_uri, text):
    """Whether a QR code image holds ``text`` (in any error correction level)."""
    found = qr_matrix_of(data_uri)
    for level in "lmqh":
        code = segno.make(text, error=level, micro=False)
        dark = {(x, y) for y, row in enumerate(code.matrix) for x, bit in enumerate(row) if bit}
        left, top = min(c[0] for c in dark), min(c[1] for c in dark)
        if found == {(x - left, y - top) for x, y in dark}:
            return True
    return False


def offer_items(page):
    """The list items of the offers list, in order."""
    return re.findall(r'<li class="kiosk-offer[^"]*">.*?</li>\s*(?=<li class="kiosk-offer|</ol>)',
                      page, re.S)


def today_of(app):
    with app.app_context():
        return local_today()


def add_offer(app, title, start, end, area="core", day=None, **fields):
    with app.app_context():
        offer = Offer(service_area=area, titles={"de": f"{title} (de)", "en": title},
                      first_date=day or local_today(), start_time=start, end_time=end,
                      **fields)
        db.session.add(offer)
        db.session.commit()
        return offer.id


@pytest.fixture
def noon(monkeypatch):
    """The kiosk's clock stands at 12:00 today."""
    import kiosk.views

    def fake_now():
        return datetime.combine(local_today(), time(12, 0))

    monkeypatch.setattr(kiosk.views, "local_now", fake_now)


def test_todays_demo_offers_with_a_qr_code_to_their_phone_page(make_demo_app, noon):
    from intranet.plugin import all_offers

    app = make_demo_app()
    mine = add_offer(app, "Sewing café", time(13), time(14), area="womens_courses")
    with app.test_request_context("/?lang=en"):
        today = local_today()
        expected = all_offers(today, today, "en")
    assert mine in {o.offer_id for o in expected}
    response = app.test_client().get("/kiosk/offers?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    items = offer_items(page)
    assert len(items) == len(expected)
    for offer, item in zip(expected, items, strict=True):  # in time order
        assert unescape(re.search(r"<h2[^>]*>([^<]+)</h2>", item).group(1)) == offer.title
        src = re.search(r'<img class="kiosk-qr" src="([^"]+)"', item).group(1)
        assert src == f"/kiosk/offers/{offer.offer_id}/qr-en.svg"
        # the phone page opens in the kiosk's language
        assert qr_encodes(qr_image(app, src), f"http://localhost/o/{offer.offer_id}?lang=en")


def test_the_qr_code_uses_the_public_base_url(make_app, noon):
    app = make_app(PUBLIC_BASE_URL="https://mittelpunkt.example/")
    offer_id = add_offer(app, "Open café", time(13), time(14))
    page = app.test_client().get("/kiosk/offers/list").get_data(as_text=True)
    qr = qr_image(app, unescape(re.search(r'class="kiosk-qr" src="([^"]+)"', page).group(1)))
    assert qr_encodes(qr, f"https://mittelpunkt.example/o/{offer_id}?lang=de")
    assert not qr_encodes(qr, f"http://localhost/o/{offer_id}?lang=de")


def test_a_qr_code_image_is_cached_and_refused_for_what_does_not_exist(make_app, noon):
    app = make_app()
    offer_id = add_offer(app, "Open café", time(13), time(14))
    client = app.test_client()
    image = client.get(f"/kiosk/offers/{offer_id}/qr-ar.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert image.cache_control.max_age == 24 * 3600 and image.cache_control.public
    assert qr_encodes(qr_image(app, f"/kiosk/offers/{offer_id}/qr-ar.svg"),
                      f"http://localhost/o/{offer_id}?lang=ar")
    for wrong in (f"/kiosk/offers/{offer_id + 99}/qr-de.svg",
                  f"/kiosk/offers/{offer_id}/qr-x%3Cscript%3E.svg",
                  f"/kiosk/offers/{offer_id}/qr-DE.svg"):
        assert client.get(wrong).status_code == 404, wrong


def qr_image(app, src):
    """The QR code image at ``src``, as a data URI like the pairing page's."""
    response = app.test_client().get(src)
    assert response.status_code == 200, src
    return "data:image/svg+xml," + quote(response.get_data(as_text=True))


def test_now_and_next_badges(app, noon):
    add_offer(app, "Morning walk", time(9), time(10))
    add_offer(app, "Lunch table", time(11, 30), time(13))
    cancelled = add_offer(app, "Cancelled course", time(12, 30), time(13, 30),
                          area="womens_courses", weekly=True)
    add_offer(app, "Homework club", time(14), time(15), area="school_guidance")
    add_offer(app, "Evening choir", time(18), time(19))
    add_offer(app, "Tomorrow's walk", time(9), time(10), day=today_of(app) + timedelta(days=1))
    with app.app_context():
        db.session.add(OfferCancellation(offer_id=cancelled, day=local_today()))
        db.session.commit()
    page = app.test_client().get("/kiosk/offers?lang=en").get_data(as_text=True)
    items = offer_items(page)
    titles = [re.search(r"<h2[^>]*>([^<]+)</h2>", item).group(1) for item in items]
    assert titles == ["Morning walk", "Lunch table", "Cancelled course", "Homework club",
                      "Evening choir"]
    badges = {title: re.findall(r'kiosk-badge-(\w+)', item) for title, item in
              zip(titles, items, strict=True)}
    assert badges == {"Morning walk": [], "Lunch table": ["now"],
                      "Cancelled course": ["cancelled"], "Homework club": ["next"],
                      "Evening choir": []}
    assert "is-past" in items[0] and "is-past" not in items[1]
    assert "is-cancelled" in items[2]
    assert "Tomorrow" not in page


def test_offers_show_the_visitors_language_where_there_is_a_translation(app, noon):
    with app.app_context():
        db.session.add(Offer(service_area="core", titles={"de": "Nur Deutsch"},
                             first_date=local_today(), start_time=time(13),
                             end_time=time(14), languages=["de", "ar"], audience="women",
                             childcare=True))
        db.session.commit()
    add_offer(app, "Both languages", time(15), time(16))
    page = app.test_client().get("/kiosk/offers?lang=en").get_data(as_text=True)
    assert '<h2 lang="de">Nur Deutsch</h2>' in page
    assert "<h2>Both languages</h2>" in page
    assert '<span lang="ar">العربية</span>' in page
    assert "Women only" in page and "Childcare" in page
    arabic = app.test_client().get("/kiosk/offers?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and '<h2 lang="de">Both languages (de)</h2>' in arabic


def test_the_offers_list_fragment_and_the_polling_page(app, noon):
    add_offer(app, "Lunch table", time(11, 30), time(13))
    response = app.test_client().get("/kiosk/offers/list?lang=en")
    assert response.status_code == 200 and is_fragment(response)
    assert "Lunch table" in response.get_data(as_text=True)
    assert "kiosk-badge-now" in response.get_data(as_text=True)
    # Unchanged since the last poll: a bodiless 304, and htmx leaves the list alone.
    again = app.test_client().get("/kiosk/offers/list?lang=en",
                                  headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    add_offer(app, "Sewing circle", time(12), time(14))
    changed = app.test_client().get("/kiosk/offers/list?lang=en",
                                    headers={"If-None-Match": response.headers["ETag"]})
    assert changed.status_code == 200 and "Sewing circle" in changed.get_data(as_text=True)
    page = app.test_client().get("/kiosk/offers").get_data(as_text=True)
    assert 'hx-get="/kiosk/offers/list"' in page and 'hx-trigger="every 60s"' in page
    assert 'data-poll-etag=""' in page and re.search(r"js/poll\.[0-9a-f]{10}\.js", page)
    # public, so no way back into the check-in for a browser that is no kiosk
    assert "data-kiosk-home" not in page
    screen, _kiosk_id = paired_client(app)
    assert "data-kiosk-home" in screen.get("/kiosk/offers").get_data(as_text=True)


def test_no_offers_today_gets_a_friendly_line(app, noon):
    response = app.test_client().get("/kiosk/offers/list?lang=en")
    assert response.status_code == 200
    assert "No offers today." in response.get_data(as_text=True)


def test_the_public_offer_page_shows_the_next_dates(app):
    today = today_of(app)
    weekly = add_offer(app, "Weekly café", time(10), time(12), weekly=True,
                       day=today - timedelta(days=14), room="Café")
    with app.app_context():
        db.session.add(OfferCancellation(offer_id=weekly, day=today + timedelta(days=7)))
        db.session.commit()
    anonymous = app.test_client()
    response = anonymous.get(f"/o/{weekly}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Weekly café" in page and "Café" in page
    dates = re.findall(r'<li( class="cancelled")?>[^<]+', page.split("next-dates", 1)[1]
                       .split("</ul>", 1)[0])
    assert len(dates) == 8  # the next eight dates, from today on
    assert [bool(c) for c in dates] == [False, True, False, False, False, False, False, False]

    past = add_offer(app, "Last year's party", time(18), time(22),
                     day=date(today.year - 1, 6, 1))
    page = anonymous.get(f"/o/{past}?lang=en").get_data(as_text=True)
    assert "No dates planned at the moment." in page
    assert anonymous.get("/o/999999").status_code == 404


def test_a_disabled_plugins_offer_has_no_public_page_and_leaves_the_kiosk(app, noon):
    womens = add_offer(app, "Women's breakfast", time(13), time(14), area="womens_courses")
    core = add_offer(app, "Open café", time(15), time(16))
    anonymous = app.test_client()
    assert anonymous.get(f"/o/{womens}").status_code == 200
    with app.app_context():
        host().set_enabled("womens_courses", False)
    assert anonymous.get(f"/o/{womens}").status_code == 404
    assert anonymous.get(f"/o/{core}").status_code == 200
    page = anonymous.get("/kiosk/offers?lang=en").get_data(as_text=True)
    assert "Women's breakfast" not in page and "Women&#39;s breakfast" not in page
    assert "Open café" in page


# -- the call-up board ----------------------------------------------------------------------

def test_the_board_shows_called_numbers_with_rooms_newest_first(app):
    screen, _kiosk_id = paired_client(app)
    for purpose in ("consultations:walk_in", "womens_courses:course", "core:cafe",
                    "school_guidance:homework_help"):
        get_ticket(screen, purpose)
    now = utcnow()
    with app.app_context():
        rows = {c.ticket: c for c in db.session.scalars(select(CheckIn))}
        change_status(rows["B-1"], CheckInStatus.CALLED, room="Beratungsraum")
        change_status(rows["F-2"], CheckInStatus.CALLED, room="Kursraum 1")
        change_status(rows["S-4"], CheckInStatus.CALLED, room="Büro")
        # two calls close together, and one from this morning
        rows["B-1"].called_at = now - timedelta(seconds=1)
        rows["F-2"].called_at = now - timedelta(milliseconds=500)
        rows["S-4"].called_at = now - timedelta(hours=3)
        db.session.commit()

    anonymous = app.test_client()
    for url in ("/kiosk/board", "/kiosk/board/calls"):
        response = anonymous.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        calls = re.findall(r'<span class="board-ticket"><bdi>([^<]+)</bdi></span>.*?'
                           r'<span class="board-room"[^>]*>([^<]+)</span>', page, re.S)
        assert calls == [("F-2", "Kursraum 1"), ("B-1", "Beratungsraum")], url
        assert "C-3" not in page  # waiting, not called
        assert "S-4" not in page  # called hours ago
    assert is_fragment(anonymous.get("/kiosk/board/calls"))
    board = anonymous.get("/kiosk/board").get_data(as_text=True)
    trigger = re.search(r'hx-get="/kiosk/board/calls" hx-trigger="every (\d+)s"', board)
    assert trigger and int(trigger.group(1)) <= 3


def test_two_calls_in_the_same_instant_are_both_on_the_board(app):
    screen, _kiosk_id = paired_client(app)
    get_ticket(screen, "consultations:walk_in")
    get_ticket(screen, "job_orientation:job_centre")
    moment = utcnow()
    with app.app_context():
        for row, room in zip(db.session.scalars(select(CheckIn).order_by(CheckIn.id)),
                             ("Beratungsraum", "Büro"), strict=True):
            change_status(row, CheckInStatus.CALLED, room=room)
            row.called_at = moment
        db.session.commit()
    page = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert re.findall(r'class="board-ticket"><bdi>([^<]+)<', page) == ["J-2", "B-1"]
    assert len(set(re.findall(r'data-call="([^"]+)"', page))) == 2
    # a ticket called again moves to the top with its new room
    with app.app_context():
        row = db.session.scalar(select(CheckIn).filter_by(ticket="B-1"))
        change_status(row, CheckInStatus.CALLED, room="Kursraum 2")
    page = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert re.findall(r'class="board-(?:ticket|room)"[^>]*>(?:<bdi>)?([^<]+)<', page) == [
        "B-1", "Kursraum 2", "J-2", "Büro"]


def test_the_board_is_empty_until_someone_is_called(app):
    screen, _kiosk_id = paired_client(app)
    get_ticket(screen)
    page = app.test_client().get("/kiosk/board/calls?lang=en").get_data(as_text=True)
    assert "board-ticket" not in page and "B-1" not in page
    assert "your number will appear here" in page
