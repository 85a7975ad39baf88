"""Staff offer pages: calendar, list, create, edit, cancel, room clashes, permissions."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from intranet.auth.models import Role
from intranet.core.extensions import db
from intranet.core.models import Room
from intranet.offers.models import Offer, OfferCancellation
from intranet.testing import add_user, login, week_start

PLUGINS = ("womens_courses", "consultations")


@pytest.fixture
def app(make_app):
    return make_app(plugins=PLUGINS)


@pytest.fixture
def monday(app) -> date:
    return week_start(app)


def add_offer(app, **values) -> int:
    defaults = dict(service_area="womens_courses", titles={"de": "Deutsch für Frauen"},
                    descriptions={}, room="Kursraum 1", first_date=date(2026, 1, 6),
                    last_date=None, start_time=time(9, 30), end_time=time(11, 30),
                    weekly=True, languages=["de"])
    defaults.update(values)
    with app.app_context():
        offer = Offer(**defaults)
        db.session.add(offer)
        db.session.commit()
        return offer.id


def get_offer(app, offer_id: int) -> Offer | None:
    with app.app_context():
        offer = db.session.get(Offer, offer_id)
        if offer is not None:
            offer.cancellations  # load before the session closes  # noqa: B018
            db.session.expunge(offer)
        return offer


def offer_form(**changes) -> dict:
    data = {
        "service_area": "womens_courses",
        "title_de": "Deutsch für Frauen",
        "description_de": "Mit Kinderbetreuung",
        "title_ar": "الألمانية للنساء",
        "room": "Kursraum 1",
        "repeat": "weekly",
        "first_date": "2026-12-01",
        "last_date": "2027-03-30",
        "start_time": "09:30",
        "end_time": "11:30",
        "languages": ["de", "ar"],
        "audience": "women",
        "childcare": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def page(response) -> str:
    return response.get_data(as_text=True)


# -- create, validate, edit ----------------------------------------------------------

def test_create_a_weekly_offer_with_an_arabic_title(app, admin_client):
    form = admin_client.get("/offers/new?lang=en")
    assert form.status_code == 200
    html = page(form)
    arabic = re.search(r'<input[^>]*id="title_ar"[^>]*>', html).group(0)
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    assert 'id="title_fa"' in html and 'id="title_uk"' in html
    response = admin_client.post("/offers/new?lang=en", data=offer_form())
    assert response.status_code == 302
    with app.app_context():
        offer = db.session.scalars(select(Offer)).one()
        assert offer.titles == {"de": "Deutsch für Frauen", "ar": "الألمانية للنساء"}
        assert offer.descriptions == {"de": "Mit Kinderbetreuung"}
        assert offer.weekly and offer.first_date == date(2026, 12, 1)
        assert offer.last_date == date(2027, 3, 30)
        assert (offer.start_time, offer.end_time) == (time(9, 30), time(11, 30))
        assert offer.room == "Kursraum 1" and offer.languages == ["de", "ar"]
        assert offer.audience == "women" and offer.childcare and not offer.registration_needed
        offer_id = offer.id
    assert response.headers["Location"] == f"/offers/{offer_id}"
    detail = page(admin_client.get(f"/offers/{offer_id}?lang=en"))
    assert "The offer “Deutsch für Frauen” is saved." in detail
    # Arabic has its title but no description; Turkish has nothing.
    assert re.search(r'class="translation translation-partial" lang="ar"', detail)
    assert re.search(r'class="translation translation-missing" lang="tr"', detail)
    assert re.search(r'class="translation translation-ok" lang="de"', detail)
    assert detail.count("Translation missing") == 5  # en tr ru fa uk


def test_a_one_off_offer_has_no_last_date(app, admin_client):
    response = admin_client.post("/offers/new", data=offer_form(
        repeat="once", first_date="2026-12-05", last_date="2026-12-24", service_area="core"))
    assert response.status_code == 302
    with app.app_context():
        offer = db.session.scalars(select(Offer)).one()
        assert not offer.weekly and offer.last_date is None and offer.service_area == "core"


def test_validation_shows_messages_and_keeps_what_was_typed(app, admin_client):
    response = admin_client.post("/offers/new?lang=en", data=offer_form(
        title_de="", start_time="12:00", end_time="10:00", first_date="2027-01-10",
        last_date="2027-01-03"))
    assert response.status_code == 400
    html = page(response)
    assert "A title in German is needed." in html
    assert "The end must be after the start." in html
    assert "The last date must be after the first date." in html
    # Each message sits next to its field.
    assert re.search(r'id="title_de-error"', html) and re.search(r'id="end_time-error"', html)
    assert re.search(r'id="last_date-error"', html)
    # Nothing typed is lost.
    assert 'value="الألمانية للنساء"' in html
    assert 'value="12:00"' in html and 'value="2027-01-03"' in html
    assert "Mit Kinderbetreuung" in html
    with app.app_context():
        assert db.session.scalars(select(Offer)).all() == []


def test_only_enabled_areas_and_managed_rooms_can_be_chosen(app, admin_client):
    html = page(admin_client.get("/offers/new?lang=en"))
    assert 'value="womens_courses"' in html and 'value="core"' in html
    assert 'value="school_guidance"' not in html  # not loaded in this app
    assert 'value="Kursraum 2"' in html  # no managed rooms yet: the configured list
    with app.app_context():
        db.session.add_all([Room(name="Saal", position=1),
                            Room(name="Alter Keller", active=False, position=2)])
        db.session.commit()
    html = page(admin_client.get("/offers/new?lang=en"))
    assert 'value="Saal"' in html
    assert 'value="Alter Keller"' not in html and 'value="Kursraum 2"' not in html
    response = admin_client.post("/offers/new", data=offer_form(service_area="school_guidance"))
    assert response.status_code == 400
    response = admin_client.post("/offers/new", data=offer_form(room="Kursraum 2"))
    assert response.status_code == 400


def test_edit_an_offer(app, admin_client):
    offer_id = add_offer(app, titles={"de": "Alt", "tr": "Eski"}, room="Café")
    html = page(admin_client.get(f"/offers/{offer_id}/edit?lang=en"))
    assert 'value="Alt"' in html and 'value="Eski"' in html
    assert 'value="Café" selected' in html or re.search(r'selected[^>]*value="Café"', html)
    response = admin_client.post(f"/offers/{offer_id}/edit", data=offer_form(
        title_de="Neu", title_ar="", title_tr="", start_time="10:00", end_time="12:00",
        room="Büro"))
    assert response.status_code == 302
    offer = get_offer(app, offer_id)
    assert offer.titles == {"de": "Neu"}
    assert offer.start_time == time(10) and offer.room == "Büro"


def test_a_room_that_left_the_list_stays_selectable_for_its_offer(app, admin_client):
    offer_id = add_offer(app, room="Hof")
    response = admin_client.post(f"/offers/{offer_id}/edit",
                                 data=offer_form(room="Hof", last_date=""))
    assert response.status_code == 302
    assert get_offer(app, offer_id).last_date is None


def test_unknown_offer_is_404(admin_client):
    assert admin_client.get("/offers/999").status_code == 404
    assert admin_client.get("/offers/999/edit").status_code == 404


# -- cancelling ----------------------------------------------------------------------

def test_cancel_one_date_asks_first_and_then_strikes_it_through(app, admin_client, monday):
    tuesday = monday + timedelta(days=1)
    offer_id = add_offer(app, first_date=tuesday - timedelta(weeks=4))
    next_tuesday = tuesday + timedelta(weeks=1)
    confirm = admin_client.get(f"/offers/{offer_id}/cancel?day={next_tuesday}&lang=en")
    assert confirm.status_code == 200
    assert "Cancel one date of “Deutsch für Frauen”?" in page(confirm)
    assert get_offer(app, offer_id).cancellations == []  # asking changes nothing
    response = admin_client.post(f"/offers/{offer_id}/cancel",
                                 data={"day": next_tuesday.isoformat(), "reason": "krank"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalars(select(OfferCancellation)).one()
        assert (row.offer_id, row.day, row.reason) == (offer_id, next_tuesday, "krank")
    calendar = page(admin_client.get(f"/offers/?date={next_tuesday}&lang=en"))
    assert re.search(r'<li class="cal-item area-womens_courses cancelled">.*?<s class="cal-title"'
                     r'[^>]*>Deutsch für Frauen</s>', calendar, re.S)
    # A date that is not one of the offer's cannot be cancelled.
    wednesday = next_tuesday + timedelta(days=1)
    response = admin_client.post(f"/offers/{offer_id}/cancel", data={"day": str(wednesday)})
    assert response.status_code == 400
    # Taken back: the date takes place after all.
    response = admin_client.post(f"/offers/{offer_id}/cancel/{next_tuesday}/undo")
    assert response.status_code == 302
    assert get_offer(app, offer_id).cancellations == []


def test_cancel_the_series_from_a_date_on(app, admin_client, monday):
    offer_id = add_offer(app, first_date=monday - timedelta(weeks=5))
    confirm = admin_client.get(f"/offers/{offer_id}/end?lang=en")
    assert confirm.status_code == 200 and "Cancel the whole series" in page(confirm)
    assert get_offer(app, offer_id).last_date is None
    stop = monday + timedelta(weeks=2)
    response = admin_client.post(f"/offers/{offer_id}/end", data={"from_day": str(stop)})
    assert response.status_code == 302
    assert get_offer(app, offer_id).last_date == stop - timedelta(days=1)
    # Past dates cannot be rewritten.
    response = admin_client.post(f"/offers/{offer_id}/end",
                                 data={"from_day": str(monday - timedelta(weeks=1))})
    assert response.status_code == 400
    assert get_offer(app, offer_id).last_date == stop - timedelta(days=1)


def test_a_series_that_has_not_started_is_removed(app, admin_client, monday):
    offer_id = add_offer(app, first_date=monday + timedelta(weeks=3))
    response = admin_client.post(f"/offers/{offer_id}/end",
                                 data={"from_day": str(monday + timedelta(weeks=1))})
    assert response.status_code == 302
    assert get_offer(app, offer_id) is None


def test_a_future_one_off_is_deleted_a_past_one_stays(app, admin_client, monday):
    future = add_offer(app, weekly=False, first_date=monday + timedelta(weeks=1))
    past = add_offer(app, weekly=False, first_date=monday - timedelta(weeks=1))
    assert "Yes, remove the offer" in page(admin_client.get(f"/offers/{future}/end?lang=en"))
    assert admin_client.post(f"/offers/{future}/end").status_code == 302
    assert get_offer(app, future) is None
    assert admin_client.post(f"/offers/{past}/end").status_code == 302
    assert get_offer(app, past) is not None


# -- room clashes ----------------------------------------------------------------------

def test_a_room_clash_is_a_warning_not_a_block(app, admin_client):
    add_offer(app, titles={"de": "Frauenkurs"}, first_date=date(2026, 12, 1),  # a Tuesday
              start_time=time(9, 30), end_time=time(11, 30), room="Kursraum 1")
    response = admin_client.post("/offers/new?lang=en", data=offer_form(
        title_de="Elternabend", repeat="once", first_date="2026-12-15", start_time="11:00",
        end_time="13:00"), follow_redirects=True)
    assert response.status_code == 200
    html = page(response)
    assert "Room Kursraum 1 is also used by “Frauenkurs”" in html
    assert "flash-warning" in html
    assert "Room used twice" in html  # also on the offer's page
    with app.app_context():
        assert len(db.session.scalars(select(Offer)).all()) == 2  # saved all the same


@pytest.mark.parametrize("changes", [
    {"room": "Kursraum 2"},                           # another room
    {"start_time": "11:30", "end_time": "13:00"},     # right after
    {"first_date": "2026-12-16"},                     # a Wednesday
    {"first_date": "2026-11-24"},                     # before the course starts
])
def test_no_clash_warning_without_a_clash(app, admin_client, changes):
    add_offer(app, titles={"de": "Frauenkurs"}, first_date=date(2026, 12, 1),
              last_date=date(2027, 3, 30), room="Kursraum 1")
    data = offer_form(**{"title_de": "Elternabend", "repeat": "once", "first_date": "2026-12-15",
                         "start_time": "11:00", "end_time": "13:00", **changes})
    html = page(admin_client.post("/offers/new?lang=en", data=data, follow_redirects=True))
    assert "is saved" in html and "also used by" not in html


def test_a_cancelled_date_is_no_clash(app, admin_client):
    add_offer(app, titles={"de": "Frauenkurs"}, first_date=date(2026, 12, 1),
              cancellations=[OfferCancellation(day=date(2026, 12, 15), reason="")])
    data = offer_form(title_de="Elternabend", repeat="once", first_date="2026-12-15")
    html = page(admin_client.post("/offers/new?lang=en", data=data, follow_redirects=True))
    assert "also used by" not in html


# -- calendar ----------------------------------------------------------------------------

def seed_week(app, monday: date) -> None:
    add_offer(app, titles={"de": "Deutsch für Frauen"}, first_date=monday + timedelta(days=1),
              room="Kursraum 1", service_area="womens_courses")
    add_offer(app, titles={"de": "Offene Beratung"}, first_date=monday, room="Beratungsraum",
              service_area="consultations", start_time=time(9), end_time=time(12))
    add_offer(app, titles={"de": "Flohmarkt"}, weekly=False, room="Hof",
              first_date=monday + timedelta(weeks=5, days=5), service_area="core",
              start_time=time(11), end_time=time(15))


def test_week_calendar_is_the_default_and_links_to_the_edit_page(app, admin_client, monday):
    seed_week(app, monday)
    html = page(admin_client.get("/offers/?lang=en"))
    assert "<html" in html and 'id="calendar"' in html
    assert "Deutsch für Frauen" in html and "Offene Beratung" in html
    assert "Flohmarkt" not in html  # another week
    with app.app_context():
        ids = dict(db.session.execute(select(Offer.id, Offer.room)).all())
    course = next(i for i, room in ids.items() if room == "Kursraum 1")
    assert f'href="/offers/{course}/edit"' in html
    assert html.count('class="cal-day') == 7


def test_calendar_filters_by_area_and_room(app, admin_client, monday):
    seed_week(app, monday)
    html = page(admin_client.get("/offers/?area=consultations&lang=en"))
    assert "Offene Beratung" in html and "Deutsch für Frauen" not in html
    html = page(admin_client.get("/offers/?room=Kursraum+1&lang=en"))
    assert "Deutsch für Frauen" in html and "Offene Beratung" not in html
    html = page(admin_client.get("/offers/?room=Kursraum+1&area=consultations&lang=en"))
    assert "No offers match the chosen area and room in this period." in html


def test_month_view_and_htmx_navigation(app, admin_client, monday):
    seed_week(app, monday)
    flea_day = monday + timedelta(weeks=5, days=5)
    month = page(admin_client.get(f"/offers/?view=month&date={flea_day}&lang=en"))
    assert "Flohmarkt" in month and 'class="cal-month"' in month
    fragment = admin_client.get(f"/offers/?view=month&date={flea_day}&lang=en",
                                headers={"HX-Request": "true"})
    html = page(fragment)
    assert html.lstrip().startswith('<div id="calendar"') and "<html" not in html
    assert "Flohmarkt" in html
    assert "HX-Request" in fragment.headers.get("Vary", "")
    # Previous and next work as plain links and as htmx requests, filters kept.
    week = page(admin_client.get(f"/offers/?date={monday}&area=core&lang=en"))
    following = monday + timedelta(days=7)
    link = f"/offers/?view=week&amp;date={following}&amp;area=core"
    assert f'href="{link}" hx-get="{link}"' in week
    # A history restore gets the full page.
    restore = page(admin_client.get("/offers/", headers={"HX-Request": "true",
                                                        "HX-History-Restore-Request": "true"}))
    assert "<html" in restore


def test_offers_list_shows_translation_markers_search_and_pages(app, admin_client):
    add_offer(app, titles={"de": "Hausaufgabenhilfe", "en": "Homework help", "tr": "Ödev",
                           "ru": "Домашка", "ar": "واجبات", "fa": "تکالیف", "uk": "Домашнє"})
    add_offer(app, titles={"de": "Bewerbungshilfe"})
    html = page(admin_client.get("/offers/list?lang=en"))
    assert "Homework help" in html and "Bewerbungshilfe" in html  # English where it exists
    assert html.count("translation-missing") == 6
    html = page(admin_client.get("/offers/list?q=bewerb&lang=en"))
    assert "Bewerbungshilfe" in html and "Homework help" not in html
    for n in range(30):
        add_offer(app, titles={"de": f"Kurs {n:02d}"})
    first = page(admin_client.get("/offers/list?sort=title&lang=en"))
    assert "Page 1 of 2" in first and "Kurs 00" in first and "Kurs 29" not in first
    second = page(admin_client.get("/offers/list?sort=title&page=2&lang=en"))
    assert "Kurs 29" in second


# -- permissions -------------------------------------------------------------------------

def test_staff_without_the_right_sees_but_cannot_change(app, monday):
    offer_id = add_offer(app, first_date=monday)
    add_user(app, "helper", role=Role.STAFF)
    client = app.test_client()
    login(client, "helper")
    html = page(client.get("/offers/?lang=en"))
    assert "Deutsch für Frauen" in html
    assert f'href="/offers/{offer_id}"' in html and "/edit" not in html
    assert "New offer" not in html
    assert client.get(f"/offers/{offer_id}").status_code == 200
    assert client.get("/offers/list").status_code == 200
    for url in ("/offers/new", f"/offers/{offer_id}/edit", f"/offers/{offer_id}/cancel",
                f"/offers/{offer_id}/end"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=offer_form()).status_code == 403, url
    assert client.post(f"/offers/{offer_id}/cancel/{monday}/undo").status_code == 403
    assert get_offer(app, offer_id).titles == {"de": "Deutsch für Frauen"}


def test_staff_with_the_right_can_create(app):
    add_user(app, "editor", role=Role.STAFF, permissions=["core.offers_edit"])
    client = app.test_client()
    login(client, "editor")
    assert client.get("/offers/new").status_code == 200
    assert client.post("/offers/new", data=offer_form()).status_code == 302


def test_offer_pages_need_a_login(app):
    offer_id = add_offer(app)
    client = app.test_client()
    for url in ("/offers/", "/offers/list", f"/offers/{offer_id}", "/offers/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_forms_carry_a_csrf_token(make_app):
    app = make_app(plugins=PLUGINS, WTF_CSRF_ENABLED=True)
    offer_id = add_offer(app, first_date=date(2030, 1, 7))
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    login_page = page(client.get("/login"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "admin", "password": "correct horse battery",
                                "csrf_token": token})
    for url in ("/offers/new", f"/offers/{offer_id}/edit", f"/offers/{offer_id}/cancel",
                f"/offers/{offer_id}/end"):
        assert 'name="csrf_token"' in page(client.get(url)), url
    assert client.post("/offers/new", data=offer_form()).status_code == 400


def test_staff_offer_pages_carry_no_inline_code(app, admin_client, monday):
    offer_id = add_offer(app, first_date=monday)
    invalid = admin_client.post("/offers/new", data=offer_form(title_de=""))
    pages = [page(invalid)] + [page(admin_client.get(url)) for url in (
        "/offers/", "/offers/?view=month", "/offers/list", f"/offers/{offer_id}",
        f"/offers/{offer_id}/edit", f"/offers/{offer_id}/cancel", f"/offers/{offer_id}/end")]
    for html in pages:
        assert re.search(r"offers\.[0-9a-f]{10}\.css", html)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", html)
