"""Lists in pages: one way to read ``?page=``, one way to cut a list, one pager macro.

Every list of the core and of the plugins pages the same way::

    pagination = paginate(select(Consultation).order_by(...), per_page=30)
    return render_template("...", pagination=pagination)

and shows ``{{ pager(pagination) }}`` from ``_pager.html``. A missing, wrong or absurd
``?page=`` (``abc``, ``-5``, a hundred digits) reads as page 1; a page past the end shows
the last page. Neither ever answers with an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.sql import Select

from intranet.core.extensions import db
from intranet.core.input_hygiene import bounded_int


def page_number() -> int:
    """The ``page`` query argument: 1 when missing, not a positive number or absurdly large."""
    return bounded_int(request.args.get("page")) or 1


def paginate(statement: Select[Any], per_page: int) -> Pagination:
    """The current page of ``statement`` (``db.paginate``; a page past the end: the last)."""
    pagination = db.paginate(statement, page=page_number(), per_page=per_page,
                             max_per_page=per_page, error_out=False)
    last = max(pagination.pages, 1)
    if pagination.page > last:
        pagination = db.paginate(statement, page=last, per_page=per_page,
                                 max_per_page=per_page, error_out=False)
    return pagination


class ListPagination(Pagination):
    """Pages of a list already in memory (sorted by something SQL cannot sort by, such as
    a title in the reader's language); the same object as ``db.paginate`` returns."""

    def _query_items(self) -> list[Any]:
        items: Sequence[Any] = self._query_args["items"]
        return list(items[self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(items: Sequence[Any], per_page: int) -> Pagination:
    """The current page of ``items`` (a page past the end: the last)."""
    pages = max(1, -(-len(items) // per_page))
    return ListPagination(page=min(page_number(), pages), per_page=per_page,
                          max_per_page=per_page, error_out=False, items=items)


def page_url(number: int) -> str:
    """This page's address with another page number, every other argument kept."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.pop("page", None)
    if number > 1:
        args["page"] = [str(number)]
    return url_for(request.endpoint or "main.index", **(request.view_args or {}), **args)
