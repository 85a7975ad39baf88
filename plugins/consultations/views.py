"""The Beratung overview: kiosk tiles, consultation topics and the next two weeks' hours."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale
from sqlalchemy import select

from intranet.plugin import db, permission_required, render_area_overview

from . import NAME, kiosk_purposes, plugin_info
from .models import Topic

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")


@bp.route("/")
@permission_required(f"{NAME}.view")
def overview() -> str:
    locale = str(get_locale())
    topics = db.session.scalars(
        select(Topic).where(Topic.active.is_(True)).order_by(Topic.position, Topic.key)
    ).all()
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(locale),
                                topics=[topic.label(locale) for topic in topics])
