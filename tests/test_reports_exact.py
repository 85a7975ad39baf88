"""Reports the funder can trust: a small data set with known waits, repeated visits and
offer dates before and after a fixed "now", checked number by number on the page, in
both CSV forms and in the XLSX file — plus one Chromium test of the printed yearly report.

The data (May 2026, local time Europe/Berlin, summer time; "now" is 20 May, 12:00):

* Consultation, Mon 4 May, 10:xx: waits 4, 6, 8, 10, 20 min; one called after 12 min
  but not there; two left before being called (8 visits).
* Job orientation, Mon 4 May, 10:3x: waits 2 and 7 min; four left before the call (6).
* Café (meeting point), Tue 5 May, 14:xx: waits 1, 3, 5 min; three left (6).
* One café visit on 20 April (outside May, inside the year) by person 4.
* Five people: 1 (known since November 2025) and 2 came twice, 3, 4 (seen in April), 5 once.
* Offers: the café on Wednesdays 6–27 May 10:00–11:30 (13 May cancelled); a consultation
  hour on 11 May and one on 20 May 13:00–15:00 (not over at noon).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from itertools import count

import pytest
from openpyxl import load_workbook
from test_reports import single, table_rows

from intranet.auth.models import Role
from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.core.extensions import db
from intranet.offers.models import Offer, OfferCancellation
from intranet.people.models import Person
from intranet.plugin import Metric, PluginInfo, hookimpl
from intranet.reports.data import HIDDEN, MASKED, Row, Table, share
from intranet.testing import add_user, login

MAY = {"period": "custom", "start": "2026-05-01", "end": "2026-05-31", "lang": "en"}
MONDAY, TUESDAY = date(2026, 5, 4), date(2026, 5, 5)
SUMMER = timedelta(hours=2)  # CEST: local minus two hours is UTC
_numbers = count(1)


def ticket(day: date, local: time, plugin: str, purpose: str, *, wait: int | None = None,
           left: bool = False, person: Person | None = None,
           first_visit: bool | None = None) -> CheckIn:
    """A check-in created at the local moment, called ``wait`` minutes later (if at all)."""
    number = next(_numbers)
    created = datetime.combine(day, local) - SUMMER
    return CheckIn(day=day, number=number, ticket=f"T-{number}", plugin=plugin,
                   purpose=purpose, language="de", first_visit=first_visit, person=person,
                   status=CheckInStatus.LEFT if left else CheckInStatus.DONE,
                   created_at=created,
                   called_at=None if wait is None else created + timedelta(minutes=wait))


def seed_may() -> None:
    p1 = Person(year_of_birth=1980, first_visit=date(2025, 11, 10))
    p2, p3, p5 = Person(year_of_birth=1990), Person(year_of_birth=1991), Person(year_of_birth=1992)
    p4 = Person(year_of_birth=1970)
    c = ("consultations", "walk_in")
    job = ("job_orientation", "application_help")
    cafe = ("core", "cafe")
    rows = [
        *(ticket(MONDAY, time(10, n), *c, wait=w, person=p, first_visit=first)
          for n, (w, p, first) in enumerate([(4, p1, False), (6, p2, False), (8, p3, True),
                                             (10, None, False), (20, None, False)])),
        ticket(MONDAY, time(10, 10), *c, wait=12, left=True, first_visit=False),  # not there
        ticket(MONDAY, time(10, 11), *c, left=True, first_visit=False),
        ticket(MONDAY, time(10, 12), *c, left=True, first_visit=False),
        ticket(MONDAY, time(10, 30), *job, wait=2, person=p4, first_visit=False),
        ticket(MONDAY, time(10, 31), *job, wait=7, person=p5, first_visit=True),
        *(ticket(MONDAY, time(10, 40 + n), *job, left=True, first_visit=False)
          for n in range(4)),
        *(ticket(TUESDAY, time(14, n), *cafe, wait=w, person=p)
          for n, (w, p) in enumerate([(1, p1), (3, p2), (5, None)])),
        *(ticket(TUESDAY, time(14, 20 + n), *cafe, left=True) for n in range(3)),
        ticket(date(2026, 4, 20), time(11, 0), *cafe, wait=5, person=p4),
    ]
    weekly = Offer(service_area="core", weekly=True, first_date=date(2026, 5, 6),
                   last_date=date(2026, 5, 27), start_time=time(10), end_time=time(11, 30),
                   titles={"de": "Café"})
    weekly.cancellations = [OfferCancellation(day=date(2026, 5, 13))]
    past = Offer(service_area="consultations", first_date=date(2026, 5, 11),
                 start_time=time(9), end_time=time(12), titles={"de": "Sprechstunde"})
    today = Offer(service_area="consultations", first_date=date(2026, 5, 20),
                  start_time=time(13), end_time=time(15), titles={"de": "Sprechstunde"})
    db.session.add_all([*rows, weekly, past, today])
    db.session.commit()


@pytest.fixture
def may_app(app, fixed_today):
    fixed_today(app, date(2026, 5, 20), at=time(12, 0))
    with app.app_context():
        seed_may()
    add_user(app, "reporter", permissions=["core.reports"])
    return app


@pytest.fixture
def reporter(may_app):
    client = may_app.test_client()
    assert login(client, "reporter").status_code == 302
    return client


def key_numbers(page: str) -> dict[str, str]:
    return {unescape(label): unescape(value) for label, value in re.findall(
        r'<div class="key-number"><dt>(.*?)</dt><dd>(.*?)</dd>', page)}


def summary(page: str) -> dict[str, tuple[str, str]]:
    """The yearly summary: label → (number, share), notes left out."""
    block = re.search(r'id="summary".*?</section>\s*</div>', page, re.S).group(0)
    found = {}
    for label, number, part in re.findall(
            r'<th scope="row">(.*?)(?:<span class="summary-note">.*?</span>)?</th>\s*'
            r'<td class="num">(.*?)</td>\s*<td class="num share">(.*?)</td>', block, re.S):
        found[unescape(label.strip())] = (unescape(number), unescape(part))
    return found


def test_the_period_page_shows_the_exact_numbers(reporter):
    page = reporter.get("/reports/", query_string=MAY).get_data(as_text=True)
    # Days with visits and offer dates count no person: a 2 stays a 2. The overall median
    # of the 11 waits is the 6th (6 min); the 90th percentile the 10th of 11 (12 min).
    assert key_numbers(page) == {
        "Visits": "20", "Days with visits": "2", "First visits": MASKED,
        "People linked to a check-in": "5", "Offer dates held": "3",
        "Offer dates planned": "2", "Median wait (minutes)": "6",
        "90th percentile of waits (minutes)": "12", "Left before being called": "9"}

    # Held until now (20 May, 12:00): café 6 and 20 May (over at 11:30), consultation
    # 11 May. Planned: the café on 27 May, the consultation at 13:00 today.
    offers = table_rows(page, "offers")
    assert offers["Meeting point"] == ["2", "1", "1"]
    assert [cells for label, cells in offers.items() if label != "Meeting point"
            and cells != ["0", "0", "0"]] == [["1", "0", "1"]]
    assert re.search(r'id="table-offers".*?<th scope="col" class="num">Planned</th>', page, re.S)

    # Two first visits are masked; the 6 unasked are hidden too, else 20 - 12 - 6 = 2.
    assert single(page, "first_visit") == {"First visit": MASKED, "Returning": "12",
                                           "Not asked / unknown": HIDDEN}
    # Five different people although eight check-ins are linked: 1 and 2 came twice.
    # People 1 and 4 were seen before May (masked), so the 3 new ones hide as well.
    assert single(page, "people_returning") == {"New in this period": HIDDEN,
                                                "Seen before this period": MASKED}
    assert single(page, "people_month") == {"May 2026": "5"}
    assert sorted(single(page, "area").values()) == ["0", "0", "6", "6", "8"]

    # Waits by area: median, 90th percentile, left before being called, not there when
    # called. The 2 who left the consultation are masked; the café's 3 hide as well (the
    # total of 9 is a key number); two waits give no median.
    waits = table_rows(page, "wait_area")
    consultation = next(cells for label, cells in waits.items() if cells[0] == "9")
    assert consultation == ["9", "20", MASKED, MASKED]
    assert waits["Meeting point"] == ["3", "5", HIDDEN, "0"]
    assert sorted(waits.values()) == [["3", "5", HIDDEN, "0"], ["9", "20", MASKED, MASKED],
                                      ["–", "–", "4", "0"]]
    # By local hour of the check-in: 10:00 holds eight waits (median 7.5, 90th pct 20).
    assert table_rows(page, "wait_hour") == {"10:00": ["7.5", "20", "6", MASKED],
                                             "14:00": ["3", "5", "3", "0"]}


def test_postgresql_gives_the_same_numbers(make_app, postgres_url, fixed_today):
    app = make_app(DATABASE_URL=postgres_url)
    fixed_today(app, date(2026, 5, 20), at=time(12, 0))
    with app.app_context():
        seed_may()
    add_user(app, "reporter", permissions=["core.reports"])
    client = app.test_client()
    login(client, "reporter")
    page = client.get("/reports/", query_string=MAY).get_data(as_text=True)
    assert key_numbers(page)["Median wait (minutes)"] == "6"
    assert single(page, "people_month") == {"May 2026": "5"}
    assert table_rows(page, "wait_hour")["10:00"] == ["7.5", "20", "6", MASKED]
    year = client.get("/reports/year/2026?lang=en").get_data(as_text=True)
    assert single(year, "people_month")["May 2026"] == "5"


def test_an_offer_date_counts_as_held_once_its_end_has_passed(may_app, reporter, fixed_today):
    fixed_today(may_app, date(2026, 5, 20), at=time(15, 0))  # the consultation just ended
    page = reporter.get("/reports/", query_string=MAY).get_data(as_text=True)
    keys = key_numbers(page)
    assert (keys["Offer dates held"], keys["Offer dates planned"]) == ("4", "1")
    fixed_today(may_app, date(2026, 6, 1))
    keys = key_numbers(reporter.get("/reports/", query_string=MAY).get_data(as_text=True))
    assert keys["Offer dates held"] == "5" and "Offer dates planned" not in keys


def test_the_yearly_summary_hides_shares_that_would_give_a_count_away(reporter):
    page = reporter.get("/reports/year/2026?lang=en").get_data(as_text=True)
    assert page.index('id="summary"') < page.index('class="report-details"')
    found = summary(page)
    assert found["Visits"] == ("21", "")
    # April's person 4 is the same person in May: five, not six.
    assert found["Unique people (linked to a check-in)"] == ("5", "")
    # 2 of 21 would be 10 %: the share of a masked count is hidden with it.
    assert found["First visits"] == (MASKED, HIDDEN)
    assert found["Returning visits"] == ("12", "57%")
    assert found["People seen before this period"] == (MASKED, HIDDEN)
    assert found["People new in this period"] == (HIDDEN, HIDDEN)
    assert found["Offer dates held"] == ("3", "")
    assert found["Offer dates planned"] == ("2", "")
    # Twelve waits with April's 5 minutes: the median lies between the 6th and 7th.
    assert found["Median wait"] == ("5.5 min", "")
    assert found["90th percentile of waits"] == ("12 min", "")
    assert found["Left before being called"] == ("9", "43%")
    assert single(page, "people_month")["Apr 2026"] == MASKED


def test_shares_follow_their_cells():
    assert share(12, "12", 20) == "60%"
    assert share(2, MASKED, 20) == HIDDEN      # 10 % of 20 would say 2
    assert share(6, HIDDEN, 20) == HIDDEN      # a hidden cell keeps its share hidden
    assert share(2, "2", 2) == HIDDEN          # of a total of "<3"
    assert share(0, "0", 0) == ""


def test_a_column_that_cannot_be_protected_is_withheld_alone():
    table = Table("t", "t", ["Median", "Left"], [Row("a", [4.5, 1]), Row("b", [7.0, 3])],
                  count_columns=[1]).finish()
    assert [row.shown for row in table.rows] == [["4.5", HIDDEN], ["7", HIDDEN]]
    assert not table.suppressed


def test_the_csv_for_german_excel_has_its_exact_bytes(reporter):
    response = reporter.get("/reports/export-excel.csv", query_string=MAY)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "excel.csv" in response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith(b"\xef\xbb\xbfSection;Row;Column;Value\r\n")
    assert b"Period;2026-05-01;2026-05-31;\r\n" in data
    assert b"Key numbers;Visits;;20\r\n" in data
    assert b"Key numbers;Days with visits;;2\r\n" in data
    assert b"Key numbers;First visits;;<3\r\n" in data
    assert b"Waiting time by hour of check-in (local time);10:00;Median (minutes);7,5\r\n" \
        in data
    assert (b"Waiting time by hour of check-in (local time);10:00;Not there when called;"
            b"<3\r\n") in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert all(len(row) == 4 for row in rows)

    plain = reporter.get("/reports/export.csv", query_string=MAY).data
    assert plain.startswith(b"Section,Row,Column,Value\r\n")
    assert b"Waiting time by hour of check-in (local time),10:00,Median (minutes),7.5\r\n" \
        in plain
    page = reporter.get("/reports/", query_string=MAY).get_data(as_text=True)
    assert "/reports/export-excel.csv?period=custom" in page
    assert "/reports/export.csv?period=custom" in page


def test_xlsx_sheets_have_readable_unique_names_and_exact_cells(may_app, reporter):
    from intranet.reports.data import area_title

    book = load_workbook(io.BytesIO(reporter.get("/reports/export.xlsx", query_string=MAY)
                                    .data))
    names = book.sheetnames
    assert len(names) == len({n.lower() for n in names})
    assert all(len(name) <= 31 for name in names)
    assert not [name for name in names if "metrics." in name or re.search(r"_\d+$", name)]
    with may_app.test_request_context("/?lang=en"):
        consultation = area_title("consultations")
    for name in ("Report", "Waiting times", "Waiting times by hour", "Offer dates",
                 "Weekday and hour", consultation):
        assert name in names, (name, names)
    hours = list(book["Waiting times by hour"].iter_rows(values_only=True))
    assert hours[1] == (None, "Median (minutes)", "90th percentile (minutes)",
                        "Left before being called", "Not there when called")
    assert hours[2] == ("10:00", 7.5, 20, 6, MASKED)
    offers = {row[0]: row[1:] for row in book["Offer dates"].iter_rows(min_row=3,
                                                                        values_only=True)}
    assert offers["Meeting point"] == (2, 1, 1)


class Rooms:
    """A plugin with counts of people and counts of things (rooms), mixed in one group."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="rooms_counted", title="Rooms counted", ticket_letter="Q")

    @hookimpl
    def report_metrics(self, start, end):
        return [Metric(key="rooms_counted.rooms", label="Rooms used", value=2,
                       about_people=False),
                Metric(key="rooms_counted.guests", label="Guests", value=2),
                Metric(key="rooms_counted.a", label="Small room", value=1, group="By room",
                       about_people=False),
                Metric(key="rooms_counted.b", label="Women", value=1, group="By room"),
                Metric(key="rooms_counted.c", label="Men", value=6, group="By room")]


