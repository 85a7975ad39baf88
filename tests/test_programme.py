"""The public programme: the weekly page, the A4 poster and the iCalendar feed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from intranet.core.extensions import db
from intranet.offers.models import Offer, OfferCancellation
from intranet.testing import week_start

PLUGINS = ("womens_courses", "consultations")


@pytest.fixture
def app(make_app):
    return make_app(plugins=PLUGINS)


@pytest.fixture
def monday(app) -> date:
    return week_start(app)


def add_offer(app, **values) -> int:
    defaults = dict(service_area="womens_courses", descriptions={}, room="Kursraum 1",
                    last_date=None, start_time=time(9, 30), end_time=time(11, 30),
                    weekly=True, languages=["de", "ar"])
    defaults.update(values)
    with app.app_context():
        offer = Offer(**defaults)
        db.session.add(offer)
        db.session.commit()
        return offer.id


@pytest.fixture
def week(app, monday):
    """A women's course on Tuesdays (next week's date cancelled) and a café on Friday."""
    course = add_offer(app, titles={"de": "Deutsch für Frauen", "ar": "الألمانية للنساء"},
                       first_date=monday + timedelta(days=1) - timedelta(weeks=2),
                       audience="women", childcare=True,
                       cancellations=[OfferCancellation(
                           day=monday + timedelta(days=8), reason="Ferien")])
    cafe = add_offer(app, service_area="core", titles={"de": "Nachbarschaftscafé"},
                     descriptions={"de": "Kaffee und Gespräche"}, weekly=False,
                     first_date=monday + timedelta(days=4), room="Café",
                     start_time=time(10), end_time=time(12))
    return {"course": course, "cafe": cafe}


def page(response) -> str:
    return response.get_data(as_text=True)


def test_programme_needs_no_login_and_speaks_arabic(client, week, monday):
    response = client.get("/programme?lang=ar")
    assert response.status_code == 200
    html = page(response)
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert "الألمانية للنساء" in html
    # No Arabic title for the café: German, marked as German.
    assert re.search(r'lang="de"[^>]*>Nachbarschaftscafé<', html)
    assert f'/o/{week["course"]}?lang=ar' in html
    assert 'name="viewport"' in html and re.search(r"offers\.[0-9a-f]{10}\.css", html)
    assert 'class="mainnav"' not in html and "csrf" not in html.lower()


def test_programme_week_navigation_and_cancelled_dates(client, week, monday):
    this_week = page(client.get("/programme?lang=en"))
    next_week = (monday + timedelta(days=7)).isocalendar()
    following = f"{next_week[0]}-W{next_week[1]:02d}"
    assert f'href="/programme?week={following}&amp;lang=en"' in this_week
    assert "Nachbarschaftscafé" in this_week
    html = page(client.get(f"/programme?week={following}&lang=en"))
    assert "Nachbarschaftscafé" not in html  # a one-off of this week
    assert re.search(r'class="programme-offer area-womens_courses cancelled".*?'
                     r"<s[^>]*>Deutsch für Frauen</s>.*?Cancelled", html, re.S)
    # Any date in a week works too, and nonsense falls back to this week.
    assert "Nachbarschaftscafé" in page(client.get(f"/programme?week={monday}&lang=en"))
    assert client.get("/programme?week=nonsense").status_code == 200


def test_programme_leaves_out_disabled_areas(make_app, monday):
    app = make_app(plugins=("consultations",))
    add_offer(app, titles={"de": "Deutsch für Frauen"}, first_date=monday)
    add_offer(app, service_area="consultations", titles={"de": "Offene Beratung"},
              first_date=monday)
    html = page(app.test_client().get("/programme"))
    assert "Offene Beratung" in html and "Deutsch für Frauen" not in html


def test_poster_in_persian_landscape_and_portrait(client, week, monday):
    response = client.get(f"/programme/poster?lang=fa&week={monday}&orientation=landscape")
    assert response.status_code == 200
    html = page(response)
    assert '<html lang="fa" dir="rtl">' in html
    assert 'class="public poster poster-landscape"' in html
    assert "Deutsch für Frauen" in html and "Nachbarschaftscafé" in html
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt=', html)  # QR to the programme
    portrait = page(client.get("/programme/poster?lang=en&orientation=portrait"))
    assert 'class="public poster poster-portrait"' in portrait
    # Portrait is the default; a week's list fits one A4 sheet best that way.
    assert 'class="public poster poster-portrait"' in page(client.get("/programme/poster"))
    assert 'poster-portrait"' in page(client.get("/programme/poster?orientation=sideways"))


def test_poster_stylesheet_prints_a4():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "intranet/static/css/offers.css").read_text()
    assert "size: A4 landscape" in css and "size: A4 portrait" in css
    assert "@media print" in css


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events_by_summary(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_ics_feed_weekly_offers_with_rrule_and_exdate(client, week, monday):
    calendar = parse(client.get("/programme.ics"))
    events = events_by_summary(calendar)
    assert set(events) == {"Deutsch für Frauen", "Nachbarschaftscafé"}
    course = events["Deutsch für Frauen"]
    start = course.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Berlin"
    assert (start.date(), start.time()) == (monday + timedelta(days=1) - timedelta(weeks=2),
                                            time(9, 30))
    assert course.decoded("DTEND").time() == time(11, 30)
    assert course["RRULE"]["FREQ"] == ["WEEKLY"] and "UNTIL" not in course["RRULE"]
    exdates = [d.dt for d in course["EXDATE"].dts]
    assert [(d.date(), d.time(), str(d.tzinfo)) for d in exdates] == [
        (monday + timedelta(days=8), time(9, 30), "Europe/Berlin")]
    assert str(course["UID"]) == f"offer-{week['course']}@localhost"
    assert "Kursraum 1" in str(course["LOCATION"])
    assert f"/o/{week['course']}" in str(course["URL"])
    cafe = events["Nachbarschaftscafé"]
    assert "RRULE" not in cafe and "STATUS" not in cafe
    assert "Kaffee und Gespräche" in str(cafe["DESCRIPTION"])
    # The time zone is in the feed: clients compute summer and winter time.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_ics_times_are_berlin_time_in_winter_and_summer(app, client):
    add_offer(app, titles={"de": "Winter"}, weekly=False, first_date=date(2027, 1, 12))
    add_offer(app, titles={"de": "Sommer"}, weekly=False, first_date=date(2027, 7, 13))
    events = events_by_summary(parse(client.get("/programme.ics")))
    winter = events["Winter"].decoded("DTSTART").astimezone(UTC)
    summer = events["Sommer"].decoded("DTSTART").astimezone(UTC)
    assert winter == datetime(2027, 1, 12, 8, 30, tzinfo=UTC)
    assert summer == datetime(2027, 7, 13, 7, 30, tzinfo=UTC)


def test_ics_until_cancelled_one_off_language_and_stable_uid(app, client, monday):
    series = add_offer(app, titles={"de": "Bewerbungshilfe", "tr": "Başvuru yardımı"},
                       first_date=date(2026, 12, 1), last_date=date(2027, 2, 23),
                       start_time=time(14), end_time=time(16))
    add_offer(app, titles={"de": "Elternabend"}, weekly=False, first_date=date(2027, 1, 13),
              cancellations=[OfferCancellation(day=date(2027, 1, 13), reason="")])
    add_offer(app, titles={"de": "Längst vorbei"}, weekly=False,
              first_date=monday - timedelta(days=200))
    events = events_by_summary(parse(client.get("/programme.ics")))
    assert "Längst vorbei" not in events
    until = events["Bewerbungshilfe"]["RRULE"]["UNTIL"][0]
    assert until == datetime(2027, 2, 23, 13, 0, tzinfo=UTC)  # 14:00 Berlin, in UTC
    assert str(events["Elternabend"]["STATUS"]) == "CANCELLED"
    uid = str(events["Bewerbungshilfe"]["UID"])
    # In Turkish where a translation exists; the UID stays the same.
    turkish = events_by_summary(parse(client.get("/programme.ics?lang=tr")))
    assert str(turkish["Başvuru yardımı"]["UID"]) == uid == f"offer-{series}@localhost"
    assert "Elternabend" in turkish


def test_ics_uid_follows_the_public_address(make_app, monday):
    app = make_app(plugins=PLUGINS, PUBLIC_BASE_URL="https://mittelpunkt.example.org")
    offer_id = add_offer(app, titles={"de": "Kurs"}, first_date=monday)
    event = next(iter(parse(app.test_client().get("/programme.ics")).walk("VEVENT")))
    assert str(event["UID"]) == f"offer-{offer_id}@mittelpunkt.example.org"
    assert str(event["URL"]) == f"https://mittelpunkt.example.org/o/{offer_id}"


def test_feed_link_on_the_programme(client, week):
    html = page(client.get("/programme?lang=en"))
    assert 'href="webcal://localhost/programme.ics?lang=en"' in html
    assert 'href="http://localhost/programme.ics?lang=en"' in html


def test_public_pages_carry_no_inline_code(client, week):
    for url in ("/programme?lang=ar", "/programme/poster?lang=fa"):
        html = page(client.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", html), url


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.mark.parametrize("site_name", ["Mittelpunkt\r\nX-INJECTED:1", "Mitte\x00lpunkt\x0b",
                                       "Mittelpunkt\nBEGIN:VEVENT", "Nur\rCR"])
def test_a_site_name_with_line_breaks_and_controls_still_gives_a_valid_feed(
        make_app, monday, site_name):
    app = make_app(plugins=PLUGINS, SITE_NAME=site_name)
    add_offer(app, titles={"de": "Kurs\x00 mit\r\nUmbruch", "en": "=HYPERLINK(1)"},
              descriptions={"de": "Zeile 1\r\nZeile\x0b 2"}, room="Raum\n7",
              first_date=monday)
    for lang in ("de", "en"):
        response = app.test_client().get(f"/programme.ics?lang={lang}")
        text = response.get_data(as_text=True)
        assert not CONTROL.search(text)
        lines = text.split("\r\n")
        assert lines[-1] == "" and all("\r" not in line and "\n" not in line for line in lines)
        assert all(re.match(r"^([A-Z][A-Z0-9-]*[;:]| )", line) for line in lines[:-1])
        assert not any(line.startswith(("X-INJECTED", "BEGIN:VEVENT")) and
                       line != "BEGIN:VEVENT" for line in lines)
        calendar = parse(response)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1
        assert "\n" not in str(events[0]["SUMMARY"]) and "\n" not in str(events[0]["LOCATION"])
        assert "\n" not in str(calendar["X-WR-CALNAME"])
        if lang == "de":
            assert str(events[0]["SUMMARY"]) == "Kurs mit Umbruch"
            assert str(events[0]["DESCRIPTION"]).startswith("Zeile 1\nZeile 2")
