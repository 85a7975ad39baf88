"""Compressed responses (Flask-Compress): pages, fragments, scripts and styles travel
gzip- or deflate-compressed to every browser that accepts it.

A kiosk's first load shrinks to about a third (htmx: 52 KB, 17 KB compressed). Only
gzip and deflate are offered: both are in every Python, where brotli and zstd would need
extra packages. Static files are streamed and compressed with deflate; their conditional
requests are answered after compression (the ETag then carries the algorithm, e.g.
``"abc:deflate"``), so a revalidation still gets its 304. Fragments compare their ETag
themselves (:mod:`intranet.core.fragments`) and accept it with or without that suffix.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

ALGORITHMS = ["gzip", "deflate"]
STREAMING_ALGORITHMS = ["deflate"]  # Flask-Compress streams no gzip


def init_app(app: Flask) -> None:
    """Compress every response worth it. Call after all blueprints are registered (the
    static endpoints are read from them) and before any other ``after_request``
    handler, so that compression runs last."""
    app.config.setdefault("COMPRESS_ALGORITHM", ALGORITHMS)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", STREAMING_ALGORITHMS)
    app.config.setdefault("COMPRESS_STREAMING_ENDPOINT_CONDITIONAL", sorted(
        endpoint for endpoint in app.view_functions
        if endpoint == "static" or endpoint.endswith(".static")))
    Compress(app)
