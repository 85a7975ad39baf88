"""The numbers behind the reports: aggregated in SQL, masked before anyone sees them.

Privacy rules (one implementation, used by the pages, the charts and the exports):

1. **Primary masking** – any count *of people or their visits* from 1 to 2 is shown as
   ``"<3"`` (:func:`mask`); zero stays ``0``. Counts that describe no person (days with
   visits, offer dates held, cancelled or planned, a plugin's ``Metric`` with
   ``about_people=False``) and measures (minutes of waiting) are never masked.
   Charts draw every masked cell at one fixed size, hatched.
2. **Secondary suppression** – a breakdown whose total is shown elsewhere (every
   table of visits adds up to the visits of the period; age, gender and origin
   to the people linked) could give a masked cell away: total minus the visible
   cells. :func:`protect` then hides the smallest further cells as ``"×"`` until
   the masked cells' values can no longer be worked out (a reader is assumed to
   know that a ``×`` holds 3 or more). The same is done first for sub-totals
   shown elsewhere: an area's purposes (against the area's visits), the days of
   a week and of a month, each weekday row of the heat map, and every named
   group of a plugin's metrics (its total may be another metric).
3. When no choice of further cells helps, the whole table is withheld
   (``Table.suppressed``) and every cell is shown as ``×``.
4. A total that is itself 1 or 2 shows as ``<3`` and gives nothing away.
5. Key numbers repeat a table's cell exactly as the table shows it.
6. **Shares** (the yearly summary's percentages) are only ever a shown table cell over
   the total that cell is protected against; a share of a masked or hidden cell, or of
   a total of ``<3``, is hidden as ``×`` too (:func:`share`) — share × total would
   give the count back.
7. A median or percentile of fewer than three waits is not shown (``–``): it would be
   one person's wait.

Offer dates count as *held* only once their end has passed (the app's local clock,
:func:`intranet.core.timeutil.local_now`); later dates of the period are *planned*.

Known limit: sums across different tables that are not nested (weeks straddling
two months) are not cross-checked.

People's age, gender and origin count *distinct* people linked to a check-in in
the period, never individual check-ins; so do the unique people of the period and of
each month.

Every query groups in SQL, mostly reading indexes in the order they group by
(``ix_checkin_facets``, ``_area_waits``, ``_hour_waits``, ``_day_hour``), so neither
the number of statements per report nor the rows they return depend on the number of
check-ins (``tests/test_statement_counts.py`` counts them). Waits are grouped by tenths
of a minute of their stored seconds, hours by the stored local hour of the check-in.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Executable

from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.core.extensions import db
from intranet.core.gather import all_purposes
from intranet.core.i18n import current_locale, language_name
from intranet.core.plugin_host import host
from intranet.core.timeutil import local_now
from intranet.hooktypes import Metric
from intranet.offers.occurrences import count_dates
from intranet.offers.weeks import monday_of
from intranet.people.models import Person
from intranet.reports.side_by_side import Reads

MASKED = "<3"
HIDDEN = "×"
NOT_SHOWN = "–"  # a median of too few waits, or nothing measured
THRESHOLD = 3
# Drawn height of a masked bar: the same for 1 and 2, so the picture tells nothing more.
MASKED_PLOT_VALUE = 2

PRESETS = ("week", "month", "last_month", "quarter", "year", "custom")

AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 14), (15, 17), (18, 26), (27, 44), (45, 64), (65, None))


# -- masking -------------------------------------------------------------------


def is_masked(value: Any) -> bool:
    """True for a count from 1 to 2 (the counts that are shown as ``<3``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def mask(value: int | float | None, *, localized: bool = True) -> str:
    """The one way a count is shown: ``<3`` for 1 and 2, ``0`` for none, else the number.

    ``localized`` formats the number in the current language (``1.234``);
    exports pass ``False`` for plain digits.
    """
    if value is None:
        return ""
    if is_masked(value):
        return MASKED
    if isinstance(value, float) and not value.is_integer():
        return _decimal(value, "#,##0.0") if localized else f"{value:.1f}"
    number = int(value)
    return _decimal(number) if localized else str(number)


def show_measure(value: int | float | None, *, localized: bool = True) -> str:
    """A number that counts no person (minutes, dates held): never masked; ``–`` for none."""
    if value is None:
        return NOT_SHOWN
    if isinstance(value, float) and not value.is_integer():
        return _decimal(value, "#,##0.0") if localized else f"{value:.1f}"
    return _decimal(int(value)) if localized else str(int(value))


def _decimal(number: int | float, fmt: str | None = None) -> str:
    """``number`` in the current language's digits and separators."""
    locale = get_locale()  # None outside a request: Babel's default
    return _formatted_decimal(number, fmt, str(locale) if locale else None)


# A report shows a few thousand cells, mostly the same small numbers; Babel works each
# out anew (about 20 µs), so remember them.
@functools.lru_cache(maxsize=8192)
def _formatted_decimal(number: int | float, fmt: str | None, locale: str | None) -> str:
    return babel_numbers.format_decimal(number, format=fmt, locale=locale)


def share(value: int, shown: str, total: int) -> str:
    """``value`` (a table cell, shown as ``shown``) as a percentage of ``total``.

    The cell must be protected against ``total`` already (rule 6 of the module): then
    the share tells no more than the cell. Hidden as ``×`` where the cell is masked or
    hidden, or the total is ``<3``, since share × total would give the count back.
    """
    if not total:
        return ""
    if shown in (MASKED, HIDDEN) or is_masked(total):
        return HIDDEN
    return format_percent(value / total)


def _disclosed(masked: int, secondary: int, hidden_sum: int) -> bool:
    """Could the values of ``masked`` cells (each 1 or 2) be worked out?

    ``hidden_sum`` is what a reader gets from the total minus the visible cells;
    ``secondary`` cells hidden as ``×`` are known only to hold 3 or more.
    """
    if masked == 0:
        return False
    sums = [s for s in range(masked, 2 * masked + 1)
            if (s == hidden_sum if secondary == 0 else hidden_sum - s >= THRESHOLD * secondary)]
    if len(sums) != 1:
        return False
    return masked == 1 or sums[0] in (masked, 2 * masked)


def protect(values: list[int], hidden: set[int] | None = None,
            exempt: set[int] | frozenset[int] = frozenset()) -> set[int] | None:
    """Indexes of cells to hide as ``×`` so masked cells cannot be recomputed from the total.

    ``hidden`` are cells already hidden for another total (they count as hidden
    here too). ``exempt`` cells count no person: always shown, never masked nor hidden.
    ``None`` when no choice of hidden cells helps (too few, too small counts): the
    whole breakdown is then withheld.
    """
    hidden = {i for i in (hidden or set()) if i not in exempt and not is_masked(values[i])}
    if is_masked(sum(values)):  # the total itself shows as "<3": it gives nothing away
        return hidden
    masked = [i for i, v in enumerate(values) if is_masked(v) and i not in exempt]
    candidates = sorted((v, i) for i, v in enumerate(values) if v >= THRESHOLD
                        and i not in hidden and i not in exempt)
    while _disclosed(len(masked), len(hidden),
                     sum(values[i] for i in masked) + sum(values[i] for i in hidden)):
        if not candidates:
            return None
        hidden.add(candidates.pop(0)[1])
    return hidden


def _protect_all(values: list[int], groups: list[list[int]],
                 exempt: set[int] | frozenset[int] = frozenset()) -> set[int] | None:
    """:func:`protect` against sub-totals shown elsewhere (``groups``), then the total."""
    found: set[int] = set()
    for group in [*groups, list(range(len(values)))]:
        inside = [i for i in group if i < len(values)]
        local = protect([values[i] for i in inside],
                        {n for n, i in enumerate(inside) if i in found},
                        {n for n, i in enumerate(inside) if i in exempt})
        if local is None:
            return None
        found |= {inside[n] for n in local}
    return found


# -- tables ----------------------------------------------------------------------


@dataclass
class Row:
    label: str
    values: list[Any]  # counts, measures (float) or None (nothing to show)
    shown: list[str] = field(default_factory=list)      # masked display strings
    plain: list[str] = field(default_factory=list)      # masked, plain digits (exports)
    plot: list[float] = field(default_factory=list)     # what a chart may draw
    css: str = ""                                       # e.g. "area-consultations"
    lang: str = ""                                      # the label's own language
    about_people: bool = True                           # False: never masked


@dataclass
class Table:
    """One aggregated table of a report; charts and exports are drawn from it."""

    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: str = "bar"      # bar, grouped, line, heatmap, none
    additive: bool = True   # cells add up to a total shown elsewhere
    note: str = ""
    unit: str = ""
    suppressed: bool = False  # too few to show any cell without giving one away
    # Row indexes whose sum is shown elsewhere (an area's purposes, a week's days).
    groups: list[list[int]] = field(default_factory=list)
    # Columns whose total is shown (None: every column of an additive table).
    total_columns: list[int] | None = None
    # False: no cell counts people (offer dates): nothing is masked or hidden.
    about_people: bool = True
    # Columns that hold counts of people (None: all); the others are measures (minutes).
    count_columns: list[int] | None = None
    # The XLSX sheet's name (default: the title, shortened).
    sheet: str = ""

    def counted(self, row: int, col: int) -> bool:
        """Is this cell a count of people (masked and protected)?"""
        return (self.about_people and self.rows[row].about_people
                and (self.count_columns is None or col in self.count_columns))

    def finish(self) -> Table:
        """Fill in the masked display values (primary masking and secondary suppression)."""
        width = len(self.columns)
        hidden: set[tuple[int, int]] = set()
        if not self.about_people:
            pass
        elif self.additive and self.chart == "heatmap":
            # The whole matrix is one breakdown of the visits, and each row (a weekday)
            # is treated as a sub-total too: in a one-week period it is a day's visits.
            flat = [int(v) for row in self.rows for v in row.values]
            rows = [list(range(r * width, (r + 1) * width)) for r in range(len(self.rows))]
            found = _protect_all(flat, rows)
            if found is None:
                self.suppressed = True
            else:
                hidden = {(i // width, i % width) for i in found}
        elif self.additive:
            columns = range(width) if self.total_columns is None else self.total_columns
            exempt = {r for r, row in enumerate(self.rows) if not row.about_people}
            for col in columns:
                if self.count_columns is not None and col not in self.count_columns:
                    continue
                found = _protect_all([int(row.values[col] or 0) for row in self.rows],
                                     self.groups, exempt)
                if found is None and self.count_columns is not None:
                    # A table of counts beside measures: withhold the column, keep the rest.
                    hidden |= {(r, col) for r in range(len(self.rows))}
                elif found is None:
                    self.suppressed = True
                else:
                    hidden |= {(r, col) for r in found}
        for r, row in enumerate(self.rows):
            row.shown, row.plain, row.plot = [], [], []
            for col, value in enumerate(row.values):
                if self.suppressed or (r, col) in hidden:
                    row.shown.append(HIDDEN)
                    row.plain.append(HIDDEN)
                    row.plot.append(0)
                elif self.counted(r, col):
                    row.shown.append(mask(value))
                    row.plain.append(mask(value, localized=False))
                    row.plot.append(MASKED_PLOT_VALUE if is_masked(value)
                                    else float(value or 0))
                else:
                    row.shown.append(show_measure(value))
                    row.plain.append(show_measure(value, localized=False))
                    row.plot.append(float(value or 0))
        return self

    @property
    def empty(self) -> bool:
        return not any(v for row in self.rows for v in row.values)

    def cell(self, label: str, col: int = 0) -> tuple[Any, str]:
        """The value and shown text of the row called ``label`` (``(0, "0")`` if none)."""
        for row in self.rows:
            if row.label == label:
                return row.values[col], row.shown[col]
        return 0, "0"


@dataclass
class MetricSection:
    """The metrics one plugin reported, in groups."""

    plugin: str
    title: str
    css: str
    tables: list[Table]


@dataclass
class KeyNumber:
    label: str
    value: int | float | None
    shown: str = ""
    shown_plain: str = ""
    about_people: bool = True   # False: shown as it is (days with visits, dates held)

    def __post_init__(self) -> None:
        if self.about_people:
            self.shown = self.shown or mask(self.value)
            self.shown_plain = self.shown_plain or mask(self.value, localized=False)
        else:
            self.shown = self.shown or show_measure(self.value)
            self.shown_plain = self.shown_plain or show_measure(self.value, localized=False)


@dataclass
class SummaryItem:
    """One line of the yearly summary: a number as shown, and its share where one helps."""

    label: str
    shown: str
    share: str = ""
    note: str = ""


@dataclass
class SummaryGroup:
    """One of the funder's questions (accepted? trusted? used?) with its numbers."""

    key: str
    title: str
    items: list[SummaryItem]


@dataclass
class Report:
    start: date
    end: date
    total: int
    key_numbers: list[KeyNumber]
    tables: dict[str, Table]
    metrics: list[MetricSection]
    summary: list[SummaryGroup] = field(default_factory=list)
    # The local moment the report was made: offer dates up to it are held.
    made_at: datetime | None = None

    def all_tables(self) -> list[Table]:
        return [*self.tables.values(), *(t for s in self.metrics for t in s.tables)]


# -- periods -----------------------------------------------------------------------


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_for(preset: str, today: date, start: date | None = None,
               end: date | None = None) -> tuple[date, date]:
    """The first and last day (inclusive) of a preset period around ``today``."""
    if preset == "week":
        monday = monday_of(today)
        return monday, monday + timedelta(days=6)
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == "quarter":
        first = quarter_start(today)
        return first, month_end(date(first.year, first.month + 2, 1))
    if preset == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if preset == "custom" and start and end:
        return (start, end) if start <= end else (end, start)
    return today.replace(day=1), month_end(today)


# -- the report ----------------------------------------------------------------------


def _labelled(rows: list[tuple[str, int]], *, css: list[str] | None = None,
              lang: list[str] | None = None) -> list[Row]:
    return [Row(label=label, values=[value], css=(css[i] if css else ""),
                lang=(lang[i] if lang else ""))
            for i, (label, value) in enumerate(rows)]


def area_title(name: str) -> str:
    info = host().info(name)
    if info is not None:
        return str(info.title)
    return _("Meeting point") if name == "core" else name


def _in_index_order(condition: Any) -> Any:
    """On SQLite, let a grouping read its own index whole and in order (no sort) rather
    than a range of days and sort it: ``likely()`` tells the planner the period holds
    most rows. 0.03 s instead of 0.11 s for a year of 75,000 check-ins."""
    if db.engine.dialect.name == "sqlite":
        return func.likely(condition)
    return condition


def visits_by_day_and_hour(in_period: Any) -> Executable:
    """Check-ins per local day and local hour of the day."""
    return select(CheckIn.day, CheckIn.hour, func.count(CheckIn.id)).where(in_period) \
        .group_by(CheckIn.day, CheckIn.hour)


def visits_by_facet(in_period: Any) -> Executable:
    """Check-ins per service area, purpose, kiosk language and first visit (the tables of
    purposes, areas, languages and first visits are sums of its rows)."""
    return select(CheckIn.plugin, CheckIn.purpose, CheckIn.language, CheckIn.first_visit,
                  func.count(CheckIn.id)) \
        .where(_in_index_order(in_period)) \
        .group_by(CheckIn.plugin, CheckIn.purpose, CheckIn.language, CheckIn.first_visit)


def _summed(rows: list[tuple[Any, ...]], *fields: int) -> dict[Any, int]:
    """The counts (last item of each row) summed by the items at ``fields``."""
    sums: dict[Any, int] = defaultdict(int)
    for row in rows:
        key = row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)
        sums[key] += row[-1]
    return dict(sums)


def build_report(start: date, end: date, *, daily: bool = True,
                 now: datetime | None = None) -> Report:
    """Every table of a report for ``start``–``end`` (inclusive), masked and ready to show.

    ``daily=False`` leaves out the visits per day (the yearly report shows months).
    ``now`` is the local moment offer dates are held by (default: the app's clock).
    """
    locale = current_locale()
    now = now or local_now()
    in_period = CheckIn.day.between(start, end)
    tables: dict[str, Table] = {}
    # The grouped statements over the check-ins start at once, side by side, longest
    # first; the plugins' metrics are made meanwhile.
    reads = Reads({
        "people": _people_statement(in_period, start),
        "wait_hour": _waits_statement(CheckIn.hour, in_period),
        "facets": visits_by_facet(in_period),
        "people_month": _people_month_statement(in_period),
        "wait_area": _waits_statement(CheckIn.plugin, in_period),
        "day_hour": visits_by_day_and_hour(in_period),
        "unlinked": select(func.count(CheckIn.id)).where(in_period,
                                                         CheckIn.person_id.is_(None)),
    })
    try:
        metrics = plugin_metrics(start, end)
    finally:
        reads.wait()

    # Visits per day, week and month.
    per_day_hour = {(day, hour): count for day, hour, count in reads.rows("day_hour")}
    per_day: dict[date, int] = defaultdict(int)
    for (day, _hour), count in per_day_hour.items():
        per_day[day] += count
    total = sum(per_day.values())
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if daily:
        by_week: dict[Any, list[int]] = defaultdict(list)
        by_month: dict[Any, list[int]] = defaultdict(list)
        for n, d in enumerate(days):
            by_week[d.isocalendar()[:2]].append(n)
            by_month[(d.year, d.month)].append(n)
        tables["visits_day"] = Table(
            "visits_day", _("Visits per day"), [_("Visits")],
            _labelled([(babel_dates.format_date(d, "short", locale=get_locale()), per_day.get(d, 0))
                       for d in days]), chart="line",
            groups=[*by_week.values(), *by_month.values()])
    weeks: dict[tuple[int, int], int] = defaultdict(int)
    months: dict[tuple[int, int], int] = defaultdict(int)
    for d in days:
        iso = d.isocalendar()
        weeks[(iso.year, iso.week)] += per_day.get(d, 0)
        months[(d.year, d.month)] += per_day.get(d, 0)
    if daily:
        tables["visits_week"] = Table(
            "visits_week", _("Visits per week"), [_("Visits")],
            _labelled([(_("Week %(week)s, %(year)s", week=w, year=y), n)
                       for (y, w), n in weeks.items()]))
    tables["visits_month"] = Table(
        "visits_month", _("Visits per month"), [_("Visits")],
        _labelled([(_month_label(y, m), n) for (y, m), n in months.items()]))

    # First-time and returning visitors.
    facets = [tuple(row) for row in reads.rows("facets")]
    first = _summed(facets, 3)
    tables["first_visit"] = Table(
        "first_visit", _("First visit or returning (as told at the kiosk)"), [_("Visits")],
        _labelled([(_("First visit"), first.get(True, 0)),
                   (_("Returning"), first.get(False, 0)),
                   (_("Not asked / unknown"), first.get(None, 0))]),
        sheet=_("First visit or returning"))

    people: list[PersonRow] = [(year, gender, origin, bool(before), count)
                               for year, gender, origin, before, count in reads.rows("people")]
    people_total = sum(row[-1] for row in people)
    people_returning = sum(row[-1] for row in people if row[3])
    unlinked = reads.rows("unlinked")[0][0] or 0
    tables["people_returning"] = Table(
        "people_returning", _("People linked to a check-in"), [_("People")],
        _labelled([(_("New in this period"), people_total - people_returning),
                   (_("Seen before this period"), people_returning)]),
        additive=True,
        note=_("Check-ins not linked to a person: %(count)s", count=mask(unlinked)))
    tables["people_month"] = _people_per_month(reads.rows("people_month"), months)

    # Purposes and service areas.
    purposes = {(p.plugin, p.key): p for p in all_purposes(locale)}
    purpose_rows = [(plugin, key, count)
                    for (plugin, key), count in _summed(facets, 0, 1).items()]
    area_order = {info.name: n for n, info in enumerate(host().service_areas())}
    purpose_list = sorted(
        purpose_rows,
        key=lambda r: (area_order.get(r[0], 999), getattr(purposes.get((r[0], r[1])), "order",
                                                         999), r[1]))
    purpose_groups: dict[str, list[int]] = defaultdict(list)
    for n, (plugin, _key, _count) in enumerate(purpose_list):
        purpose_groups[plugin].append(n)
    tables["purpose"] = Table(
        "purpose", _("Visits by purpose"), [_("Visits")],
        [Row(label=f"{area_title(plugin)}: "
                   f"{purposes[(plugin, key)].label if (plugin, key) in purposes else key}",
             values=[count], css=f"area-{plugin}") for plugin, key, count in purpose_list],
        groups=list(purpose_groups.values()))
    by_area: dict[str, int] = {info.name: 0 for info in host().service_areas()}
    for plugin, _key, count in purpose_rows:
        by_area[plugin] = by_area.get(plugin, 0) + count
    tables["area"] = Table(
        "area", _("Visits by service area"), [_("Visits")],
        [Row(label=area_title(name), values=[count], css=f"area-{name}")
         for name, count in by_area.items()])

    # Kiosk languages.
    language_rows = sorted(_summed(facets, 2).items(), key=lambda item: (-item[1], item[0]))
    tables["language"] = Table(
        "language", _("Visits by kiosk language"), [_("Visits")],
        [Row(label=language_name(code), values=[count], lang=code)
         for code, count in language_rows])

    # Weekday and hour, in local time.
    tables["heatmap"] = _heatmap(per_day_hour)

    # Waiting: from the check-in to the call, per service area and per hour of the day.
    tables["wait_area"], tables["wait_hour"], waited = _waits(
        reads.rows("wait_area"), reads.rows("wait_hour"), area_order)

    # Offers held, cancelled and planned.
    tables["offers"] = _offers(start, end, now)

    # People: age bands, gender, origin (distinct people).
    tables.update(_people(people, end))

    for table in tables.values():
        table.finish()

    offers = tables["offers"]
    held = sum(int(r.values[0]) for r in offers.rows)
    planned = sum(int(r.values[2]) for r in offers.rows) if len(offers.columns) > 2 else 0
    open_days = sum(1 for count in per_day.values() if count)
    first_shown = tables["first_visit"].rows[0]
    key_numbers = [
        KeyNumber(_("Visits"), total),
        KeyNumber(_("Days with visits"), open_days, about_people=False),
        # As in its table: a first-visit count hidden there stays hidden here.
        KeyNumber(_("First visits"), first.get(True, 0), first_shown.shown[0],
                  first_shown.plain[0]),
        KeyNumber(_("People linked to a check-in"), people_total),
        KeyNumber(_("Offer dates held"), held, about_people=False),
    ]
    if planned:
        key_numbers.append(KeyNumber(_("Offer dates planned"), planned, about_people=False))
    key_numbers += [
        KeyNumber(_("Median wait (minutes)"), waited.median, about_people=False),
        KeyNumber(_("90th percentile of waits (minutes)"), waited.p90, about_people=False),
        KeyNumber(_("Left before being called"), waited.left),
    ]
    report = Report(start=start, end=end, total=total, key_numbers=key_numbers,
                    tables=tables, metrics=metrics, made_at=now)
    report.summary = _summary(report, people_total, waited)
    return report


def _month_label(year: int, month: int) -> str:
    return babel_dates.format_skeleton("yMMM", date(year, month, 1), locale=get_locale())


def _month_key(column: Any) -> Any:
    """The year and month of a date column as ``YYYY-MM``, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _people_month_statement(in_period: Any) -> Executable:
    """Distinct people linked to a check-in, month by month."""
    month = _month_key(CheckIn.day)
    return select(month, func.count(func.distinct(CheckIn.person_id))) \
        .where(in_period, CheckIn.person_id.is_not(None)).group_by(month)


def _people_per_month(rows: Sequence[Any], months: dict[tuple[int, int], int]) -> Table:
    """The table of :func:`_people_month_statement`'s rows.

    Not additive: someone who came in March and in May counts in both months, so the
    months do not add up to the period's people and no cell needs hiding for a total.
    """
    counts = {key: n for key, n in rows}
    return Table(
        "people_month", _("Unique people per month"), [_("People")],
        _labelled([(_month_label(y, m), counts.get(f"{y:04d}-{m:02d}", 0))
                   for (y, m) in months]),
        additive=False,
        note=_("Someone who came in several months counts once in each of them."))


@dataclass
class Waits:
    """The waits of one group, in tenths of a minute (``tenths`` counts how many waits
    lasted each), and the tickets that left."""

    tenths: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    left: int = 0       # left before being called
    no_show: int = 0    # called, but not there

    @property
    def measured(self) -> int:
        return sum(self.tenths.values())

    def _nth(self, rank: int) -> int:
        """The wait at 0-based ``rank`` of all waits in order."""
        passed = 0
        for value in sorted(self.tenths):
            passed += self.tenths[value]
            if passed > rank:
                return value
        raise IndexError(rank)

    @property
    def median(self) -> float | None:
        count = self.measured
        if count < THRESHOLD:
            return None
        return round((self._nth((count - 1) // 2) + self._nth(count // 2)) / 20, 1)

    @property
    def p90(self) -> float | None:
        """The 90th percentile by nearest rank: the smallest wait at least 90 % of all
        waits do not exceed (an actual wait, no interpolation)."""
        count = self.measured
        if count < THRESHOLD:
            return None
        return self._nth(math.ceil(0.9 * count) - 1) / 10

    def values(self) -> list[Any]:
        # No column of waits measured: with the area's (or hour's) visits shown elsewhere,
        # visits minus the waits measured would give a masked "left" count away.
        return [self.median, self.p90, self.left, self.no_show]

    def add(self, tenths: int | None, left: bool, count: int = 1) -> None:
        if left:
            if tenths is None:
                self.left += count
            else:
                self.no_show += count
        if tenths is not None:
            self.tenths[tenths] += count


def _waits_statement(column: Any, in_period: Any) -> Executable:
    """Check-ins per ``column`` (area or hour), stored wait in tenths of a minute
    (``wait_tenths``, see ``intranet.checkins.models``) and status, read from the index
    in its order (no sorting)."""
    return select(column, CheckIn.wait_tenths, CheckIn.status, func.count(CheckIn.id)) \
        .where(_in_index_order(in_period)) \
        .group_by(column, CheckIn.wait_tenths, CheckIn.status)


def _waits(per_area: Sequence[Any], per_hour: Sequence[Any],
           area_order: dict[str, int]) -> tuple[Table, Table, Waits]:
    """Waiting times per service area and per local hour of the check-in, and overall,
    from the rows of :func:`_waits_statement`.

    A ticket that left with no call left before being called; with one, it was not
    there. The overall waits are the sum of the areas'.
    """
    overall = Waits()
    by_area: dict[str, Waits] = defaultdict(Waits)
    by_hour: dict[int, Waits] = defaultdict(Waits)
    for plugin, waited, status, count in per_area:
        gone = status == CheckInStatus.LEFT
        by_area[plugin].add(waited, gone, count)
        overall.add(waited, gone, count)
    for hour, waited, status, count in per_hour:
        by_hour[hour].add(waited, status == CheckInStatus.LEFT, count)
    columns = [_("Median (minutes)"), _("90th percentile (minutes)"),
               _("Left before being called"), _("Not there when called")]
    counts = [2, 3]
    area = Table(
        "wait_area", _("Waiting time by service area"), list(columns),
        [Row(label=area_title(name), values=by_area[name].values(), css=f"area-{name}")
         for name in sorted(by_area, key=lambda n: (area_order.get(n, 999), n))],
        # The total of those who left is a key number; that of "not there" is shown nowhere.
        chart="none", count_columns=counts, total_columns=[2], sheet=_("Waiting times"),
        note=_("From the check-in at the kiosk to the call. Median and 90th percentile "
               "are shown from three waits on."))
    hours = Table(
        "wait_hour", _("Waiting time by hour of check-in (local time)"), list(columns),
        [Row(label=f"{hour:02d}:00", values=by_hour[hour].values()) for hour in sorted(by_hour)],
        chart="none", count_columns=counts, total_columns=[2],
        sheet=_("Waiting times by hour"))
    return area, hours, overall


def _heatmap(per_day_hour: dict[tuple[date, int], int]) -> Table:
    """Visits by local weekday and hour, from the counts per day and hour."""
    matrix = [[0] * 24 for _day in range(7)]
    for (day, hour), count in per_day_hour.items():
        matrix[day.weekday()][hour] += count
    used = [h for h in range(24) if any(matrix[d][h] for d in range(7))]
    first, last = min([8, *used]), max([19, *used])
    hours = list(range(first, last + 1))
    names = babel_dates.get_day_names("abbreviated", locale=get_locale())
    return Table(
        "heatmap", _("Visits by weekday and hour (local time)"),
        [f"{h:02d}" for h in hours],
        [Row(label=str(names[d]), values=[matrix[d][h] for h in hours]) for d in range(7)],
        chart="heatmap", sheet=_("Weekday and hour"))


def _offers(start: date, end: date, now: datetime) -> Table:
    """Offer dates held, cancelled and planned per service area.

    A date is *held* once its end (local time) has passed ``now``; a later date of the
    period is *planned* (the column appears only when there is one). Cancelled dates
    count as cancelled whenever they lie. Dates count no person: nothing is masked.
    A disabled plugin's offers are left out.
    """
    counts: dict[str, list[int]] = {info.name: [0, 0, 0] for info in host().service_areas()}
    counts.update(count_dates(["core", *counts], start, end, now))
    any_planned = any(triple[2] for triple in counts.values())
    columns = [_("Held"), _("Cancelled")] + ([_("Planned")] if any_planned else [])
    return Table(
        "offers", _("Offer dates held and cancelled"), columns,
        [Row(label=area_title(name), values=triple[:len(columns)], css=f"area-{name}")
         for name, triple in counts.items()],
        chart="grouped", about_people=False, additive=False, sheet=_("Offer dates"),
        note=_("Held: dates whose end has passed. Planned: dates still to come.")
        if any_planned else "")


GENDERS = ("female", "male", "diverse")


def _gender_label(code: str | None) -> str:
    labels = {"female": _("Female"), "male": _("Male"), "diverse": _("Diverse")}
    return labels.get(code or "", code or _("Not recorded"))


PersonRow = tuple[int | None, str | None, str | None, bool, int]


def _people_statement(in_period: Any, start: date) -> Executable:
    """The distinct people linked to a check-in of the period, counted per year of birth,
    gender, country of origin and whether they were seen before the period (the tables
    of people are sums of its rows)."""
    earlier = aliased(CheckIn)
    seen_before = or_(Person.first_visit < start, exists(select(earlier.id).where(
        earlier.person_id == Person.id, earlier.day < start)))
    ids = select(CheckIn.person_id).where(in_period, CheckIn.person_id.is_not(None)) \
        .distinct().scalar_subquery()
    return select(Person.year_of_birth, Person.gender, Person.country_of_origin,
                  seen_before.label("before"), func.count(Person.id)) \
        .where(Person.id.in_(ids)) \
        .group_by(Person.year_of_birth, Person.gender, Person.country_of_origin, "before")


def _people(people: list[PersonRow], end: date) -> dict[str, Table]:
    bands = [0] * (len(AGE_BANDS) + 1)
    for year, count in _summed(people, 0).items():
        if year is None:
            bands[-1] += count
            continue
        years_old = end.year - year
        for n, (low, high) in enumerate(AGE_BANDS):
            if years_old >= low and (high is None or years_old <= high):
                bands[n] += count
                break
        else:
            bands[-1] += count

    def band_label(low: int, high: int | None) -> str:
        if low == 0:
            return _("under %(age)s", age=(high or 0) + 1)
        if high is None:
            return _("%(age)s and older", age=low)
        return f"{low}–{high}"

    age = Table("age", _("People by age"), [_("People")],
                _labelled([(band_label(lo, hi), bands[n]) for n, (lo, hi) in enumerate(AGE_BANDS)]
                          + [(_("Not recorded"), bands[-1])]))

    gender_counts = _summed(people, 1)
    gender_order = [*GENDERS, *sorted(k for k in gender_counts if k and k not in GENDERS), None]
    gender = Table("gender", _("People by gender"), [_("People")],
                   _labelled([(_gender_label(code), gender_counts.get(code, 0))
                              for code in gender_order if code in GENDERS
                              or gender_counts.get(code)]))

    origins = sorted(_summed(people, 2).items(), key=lambda item: (-item[1], item[0] or ""))
    territories = get_locale().territories if get_locale() else {}
    origin = Table("origin", _("People by country of origin"), [_("People")],
                   _labelled([(territories.get(code.upper(), code) if code else _("Not recorded"),
                               count) for code, count in origins]))
    return {"age": age, "gender": gender, "origin": origin}


def plugin_metrics(start: date, end: date) -> list[MetricSection]:
    """Every plugin's ``report_metrics``, by plugin and by the metrics' ``group``."""
    metrics = host().collect("report_metrics", Metric, start=start, end=end)
    by_plugin: dict[str, dict[str, list[Metric]]] = {}
    for metric in metrics:
        by_plugin.setdefault(metric.plugin, {}).setdefault(str(metric.group or ""), []) \
            .append(metric)
    sections = []
    for plugin in sorted(by_plugin, key=lambda p: (host().info(p).order
                                                    if host().info(p) else 0, p)):
        tables = []
        for group, items in by_plugin[plugin].items():
            table = Table(
                key=f"metrics.{plugin}.{group or 'general'}",
                title=group or _("Key figures"),
                columns=[_("Value")],
                rows=[Row(label=str(m.label) + (f" ({m.unit})" if m.unit else ""),
                          values=[m.value], about_people=m.about_people)
                      for m in items],
                # The sheet of a plugin's key figures is named after its service area.
                sheet=group or area_title(plugin),
                chart="bar" if group else "none",
                # A group is a breakdown whose total a plugin may show as another metric
                # (consultations by kind add up to consultations held): protect it like
                # the core's breakdowns. Rates and other units are no counts.
                additive=bool(group) and all(
                    isinstance(m.value, int) and not m.unit for m in items))
            tables.append(table.finish())
        sections.append(MetricSection(plugin=plugin, title=area_title(plugin),
                                      css=f"area-{plugin}", tables=tables))
    return sections



def _summary(report: Report, people: int, waited: Waits) -> list[SummaryGroup]:
    """The yearly report's first page: the funder's questions, answered with the cells
    of the tables (as shown there) and their shares of the totals they add up to."""
    tables, total = report.tables, report.total
    first = tables["first_visit"]
    returning = tables["people_returning"]
    keys = {number.label: number for number in report.key_numbers}

    def item(label: str, table: Table, row: int, whole: int) -> SummaryItem:
        value, shown = table.rows[row].values[0], table.rows[row].shown[0]
        return SummaryItem(label, shown, share(int(value), shown, whole))

    accepted = SummaryGroup("accepted", _("Accepted: do people come?"), [
        SummaryItem(_("Visits"), keys[_("Visits")].shown),
        SummaryItem(_("Unique people (linked to a check-in)"), mask(people),
                    note=tables["people_returning"].note),
        item(_("First visits"), first, 0, total),
        SummaryItem(_("Days with visits"), keys[_("Days with visits")].shown),
    ])
    trusted = SummaryGroup("trusted", _("Trusted: do they come back?"), [
        item(_("Returning visits"), first, 1, total),
        item(_("People seen before this period"), returning, 1, people),
        item(_("People new in this period"), returning, 0, people),
    ])
    offers = tables["offers"]
    used_items = [SummaryItem(_("Offer dates held"), keys[_("Offer dates held")].shown)]
    if _("Offer dates planned") in keys:
        used_items.append(SummaryItem(_("Offer dates planned"),
                                      keys[_("Offer dates planned")].shown))
    used_items.append(SummaryItem(_("Offer dates cancelled"), show_measure(
        sum(int(r.values[1]) for r in offers.rows))))
    area = tables["area"]
    used_items += [SummaryItem(_("Visits: %(area)s", area=row.label), row.shown[0],
                               share(int(row.values[0]), row.shown[0], total))
                   for row in area.rows if row.values[0]]
    used = SummaryGroup("used", _("Used: which offers, how often?"), used_items)

    def minutes(value: float | None) -> str:
        return NOT_SHOWN if value is None else _("%(minutes)s min",
                                                 minutes=show_measure(value))

    left = keys[_("Left before being called")]
    waiting = SummaryGroup("waiting", _("Waiting: how long until someone is called?"), [
        SummaryItem(_("Median wait"), minutes(waited.median)),
        SummaryItem(_("90th percentile of waits"), minutes(waited.p90),
                    note=_("Nine in ten waited at most this long.")),
        SummaryItem(_("Left before being called"), left.shown,
                    share(waited.left, left.shown, total)),
    ])
    return [accepted, trusted, used, waiting]
