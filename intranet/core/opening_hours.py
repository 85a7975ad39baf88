"""Opening hours: typed once by an admin in German or English, shown in every language.

The setting ``OPENING_HOURS`` is plain text such as ``Mo–Do 9–17 Uhr, Fr 9–13 Uhr`` or
``Mon-Thu 09:00-12:30, 14:00-17:00; Fri 9-13``: groups of weekdays (a day, a range or a
list) each followed by one or more time ranges. Because it is parsed into weekdays and
times, every screen can show it in the reader's language (weekday names and time format
from Babel) instead of leaving German on an Arabic poster.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import time

from babel import Locale
from babel import dates as babel_dates

# Weekday abbreviations an admin may type, German and English, Monday = 0.
_DAYS = {
    "mo": 0, "mon": 0, "montag": 0, "monday": 0,
    "di": 1, "die": 1, "dienstag": 1, "tu": 1, "tue": 1, "tues": 1, "tuesday": 1,
    "mi": 2, "mit": 2, "mittwoch": 2, "we": 2, "wed": 2, "wednesday": 2,
    "do": 3, "don": 3, "donnerstag": 3, "th": 3, "thu": 3, "thur": 3, "thurs": 3,
    "thursday": 3,
    "fr": 4, "fre": 4, "freitag": 4, "fri": 4, "friday": 4,
    "sa": 5, "sam": 5, "samstag": 5, "sat": 5, "saturday": 5,
    "so": 6, "son": 6, "sonntag": 6, "su": 6, "sun": 6, "sunday": 6,
}
_DASH = r"\s*[-–—]\s*"
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(_TIME + _DASH + _TIME + r"(?:\s*(?:uhr|h))?", re.IGNORECASE)
_DAY_WORD = re.compile(r"[A-Za-zÄÖÜäöü]+\.?")


class OpeningHoursError(ValueError):
    """The text could not be read as weekdays and times."""


@dataclass(frozen=True)
class OpeningLine:
    """Weekdays (Monday = 0) open at the same times."""

    days: tuple[int, ...]
    times: tuple[tuple[time, time], ...]


def _day(word: str) -> int:
    key = word.strip().rstrip(".").lower()
    if key not in _DAYS:
        raise OpeningHoursError(word)
    return _DAYS[key]


def _days(text: str) -> tuple[int, ...]:
    days: list[int] = []
    for part in re.split(r"\s*[,+/&]\s*|\s+und\s+|\s+and\s+", text.strip()):
        if not part:
            continue
        bounds = re.split(_DASH, part)
        if len(bounds) == 2:
            first, last = _day(bounds[0]), _day(bounds[1])
            if last < first:
                raise OpeningHoursError(part)
            days.extend(range(first, last + 1))
        elif len(bounds) == 1:
            days.append(_day(bounds[0]))
        else:
            raise OpeningHoursError(part)
    if not days:
        raise OpeningHoursError(text)
    return tuple(sorted(set(days)))


def _clock(hours: str, minutes: str | None) -> time:
    try:
        return time(int(hours) % 24 if int(hours) == 24 else int(hours), int(minutes or 0))
    except ValueError as error:
        raise OpeningHoursError(f"{hours}:{minutes}") from error


def parse(text: str) -> list[OpeningLine]:
    """The lines of an opening-hours text; :class:`OpeningHoursError` if it cannot be read."""
    lines: list[OpeningLine] = []
    rest = " ".join(text.split())
    while rest.strip(" ,;"):
        rest = rest.strip(" ,;")
        first_time = re.search(r"\d", rest)
        if first_time is None or first_time.start() == 0:
            raise OpeningHoursError(rest)
        days = _days(rest[:first_time.start()].strip(" :"))
        rest = rest[first_time.start():]
        times: list[tuple[time, time]] = []
        while True:
            found = _RANGE.match(rest)
            if not found:
                break
            start = _clock(found.group(1), found.group(2))
            end = _clock(found.group(3), found.group(4))
            if end <= start:
                raise OpeningHoursError(found.group(0))
            times.append((start, end))
            rest = rest[found.end():]
            following = re.match(r"\s*(?:,|und|and|&)\s*(?=\d)", rest)
            if not following:
                break
            rest = rest[following.end():]
        if not times:
            raise OpeningHoursError(rest)
        lines.append(OpeningLine(days, tuple(times)))
        if rest.strip(" ,;") and not re.match(r"\s*[,;]|\s+" + _DAY_WORD.pattern, rest):
            raise OpeningHoursError(rest)
    return lines


def problem(text: str) -> str | None:
    """The part that could not be read, or ``None`` when the whole text is fine."""
    try:
        parse(text)
    except OpeningHoursError as error:
        return str(error) or text
    return None


def _day_group(days: tuple[int, ...], names: dict[int, str], comma: str) -> str:
    """``Mon–Thu`` for a run of three or more days, else a list: ``Mon, Wed``."""
    groups: list[list[int]] = []
    for day in days:
        if groups and day == groups[-1][-1] + 1:
            groups[-1].append(day)
        else:
            groups.append([day])
    parts = []
    for group in groups:
        if len(group) >= 3:
            parts.append(f"{names[group[0]]}–{names[group[-1]]}")
        else:
            parts.extend(names[day] for day in group)
    return comma.join(parts)


def localized(text: str, locale: str) -> list[tuple[str, str]] | None:
    """``(days, times)`` pairs in ``locale``, e.g. ``("Mo.–Do.", "09:00–17:00")``;
    ``None`` when the text cannot be read (show it as written, marked German)."""
    rows = _localized(text, locale)
    return None if rows is None else list(rows)


# Every kiosk screen shows the opening hours: worked out once per text and language.
@functools.lru_cache(maxsize=256)
def _localized(text: str, locale: str) -> tuple[tuple[str, str], ...] | None:
    try:
        lines = parse(text)
    except OpeningHoursError:
        return None
    babel_locale = Locale.parse(locale)
    names = babel_dates.get_day_names("abbreviated", locale=babel_locale)
    # The Arabic comma in Arabic-script languages; Babel's list patterns differ per locale.
    comma = "، " if babel_locale.character_order == "right-to-left" else ", "
    rows = []
    for line in lines:
        times = comma.join(
            f"{babel_dates.format_time(start, 'short', locale=babel_locale)}–"
            f"{babel_dates.format_time(end, 'short', locale=babel_locale)}"
            for start, end in line.times)
        rows.append((_day_group(line.days, dict(names.items()), comma), times))
    return tuple(rows)


def open_on(text: str, weekday: int) -> tuple[tuple[time, time], ...]:
    """The times the meeting point is open on ``weekday`` (Monday = 0); empty if closed or
    the text cannot be read."""
    try:
        lines = parse(text)
    except OpeningHoursError:
        return ()
    return tuple(span for line in lines if weekday in line.days for span in line.times)
