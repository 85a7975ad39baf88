"""Polled fragments sent only when they changed.

A screen that polls every second or two (the board, the staff queue) sends back the
ETag of the copy it shows (``static/js/poll.js`` adds ``If-None-Match``); when the fresh
copy is the same, the answer is a bodiless 304 and htmx leaves the screen alone.
"""

from __future__ import annotations

import hashlib

from flask import Response, make_response, request


def fragment_response(html: str, status: int = 200) -> Response:
    """``html`` with a strong ETag of its bytes, or 304 when the poller has it already."""
    body = html.encode()
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    if status == 200 and request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = make_response(body, status)
        response.mimetype = "text/html"
    response.set_etag(etag)
    # The poller keeps the ETag itself; a browser cache in between would only hide the 304.
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
