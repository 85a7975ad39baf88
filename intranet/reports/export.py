"""A report's aggregated tables as CSV and XLSX: the same masked numbers as on the page.

Both formats hold one line per table cell (``section``, ``row``, ``column``,
``value``) after a short header naming the period; counts from 1 to 2 are
``<3`` and cells hidden by secondary suppression ``×``. The XLSX file also
gives each table a sheet of its own, laid out as on the page and named as a person
would name it ("Beratung", "Wartezeiten"): at most 31 characters, unique.

The CSV comes in two forms: plain (comma, UTF-8, decimal point: for programs) and
the one German Excel opens by a double click (semicolon, UTF-8 with a byte order mark,
decimal comma).

Labels come from staff (topic names, offer titles, the site name), so every text cell
is made harmless first: control characters are dropped (openpyxl refuses them, and they
break CSV readers) and a text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading ``'`` so no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from intranet.reports.data import Report, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(value: object) -> str:
    """A text cell no spreadsheet evaluates and every writer accepts."""
    text = _CONTROLS.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,15})?")


def _csv_value(text: str) -> str:
    """A CSV field: plain numbers as they are (so ``-3`` stays a number), text made safe."""
    return text if NUMBER.fullmatch(text) else safe_text(text)


def _cell(text: str) -> int | float | str:
    """A number where the masked text is a plain number, so spreadsheets can add up."""
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"-?\d{1,15}\.\d{1,15}", text):
        return float(text)
    return safe_text(text)


def _sections(report: Report) -> list[tuple[str, Table]]:
    sections = [(table.title, table) for table in report.tables.values()]
    for section in report.metrics:
        sections += [(f"{section.title}: {table.title}", table) for table in section.tables]
    return sections


def long_rows(report: Report) -> list[list[str]]:
    rows = [[_("Section"), _("Row"), _("Column"), _("Value")]]
    rows.append([_("Period"), report.start.isoformat(), report.end.isoformat(), ""])
    for number in report.key_numbers:
        rows.append([_("Key numbers"), number.label, "", number.shown_plain])
    for title, table in _sections(report):
        for row in table.rows:
            for column, text in zip(table.columns, row.plain, strict=False):
                rows.append([title, row.label, column, text])
    return rows


def _german_value(text: str) -> str:
    """A CSV field for German Excel: a plain decimal number gets a decimal comma."""
    if NUMBER.fullmatch(text):
        return text.replace(".", ",")
    return safe_text(text)


def to_csv(report: Report, *, german_excel: bool = False) -> str:
    """The report's long rows as CSV text; ``german_excel``: ``;`` and decimal commas
    (the caller adds the byte order mark Excel needs to read UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german_excel else ",")
    field = _german_value if german_excel else _csv_value
    writer.writerows([[field(str(value)) for value in row] for row in long_rows(report)])
    return buffer.getvalue()


SHEET_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    """A readable sheet name from a table's name: Excel's forbidden characters replaced,
    cut at a word to 31 characters, numbered ``(2)``, ``(3)``… where one repeats."""
    name = " ".join(_SHEET_FORBIDDEN.sub("-", _CONTROLS.sub("", title)).split())
    name = name.strip("'") or _("Table")

    def fit(text: str, room: int) -> str:
        if len(text) <= room:
            return text
        cut = text[: room - 1]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip(" ,;–-(") + "…"

    candidate, n = fit(name, SHEET_LIMIT), 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = fit(name, SHEET_LIMIT - len(suffix)) + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    used: set[str] = set()
    summary.title = _sheet_name(_("Report"), used)
    bold = Font(bold=True)
    for n, row in enumerate(long_rows(report)):
        summary.append([_cell(v) if i == 3 and n else safe_text(v) for i, v in enumerate(row)])
    for cell in summary[1]:
        cell.font = bold
    for title, table in _sections(report):
        sheet = book.create_sheet(_sheet_name(table.sheet or table.title, used))
        sheet.append([safe_text(title)])
        sheet["A1"].font = bold
        sheet.append(["", *(safe_text(column) for column in table.columns)])
        for cell in sheet[2]:
            cell.font = bold
        for table_row in table.rows:
            sheet.append([safe_text(table_row.label),
                          *(_cell(text) for text in table_row.plain)])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
