"""Offers and calendar for staff (``/offers``) and the public weekly programme."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("offers", __name__, url_prefix="/offers")
public_bp = Blueprint("programme", __name__)
