"""The screens visitors touch: start, check-in steps, number, today's offers, the board.

The check-in steps are htmx fragments swapped into one page; each also works
as a plain form post. State travels in hidden fields of the page, never in the
URL or in browser storage, so a return to the start forgets the visitor.
"""

from __future__ import annotations

import functools
import io
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from sqlalchemy import func, select

from intranet.plugin import (
    CheckIn,
    NewCheckIn,
    Offer,
    Purpose,
    area_info,
    create_checkin,
    current_locale,
    db,
    keyed_fragment,
    local_date,
    local_now,
    offers_today,
    public,
    purposes_on,
    recent_calls,
    setting,
    utcnow,
    waiting_before,
)

from . import _, domain, speech
from .board import board_calls
from .board import phrases as board_phrases
from .pairing import (
    current_kiosk,
    device_for_code,
    normalise_code,
    redeem,
    renew_cookie,
    set_cookie,
)

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static")

MAX_NAME = 40
CORE_LETTER = "C"
# The alphabet of ``secrets.token_urlsafe`` (the server makes 22 characters); anything
# else is no token at all, and never longer than the 64 characters ``CheckIn.token`` holds.
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


@bp.before_request
def shared_screen() -> None:
    """Kiosk and board are shared screens: they start in the default language, whatever
    the browser's own language setting says (see ``intranet.core.i18n.select_locale``)."""
    g.locale_from_browser = False


def locale() -> str:
    return current_locale()


@bp.app_template_global("kiosk_countdown_texts")
def countdown_texts(seconds: int) -> dict[int, str]:
    """The idle countdown's sentence for every second left, in the page's language (a real
    plural message each: "1 second", "5 секунд"); kiosk.js shows the one for the seconds
    left. The same on every screen, so worked out once per language and length."""
    return _countdown_texts(locale(), int(seconds))


@functools.lru_cache(maxsize=64)
def _countdown_texts(language: str, seconds: int) -> dict[int, str]:
    return {left: domain.ngettext("Otherwise we start again in %(num)s second.",
                                  "Otherwise we start again in %(num)s seconds.", left)
            for left in range(seconds + 1)}


def kiosk_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Check-ins only from a paired browser; others see a friendly explanation."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_kiosk() is None:
            template = "kiosk/_not_paired.html" if in_flow() else "kiosk/not_paired.html"
            return render_template(template), 403
        return view(*args, **kwargs)

    return wrapped


def in_flow() -> bool:
    """An htmx request that swaps only the check-in step (#flow), not the whole screen."""
    return request.headers.get("HX-Request") == "true" and \
        request.headers.get("HX-Target") == "flow"


def step(template: str, status: int = 200, **context: Any) -> Any:
    """A check-in step: the fragment for a swap of #flow, else the whole page."""
    if in_flow():
        return render_template(template, **context), status
    return render_template("kiosk/checkin.html", step_template=template, **context), status


def purposes() -> list[Purpose]:
    """Every purpose, marked as available or not today (with its next date)."""
    return purposes_on(locale())


def find_purpose(value: str) -> Purpose | None:
    """The purpose ``value`` (``plugin:key``) names, available today or not."""
    return next(iter(purposes_on(locale(), only=value)), None)


def choose_again(message: str | None = None, token: str = "") -> Any:
    """Back to the purposes, and why; the visitor's token stays, so the next tap counts once."""
    return step("kiosk/_purposes.html", 400, purposes=purposes(),
                flow={"token": token or secrets.token_urlsafe(16)},
                message=message or _("Please choose what you came for."))


def ticket_letter(purpose: Purpose) -> str:
    if purpose.ticket_letter:
        return purpose.ticket_letter
    info = area_info(purpose.plugin)
    return info.ticket_letter if info else CORE_LETTER


# The on-screen keyboard's layout (simple-keyboard-layouts) for each language: the
# visitor's own script, with a key to switch to Latin letters where that is another.
KEYBOARD_LAYOUTS = {"de": "german", "en": "english", "tr": "turkish", "ru": "russian",
                    "uk": "ukrainian", "ar": "arabic", "fa": "farsi", "fa_AF": "farsi",
                    "ps": "farsi", "ku": "turkish", "sq": "english", "bs": "english"}
LATIN_LAYOUT = "german"


def keyboard_layout(language: str) -> dict[str, str]:
    """The layout files of the first-name keyboard: the visitor's script and Latin."""
    own = KEYBOARD_LAYOUTS.get(language) or KEYBOARD_LAYOUTS.get(language.split("_")[0]) \
        or LATIN_LAYOUT
    return {"own": own, "latin": LATIN_LAYOUT}


def clean_name(value: str) -> str:
    """A first name as typed, without control characters and within bounds."""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:MAX_NAME]