def test_plugin_counts_of_no_person_are_never_masked(make_app):
    app = make_app(plugins=[], extra=[Rooms()])
    add_user(app, "boss", role=Role.ADMIN)
    client = app.test_client()
    login(client, "boss")
    page = client.get("/reports/?lang=en").get_data(as_text=True)
    section = re.search(r'id="metrics-rooms_counted".*?</section>', page, re.S).group(0)
    cells = dict((unescape(a.strip()), unescape(b.strip())) for a, b in re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', section, re.S))
    # The room (no person) stays 1 and is no cell to hide; "Men" hides so that the
    # group's total minus the visible cells does not give "Women" away.
    assert cells == {"Rooms used": "2", "Guests": MASKED, "Small room": "1",
                     "Women": MASKED, "Men": HIDDEN}


# -- print -------------------------------------------------------------------------------

A4_CONTENT_HEIGHT = (297 - 16 - 18) / 25.4 * 96   # CSS px inside the @page margins
A4_CONTENT_WIDTH = (210 - 2 * 14) / 25.4 * 96
PAGES = re.compile(rb"/Type\s*/Page[^s]")


@pytest.fixture
def live_settings():
    """The demo database with four weeks of visits, so the summary is full."""
    return {"visits": True}


def test_printed_yearly_report_opens_with_a_one_page_summary_and_numbers_its_pages(
        admin_page, live_server):
    from intranet.core.timeutil import local_today

    year = live_server.query(local_today).year
    page = admin_page
    page.goto(f"/reports/year/{year}")
    # The charts' labels, measured in the real font, keep apart (within each chart).
    overlaps = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
        const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
            .map(t => [t.getBBox(), t.textContent]);
        return boxes.flatMap(([a, at], n) => boxes.slice(n + 1).filter(([b]) =>
            a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 &&
            a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5)
            .map(([, bt]) => at + ' / ' + bt));
    })""")
    assert page.locator("svg.chart").count() >= 8
    assert overlaps == []
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(A4_CONTENT_WIDTH), "height": 1000})
    first = page.locator(".report-first-page").bounding_box()
    block = page.locator("#summary").bounding_box()
    assert first and block
    # The header and the summary fit on the first page, and fill more than half of it.
    assert first["y"] + first["height"] <= A4_CONTENT_HEIGHT
    assert first["height"] >= A4_CONTENT_HEIGHT / 2
    # Page numbers come from a margin box of @page.
    assert page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .filter(r => r instanceof CSSPageRule).some(r => [...r.cssRules].some(
            m => m.name === 'bottom-center' && m.style.content.includes('counter(page)')))""")
    whole = len(PAGES.findall(page.pdf(format="A4")))
    assert whole >= 3
    # Printed alone, the first part is exactly one page.
    page.evaluate("() => { document.querySelector('.report-details').hidden = true; }")
    assert len(PAGES.findall(page.pdf(format="A4"))) == 1
