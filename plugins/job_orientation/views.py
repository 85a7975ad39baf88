"""The Berufsorientierung overview: kiosk tiles, what to bring and the next two weeks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

from intranet.plugin import OfferView, offer_views, permission_required

from . import NAME, _, kiosk_purposes, plugin_info

bp = Blueprint("job_orientation", __name__, template_folder="templates", static_folder="static")


@dataclass
class Week:
    """One calendar week of the area's offers, grouped by day (days without offers left out)."""

    title: str
    start: date
    end: date
    days: list[tuple[date, list[OfferView]]] = field(default_factory=list)


@bp.route("/")
@permission_required(f"{NAME}.view")
def overview() -> str:
    """The area at a glance: kiosk tiles, who speaks what, this week's and next week's dates."""
    locale = str(get_locale() or "de")
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    weeks = [week(_("This week"), monday, locale),
             week(_("Next week"), monday + timedelta(days=7), locale)]
    return render_template(
        f"{NAME}/overview.html", info=plugin_info(), purposes=kiosk_purposes(locale),
        today=today, weeks=weeks, spoken=spoken_languages(weeks), audiences=audience_labels(),
        language_name=language_name, bring=what_to_bring(),
    )


def what_to_bring() -> list[str]:
    """What makes application help quick: staff read it out or point at it."""
    return [
        _("CV, if there is one"),
        _("School and work certificates, with translations"),
        _("Letters from the job centre or the employment agency"),
        _("The job advert for the application"),
        _("Access to your own e-mail account"),
    ]


def week(title: str, monday: date, locale: str) -> Week:
    """The area's offers from ``monday`` to Sunday, cancelled dates included."""
    sunday = monday + timedelta(days=6)
    found = sorted(offer_views(NAME, monday, sunday, locale), key=lambda o: (o.start, o.title))
    result = Week(title, monday, sunday)
    for offer in found:
        if not result.days or result.days[-1][0] != offer.start.date():
            result.days.append((offer.start.date(), []))
        result.days[-1][1].append(offer)
    return result


def spoken_languages(weeks: list[Week]) -> list[str]:
    """Languages of the offers that take place, German first, then as they come."""
    codes = [code for w in weeks for _day, offers in w.days for offer in offers
             if not offer.cancelled for code in offer.languages]
    return sorted(dict.fromkeys(codes), key=lambda code: code != "de")


def local_today() -> date:
    # Offers follow the meeting point's wall clock, not the server's time zone.
    return datetime.now(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def audience_labels() -> dict[str, str]:
    """Who an offer is for; "everyone" needs no label."""
    return {"women": _("Women only"), "parents": _("For parents"),
            "youth": _("For young people"), "children": _("For children"),
            "seniors": _("For older people")}


def language_name(code: str) -> str:
    """A language in its own script (Türkçe, Русский, العربية), so visitors find theirs."""
    if code == "fa":
        return "فارسی / دری"  # Afghans read "Dari", Iranians "Farsi": same language
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
