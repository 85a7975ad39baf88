"""Offers and calendar for staff (``/offers``) and the public weekly programme.

Staff (blueprint ``offers``):

* ``/offers/`` — week or month calendar of every enabled area's offers, filtered by
  service area and room; htmx swaps just the calendar (``HX-Request``), plain links
  and the filter form work without JavaScript.
* ``/offers/list`` — every stored offer with search, filter, sorting, pages and a
  "translation missing" marker per language.
* ``/offers/<id>`` — one offer: texts per language, dates, cancellations, room clashes.
* ``/offers/new``, ``/offers/<id>/edit``, ``/offers/<id>/cancel`` (one date),
  ``/offers/<id>/end`` (the whole series) — need ``core.offers_edit``.

Public (blueprint ``programme``, no login): ``/programme`` (the week, phone-friendly),
``/programme/poster`` (an A4 poster of the week) and ``/programme.ics`` (the feed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from intranet.audit.log import audit
from intranet.auth.access import permission_required, public
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.gather import computed_offers, offer_areas
from intranet.core.i18n import (
    available_languages,
    current_locale,
    local_date,
    local_time,
    text_direction,
    translated_in,
)
from intranet.core.input_hygiene import parse_bounded_date
from intranet.core.pagination import paginate_list
from intranet.core.plugin_host import host
from intranet.core.redirects import safe_next
from intranet.core.site_settings import setting
from intranet.core.timeutil import local_today
from intranet.hooktypes import OfferView
from intranet.offers.forms import (
    AUDIENCE_LABELS,
    CORE_AREA,
    CancelDateForm,
    EndSeriesForm,
    offer_form,
    room_names,
    text_languages,
)
from intranet.offers.ics import build_calendar, offer_is_current
from intranet.offers.models import Offer, OfferCancellation
from intranet.offers.occurrences import all_offers, stored_offers
from intranet.offers.weeks import iso_week, monday_of, parse_week, this_monday

bp = Blueprint("offers", __name__, url_prefix="/offers")
public_bp = Blueprint("programme", __name__)

EDIT = "core.offers_edit"
PER_PAGE = 25
DATES_AHEAD_DAYS = 26 * 7
DATES_SHOWN = 12
CANCEL_CHOICES = 52
CONFLICT_HORIZON_DAYS = 2 * 366
CONFLICTS_SHOWN = 5
SORTS = ("title", "area", "first_date", "room")
ICS_WINDOW_PAST = 28
ICS_WINDOW_AHEAD = 182


# -- small helpers ---------------------------------------------------------------------

def can_edit() -> bool:
    return bool(current_user.is_authenticated and current_user.has_permission(EDIT))


def parse_day(value: str | None) -> date | None:
    """An ISO date from the query string; missing, wrong or absurd (year 9999) is ``None``."""
    return parse_bounded_date(value)


def area_title(name: str) -> str:
    if name == CORE_AREA:
        return _("Meeting point")
    info = host().info(name)
    return str(info.title) if info else name


def area_choices(keep: str = "") -> list[tuple[str, str]]:
    """The enabled service areas and the meeting point's own events."""
    choices = [(CORE_AREA, _("Meeting point (own events)"))]
    choices += [(info.name, str(info.title)) for info in host().service_areas()]
    if keep and keep not in {name for name, _label in choices}:
        choices.append((keep, area_title(keep)))
    return choices


def offer_end(offer: Offer) -> date | None:
    """The last possible date (``None``: a weekly offer without end)."""
    return offer.last_date if offer.weekly else offer.first_date


def translation_status(offer: Offer) -> list[tuple[str, str]]:
    """``(code, status)`` per text language: ``ok``, ``partial`` (description missing)
    or ``missing`` (no title)."""
    titles, descriptions = offer.titles or {}, offer.descriptions or {}
    result = []
    for code in text_languages():
        if not titles.get(code):
            status = "missing"
        elif descriptions.get("de") and not descriptions.get(code):
            status = "partial"
        else:
            status = "ok"
        result.append((code, status))
    return result


