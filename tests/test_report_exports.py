"""Report exports: CSV parsed back with csv, XLSX read back with openpyxl, same masked numbers."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from test_reports import MARCH, seed_march

from intranet.reports.data import MASKED
from intranet.testing import add_user, login


@pytest.fixture
def reporter(app, fixed_today):
    fixed_today(app, date(2026, 4, 15))
    with app.app_context():
        seed_march()
    add_user(app, "reporter", permissions=["core.reports"])
    client = app.test_client()
    assert login(client, "reporter").status_code == 302
    return client


# The service areas' offer dates (Metric(about_people=False)): counts of no person.
NO_PERSON = {"Consultation hours offered", "Consultation hours cancelled",
             "Course sessions", "Course sessions cancelled", "Offer dates held",
             "Offer dates planned", "Days with visits"}


def cells(rows: list[list[str]]) -> dict[tuple[str, str, str], str]:
    return {(section, row, column): value for section, row, column, value in rows[1:]}


def test_csv_export_holds_the_masked_tables(reporter):
    response = reporter.get("/reports/export.csv", query_string=MARCH)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "2026-03-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Section", "Row", "Column", "Value"]
    assert all(len(row) == 4 for row in rows)
    found = cells(rows)
    assert found[("Period", "2026-03-01", "2026-03-31")] == ""
    assert found[("Key numbers", "Visits", "")] == "14"
    assert found[("Key numbers", "People linked to a check-in", "")] == "7"
    assert found[("Visits by kiosk language", "العربية", "Visits")] == "8"
    assert found[("Visits by kiosk language", "Türkçe", "Visits")] == "×"
    assert found[("Visits by kiosk language", "Deutsch", "Visits")] == MASKED
    assert found[("Visits per month", "Mar 2026", "Visits")] == "14"
    assert found[("Visits by weekday and hour (local time)", "Mon", "10")] == "9"
    assert found[("Visits by weekday and hour (local time)", "Tue", "14")] == MASKED
    # Offer dates count no person: never masked.
    assert found[("Offer dates held and cancelled", "Meeting point", "Held")] == "3"
    assert found[("Offer dates held and cancelled", "Meeting point", "Cancelled")] == "1"
    assert found[("People by gender", "Male", "People")] == MASKED
    metric = [value for (section, row, _column), value in found.items()
              if row == "Check-ins for a consultation"]
    assert metric == ["8"]
    # No count of people is a 1 or a 2 anywhere: every small count is masked (offer dates
    # count no person and stand as they are).
    assert not [row for row in rows[1:] if row[3] in ("1", "2")
                and row[0] != "Offer dates held and cancelled" and row[1] not in NO_PERSON]


def test_xlsx_export_reads_back_with_the_same_numbers(reporter):
    response = reporter.get("/reports/export.xlsx", query_string=MARCH)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    summary = book["Report"]
    rows = [[("" if v is None else v) for v in row] for row in summary.iter_rows(values_only=True)]
    assert rows[0] == ["Section", "Row", "Column", "Value"]
    found = {(a, b, c): d for a, b, c, d in rows[1:]}
    assert found[("Key numbers", "Visits", "")] == 14
    assert found[("Visits by kiosk language", "Deutsch", "Visits")] == MASKED
    assert found[("Visits by kiosk language", "Türkçe", "Visits")] == "×"
    assert not [row for row in rows[1:] if row[3] in (1, 2)
                and row[0] != "Offer dates held and cancelled" and row[1] not in NO_PERSON]
    language = book["Visits by kiosk language"]
    table = list(language.iter_rows(values_only=True))
    assert table[0][0] == "Visits by kiosk language"
    assert table[1] == (None, "Visits")
    assert {row[0]: row[1] for row in table[2:]} == {"العربية": 8, "Türkçe": "×",
                                                      "Deutsch": MASKED}
    heat = {row[0]: row[1:]
            for row in book["Weekday and hour"].iter_rows(min_row=3, values_only=True)}
    hours = next(book["Weekday and hour"].iter_rows(min_row=2, max_row=2,
                                                    values_only=True))[1:]
    assert heat["Mon"][hours.index("10")] == 9
    assert len(book.sheetnames) == len(set(book.sheetnames))
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_yearly_report_links_to_exports_of_the_year(reporter):
    page = reporter.get("/reports/year/2026?lang=en").get_data(as_text=True)
    assert "/reports/export.csv?period=custom&amp;start=2026-01-01&amp;end=2026-12-31" in page
    response = reporter.get("/reports/export.csv?period=custom&start=2026-01-01&end=2026-12-31"
                            "&lang=en")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert cells(rows)[("Key numbers", "Visits", "")] == "16"


NASTY = ['=HYPERLINK("http://x","click")', "+1+2", "-3-x", "@SUM(A1)", "\tTab", "\rCR",
         "NUL\x00byte", "vt\x0bff\x0c", "line\r\nbreak"]


@pytest.fixture
def nasty_reporter(app, reporter):
    """The March data plus consultation topics whose labels are formulas and controls."""
    from intranet.core.extensions import db
    from plugins.consultations.models import Consultation, Topic

    with app.app_context():
        topics = [Topic(key=f"nasty{n}", labels={"en": label, "de": label}, position=90 + n)
                  for n, label in enumerate(NASTY)]
        db.session.add_all(topics)
        for _n in range(3):
            record = Consultation(kind="walk_in", held_at=datetime(2026, 3, 10, 10),
                                  language="de", staff_id=None)
            record.topics = topics
            db.session.add(record)
        db.session.commit()
    return reporter


def test_csv_cells_are_never_formulas_and_hold_no_control_characters(nasty_reporter):
    response = nasty_reporter.get("/reports/export.csv", query_string=MARCH)
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    assert "\x00" not in text and "\x0b" not in text and "\x0c" not in text
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for value in row:
            if value and value[0] in "=+-@\t\r":
                assert re.fullmatch(r"-?\d+(\.\d+)?", value), value
    labels = {row[1] for row in rows}
    assert "'=HYPERLINK(\"http://x\",\"click\")" in labels
    assert "'@SUM(A1)" in labels and "NULbyte" in labels and "'\tTab" in labels


def test_xlsx_cells_are_never_formulas_and_the_export_never_fails(nasty_reporter):
    response = nasty_reporter.get("/reports/export.xlsx", query_string=MARCH)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value)
                    seen.add(cell.value)
    assert "'=HYPERLINK(\"http://x\",\"click\")" in seen and "NULbyte" in seen


def test_negative_numbers_stay_numbers():
    from intranet.reports.export import _cell, _csv_value, safe_text

    assert _cell("-3") == -3 and _cell("12") == 12 and _cell("1.5") == 1.5
    assert _csv_value("-3") == "-3" and _csv_value("-3 x") == "'-3 x"
    assert safe_text("=1+1") == "'=1+1" and safe_text("a\x00b") == "ab"
