"""The week poster prints on one A4 sheet: in every kiosk language, portrait and landscape,
with the opening hours in the poster's language; a busy week gets smaller type instead of
a second sheet. One Chromium test renders the PDFs; the rest runs on the test client."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from intranet.core import opening_hours
from intranet.core.extensions import db
from intranet.core.site_settings import setting
from intranet.hooktypes import OfferView
from intranet.offers.models import Offer
from intranet.offers.views import POSTER_SCALES, poster_fit
from intranet.offers.weeks import this_monday

PAGES = re.compile(rb"/Type\s*/Page[^s]")
KIOSK = ("de", "en", "tr", "ru", "ar", "fa", "uk")
ORIENTATIONS = ("portrait", "landscape")
FIT = re.compile(r"poster-fit-(\d)")


def pdf_pages(pdf: bytes) -> int:
    return len(PAGES.findall(pdf))


def fit_level(page: Any) -> int:
    """The poster's type size step on ``page`` (0 is full size)."""
    found = FIT.search(page.locator(".poster-sheet").get_attribute("class") or "")
    assert found, "the sheet names its type size"
    return int(found.group(1))


def offer(n: int, title: str = "Nachbarschaftscafé", **facts: Any) -> OfferView:
    start = datetime(2026, 3, 2, 9) + timedelta(hours=n)
    return OfferView(key=f"o{n}", title=title, start=start, end=start + timedelta(hours=1),
                     **facts)


def week_of(count: int, title: str = "Deutsch für Frauen mit Kinderbetreuung"):
    """``count`` offers spread over six days, each with a room, languages and a tag."""
    days: dict[int, list[OfferView]] = {}
    for n in range(count):
        days.setdefault(n % 6, []).append(
            offer(n, title, room="Kursraum 1", languages=("de", "ar"), childcare=True))
    return [(datetime(2026, 3, 2 + day).date(), offers) for day, offers in days.items()]


def add_busy_offers(count: int) -> None:
    """``count`` one-off offers with long titles in this week (inside the app)."""
    monday = this_monday()
    for n in range(count):
        db.session.add(Offer(
            service_area="core", weekly=False, first_date=monday + timedelta(days=n % 6),
            last_date=None, start_time=time(8 + n % 10), end_time=time(9 + n % 10),
            room="Saal", titles={"de": f"Zusätzliches Angebot Nummer {n} mit langem Namen"},
            descriptions={}, languages=["de", "ar"], registration_needed=n % 2 == 0))
    db.session.commit()


def test_poster_fit_gets_denser_with_a_busier_week():
    for orientation in ORIENTATIONS:
        levels = [poster_fit(week_of(count), orientation) for count in range(0, 40, 3)]
        assert levels[0] == 0 and levels == sorted(levels), (orientation, levels)
        assert levels[-1] == len(POSTER_SCALES) - 1, (orientation, levels)
    # Longer titles take more lines: never a roomier poster.
    short, long = week_of(12, "Café"), week_of(12, "Beratung mit Termin – Dolmetschung "
                                                   "Arabisch und Dari")
    assert poster_fit(long, "portrait") > poster_fit(short, "portrait")
    # Four columns side by side: a week of a few short offers stays at full size.
    assert poster_fit(week_of(6, "Café"), "landscape") == 0
    assert poster_fit(week_of(6, "Café"), "sideways") == poster_fit(week_of(6, "Café"),
                                                                    "portrait")


def test_poster_shows_opening_hours_and_address_in_its_language(make_app):
    app = make_app(OPENING_HOURS="Mo–Do 9–17 Uhr, Fr 9–13 Uhr",
                   SITE_ADDRESS="Lindenweg 5, 12345 Musterstadt")
    client = app.test_client()
    for code in ("ar", "de", "uk"):
        html = client.get(f"/programme/poster?lang={code}").get_data(as_text=True)
        with app.app_context():
            rows = opening_hours.localized(str(setting("OPENING_HOURS")), code)
        assert rows and len(rows) == 2
        for days, times in rows:
            assert f"<dt><bdi>{days}</bdi></dt><dd><bdi>{times}</bdi></dd>" in html, code
        assert "Uhr" not in html.split('class="poster-foot"')[1], code
        assert "Lindenweg 5, 12345 Musterstadt" in html
        assert re.search(r"css/poster\.[0-9a-f]{10}\.css", html) and FIT.search(html)


def test_poster_keeps_unreadable_opening_hours_as_typed(make_app):
    client = make_app(OPENING_HOURS="nach Vereinbarung").test_client()
    response = client.get("/programme/poster?lang=fa&orientation=landscape")
    assert response.status_code == 200
    assert '<bdi lang="de">nach Vereinbarung</bdi>' in response.get_data(as_text=True)


@pytest.fixture
def live_settings():
    return {"SITE_NAME": "Stadtteilhaus Lindenhof"}


def test_week_poster_prints_on_one_a4_page_in_every_kiosk_language(open_page, live_server):
    languages = live_server.query(lambda: setting("KIOSK_LANGUAGES"))
    assert set(KIOSK) <= set(languages)
    page = open_page("staff")
    fits = {}
    for orientation in ORIENTATIONS:
        for code in languages:
            page.goto(f"/programme/poster?lang={code}&orientation={orientation}")
            label = f"{code} {orientation}"
            assert page.locator("html").get_attribute("lang") == code, label
            assert page.locator(".poster-site").inner_text().strip() == "Stadtteilhaus Lindenhof"
            # The demo week is on it (it spilled onto a second German sheet before).
            assert page.locator(".programme-offer").count() >= 10, label
            hours = live_server.query(lambda code=code: opening_hours.localized(
                str(setting("OPENING_HOURS")), code))
            assert hours, "the demo's opening hours are readable"
            assert page.locator(".poster-hours dt").all_inner_texts() == [
                days for days, _times in hours], label
            pdf = page.pdf(format="A4", print_background=True,
                           landscape=orientation == "landscape")
            assert pdf_pages(pdf) == 1, label
            fits[code, orientation] = fit_level(page)
    # Twice the offers, with long titles: smaller type, still one sheet.
    live_server.query(lambda: add_busy_offers(12))
    for orientation in ORIENTATIONS:
        for code in ("de", "ru"):
            page.goto(f"/programme/poster?lang={code}&orientation={orientation}")
            assert page.locator(".programme-offer").count() >= 22
            assert fit_level(page) > fits[code, orientation], (code, orientation)
            pdf = page.pdf(format="A4", print_background=True,
                           landscape=orientation == "landscape")
            assert pdf_pages(pdf) == 1, f"busy week {code} {orientation}"
