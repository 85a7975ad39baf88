"""Small helpers for the queries of one request: a filter that keeps a ``select``'s type,
and work remembered until the request ends (several boxes of a page asking the same)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import g, has_request_context
from sqlalchemy import Select

SelectT = TypeVar("SelectT", bound=Select)  # a filter returns the select it was given
T = TypeVar("T")


def per_request(name: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per request and ``key`` (outside a request: every time). For
    reads only: a page that changes what ``make`` reads must not ask again."""
    if not has_request_context():
        return make()
    known: dict[Any, Any] = g.setdefault(f"mittelpunkt_memo_{name}", {})
    if key not in known:
        known[key] = make()
    return known[key]
