"""Calendar weeks as the pages name them: a week is its Monday.

One set of helpers for every week view (the staff calendar, the public programme, the
Beratung appointment calendar, the overview counts), reached by plugins through
:mod:`intranet.plugin`. In a URL a week is ``?week=2026-W48`` or any ISO date inside it
(``?week=2026-11-26``); anything else, or a year outside 1900–2100, means this week.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import request

from intranet.core.input_hygiene import sane_date
from intranet.core.timeutil import local_today


def monday_of(day: date) -> date:
    """The Monday of the week that holds ``day``."""
    return day - timedelta(days=day.weekday())


def this_monday() -> date:
    """The Monday of the current week (the meeting point's local day)."""
    return monday_of(local_today())


def week_days(monday: date, days: int = 7) -> list[date]:
    """The days of the week from ``monday`` on (``days=5``: Monday to Friday)."""
    return [monday + timedelta(days=n) for n in range(days)]


def iso_week(monday: date) -> str:
    """The week as written in a URL: ``2026-W48``."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str | None) -> date:
    """The Monday of ``2026-W48`` or of the week holding an ISO date; else this week."""
    if value and len(value) <= 10:
        try:
            if "-W" in value.upper():
                year, week = value.upper().split("-W", 1)
                monday = date.fromisocalendar(int(year), int(week), 1)
            else:
                monday = monday_of(date.fromisoformat(value))
        except ValueError:
            return this_monday()
        if sane_date(monday) and sane_date(monday + timedelta(days=6)):
            return monday
    return this_monday()


def requested_week(name: str = "week") -> date:
    """The Monday of the week the URL asks for (``?week=``), else of this week."""
    return parse_week(request.args.get(name))