def _flow(**extra: Any) -> dict[str, Any]:
    """The visitor's choices so far, read back from the posted hidden fields."""
    form = request.form
    token = form.get("token", "")
    flow = {
        "token": token if TOKEN.fullmatch(token) else "",
        "purpose": form.get("purpose", "")[:200],
        "first_name": clean_name(form.get("first_name", "")),
        "first_visit": form.get("first_visit", ""),
    }
    flow.update(extra)
    return flow


# -- start and pairing ---------------------------------------------------------

@bp.route("/")
@public
def start() -> Any:
    if request.args.get("reset"):
        # The next visitor starts in German with nothing of the last one; only the
        # form-protection token stays, so the screen's next form post is accepted.
        token = session.get("csrf_token")
        session.clear()
        if token:
            session["csrf_token"] = token
    if current_kiosk() is None:
        return render_template("kiosk/not_paired.html"), 403
    response = make_response(render_template("kiosk/start.html", now=local_now()))
    return renew_cookie(response)


@bp.route("/pair", methods=["GET", "POST"])
@public
def pair() -> Any:
    """The set-up page. A GET shows the form (``?code=`` fills it in); only the form's POST
    redeems the code, so no link opened by a crawler or a preview can use it up."""
    code = request.values.get("code", "")
    if request.method == "GET":
        return pair_link(code) if code else render_template("kiosk/pair.html")
    result = redeem(code)
    if result is None and current_kiosk() is not None:
        # A paired kiosk sent its old, used code again (a restart): just carry on.
        return current_app.redirect(url_for("kiosk.start", reset=1))
    if result is None:
        return render_template("kiosk/pair.html", failed=True), 400
    response = current_app.redirect(url_for("kiosk.start", reset=1))
    return set_cookie(response, *result)


@bp.route("/pair/<code>")
@public
def pair_link(code: str) -> Any:
    """The pairing link the admin was shown: the form with the code filled in, one tap to
    confirm. A used or expired code gets the friendly page at once."""
    if device_for_code(code) is None:
        if current_kiosk() is not None:
            # A paired kiosk restarted on its old, used pairing link: just carry on.
            return current_app.redirect(url_for("kiosk.start", reset=1))
        return render_template("kiosk/pair.html", failed=True), 400
    return render_template("kiosk/pair.html", code=normalise_code(code))


# -- check-in ------------------------------------------------------------------

@bp.route("/checkin")
@public
@kiosk_only
def checkin() -> Any:
    return step("kiosk/_purposes.html", flow={"token": secrets.token_urlsafe(16)},
                purposes=purposes())


@bp.route("/checkin/details", methods=["POST"])
@public
@kiosk_only
def details() -> Any:
    flow = _flow()
    chosen = find_purpose(flow["purpose"])
    # A stale screen may still offer a purpose that does not run now.
    if chosen is None or not chosen.available or not flow["token"]:
        return choose_again(not_today(chosen), flow["token"])
    return step("kiosk/_details.html", flow=flow, chosen=chosen,
                keyboard=keyboard_layout(locale()))


def not_today(purpose: Purpose | None) -> str | None:
    """Why a purpose that exists cannot be chosen now, in the visitor's words."""
    if purpose is None or purpose.available:
        return None
    if purpose.next_date:
        return _("%(purpose)s is not offered today. Next date: %(date)s.",
                 purpose=purpose.label, date=local_date(purpose.next_date, "MMMMEEEEd"))
    return _("%(purpose)s is not offered at the moment.", purpose=purpose.label)


@bp.route("/checkin/ticket", methods=["POST"])
@public
@kiosk_only
def ticket() -> Any:
    flow = _flow()
    existing = db.session.scalar(select(CheckIn).where(CheckIn.token == flow["token"])) \
        if flow["token"] else None
    if existing is not None:  # a resent request: the ticket it took already
        return step("kiosk/_number.html", checkin=existing, before=waiting_before(existing))
    chosen = find_purpose(flow["purpose"])
    if chosen is None or not chosen.available or not flow["token"]:
        return choose_again(not_today(chosen))
    device = current_kiosk()
    assert device is not None  # @kiosk_only turned unpaired browsers away
    if too_many_checkins(device.id):
        return step("kiosk/_busy.html", 429)
    visit = {"yes": True, "no": False}.get(flow["first_visit"])
    checkin_row = create_checkin(NewCheckIn(
        plugin=chosen.plugin, purpose=chosen.key, ticket_letter=ticket_letter(chosen),
        language=locale(), first_visit=visit, first_name=flow["first_name"] or None,
        kiosk_id=device.id, token=flow["token"]))
    return step("kiosk/_number.html", checkin=checkin_row, before=waiting_before(checkin_row))


