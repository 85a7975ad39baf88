"""Bad input stopped once, at the edges, for every page of the core and of every plugin.

* Query and form values lose NUL and the other C0 control characters (``\\t``, ``\\n``
  and ``\\r`` stay): PostgreSQL refuses NUL in text, spreadsheets and feeds choke on
  the rest, and no person types them. Uploaded files are dropped: no page takes one.
* ``<int:...>`` in any route stops at 2**31-1, so a number too large for the
  databases' ``INTEGER`` never reaches a query: the URL is simply not found (404).
  Plain ``<name>`` segments refuse control characters and more than 200 characters.
* Before each flush, text attributes are cleaned the same way and checked against
  their column's length, integers against the column's range: what does not fit is
  refused with a 400 (:class:`UnstorableInput`) and nothing of the request is written.
* :func:`sane_date` and :data:`DATE_RANGE` bound dates (years 1900 to 2100), which
  keeps date arithmetic such as "this date plus a week" from overflowing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask import Flask, Request
from sqlalchemy import BigInteger, Integer, String, event, inspect
from sqlalchemy.orm import Session
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter
from wtforms.validators import ValidationError

INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
SEGMENT_MAX = 200
MAX_PAGE = 100_000  # pages of a list: far more than any list here will ever have
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_RANGE = (date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31))

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(value: str) -> str:
    """``value`` without control characters other than tab and line breaks."""
    return _CONTROLS.sub("", value)


def one_line(value: str) -> str:
    """``value`` as one line: every control character (line breaks too) removed."""
    return _ALL_CONTROLS.sub("", value)


def sane_date(value: date | None) -> bool:
    """True for ``None`` or a date between :data:`DATE_RANGE`'s ends."""
    return value is None or DATE_RANGE[0] <= value <= DATE_RANGE[1]


def parse_bounded_date(value: str | None) -> date | None:
    """An ISO date from a query parameter, or ``None`` when it is missing, wrong or absurd."""
    if not value or len(value) > 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if sane_date(day) else None


def bounded_int(value: str | None, low: int = 1, high: int = MAX_PAGE) -> int | None:
    """A whole number from a query parameter within ``low..high``, else ``None``.

    ``isdigit`` alone is not enough: "²" is a digit to it, and ``int`` refuses strings
    of more than 4,300 digits.
    """
    if not value or len(value) > 12 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


class DateInRange:
    """Form validator: a date between 1900 and 2100, so "that day plus a week" never
    overflows and no typo such as 0202 or 20266 lands in the records."""

    field_flags = {"min": DATE_RANGE[0].isoformat(), "max": DATE_RANGE[1].isoformat()}

    def __call__(self, _form: Any, field: Any) -> None:
        if isinstance(field.data, date) and not sane_date(field.data):
            from flask_babel import gettext as _

            raise ValidationError(_("Enter a date between %(first)s and %(last)s.",
                                    first=MIN_YEAR, last=MAX_YEAR))


class UnstorableInput(BadRequest):
    """Input that does not fit its column: the request is refused, nothing is written."""

    description = "input_too_long"


# -- requests ------------------------------------------------------------------------

def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values (and names) with control characters removed on arrival."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        super().__init__([(_clean(key), _clean(value)) for key, value in _pairs(mapping)])


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return [(key, item) for key, value in mapping.items()
                for item in (value if isinstance(value, list | tuple) else [value])]
    return mapping


class CleanRequest(Request):
    """The app's request class: ``args``, ``form`` and ``values`` arrive cleaned, and
    uploaded files are dropped — no page takes one, and Flask-WTF would hand a file to a
    text field that then fails on ``.strip()``."""

    parameter_storage_class = CleanMultiDict

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["files"] = self.parameter_storage_class()


# -- URL converters --------------------------------------------------------------------

class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that stops at 2**31-1 (and twelve digits) unless a route says otherwise."""

    regex = r"\d{1,12}"

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=INT_MAX if max is None else max, signed=signed)


class CleanSegmentConverter(UnicodeConverter):
    """A plain path segment without control characters, at most 200 characters."""

    def __init__(self, map: Any, minlength: int = 1, maxlength: int | None = None,
                 length: int | None = None) -> None:
        super().__init__(map, minlength=minlength,
                         maxlength=SEGMENT_MAX if maxlength is None and length is None
                         else maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


# -- the database ------------------------------------------------------------------------

def _check_attributes(obj: Any) -> None:
    state = inspect(obj)
    mapper = state.mapper
    loaded = state.dict  # never triggers a load: expired attributes are simply absent
    for attr in mapper.column_attrs:
        if len(attr.columns) != 1 or attr.key not in loaded:
            continue
        column = attr.columns[0]
        value = loaded[attr.key]
        if isinstance(value, str) and isinstance(column.type, String):
            cleaned = clean_text(value)
            if cleaned != value:
                setattr(obj, attr.key, cleaned)
            length = column.type.length
            if length and len(cleaned) > length:
                raise UnstorableInput(f"{mapper.class_.__name__}.{attr.key}")
        elif isinstance(value, int) and not isinstance(value, bool) \
                and isinstance(column.type, Integer):
            limit = BIGINT_MAX if isinstance(column.type, BigInteger) else INT_MAX
            if not -limit - 1 <= value <= limit:
                raise UnstorableInput(f"{mapper.class_.__name__}.{attr.key}")


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        _check_attributes(obj)


def init_app(app: Flask) -> None:
    """Install the request class, the bounded converters and the flush check.

    Must run before any blueprint is registered: converters are bound when a
    route is added.
    """
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = CleanSegmentConverter
    app.url_map.converters["string"] = CleanSegmentConverter
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
