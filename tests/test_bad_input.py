"""Bad input everywhere: absurd numbers and dates, control characters, overlong text,
foreign Host headers. Never a 500, never a partial write, always our own error page."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta

import pytest
import segno
from flask import Flask
from sqlalchemy import func, select

from intranet.auth.models import Role
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.input_hygiene import UnstorableInput, bounded_int, clean_text
from intranet.core.models import Room
from intranet.core.timeutil import local_today
from intranet.offers.models import Offer
from intranet.testing import add_user, login


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_app(request: pytest.FixtureRequest, make_app) -> Flask:
    """The app on SQLite and on PostgreSQL, with 500s shown as pages (not raised)."""
    settings = {"PROPAGATE_EXCEPTIONS": False}
    if request.param == "postgres":
        settings["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    return make_app(**settings)


def admin(app: Flask):
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    client.get("/?lang=en")
    return client


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# -- the helpers -------------------------------------------------------------------------

def test_clean_text_keeps_tabs_and_line_breaks_only():
    assert clean_text("a\x00b\x0bc\x1bd\x7fe\tf\ng\rh") == "abcde\tf\ng\rh"


@pytest.mark.parametrize("value, expected", [
    ("3", 3), ("0", None), ("-1", None), ("²", None), ("1" * 5000, None), ("", None),
    (None, None), ("100000", 100000), ("100001", None), ("99999999999999999999", None)])
def test_bounded_int(value, expected):
    assert bounded_int(value) == expected


# -- URLs and query parameters -------------------------------------------------------------

@pytest.mark.parametrize("url, status", [
    ("/o/99999999999999999999", 404),
    ("/o/2147483648", 404),
    ("/o/" + "9" * 5000, 404),
    ("/programme?week=9999-12-31", 200),
    ("/programme?week=9999-W52", 200),
    ("/programme?week=0001-01-01", 200),
    ("/programme?week=" + "9" * 5000, 200),
    ("/programme/poster?week=9999-12-31", 200),
    ("/programme.ics?lang=%00", 200),
    ("/kiosk/pair/" + "A" * 300, 404),
    ("/kiosk/pair/%00abc", 404),
    ("/kiosk/?code=%00", 403),
])
def test_anonymous_absurd_urls_are_answered_not_crashed(any_app, url, status):
    response = any_app.test_client().get(url)
    assert response.status_code == status
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("url", [
    "/offers/?date=9999-12-31", "/offers/?date=9999-12-31&view=month",
    "/offers/?date=0001-01-01&view=month", "/offers/list?page=99999999999999999999",
    "/offers/list?page=-5", "/admin/users?page=99999999999999999999",
    "/admin/users?page=" + "1" * 5000, "/admin/audit?page=99999999999",
    "/reports/?period=custom&start=9999-12-31&end=9999-12-31",
    "/reports/export.csv?period=custom&start=0001-01-01&end=0001-01-02",
    "/offers/99999999999999999999", "/people/?page=99999999999999999999",
    "/consultations/records?page=99999999999999999999",
    "/consultations/new?checkin=99999999999999999999",
    "/job_orientation/appointments/new?checkin=99999999999999999999",
])
def test_staff_absurd_urls_are_answered_not_crashed(any_app, url):
    response = admin(any_app).get(url)
    assert response.status_code in (200, 302, 400, 404), url
    assert b"Traceback" not in response.data


def test_a_control_character_in_a_path_segment_is_not_found(any_app):
    client = admin(any_app)
    assert client.post("/offers/1/cancel/%00/undo").status_code == 404


# -- forms ---------------------------------------------------------------------------------

def offer_data(**changes):
    data = {"service_area": "core", "room": "", "repeat": "once",
            "first_date": date.today().isoformat(), "start_time": "10:00",
            "end_time": "11:00", "audience": "everyone", "title_de": "Café"}
    data.update(changes)
    return data


def test_nul_and_control_characters_are_dropped_before_storing(any_app):
    client = admin(any_app)
    response = client.post("/offers/new", data=offer_data(
        title_de="Ca\x00f\x1bé", description_de="Zeile 1\r\nZeile\x00 2"))
    assert response.status_code == 302
    with any_app.app_context():
        offer = db.session.scalar(select(Offer))
        assert offer.titles["de"] == "Café"
        assert offer.descriptions["de"] == "Zeile 1\r\nZeile 2"


def test_absurd_dates_in_a_form_are_refused_with_a_message(any_app):
    client = admin(any_app)
    for day in ("9999-12-31", "0001-01-01", "1899-12-31"):
        response = client.post("/offers/new", data=offer_data(first_date=day))
        assert response.status_code == 400
        assert "Enter a date between 1900 and 2100." in response.get_data(as_text=True)
    assert count(any_app, Offer) == 0


def test_text_too_long_for_its_column_is_refused_and_nothing_written(any_app):
    with any_app.test_request_context():
        db.session.add(Room(name="R" * 121))
        with pytest.raises(UnstorableInput):
            db.session.flush()
        db.session.rollback()
        db.session.add(Room(name="ok\x00", position=2**40))
        with pytest.raises(UnstorableInput):
            db.session.flush()
        db.session.rollback()
        db.session.add(Room(name="ok\x00"))
        db.session.commit()
        assert db.session.scalar(select(Room.name)) == "ok"


def test_a_view_that_writes_too_much_gets_a_400_and_a_rollback(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/_test/write", methods=["POST"])
    def write():
        db.session.add(Room(name="kept?"))
        db.session.flush()
        db.session.add(Room(name="x" * 500))
        db.session.commit()
        return "stored"

    client = admin(app)
    response = client.post("/_test/write")
    assert response.status_code == 400
    assert "too long or out of range" in response.get_data(as_text=True)
    assert count(app, Room) == 0


# -- the kiosk -----------------------------------------------------------------------------

def test_an_overlong_or_strange_kiosk_token_is_refused_with_the_kiosk_message(any_app, pair_kiosk):
    screen = pair_kiosk(any_app)
    for token in ("t" * 65, "t" * 5000, "abc defghijk", "ä" * 30, "<script>x</script>"):
        response = screen.post("/kiosk/checkin/ticket", data={
            "token": token, "purpose": "core:cafe"})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "kiosk" in page and "/login" not in page
    assert count(any_app, CheckIn) == 0
    response = screen.post("/kiosk/checkin/ticket", data={
        "token": "t" * 64, "purpose": "core:cafe", "first_name": "Ali\x00\x07ce"})
    assert response.status_code == 200
    with any_app.app_context():
        assert db.session.scalar(select(CheckIn.first_name)) == "Alice"


KIOSK_ERRORS = [
    ("get", "/kiosk/no-such-screen", 404),
    ("get", "/kiosk/checkin/ticket", 405),
    ("post", "/kiosk/board", 405),
]


@pytest.mark.parametrize("method, url, status", KIOSK_ERRORS)
def test_kiosk_errors_stay_in_the_kiosk_layout(app, method, url, status, pair_kiosk):
    response = getattr(pair_kiosk(app), method)(url)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert 'class="kiosk"' in page and "kiosk-error" in page
    assert 'href="/kiosk/?reset=1"' in page
    assert "/login" not in page and "mainnav" not in page


def test_a_kiosk_error_inside_the_check_in_is_a_step_fragment(app, pair_kiosk):
    response = pair_kiosk(app).get("/kiosk/nope", headers={
        "HX-Request": "true", "HX-Target": "flow"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith("<section id=\"flow\"") and "<html" not in page


def test_kiosk_csrf_and_server_errors_stay_in_the_kiosk_layout(make_app, pair_kiosk):
    app = make_app(WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False)
    screen = pair_kiosk(app)
    response = screen.post("/kiosk/checkin/details", data={"purpose": "core:cafe"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "kiosk-error" in page and "/login" not in page

    import kiosk.views

    original = kiosk.views.todays_offers
    kiosk.views.todays_offers = lambda: 1 / 0
    try:
        response = screen.get("/kiosk/offers")
    finally:
        kiosk.views.todays_offers = original
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "kiosk-error" in page and "/login" not in page and "Traceback" not in page


def test_kiosk_errors_speak_the_visitors_language(app, pair_kiosk):
    screen = pair_kiosk(app)
    screen.get("/kiosk/?lang=ar")
    page = screen.get("/kiosk/nope").get_data(as_text=True)
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_staff_pages_keep_the_staff_error_page(app):
    client = admin(app)
    page = client.get("/offers/123456").get_data(as_text=True)
    assert "Back to the start page" in page and "kiosk-error" not in page
    page = client.get("/kiosk/admin/999/nothing").get_data(as_text=True)
    assert "Back to the start page" in page


# -- /healthz --------------------------------------------------------------------------------

def test_healthz_tells_strangers_only_that_it_is_up(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    details = admin(app).get("/healthz").json
    assert details["status"] == "ok" and details["database"] == "ok"
    assert "version" in details and "kiosk" in details["plugins"]


def test_healthz_details_by_setting(make_app):
    app = make_app(HEALTHZ_DETAILS=True)
    assert set(app.test_client().get("/healthz").json) == {"status", "database", "version",
                                                          "plugins"}


def test_healthz_reports_a_broken_database_with_503(make_app, monkeypatch):
    app = make_app()
    monkeypatch.setattr("intranet.web.views.database_answers", lambda: False)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json == {"status": "error"}


# -- hosts and absolute URLs -------------------------------------------------------------------

def test_an_untrusted_host_gets_a_clear_400(make_app):
    app = make_app(TRUSTED_HOSTS=["mittelpunkt.example"], PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    assert client.get("/programme", headers={"Host": "mittelpunkt.example"}).status_code == 200
    for url in ("/programme", "/kiosk/", "/login", "/nowhere", "/programme.ics"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400
        # German, the default language: no page of the site can be built for this host
        assert "Unter dieser Adresse ist der Mittelpunkt nicht erreichbar" in \
            response.get_data(as_text=True)


def test_trusted_hosts_from_the_environment_may_be_a_comma_list(make_app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_TRUSTED_HOSTS", "a.example, b.example")
    app = make_app()
    assert app.config["TRUSTED_HOSTS"] == ["a.example", "b.example"]


def test_public_base_url_wins_over_the_host_header(make_app, pair_kiosk):
    from icalendar import Calendar

    app = make_app(PUBLIC_BASE_URL="https://mittelpunkt.example/")
    with app.app_context():
        today = local_today()
        db.session.add(Offer(service_area="core", weekly=False, first_date=today,
                             start_time=time(10), end_time=time(23, 59),
                             titles={"de": "Café"}))
        db.session.commit()
    client = app.test_client()
    feed = client.get("/programme.ics", headers={"Host": "evil.example"}).data
    assert b"evil.example" not in feed
    event = next(iter(Calendar.from_ical(feed).walk("VEVENT")))
    assert str(event["url"]).startswith("https://mittelpunkt.example/o/")
    assert str(event["uid"]).endswith("@mittelpunkt.example")
    page = client.get("/programme", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
    poster = client.get("/programme/poster", headers={"Host": "evil.example"})
    assert b"evil.example" not in poster.data
    screen = pair_kiosk(app)
    offers = screen.get("/kiosk/offers", headers={"Host": "evil.example"}).get_data(as_text=True)
    qr = re.search(r'class="kiosk-qr" src="([^"]+)"', offers).group(1)
    assert "evil.example" not in offers and qr.startswith("/kiosk/offers/")
    offer_id = int(qr.split("/")[3])
    image = screen.get(qr, headers={"Host": "evil.example"})
    expected = io.BytesIO()  # the code of the public address, not of the Host header
    segno.make(f"https://mittelpunkt.example/o/{offer_id}?lang=de", error="m").save(
        expected, kind="svg", scale=4, border=2, xmldecl=False)
    assert image.status_code == 200 and image.data == expected.getvalue()
    # the pairing link (and its QR code) an admin is shown, on the test client's localhost
    page = admin(app).post("/kiosk/admin/new", data={"name": "Eingang 2"}).get_data(
        as_text=True)
    link = re.search(r'id="pairing-link" href="([^"]+)"', page).group(1)
    assert link.startswith("https://mittelpunkt.example/kiosk/pair/")


def test_offer_dates_do_not_overflow_near_the_end_of_the_range(any_app):
    with any_app.app_context():
        db.session.add(Offer(service_area="core", weekly=True, first_date=local_today(),
                             last_date=local_today() + timedelta(days=30),
                             start_time=time(10), end_time=time(11), titles={"de": "X"}))
        db.session.commit()
    client = admin(any_app)
    assert client.get("/offers/1/cancel?day=9999-12-31").status_code == 200
    assert client.get("/offers/1/cancel?day=" + "9" * 500).status_code == 200
