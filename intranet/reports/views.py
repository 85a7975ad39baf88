"""Reports that show whether the meeting point is accepted and used (``/reports``).

Pages: ``/reports/`` (a chosen period), ``/reports/year/<year>`` (the yearly report
for the funder, made for A4 print, opening with a one-page summary) and the exports
``/reports/export.csv`` (plain), ``/reports/export-excel.csv`` (for German Excel) and
``/reports/export.xlsx`` of the same aggregated tables. Only aggregates leave
here; :mod:`intranet.reports.data` masks every count from 1 to 2 as ``<3``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from intranet.auth.access import permission_required
from intranet.core.i18n import local_date
from intranet.core.input_hygiene import parse_bounded_date
from intranet.core.timeutil import local_today
from intranet.reports import charts
from intranet.reports.data import HIDDEN, PRESETS, Report, Table, build_report, period_for
from intranet.reports.export import to_csv, to_xlsx

bp = Blueprint("reports", __name__, url_prefix="/reports")

PERMISSION = "core.reports"
PRESET_LABELS = {
    "week": _l("This week"),
    "month": _l("This month"),
    "last_month": _l("Last month"),
    "quarter": _l("This quarter"),
    "year": _l("This year"),
    "custom": _l("From – to"),
}
# Longest custom period: enough for a few years, small enough to stay quick.
MAX_DAYS = 3 * 366


def chart(table: Table) -> Markup:
    """The SVG chart of a table (empty markup for tables without one)."""
    labels = [row.label for row in table.rows]
    classes = [row.css for row in table.rows]
    if table.chart == "none" or not table.rows:
        return Markup("")
    if table.chart == "line":
        return charts.line_chart(
            table.title, labels,
            [None if r.shown[0] == HIDDEN else r.plot[0] for r in table.rows],
            [r.shown[0] for r in table.rows])
    if table.chart == "heatmap":
        return charts.heat_map(table.title, labels, table.columns,
                                   [r.plot for r in table.rows], [r.shown for r in table.rows])
    if table.chart == "grouped":
        return charts.grouped_bar_chart(table.title, labels, table.columns,
                                            [r.plot for r in table.rows],
                                            [r.shown for r in table.rows], classes=classes)
    return charts.bar_chart(table.title, labels, [r.plot[0] for r in table.rows],
                                [r.shown[0] for r in table.rows], classes=classes)


def _parse_date(value: str | None) -> date | None:
    """A day from the query string; absurd years count as no date (month arithmetic on
    9999-12-31 would overflow)."""
    return parse_bounded_date(value)


def chosen_period() -> tuple[str, date, date, str]:
    """The period from the query string: preset, first and last day, and an error text."""
    preset = request.args.get("period", "month")
    if preset not in PRESETS:
        preset = "month"
    error = ""
    start = _parse_date(request.args.get("start"))
    end = _parse_date(request.args.get("end"))
    if preset == "custom" and not (start and end):
        error = _("Please give a first and a last day as dates. This month is shown instead.")
        preset = "month"
    first, last = period_for(preset, local_today(), start, end)
    if (last - first).days > MAX_DAYS:
        error = _("A period can be at most three years long. This month is shown instead.")
        preset = "month"
        first, last = period_for(preset, local_today())
    return preset, first, last, error


def _period_args(start: date, end: date) -> dict[str, str]:
    return {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}


@bp.route("/")
@permission_required(PERMISSION)
def index() -> Any:
    preset, start, end, error = chosen_period()
    report = build_report(start, end)
    today = local_today()
    return render_template(
        "reports/index.html", report=report, preset=preset, presets=PRESET_LABELS,
        error=error, chart=chart, period_args=_period_args(start, end),
        years=list(range(today.year, today.year - 5, -1)))


@bp.route("/year/<int:year>")
@permission_required(PERMISSION)
def year(year: int) -> Any:
    if not 2000 <= year <= 2100:
        abort(404)
    start, end = date(year, 1, 1), date(year, 12, 31)
    report = build_report(start, end, daily=False)
    return render_template("reports/year.html", report=report, year=year, chart=chart,
                           period_args=_period_args(start, end))


def _filename(report: Report, extension: str) -> str:
    return f"mittelpunkt-report-{report.start.isoformat()}-{report.end.isoformat()}.{extension}"


@bp.route("/export.csv")
@permission_required(PERMISSION)
def export_csv() -> Any:
    _preset, start, end, _error = chosen_period()
    report = build_report(start, end)
    response = Response(to_csv(report), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


@bp.route("/export-excel.csv")
@permission_required(PERMISSION)
def export_csv_excel() -> Any:
    """The CSV German Excel opens as it is: ``;``, UTF-8 with a byte order mark, ``1,5``."""
    _preset, start, end, _error = chosen_period()
    report = build_report(start, end)
    body = "\ufeff" + to_csv(report, german_excel=True)
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{_filename(report, "excel.csv")}"'
    return response


@bp.route("/export.xlsx")
@permission_required(PERMISSION)
def export_xlsx() -> Any:
    _preset, start, end, _error = chosen_period()
    report = build_report(start, end)
    response = Response(
        to_xlsx(report),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@bp.app_template_filter("period_text")
def period_text(report: Report) -> str:
    return _("%(start)s to %(end)s", start=local_date(report.start, "long"),
             end=local_date(report.end, "long"))


__all__ = ["bp", "chart"]
