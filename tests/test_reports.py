"""Reports: exact numbers from a seeded data set, masking, permissions, the yearly page,
and a statement count that does not grow with the data."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from itertools import count

import pytest
from sqlalchemy import event

from intranet.auth.models import Role
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.offers.models import Offer, OfferCancellation
from intranet.people.models import Person
from intranet.plugin import Metric, PluginInfo, hookimpl
from intranet.reports.data import MASKED, mask, protect
from intranet.testing import add_user, login

MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31", "lang": "en"}
_numbers = count(1)


def checkin(day: date, utc: time, plugin: str, purpose: str, language: str,
            first_visit: bool | None, person: Person | None = None) -> CheckIn:
    number = next(_numbers)
    return CheckIn(day=day, number=number, ticket=f"X-{number}", plugin=plugin,
                   purpose=purpose, language=language, first_visit=first_visit,
                   created_at=datetime.combine(day, utc), person=person)


def seed_march() -> None:
    """14 check-ins in March 2026, 7 distinct people, a few offers (see the test's numbers)."""
    p1 = Person(year_of_birth=1990, gender="female", country_of_origin="SY",
                first_visit=date(2026, 2, 20))
    p2 = Person(year_of_birth=2010, gender="male", country_of_origin="AF",
                first_visit=date(2026, 3, 2))
    p3 = Person(year_of_birth=1950, gender="female", country_of_origin="SY")
    p4 = Person(year_of_birth=1985, gender="female", country_of_origin="TR",
                first_visit=date(2025, 11, 1))
    p5 = Person(year_of_birth=1988, gender="female", country_of_origin="SY")
    p6 = Person(year_of_birth=2000)
    p7 = Person(year_of_birth=1984, gender="female", country_of_origin="SY",
                first_visit=date(2025, 6, 1))
    rows = [
        # Before and after the period: not counted (p1 becomes "seen before").
        checkin(date(2026, 2, 20), time(9, 5), "consultations", "walk_in", "de", True, p1),
        checkin(date(2026, 4, 1), time(9, 5), "core", "cafe", "de", None),
    ]
    monday, tuesday, wednesday = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    # Monday 2 March, 09:xx UTC = 10:xx in Berlin (winter time).
    for n, (person, first) in enumerate([(p1, False), (p2, True), (p3, True), (p4, False),
                                         (p5, True)]):
        rows.append(checkin(monday, time(9, 10 * n), "consultations", "walk_in", "ar",
                            first, person))
    # Tuesday 3 March, 13:xx UTC = 14:xx local.
    rows += [checkin(tuesday, time(13, 0), "core", "cafe", "de", None, p1),
             checkin(tuesday, time(13, 30), "core", "cafe", "de", None, p6)]
    # Wednesday 4 March, 15:xx UTC = 16:xx local.
    rows += [checkin(wednesday, time(15, 0), "consultations", "walk_in", "ar", True, p7),
             checkin(wednesday, time(15, 10), "consultations", "walk_in", "ar", True),
             checkin(wednesday, time(15, 20), "consultations", "walk_in", "ar", True)]
    # Monday 30 March, 08:xx UTC = 10:xx local (summer time since 29 March).
    rows += [checkin(date(2026, 3, 30), time(8, 5 * n), "core", "cafe", "tr", False)
             for n in range(4)]
    cafe = Offer(service_area="core", weekly=True, first_date=date(2026, 3, 6),
                 last_date=date(2026, 12, 31), start_time=time(10), end_time=time(12),
                 titles={"de": "Café"})
    cafe.cancellations = [OfferCancellation(day=date(2026, 3, 13))]
    talk = Offer(service_area="consultations", weekly=False, first_date=date(2026, 3, 10),
                 start_time=time(9), end_time=time(12), titles={"de": "Sprechstunde"})
    talk2 = Offer(service_area="consultations", weekly=False, first_date=date(2026, 3, 17),
                  start_time=time(9), end_time=time(12), titles={"de": "Sprechstunde"})
    db.session.add_all([*rows, cafe, talk, talk2])
    db.session.commit()


@pytest.fixture
def report_app(app, fixed_today):
    # Mid-April: every offer date of March is held, later ones of the year are planned.
    fixed_today(app, date(2026, 4, 15))
    with app.app_context():
        seed_march()
    add_user(app, "reporter", permissions=["core.reports"])
    return app


@pytest.fixture
def reporter(report_app):
    client = report_app.test_client()
    assert login(client, "reporter").status_code == 302
    return client


def table_rows(page: str, key: str) -> dict[str, list[str]]:
    """The data table of one report section: row label → shown cells."""
    section = re.search(rf'id="table-{re.escape(key)}".*?</section>', page, re.S)
    assert section, key
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(0), re.S)
    assert body, key
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        label = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1)
        rows[unescape(label.strip())] = [unescape(c.strip())
                                         for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def single(page: str, key: str) -> dict[str, str]:
    return {label: cells[0] for label, cells in table_rows(page, key).items()}


def test_mask_is_the_one_rule():
    assert [mask(v, localized=False) for v in (0, 1, 2, 3, 10)] == ["0", MASKED, MASKED, "3", "10"]


def test_protect_hides_a_further_cell_when_the_total_would_give_a_count_away():
    assert protect([5, 4, 2]) == {1}          # 11 - 5 - 4 = 2 would show the "<3"
    assert protect([5, 4, 0]) == set()         # nothing masked, nothing hidden
    assert protect([6, 1, 2]) == set()         # 1 + 2 = 3: which is which stays open
    assert protect([1, 1, 3]) is None          # no cell can hide two ones: withhold all
    assert protect([2, 0, 0]) == set()         # a total of "<3" gives nothing away


def test_sub_totals_shown_elsewhere_are_protected_too():
    from intranet.reports.data import Row, Table

    # Purposes of one area: 7 + 1 = the area's 8, so the 7 must hide as well.
    table = Table("t", "t", ["n"], [Row("a", [7]), Row("b", [1]), Row("c", [20])],
                  groups=[[0, 1], [2]]).finish()
    assert [row.plain[0] for row in table.rows] == ["×", MASKED, "20"]
    assert not table.suppressed
    # Nothing can hide a lone "<3" whose group holds nothing else: withhold the table.
    lone = Table("t", "t", ["n"], [Row("a", [1]), Row("b", [4]), Row("c", [20])],
                 groups=[[0, 1]]).finish()
    assert not lone.suppressed
    assert [row.plain[0] for row in lone.rows] == [MASKED, "×", "20"]
    alone = Table("t", "t", ["n"], [Row("a", [1]), Row("c", [3])]).finish()
    assert alone.suppressed and [row.plain[0] for row in alone.rows] == ["×", "×"]


def test_period_report_numbers_are_exact(reporter):
    response = reporter.get("/reports/", query_string=MARCH)
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    keys = dict(re.findall(r'<div class="key-number"><dt>(.*?)</dt><dd>(.*?)</dd>', page))
    # "First visits" is hidden as in its table below (else 14 - 6 - 6 would give the "<3").
    # No check-in of the seed was called: no wait to measure, nobody left.
    assert keys == {"Visits": "14", "Days with visits": "4", "First visits": "×",
                    "People linked to a check-in": "7", "Offer dates held": "5",
                    "Median wait (minutes)": "–", "90th percentile of waits (minutes)": "–",
                    "Left before being called": "0"}

    days = single(page, "visits_day")
    assert len(days) == 31
    assert [days["3/2/26"], days["3/3/26"], days["3/4/26"], days["3/30/26"]] == \
        ["5", MASKED, "×", "4"]  # the smallest other day hides the "<3" from the total
    assert sum(v == "0" for v in days.values()) == 27
    assert single(page, "visits_week") == {
        "Week 9, 2026": "0", "Week 10, 2026": "10", "Week 11, 2026": "0",
        "Week 12, 2026": "0", "Week 13, 2026": "0", "Week 14, 2026": "4"}
    assert single(page, "visits_month") == {"Mar 2026": "14"}
    assert single(page, "first_visit") == {"First visit": "×", "Returning": "6",
                                           "Not asked / unknown": MASKED}
    assert single(page, "people_returning") == {"New in this period": "4",
                                                "Seen before this period": "3"}
    assert "Check-ins not linked to a person: 6" in page

    areas = single(page, "area")
    assert areas["Consultation"] == "8" if "Consultation" in areas else True
    assert sorted(areas.values()) == ["0", "0", "0", "6", "8"]
    assert areas["Meeting point"] == "6"
    purposes = single(page, "purpose")
    assert purposes["Meeting point: Café / just visiting"] == "6"
    assert sorted(purposes.values()) == ["6", "8"]

    assert single(page, "language") == {"العربية": "8", "Türkçe": "×", "Deutsch": MASKED}

    heat = table_rows(page, "heatmap")
    columns = re.search(r'id="table-heatmap".*?<thead>(.*?)</thead>', page, re.S).group(1)
    hours = re.findall(r'<th scope="col" class="num">(\d\d)</th>', columns)
    assert hours[0] == "08" and hours[-1] == "19"
    assert heat["Mon"][hours.index("10")] == "9"    # winter and summer time both at 10:00
    assert heat["Tue"][hours.index("14")] == MASKED
    assert heat["Wed"][hours.index("16")] == "×"
    assert sum(cell != "0" for cells in heat.values() for cell in cells) == 3

    offers = table_rows(page, "offers")
    # 2 consultation dates and 3 cafés held, one café cancelled: dates count no person,
    # so nothing is masked (and no "Planned" column: every date of March has passed).
    assert offers["Meeting point"] == ["3", "1"]
    assert [cells for label, cells in offers.items() if label != "Meeting point"
            and cells != ["0", "0"]] == [["2", "0"]]

    assert single(page, "age") == {"under 15": "0", "15–17": MASKED, "18–26": MASKED,
                                   "27–44": "×", "45–64": "0", "65 and older": MASKED,
                                   "Not recorded": "0"}
    assert single(page, "gender") == {"Female": "×", "Male": MASKED, "Diverse": "0",
                                      "Not recorded": MASKED}
    origin = single(page, "origin")
    assert origin.pop("Syria") == "×"
    assert sorted(origin.values()) == [MASKED, MASKED, MASKED]
    assert "Not recorded" in origin and "Afghanistan" in origin


def test_plugin_metrics_mask_people_only(reporter):
    page = reporter.get("/reports/", query_string=MARCH).get_data(as_text=True)
    assert 'id="metrics-consultations"' in page
    section = re.search(r'id="metrics-consultations".*?</section>', page, re.S).group(0)
    cells = dict((unescape(a.strip()), unescape(b.strip())) for a, b in re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', section, re.S))
    assert cells["Check-ins for a consultation"] == "8"
    assert cells["Consultation hours offered"] == "2"  # dates, no person: never masked


def test_charts_are_inline_svg_with_labels_and_no_inline_code(reporter):
    page = reporter.get("/reports/", query_string=MARCH).get_data(as_text=True)
    assert page.count("<svg") >= 10
    assert 'role="img"' in page and "<title id=" in page
    assert "&lt;3" in page and "<3<" not in page.replace("&lt;3", "")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", page)
    assert re.search(r"css/reports\.[0-9a-f]{10}\.css", page)
    year = reporter.get("/reports/year/2026?lang=ar").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", year)
    assert year.count("<svg") >= 8


def test_default_period_is_this_month_and_presets_work(reporter):
    for preset in ("week", "month", "last_month", "quarter", "year"):
        response = reporter.get("/reports/", query_string={"period": preset, "lang": "en"})
        assert response.status_code == 200, preset
    page = reporter.get("/reports/?lang=en").get_data(as_text=True)
    assert 'value="month" checked' in page
    bad = reporter.get("/reports/", query_string={"period": "custom", "start": "x",
                                                  "lang": "en"})
    assert bad.status_code == 200
    assert 'role="alert"' in bad.get_data(as_text=True)


def test_reports_need_the_permission(report_app):
    add_user(report_app, "plain")
    client = report_app.test_client()
    login(client, "plain")
    for url in ("/reports/", "/reports/year/2026", "/reports/export.csv",
                "/reports/export-excel.csv", "/reports/export.xlsx"):
        assert client.get(url).status_code == 403, url
    anonymous = report_app.test_client()
    assert anonymous.get("/reports/").status_code == 302
    add_user(report_app, "boss", role=Role.ADMIN)
    admin = report_app.test_client()
    login(admin, "boss")
    assert admin.get("/reports/").status_code == 200


def test_yearly_report_prints_key_numbers_first(reporter):
    response = reporter.get("/reports/year/2026?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Yearly report 2026" in page
    assert page.index('id="summary"') < page.index('id="table-visits_month"') \
        < page.index('id="plugin-metrics"')
    months = single(page, "visits_month")
    assert len(months) == 12
    # February and April hold one visit each; March is hidden so the total gives none away.
    assert [months["Jan 2026"], months["Feb 2026"], months["Mar 2026"], months["Apr 2026"],
            months["Dec 2026"]] == ["0", MASKED, "×", MASKED, "0"]
    # The February check-in counts in the year.
    assert re.search(r'<th scope="row">Visits</th>\s*<td class="num">16</td>', page)
    assert 'id="table-visits_day"' not in page
    assert reporter.get("/reports/year/1200").status_code == 404


def test_statement_count_does_not_grow_with_the_data(report_app, reporter):
    # Shared state read on every request: what a worker kept a moment must not change a count.
    report_app.config["SHARED_STATE_SECONDS"] = 0

    def statements(url: str) -> int:
        seen = []
        with report_app.app_context():
            engine = db.engine

            def count_it(*args):
                seen.append(1)

            event.listen(engine, "before_cursor_execute", count_it)
            try:
                assert reporter.get(url).status_code == 200
            finally:
                event.remove(engine, "before_cursor_execute", count_it)
        return len(seen)

    urls = ["/reports/?period=custom&start=2026-03-01&end=2026-03-31&lang=en",
            "/reports/year/2026?lang=en",
            "/reports/export.csv?period=custom&start=2026-03-01&end=2026-03-31",
            "/reports/export-excel.csv?period=custom&start=2026-03-01&end=2026-03-31",
            "/reports/export.xlsx?period=custom&start=2026-03-01&end=2026-03-31"]
    for url in urls:
        statements(url)  # warm up
    small = [statements(url) for url in urls]
    with report_app.app_context():  # nine more of everything: ten times the data
        for n in range(9):
            people = [Person(year_of_birth=1960 + n, gender="female",
                             country_of_origin="UA") for _ in range(7)]
            day = date(2026, 3, 5) + timedelta(days=n)
            db.session.add_all([checkin(day, time(10, m), "core", "meeting", "uk", m % 2 == 0,
                                        people[m % 7]) for m in range(14)])
            offer = Offer(service_area="core", weekly=True, first_date=day,
                          last_date=date(2026, 6, 30), start_time=time(14), end_time=time(15),
                          titles={"de": "Treff"})
            offer.cancellations = [OfferCancellation(day=day + timedelta(days=7))]
            area_offer = Offer(service_area="consultations", weekly=True, first_date=day,
                               start_time=time(9), end_time=time(10), titles={"de": "B"})
            area_offer.cancellations = [OfferCancellation(day=day + timedelta(days=14))]
            db.session.add_all([offer, area_offer])
        db.session.commit()
    large = [statements(url) for url in urls]
    assert small == large
    assert all(n > 5 for n in small)


def test_every_language_and_an_empty_database_render(app):
    add_user(app, "boss", role=Role.ADMIN)
    client = app.test_client()
    login(client, "boss")
    for lang in ("de", "en", "ar", "tr", "ru", "fa", "uk"):
        response = client.get(f"/reports/?lang={lang}")
        assert response.status_code == 200, lang
        assert client.get(f"/reports/year/2025?lang={lang}").status_code == 200, lang
    page = client.get("/reports/?lang=en").get_data(as_text=True)
    assert "Nothing recorded in this period." in page
    assert re.search(r"<dt>Visits</dt><dd>0</dd>", page)


class Counting:
    """A plugin reporting a key figure, a rate and a breakdown with a small count."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(name="counting", title="Counting", ticket_letter="Z")

    @hookimpl
    def report_metrics(self, start, end):
        return [Metric(key="counting.total", label="Sessions", value=8, order=1),
                Metric(key="counting.rooms", label="Rooms used", value=2, order=2),
                Metric(key="counting.rate", label="Rate", value=1.5, unit="%", order=3),
                Metric(key="counting.a", label="Kind A", value=1, group="By kind", order=4),
                Metric(key="counting.b", label="Kind B", value=7, group="By kind", order=5)]


def test_plugin_metrics_are_grouped_and_masked(make_app):
    app = make_app(plugins=[], extra=[Counting()])
    add_user(app, "boss", role=Role.ADMIN)
    client = app.test_client()
    login(client, "boss")
    page = client.get("/reports/?lang=en").get_data(as_text=True)
    section = re.search(r'id="metrics-counting".*?</section>', page, re.S).group(0)
    groups = re.findall(r"<h4>(.*?)</h4>", section)
    assert groups == ["Key figures", "By kind"]
    cells = dict((unescape(a.strip()), unescape(b.strip())) for a, b in re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', section, re.S))
    # Kind B hides too: 8 sessions - 7 would give Kind A away.
    assert cells == {"Sessions": "8", "Rooms used": MASKED, "Rate (%)": "1.5",
                     "Kind A": MASKED, "Kind B": "×"}
    rows = list(csv.reader(io.StringIO(client.get("/reports/export.csv?lang=en")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Counting: By kind", "Kind A", "Value", MASKED] in rows
    assert ["Counting: Key figures", "Rate (%)", "Value", "1.5"] in rows
