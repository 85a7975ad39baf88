"""Reports that show whether the meeting point is accepted and used (``/reports``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