def too_many_checkins(kiosk_id: int) -> bool:
    """More check-ins from this kiosk in the last minute than a queue of people can make."""
    limit = int(setting("KIOSK_CHECKINS_PER_MINUTE"))
    recent = db.session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.kiosk_id == kiosk_id,
                                             CheckIn.created_at >= utcnow() - timedelta(minutes=1))
    ) or 0
    return recent >= limit


# -- today's offers --------------------------------------------------------------

def todays_offers() -> list[dict[str, Any]]:
    """Today's offers of every enabled area, with "now" and "next" marks and a QR code."""
    now = local_now()
    offers = offers_today(locale())
    upcoming = [o for o in offers if not o.cancelled and o.start > now]
    rows = []
    for offer in offers:
        url = public_offer_url(offer.offer_id) if offer.offer_id else None
        rows.append({
            "offer": offer,
            "now": not offer.cancelled and offer.start <= now < offer.end,
            "next": bool(upcoming) and offer is upcoming[0],
            "past": offer.end <= now,
            "url": url,
            # An image of its own, cached by the screen: the list stays small (a QR code
            # weighs 2-3 KB) and a poll that brings a new list brings no QR codes again.
            "qr": url_for("kiosk.offer_qr_image", offer_id=offer.offer_id, lang=locale())
            if url else None,
        })
    return rows


@functools.lru_cache(maxsize=512)
def offer_qr(url: str) -> bytes:
    """The QR code of an offer's phone page as SVG. Made once per address and language
    (the address holds both): making one costs more than a whole list of offers."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue()


@bp.route("/offers/<int:offer_id>/qr-<lang>.svg")
@public
def offer_qr_image(offer_id: int, lang: str) -> Any:
    """The QR code leading to an offer's phone page in ``lang``; 404 for an offer that
    does not exist or a language code that is none. The same for a day: an offer keeps
    its address."""
    if not LANGUAGE_CODE.fullmatch(lang) or db.session.get(Offer, offer_id) is None:
        abort(404)
    url = public_url("main.offer_page", offer_id=offer_id, lang=lang)
    response = make_response(offer_qr(url))
    response.mimetype = "image/svg+xml"
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    return response


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address for a QR code or link: ``PUBLIC_BASE_URL`` when it is set,
    never the Host header the request happened to carry."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def public_offer_url(offer_id: int) -> str:
    """The offer's phone page in the visitor's language (the QR code keeps it)."""
    return public_url("main.offer_page", offer_id=offer_id, lang=locale())


@bp.route("/offers")
@public
def offers() -> Any:
    return render_template("kiosk/offers.html", rows=todays_offers(), now=local_now(),
                           paired=current_kiosk() is not None)


@bp.route("/offers/list")
@public
def offers_list() -> Any:
    """Polled every minute: a bodiless 304 while the list stays the same (decided
    before the list is rendered)."""
    rows, now = todays_offers(), local_now()
    key = (now.date(), [(row["offer"], row["now"], row["next"], row["past"], row["url"])
                        for row in rows])
    return keyed_fragment(key, lambda: render_template("kiosk/_offers_list.html", rows=rows,
                                                       now=now))


# -- call-up board -----------------------------------------------------------------

@bp.route("/board")
@public
def board() -> Any:
    return render_template("kiosk/board.html", calls=board_calls(), **speech_context())


@bp.route("/board/calls", endpoint="board_calls")
@public
def board_calls_fragment() -> Any:
    """Polled every second: a bodiless 304 while the calls stay the same (decided before
    the calls are rendered)."""
    calls, speaking = board_calls(), speech_context()
    return keyed_fragment((calls, speaking["speech"]),
                          lambda: render_template("kiosk/_calls.html", calls=calls, **speaking))


def speech_context() -> dict[str, Any]:
    """Whether this server speaks calls, and where each call's audio is."""
    if not (setting("KIOSK_BOARD_SPEECH") and speech.available()):
        return {"speech": False}
    return {"speech": True, "speech_url": lambda call: url_for(
        "kiosk.board_speech", checkin_id=call.id, stamp=call.stamp)}


@bp.route("/board/speech/<int:checkin_id>-<int:stamp>.wav")
@public
def board_speech(checkin_id: int, stamp: int) -> Any:
    """The call-out of a call that is on the board now (made once, then cached)."""
    call = next((c for c in recent_calls() if c.id == checkin_id), None)
    if call is None or call.called_at is None or int(call.called_at.timestamp()) != stamp:
        abort(404)
    if not setting("KIOSK_BOARD_SPEECH"):
        return "", 204
    path = speech.announcement(board_phrases(call))
    if path is None:
        return "", 204  # no voice here: the board's own chime and the screen must do
    return send_file(path, mimetype="audio/wav", max_age=3600)
