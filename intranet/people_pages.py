"""The register of pseudonymous people shared by the plugins (``/people``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")
