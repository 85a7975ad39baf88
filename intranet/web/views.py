"""The staff start page, the week's offers and the health check."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from intranet import __version__
from intranet.auth.access import public
from intranet.core.database import database_answers
from intranet.core.extensions import db
from intranet.core.i18n import available_languages, current_locale
from intranet.core.plugin_host import host
from intranet.core.timeutil import local_today
from intranet.hooktypes import OfferView, Widget
from intranet.offers.models import Offer
from intranet.offers.occurrences import all_offers
from intranet.offers.weeks import monday_of

bp = Blueprint("main", __name__)

COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")
NAME = re.compile(r"[a-z][a-z0-9_]*")
NEXT_DATES_DAYS = 90
NEXT_DATES_SHOWN = 8


@bp.before_app_request
def remember_language() -> None:
    """``?lang=`` switches the language of this session only: a GET stores nothing in the
    database. The language a login starts in is chosen on the account page (a POST)."""
    wanted = request.args.get("lang")
    if wanted and wanted in available_languages():
        session["lang"] = wanted


def offers_between(start: date, end: date) -> list[OfferView]:
    """Every enabled area's offers in a date range (stored and computed), in time order."""
    return all_offers(start, end, current_locale())


@bp.route("/")
def index() -> Any:
    today = local_today()
    week_start = monday_of(today)
    user = current_user._get_current_object()
    widgets = [w for w in host().collect("dashboard_widgets", Widget, user=user, today=today)
               if user.has_permission(w.permission)]
    week = offers_between(week_start, week_start + timedelta(days=6))
    days = [(week_start + timedelta(days=n),
             [o for o in week if o.start.date() == week_start + timedelta(days=n)])
            for n in range(7)]
    return render_template("index.html", today=today, widgets=widgets, days=days,
                           areas=host().service_areas())


@bp.route("/healthz")
@public
def healthz() -> Any:
    """For monitoring: 200 when the database answers, 503 when it does not.

    Anonymous callers learn only that; the database, version and plugin states are for
    logged-in staff or every caller with ``HEALTHZ_DETAILS`` (an internal monitor).
    """
    database_ok = database_answers()
    body: dict[str, Any] = {"status": "ok" if database_ok else "error"}
    if current_user.is_authenticated or current_app.config.get("HEALTHZ_DETAILS"):
        body["database"] = "ok" if database_ok else "unreachable"
        body["version"] = __version__
        body["plugins"] = {r.name: ("failing" if host().failures_of(r.name) else
                                    "disabled" if not host().is_enabled(r.name) else "ok")
                           for r in host().plugins()}
    response = make_response(body, 200 if database_ok else 503)
    response.cache_control.no_store = True
    return response


@bp.route("/areas.css")
@public
def area_colours() -> Any:
    """Each service area's colour as a CSS class, so templates need no ``style=``."""
    lines = []
    for record in host().plugins():
        info = record.info
        if info and COLOUR.fullmatch(info.colour or "") and NAME.fullmatch(record.name):
            lines.append(f".area-{record.name} {{ --area-colour: {info.colour}; }}")
    response = make_response("\n".join(lines) + "\n")
    response.mimetype = "text/css"
    response.cache_control.max_age = 300
    return response


@bp.route("/favicon.ico")
@public
def favicon() -> Any:
    """Browsers ask for /favicon.ico whatever the page says; answer with the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/o/<int:offer_id>")
@public
def offer_page(offer_id: int) -> Any:
    """The public phone page of one offer (the kiosk's QR codes lead here): its next dates."""
    offer = db.get_or_404(Offer, offer_id)
    if not host().is_enabled(offer.service_area):
        abort(404)  # its area is switched off
    locale = current_locale()
    today = local_today()
    dates = [(day, day in offer.cancelled_dates)
             for day in offer.dates_between(today, today + timedelta(days=NEXT_DATES_DAYS))]
    return render_template("offer_public.html", offer=offer, locale=locale,
                           dates=dates[:NEXT_DATES_SHOWN], area=host().info(offer.service_area),
                           text_language=locale if offer.titles.get(locale) else "de")