def room_conflicts(offer: Offer) -> list[tuple[Offer, date]]:
    """Other offers in the same room at overlapping times, with the first shared date.

    Cancelled dates of either offer are no clash. Open-ended series are compared
    over ``CONFLICT_HORIZON_DAYS`` from the later first date.
    """
    if not offer.room:
        return []
    others = db.session.scalars(
        select(Offer).where(Offer.room == offer.room, Offer.id != offer.id,
                            Offer.start_time < offer.end_time,
                            Offer.end_time > offer.start_time).order_by(Offer.first_date)
    ).all()
    conflicts = []
    mine_cancelled = offer.cancelled_dates
    for other in others:
        start = max(offer.first_date, other.first_date)
        ends = [end for end in (offer_end(offer), offer_end(other)) if end]
        end = min([*ends, start + timedelta(days=CONFLICT_HORIZON_DAYS)])
        if end < start:
            continue
        theirs = set(other.dates_between(start, end)) - other.cancelled_dates
        for day in offer.dates_between(start, end):
            if day in theirs and day not in mine_cancelled:
                conflicts.append((other, day))
                break
    return conflicts


def warn_about_conflicts(offer: Offer) -> None:
    conflicts = room_conflicts(offer)
    for other, day in conflicts[:CONFLICTS_SHOWN]:
        flash(_("Room %(room)s is also used by “%(title)s” on %(date)s, "
                "%(start)s–%(end)s. Please check whether both fit.",
                room=offer.room, title=other.title(current_locale()),
                date=local_date(day, "medium"), start=local_time(other.start_time),
                end=local_time(other.end_time)), "warning")
    if len(conflicts) > CONFLICTS_SHOWN:
        flash(_("%(count)d more offers use the same room at the same time.",
                count=len(conflicts) - CONFLICTS_SHOWN), "warning")


def upcoming_dates(offer: Offer, today: date) -> list[tuple[date, OfferCancellation | None]]:
    """The offer's next dates (at most twelve, within half a year) with their cancellation."""
    by_day = {c.day: c for c in offer.cancellations}
    start = max(today, offer.first_date)
    return [(day, by_day.get(day))
            for day in offer.dates_between(start, start + timedelta(days=DATES_AHEAD_DAYS))
            ][:DATES_SHOWN]


def back_to(default: str) -> str:
    """Where to go after a form: the ``next`` value if it is a path of this site."""
    return safe_next(request.values.get("next"), default)


def group_by_day(offers: Iterable[OfferView], days: Iterable[date]) -> list[tuple[date, list]]:
    found: dict[date, list[OfferView]] = defaultdict(list)
    for offer in offers:
        found[offer.start.date()].append(offer)
    return [(day, found.get(day, [])) for day in days]


# -- staff: calendar -------------------------------------------------------------------

@bp.route("/")
def calendar() -> Any:
    view = request.args.get("view", "week")
    if view not in ("week", "month"):
        view = "week"
    today = local_today()
    day = parse_day(request.args.get("date")) or today
    area = request.args.get("area", "")[:80]  # the columns' lengths: no longer value matches
    room = request.args.get("room", "")[:120]
    if view == "week":
        start = monday_of(day)
        end = start + timedelta(days=6)
        first_shown, last_shown = start, end
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
        year, week, _weekday = start.isocalendar()
        heading = _("Week %(week)d: %(start)s – %(end)s", week=week,
                    start=local_date(start, "MMMd"), end=local_date(end, "yMMMd"))
    else:
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        first_shown = monday_of(start)
        last_shown = monday_of(end) + timedelta(days=6)
        previous, following = (start - timedelta(days=1)).replace(day=1), end + timedelta(days=1)
        heading = local_date(start, "yMMMM")
    occurrences = all_offers(first_shown, last_shown, current_locale())
    rooms = room_names()
    rooms += sorted({o.room for o in occurrences if o.room and o.room not in rooms})
    shown = [o for o in occurrences
             if (not area or o.plugin == area) and (not room or o.room == room)]
    days = group_by_day(shown, (first_shown + timedelta(days=n)
                                for n in range((last_shown - first_shown).days + 1)))
    weeks = [days[n:n + 7] for n in range(0, len(days), 7)]

    def cal_url(**changes: Any) -> str:
        values: dict[str, Any] = {"view": view, "date": day.isoformat(), "area": area,
                                  "room": room}
        values.update({key: (value.isoformat() if isinstance(value, date) else value)
                       for key, value in changes.items()})
        return url_for("offers.calendar", **{k: v for k, v in values.items() if v})

    def item_url(offer: OfferView) -> str | None:
        if offer.offer_id is None:
            return None
        endpoint = "offers.edit" if can_edit() else "offers.detail"
        return url_for(endpoint, offer_id=offer.offer_id)

    context = dict(view=view, day=day, today=today, start=start, end=end, area=area,
                   room=room, heading=heading, weeks=weeks, days=days, shown=shown,
                   previous=previous, following=following, cal_url=cal_url,
                   item_url=item_url, areas=area_choices(), rooms=rooms,
                   can_edit=can_edit())
    htmx = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request")
    template = "offers/_calendar.html" if htmx else "offers/calendar.html"
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


