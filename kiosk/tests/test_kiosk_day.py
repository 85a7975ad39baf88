"""A lobby day through the test client: purposes follow their offers' days, the phone page
tells how to register in the visitor's language, and the kiosk's text is whole sentences."""

from __future__ import annotations

import re
import secrets
from datetime import date, time

from intranet.plugin import Offer, db
from kiosk.testing import pair

HX = {"HX-Request": "true", "HX-Target": "flow"}
WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)


def job_centre_hour(app):
    with app.app_context():
        db.session.add(Offer(
            service_area="job_orientation", weekly=True, first_date=date(2026, 11, 5),
            last_date=None, start_time=time(13), end_time=time(15), room="Büro",
            titles={"de": "Sprechstunde des Jobcenters"},
            kiosk_purpose="job_orientation:job_centre"))
        db.session.commit()


def ask_for(screen, purpose, step="ticket"):
    return screen.post(f"/kiosk/checkin/{step}", headers=HX, data={
        "token": secrets.token_urlsafe(16), "purpose": purpose, "first_visit": "yes"})


def test_a_purpose_that_does_not_run_today_shows_its_next_date(app, fixed_today):
    job_centre_hour(app)
    fixed_today(app, WEDNESDAY, at=time(10))
    screen = pair(app, "Eingang", "en")
    page = screen.get("/kiosk/checkin", headers=HX).get_data(as_text=True)
    assert 'value="job_orientation:job_centre"' not in page  # no button to press
    tile = re.search(r'<div class="kiosk-tile kiosk-tile-off[^"]*" '
                     r'data-purpose="job_orientation:job_centre">(.*?)</div>', page, re.S)
    assert tile and "Not today. Next: Thu, December 3" in tile.group(1)
    assert 'value="core:cafe"' in page and 'value="job_orientation:application_help"' in page
    # A stale screen cannot take the number either: the reason comes back, no ticket.
    for step in ("details", "ticket"):
        refused = ask_for(screen, "job_orientation:job_centre", step)
        assert refused.status_code == 400
        assert ("Job centre consultation hour is not offered today. "
                "Next date: Thu, December 3.") in refused.get_data(as_text=True)
    fixed_today(app, THURSDAY, at=time(13, 30))
    taken = ask_for(screen, "job_orientation:job_centre")
    assert taken.status_code == 200 and 'id="kiosk-ticket"><bdi>J-1</bdi>' in taken.get_data(
        as_text=True)


def test_the_details_step_asks_first_time_with_buttons_that_take_the_number(app):
    screen = pair(app, "Eingang", "ar")
    page = ask_for(screen, "core:cafe", "details").get_data(as_text=True)
    assert re.findall(r'name="first_visit" value="(yes|no)"', page) == ["yes", "no"]
    assert 'hx-post="/kiosk/checkin/ticket"' in page
    # the on-screen keyboard in the visitor's script, with Latin letters beside it
    assert re.search(
        r'data-keyboard="/static/vendor/keyboard/layouts/arabic\.[0-9a-f]{10}\.js"', page)
    assert re.search(
        r'data-keyboard-latin="/static/vendor/keyboard/layouts/german\.[0-9a-f]{10}\.js"', page)
    assert 'inputmode="none"' in page


def test_the_countdown_is_a_plural_sentence_for_every_second(make_app):
    app = make_app(KIOSK_COUNTDOWN_SECONDS=5)
    screen = pair(app, "Eingang", "ru")
    page = screen.get("/kiosk/checkin").get_data(as_text=True)
    texts = re.search(r"data-texts='([^']+)'", page).group(1)
    import json

    sentences = json.loads(texts)
    assert sentences["1"].endswith("1 секунду.") and sentences["3"].endswith("3 секунды.")
    assert sentences["5"].endswith("5 секунд.")


def test_the_clock_follows_the_meeting_points_time_zone(make_app):
    app = make_app(DEFAULT_TIMEZONE="America/New_York")
    page = pair(app, "Eingang").get("/kiosk/").get_data(as_text=True)
    assert 'data-timezone="America/New_York"' in page


def test_opening_hours_on_the_start_and_offers_screens_in_the_visitors_language(app):
    screen = pair(app, "Eingang", "tr")
    for url in ("/kiosk/", "/kiosk/offers"):
        page = screen.get(url).get_data(as_text=True)
        hours = re.search(r'<section class="kiosk-hours".*?</section>', page, re.S).group(0)
        assert "Uhr" not in hours and "Pzt" in hours and "09:00" in hours, hours


def test_the_phone_page_says_how_to_register_in_the_phones_language(make_app):
    app = make_app(SITE_PHONE="05121 12345", SITE_ADDRESS="Hüttenstraße 12")
    with app.app_context():
        offer = Offer(service_area="womens_courses", weekly=True, first_date=date(2026, 11, 5),
                      start_time=time(9), end_time=time(11), registration_needed=True,
                      titles={"de": "Deutschkurs für Frauen"})
        db.session.add(offer)
        db.session.commit()
        offer_id = offer.id
    phone = app.test_client()
    page = phone.get(f"/o/{offer_id}", headers={"Accept-Language": "ar,en;q=0.5"}) \
        .get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'href="tel:0512112345"' in page and "Hüttenstraße 12" in page
    assert re.search(r'class="opening-hours".*?</dl>', page, re.S)
    # ?lang (a kiosk's QR code) wins over the phone's own setting
    page = phone.get(f"/o/{offer_id}?lang=tr", headers={"Accept-Language": "ar"}) \
        .get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page and "Pzt" in page


def test_the_kiosk_ignores_the_browsers_language(app):
    screen = pair(app, "Eingang")
    page = screen.get("/kiosk/?reset=1", headers={"Accept-Language": "ar"}).get_data(
        as_text=True)
    assert '<html lang="de"' in page
