"""Polled fragments sent only when they changed.

A screen that polls every second or two (the board, the staff queue) sends back the
ETag of the copy it shows (``static/js/poll.js`` adds ``If-None-Match``); when the fresh
copy is the same, the answer is a bodiless 304 and htmx leaves the screen alone.

:func:`fragment_response` hashes the rendered bytes. :func:`keyed_fragment` hashes what
the fragment *shows* instead — the data a poll reads anyway, the language, the code's
version — and renders only when the poller's copy is out of date, so an unchanged poll
costs its queries and no template.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Response, current_app, make_response, request

from intranet.core.i18n import current_locale


def fragment_response(html: str, status: int = 200) -> Response:
    """``html`` with a strong ETag of its bytes, or 304 when the poller has it already."""
    body = html.encode()
    return _answer(hashlib.blake2b(body, digest_size=12).hexdigest(), lambda: body, status)


def keyed_fragment(key: Any, render: Callable[[], str]) -> Response:
    """The fragment ``render()`` makes, with an ETag made from ``key``: a 304 without
    rendering when the poller has that copy already.

    ``key`` must hold everything the template shows (plain values: numbers, text,
    dataclasses of them; who is signed in where the page depends on it), for the same
    key must always mean the same bytes; the current language and the code's version
    are added here.
    """
    material = repr((key, current_locale(), code_version(current_app.import_name)))
    etag = hashlib.blake2b(material.encode(), digest_size=12).hexdigest()
    return _answer(etag, lambda: render().encode(), 200)


def _answer(etag: str, body: Callable[[], bytes], status: int) -> Response:
    if status == 200 and _has_copy(etag):
        response = Response(status=304)
    else:
        response = make_response(body(), status)
        response.mimetype = "text/html"
    response.set_etag(etag)
    # The poller keeps the ETag itself; a browser cache in between would only hide the 304.
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _has_copy(etag: str) -> bool:
    """Does the poller hold this copy? Compression sends the ETag as ``"<etag>:gzip"``
    (:mod:`intranet.web.compression`); either form counts."""
    sent = request.if_none_match
    return sent.contains(etag) or any(tag.partition(":")[0] == etag for tag in sent.as_set())


@lru_cache(maxsize=4)
def code_version(_app_name: str) -> str:
    """The newest modification time of the templates and catalogs the app renders with:
    the same in every worker, and different after an update changed any of them."""
    return str(max((_newest(folder) for folder in _render_folders()), default=0))


def _render_folders() -> Iterable[str]:
    app = current_app
    loader_paths = getattr(app.jinja_loader, "searchpath", [])
    yield from loader_paths
    for blueprint in app.blueprints.values():
        if blueprint.template_folder and blueprint.root_path:
            yield os.path.join(blueprint.root_path, blueprint.template_folder)
    for root in {Path(app.root_path).parent / "translations",
                 *(Path(bp.root_path) / "translations" for bp in app.blueprints.values())}:
        yield str(root)


def _newest(folder: str) -> int:
    newest = 0
    for path, _dirs, files in os.walk(folder):
        for name in files:
            newest = max(newest, os.stat(os.path.join(path, name)).st_mtime_ns)
    return newest
