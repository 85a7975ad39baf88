"""A report's aggregated tables as CSV and XLSX: the same masked numbers as on the page.

Both formats hold one line per table cell (``section``, ``row``, ``column``,
``value``) after a short header naming the period; counts from 1 to 2 are
``<3`` and cells hidden by secondary suppression ``×``. The XLSX file also
gives each table a sheet of its own, laid out as on the page.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from intranet.report_data import Report, Table


def _cell(text: str) -> int | float | str:
    """A number where the masked text is a plain number, so spreadsheets can add up."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text


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


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(long_rows(report))
    return buffer.getvalue()


def _sheet_name(key: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", key)[:31] or "table"
    base, n = name, 2
    while name.lower() in used:
        suffix = f"_{n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "report"
    bold = Font(bold=True)
    for n, row in enumerate(long_rows(report)):
        summary.append([_cell(v) if i == 3 and n else v for i, v in enumerate(row)])
    for cell in summary[1]:
        cell.font = bold
    used = {"report"}
    for title, table in _sections(report):
        sheet = book.create_sheet(_sheet_name(table.key, used))
        sheet.append([title])
        sheet["A1"].font = bold
        sheet.append(["", *table.columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append([row.label, *(_cell(text) for text in row.plain)])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
