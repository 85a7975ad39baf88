"""Opening hours typed once in German or English, shown in every reader's language."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intranet.core.opening_hours import OpeningLine, localized, open_on, parse, problem


def test_the_default_text_reads_as_weekdays_and_times():
    assert parse("Mo–Do 9–17 Uhr, Fr 9–13 Uhr") == [
        OpeningLine((0, 1, 2, 3), ((time(9), time(17)),)),
        OpeningLine((4,), ((time(9), time(13)),)),
    ]


def test_english_lists_and_two_spans_a_day():
    assert parse("Mon, Wed 09:00-12:30 and 14:00-17:00; Fri 9-13") == [
        OpeningLine((0, 2), ((time(9), time(12, 30)), (time(14), time(17)))),
        OpeningLine((4,), ((time(9), time(13)),)),
    ]


@pytest.mark.parametrize("text", ["Montag bis Freitag", "Mo 9-8", "9-17", "Xy 9-12",
                                  "Fr-Mo 9-12", "Mo 25-26", "Mo"])
def test_what_cannot_be_read_is_named(text):
    assert problem(text)


def test_shown_in_the_readers_language():
    assert localized("Mo–Do 9–17 Uhr, Fr 9–13 Uhr", "de") == [
        ("Mo.–Do.", "09:00–17:00"), ("Fr.", "09:00–13:00")]
    arabic = localized("Mo–Do 9–17 Uhr, Fr 9–13 Uhr", "ar")
    assert arabic is not None and arabic[0][0] == "الاثنين–الخميس"
    assert "Uhr" not in str(arabic) and "Mo" not in str(arabic)
    assert localized("Mo, Mi 10-12", "fa") == [("دوشنبه، چهارشنبه", "10:00–12:00")]
    assert localized("whenever", "ar") is None


def test_open_on_a_weekday():
    assert open_on("Mo–Do 9–17 Uhr, Fr 9–13 Uhr", 4) == ((time(9), time(13)),)
    assert open_on("Mo–Do 9–17 Uhr, Fr 9–13 Uhr", 6) == ()


@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_never_crashes(text):
    if problem(text) is None:
        assert len(localized(text, "ar") or []) == len(parse(text))
    else:
        assert localized(text, "de") is None


def test_the_settings_page_refuses_unreadable_hours(admin_client):
    page = admin_client.get("/admin/settings?lang=en").get_data(as_text=True)
    assert "Mo–Do 9–17 Uhr" in page
    response = admin_client.post("/admin/settings?lang=en", data={
        "site_name": "Mittelpunkt Hüttenstraße", "opening_hours": "Montag bis Freitag"})
    assert response.status_code == 400
    assert "could not be read as weekdays and times" in response.get_data(as_text=True)