# -- staff: list and one offer ---------------------------------------------------------

@bp.route("/list")
def list_offers() -> Any:
    loc = current_locale()
    today = local_today()
    query = (request.args.get("q") or "").strip()[:200]
    area = request.args.get("area", "")[:80]
    state = request.args.get("state", "current")
    sort = request.args.get("sort", "first_date")
    if sort.lstrip("-") not in SORTS:
        sort = "first_date"
    offers = list(db.session.scalars(select(Offer)))
    if query:
        needle = query.casefold()
        offers = [o for o in offers
                  if any(needle in (text or "").casefold()
                         for text in [*(o.titles or {}).values(), o.room])]
    if area:
        offers = [o for o in offers if o.service_area == area]
    if state == "current":
        offers = [o for o in offers if (offer_end(o) or today) >= today]
    elif state == "past":
        offers = [o for o in offers if (offer_end(o) or today) < today]
    keys = {
        "title": lambda o: o.title(loc).casefold(),
        "area": lambda o: (area_title(o.service_area).casefold(), o.title(loc).casefold()),
        "first_date": lambda o: (o.first_date, o.start_time),
        "room": lambda o: (o.room.casefold(), o.first_date),
    }
    offers.sort(key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    pagination = paginate_list(offers, per_page=PER_PAGE)

    def list_url(**changes: Any) -> str:
        values: dict[str, Any] = {"q": query, "area": area, "state": state, "sort": sort}
        values.update(changes)
        return url_for("offers.list_offers",
                       **{k: v for k, v in values.items() if v not in ("", None)})

    return render_template(
        "offers/list.html", offers=pagination.items, pagination=pagination,
        query=query, area=area, state=state,
        sort=sort, list_url=list_url, areas=area_choices(), area_title=area_title,
        translation_status=translation_status, can_edit=can_edit(), today=today)


@bp.route("/<int:offer_id>")
def detail(offer_id: int) -> Any:
    offer = db.get_or_404(Offer, offer_id)
    return render_template("offers/detail.html", **offer_context(offer))


def offer_context(offer: Offer) -> dict[str, Any]:
    today = local_today()
    return dict(offer=offer, today=today, area_title=area_title(offer.service_area),
                status=translation_status(offer), dates=upcoming_dates(offer, today),
                past_cancellations=sorted((c for c in offer.cancellations if c.day < today),
                                          key=lambda c: c.day, reverse=True),
                conflicts=room_conflicts(offer), can_edit=can_edit(),
                audience_label=AUDIENCE_LABELS.get(offer.audience, offer.audience),
                confirm=ActionForm(), text_dir=text_direction,
                ended=(offer_end(offer) or today) < today)


# -- staff: create, edit, cancel -------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new() -> Any:
    form = offer_form(area_choices(), room_names())
    if request.method == "GET":
        form.service_area.data = request.args.get("area") or CORE_AREA
        form.first_date.data = parse_day(request.args.get("date")) or local_today()
    if form.validate_on_submit():
        offer = Offer(titles={}, descriptions={})
        form.fill(offer)
        db.session.add(offer)
        db.session.flush()
        audit("offer_created", object_type="offer", object_id=offer.id)
        db.session.commit()
        flash(_("The offer “%(title)s” is saved.", title=offer.title(current_locale())), "success")
        warn_about_conflicts(offer)
        return redirect(url_for("offers.detail", offer_id=offer.id))
    return render_template("offers/form.html", form=form, offer=None,
                           status=None), 400 if form.errors else 200


@bp.route("/<int:offer_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(offer_id: int) -> Any:
    offer = db.get_or_404(Offer, offer_id)
    form = offer_form(area_choices(keep=offer.service_area), room_names(keep=offer.room))
    if request.method == "GET":
        form.load(offer)
    if form.validate_on_submit():
        form.fill(offer)
        audit("offer_changed", object_type="offer", object_id=offer.id)
        db.session.commit()
        flash(_("The offer “%(title)s” is saved.", title=offer.title(current_locale())), "success")
        warn_about_conflicts(offer)
        return redirect(url_for("offers.detail", offer_id=offer.id))
    context = offer_context(offer)
    context.update(form=form)
    return render_template("offers/form.html", **context), 400 if form.errors else 200


@bp.route("/<int:offer_id>/cancel", methods=["GET", "POST"])
@permission_required(EDIT)
def cancel_date(offer_id: int) -> Any:
    """Cancel one date (asks first): the date stays in the calendar, struck through."""
    offer = db.get_or_404(Offer, offer_id)
    today = local_today()
    cancelled = offer.cancelled_dates
    start = max(today, offer.first_date)
    days = [day for day in offer.dates_between(start, start + timedelta(days=366))
            if day not in cancelled][:CANCEL_CHOICES]
    wanted = parse_day(request.values.get("day"))
    if wanted and wanted not in days and wanted not in cancelled \
            and offer.dates_between(wanted, wanted):
        days = sorted([wanted, *days])
    form = CancelDateForm()
    form.setup(days, lambda day: local_date(day, "full"))
    if request.method == "GET" and wanted:
        form.day.data = wanted.isoformat()
    back = back_to(url_for("offers.detail", offer_id=offer.id))
    if not days:
        flash(_("This offer has no date left that could be cancelled."), "info")
        return redirect(back)
    if form.validate_on_submit():
        day = date.fromisoformat(form.day.data)
        offer.cancellations.append(OfferCancellation(day=day, reason=form.reason.data.strip()))
        audit("offer_date_cancelled", object_type="offer", object_id=offer.id,
              day=day.isoformat())
        db.session.commit()
        flash(_("“%(title)s” on %(date)s is cancelled.", title=offer.title(current_locale()),
                date=local_date(day, "full")), "success")
        return redirect(back)
    return render_template("offers/cancel_date.html", offer=offer, form=form, back=back,
                           area_title=area_title(offer.service_area)), \
        400 if form.errors else 200


@bp.route("/<int:offer_id>/cancel/<day>/undo", methods=["POST"])
@permission_required(EDIT)
def restore_date(offer_id: int, day: str) -> Any:
    """Take back a cancellation: the date takes place after all."""
    offer = db.get_or_404(Offer, offer_id)
    wanted = parse_day(day)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    kept = [c for c in offer.cancellations if c.day != wanted]
    if wanted is None or len(kept) == len(offer.cancellations):
        abort(404)
    offer.cancellations = kept
    audit("offer_date_restored", object_type="offer", object_id=offer.id, day=day)
    db.session.commit()
    flash(_("“%(title)s” takes place on %(date)s after all.", title=offer.title(current_locale()),
            date=local_date(wanted, "full")), "success")
    return redirect(back_to(url_for("offers.detail", offer_id=offer.id)))


@bp.route("/<int:offer_id>/end", methods=["GET", "POST"])
@permission_required(EDIT)
def end_series(offer_id: int) -> Any:
    """Cancel the whole offer (asks first).

    A weekly offer ends the day before the chosen date (or is deleted when no date
    of it would be left); a one-off in the future is deleted.
    """
    offer = db.get_or_404(Offer, offer_id)
    today = local_today()
    title = offer.title(current_locale())
    form = EndSeriesForm()
    if not offer.weekly:
        if offer.first_date < today:
            flash(_("This offer is over; it stays in the records."), "info")
            return redirect(url_for("offers.detail", offer_id=offer.id))
        confirm = ActionForm()
        if confirm.validate_on_submit():
            return delete_offer(offer, title)
        return render_template("offers/end_series.html", offer=offer, form=confirm,
                               area_title=area_title(offer.service_area))
    if request.method == "GET":
        start = max(today, offer.first_date)
        following = offer.dates_between(start, start + timedelta(days=366))
        form.from_day.data = following[0] if following else today
    if request.method == "POST" and form.check(offer):
        if form.apply(offer):
            return delete_offer(offer, title)
        assert offer.last_date is not None  # apply() just set it
        audit("offer_ended", object_type="offer", object_id=offer.id,
              last_date=offer.last_date.isoformat())
        db.session.commit()
        flash(_("“%(title)s” ends on %(date)s: no dates after that.", title=title,
                date=local_date(offer.last_date, "full")), "success")
        return redirect(url_for("offers.detail", offer_id=offer.id))
    return render_template("offers/end_series.html", offer=offer, form=form,
                           area_title=area_title(offer.service_area)), \
        400 if form.errors else 200


def delete_offer(offer: Offer, title: str) -> Any:
    audit("offer_deleted", object_type="offer", object_id=offer.id, title=title)
    db.session.delete(offer)
    db.session.commit()
    flash(_("“%(title)s” is cancelled and removed from the programme.", title=title),
          "success")
    return redirect(url_for("offers.calendar"))


# -- public: programme, poster, feed ---------------------------------------------------

def public_url(endpoint: str, **values: Any) -> str:
    """An address for phones and partners: ``PUBLIC_BASE_URL`` when set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def week_context(monday: date) -> dict[str, Any]:
    sunday = monday + timedelta(days=6)
    offers = all_offers(monday, sunday, current_locale())
    days = [(day, offers) for day, offers in
            group_by_day(offers, (monday + timedelta(days=n) for n in range(7))) if offers]
    return dict(monday=monday, sunday=sunday, days=days, today=local_today(),
                week=iso_week(monday), previous=iso_week(monday - timedelta(days=7)),
                following=iso_week(monday + timedelta(days=7)),
                this_week=iso_week(this_monday()), area_title=area_title,
                opening_hours=setting("OPENING_HOURS"))


@public_bp.route("/programme")
@public
def programme() -> Any:
    """The week's programme for visitors' phones, in the language of ``?lang=``."""
    monday = parse_week(request.args.get("week"))
    feed = public_url("programme.ics", lang=current_locale())
    webcal = "webcal://" + feed.split("://", 1)[1] if "://" in feed else feed
    return render_template("programme/programme.html", feed=feed, webcal=webcal,
                           **week_context(monday))


@public_bp.route("/programme/poster")
@public
def poster() -> Any:
    """An A4 poster of the week to print and hang up, in the chosen language."""
    monday = parse_week(request.args.get("week"))
    orientation = request.args.get("orientation", "portrait")
    if orientation not in ("landscape", "portrait"):
        orientation = "portrait"
    link = public_url("programme.programme", lang=current_locale())
    qr = segno.make(link, error="m").svg_data_uri(scale=4, border=1)
    context = week_context(monday)
    return render_template("programme/poster.html", orientation=orientation, link=link,
                           qr=qr, fit=poster_fit(context["days"], orientation), **context)


# Per orientation: day columns, printed lines a column holds at full type size, and the
# characters of a title line (measured on A4 in Chromium with the demo week).
_POSTER_LAYOUT = {"portrait": (2, 40.0, 24), "landscape": (4, 26.0, 17)}
# Type sizes of poster-fit-0 … poster-fit-3 (the factors in css/poster.css).
POSTER_SCALES = (1.0, 0.9, 0.8, 0.7)


def _day_lines(offers: list[OfferView], title_chars: int) -> float:
    """About how many printed lines one day of the poster takes at full type size."""
    lines = 2.5  # the day's heading and the gap after it
    for o in offers:
        facts = sum(map(bool, (o.room, o.languages, o.audience != "everyone",
                               o.childcare, o.registration_needed)))
        lines += 1.5 + -(-len(o.title) // title_chars) + (facts + 1) // 2
    return lines


def _fullest_column(heights: list[float], columns: int) -> float:
    """The tallest column when days (kept whole, in order) are balanced over ``columns``,
    as the browser's column balancing does."""

    def fits(limit: float) -> bool:
        used, filled = 1, 0.0
        for height in heights:
            if filled and filled + height > limit:
                used, filled = used + 1, 0.0
            filled += height
        return used <= columns

    tallest = max(heights, default=0.0)
    return min((limit for limit in sorted({sum(heights[i:j]) for i in range(len(heights))
                                           for j in range(i + 1, len(heights) + 1)})
                if limit >= tallest and fits(limit)), default=tallest)


def poster_fit(days: list[tuple[date, list[OfferView]]], orientation: str) -> int:
    """How small the poster's type must be for the week to fit one A4 sheet: 0 (full size)
    to 3, from an estimate of the printed lines of the fullest day column."""
    columns, capacity, title_chars = _POSTER_LAYOUT.get(orientation,
                                                        _POSTER_LAYOUT["portrait"])
    for level, scale in enumerate(POSTER_SCALES):
        # Smaller type fits more characters on a line and more lines in a column.
        heights = [_day_lines(offers, round(title_chars / scale)) for _day, offers in days]
        if _fullest_column(heights, columns) * scale <= capacity:
            return level
    return len(POSTER_SCALES) - 1


@public_bp.route("/programme.ics")
@public
def ics() -> Any:
    """The programme as an iCalendar feed to subscribe to (see :mod:`intranet.offers.ics`)."""
    wanted = request.args.get("lang", "")
    loc = wanted if wanted in available_languages() else current_app.config["DEFAULT_LOCALE"]
    with translated_in(loc):
        response = make_response(feed(loc))
    response.mimetype = "text/calendar"  # Werkzeug adds "; charset=utf-8" to text types
    response.headers["Content-Disposition"] = 'inline; filename="programme.ics"'
    response.cache_control.public = True
    response.cache_control.max_age = 900
    return response


def feed(loc: str) -> bytes:
    """The feed's bytes in language ``loc`` (not the session's: partners subscribe once)."""
    today = local_today()
    # The same two sources as every other page (all_offers): stored offers of the enabled
    # areas, here as whole series, and the occurrences plugins compute, one by one.
    stored = [offer for offer in stored_offers(offer_areas()) if offer_is_current(offer, today)]
    extra = computed_offers(today - timedelta(days=ICS_WINDOW_PAST),
                            today + timedelta(days=ICS_WINDOW_AHEAD), loc)
    base = current_app.config.get("PUBLIC_BASE_URL")
    domain = (urlsplit(base).hostname if base else None) or request.host.split(":")[0]
    site_name = str(setting("SITE_NAME"))
    lang = {} if loc == current_app.config["DEFAULT_LOCALE"] else {"lang": loc}
    calendar_data = build_calendar(
        stored, extra, locale=loc, timezone=current_app.config["DEFAULT_TIMEZONE"],
        site_name=site_name, uid_domain=domain, area_title=area_title,
        offer_url=lambda offer_id: public_url("main.offer_page", offer_id=offer_id, **lang),
        name=_("%(site)s: programme", site=site_name))
    return calendar_data.to_ical()


@bp.app_template_filter("offer_weekday")
def offer_weekday(value: date | datetime) -> str:
    """The weekday's name in the current language (``Dienstag``, ``الثلاثاء``)."""
    return local_date(value, "EEEE")


__all__ = ["bp", "public_bp"]
