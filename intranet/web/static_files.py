"""Static files under names that carry their content's fingerprint, cached for a year.

``url_for("static", filename="css/app.css")`` (and every blueprint's ``*.static``) gives
``/static/css/app.3f9a1c2b7d.css``: the first ten hex digits of the file's BLAKE2
hash before the extension. A request for such a name is served as the file itself with
``Cache-Control: public, max-age=31536000, immutable``, so a kiosk or a staff browser
asks for it once and never revalidates it; a changed file gets a new name, so nobody
keeps an old one. Plain names (what a stylesheet's ``url(...)`` points at) are still
served, revalidated on every use as before.

Fingerprints are worked out once per file and kept while its size and modification
time stay the same (one ``stat`` per ``url_for``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, make_response, request
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

# ``name.<hash>.ext``, or ``name.<hash>`` for a file without extension.
FINGERPRINTED = re.compile(r"^(?P<stem>.+?)\.(?P<hash>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)?$")
YEAR_SECONDS = 365 * 24 * 3600
_known: dict[str, tuple[int, int, str]] = {}


def fingerprint(path: str) -> str | None:
    """The ten-digit fingerprint of the file at ``path`` (None when there is no file).

    A stylesheet's includes the fingerprints of the files its ``url(...)`` points at, so
    it gets a new name when a font it loads changes.
    """
    try:
        status = os.stat(path)
    except OSError:
        return None
    known = _known.get(path)
    if known is not None and known[:2] == (status.st_mtime_ns, status.st_size):
        return known[2]
    if path.endswith(".css"):
        content = stylesheet(path)
    else:
        with open(path, "rb") as handle:
            content = handle.read()
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()[:10]
    _known[path] = (status.st_mtime_ns, status.st_size, digest)
    return digest


CSS_URL = re.compile(r"""url\((["']?)([^"')]+)\1\)""")


def stylesheet(path: str) -> bytes:
    """A stylesheet as served: each relative ``url(...)`` to a file beside it points at
    that file's fingerprinted name, so fonts are cached for a year too."""
    text = Path(path).read_text(encoding="utf-8")

    def fingerprinted(found: re.Match[str]) -> str:
        quote, target = found.group(1), found.group(2)
        if ":" in target or target.startswith(("/", "#")):
            return found.group(0)  # data:, other hosts and absolute paths stay as they are
        digest = fingerprint(os.path.normpath(os.path.join(os.path.dirname(path), target)))
        if digest is None:
            return found.group(0)
        return f"url({quote}{fingerprinted_name(target, digest)}{quote})"

    return CSS_URL.sub(fingerprinted, text).encode("utf-8")


def fingerprinted_name(filename: str, digest: str) -> str:
    """``css/app.css`` → ``css/app.<digest>.css`` (a name without extension gets a suffix)."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return f"{filename}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def init_app(app: Flask) -> None:
    """Fingerprint every static endpoint's URLs and serve them immutable (call after all
    blueprints are registered)."""
    folders = _static_folders(app)
    for endpoint in folders:
        app.view_functions[endpoint] = _serving(app.view_functions[endpoint], folders[endpoint])

    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        folder = folders.get(endpoint)
        filename = values.get("filename")
        if folder is None or not isinstance(filename, str):
            return
        digest = fingerprint(os.path.join(folder, filename))
        if digest is not None:
            values["filename"] = fingerprinted_name(filename, digest)

    app.url_defaults(add_fingerprint)


def _static_folders(app: Flask) -> dict[str, str]:
    folders = {}
    if app.static_folder and "static" in app.view_functions:
        folders["static"] = app.static_folder
    for name, blueprint in app.blueprints.items():
        endpoint = f"{name}.static"
        if blueprint.static_folder and endpoint in app.view_functions:
            folders[endpoint] = blueprint.static_folder
    return folders


def _serving(view: Callable[..., Any], folder: str) -> Callable[..., Response]:
    def serve(filename: str) -> Response:
        found = FINGERPRINTED.match(filename)
        if found is not None:
            plain = _plain(found)
            if fingerprint(str(Path(folder) / plain)) == found.group("hash"):
                response = _stylesheet_or(view, folder, plain)
                response.cache_control.public = True
                response.cache_control.max_age = YEAR_SECONDS
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
                return response
        try:
            return _stylesheet_or(view, folder, filename)
        except NotFound:
            if found is None:
                raise
            # An old page asking for an earlier version: the current file, revalidated.
            return _stylesheet_or(view, folder, _plain(found))

    return functools.wraps(view)(serve)  # keeps its name and marks (public)


def _stylesheet_or(view: Callable[..., Any], folder: str, filename: str) -> Response:
    """A stylesheet with its references fingerprinted (:func:`stylesheet`), any other
    file as the static view serves it."""
    path = safe_join(folder, filename)
    if not filename.endswith(".css") or path is None or not os.path.isfile(path):
        return view(filename=filename)
    response = make_response(stylesheet(path))
    response.mimetype = "text/css"
    response.set_etag(fingerprint(path) or "")
    response.cache_control.no_cache = True
    response.make_conditional(request)
    return response


def _plain(found: re.Match[str]) -> str:
    return found.group("stem") + (found.group("suffix") or "")
