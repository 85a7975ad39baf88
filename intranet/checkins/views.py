"""The staff live queue: today's check-ins, polled every two seconds, with their actions.

The area filter and the room a colleague calls to travel with every request (the
controls form is included in each poll and each button); only a POST — choosing in the
controls, or a call — keeps them in the session, so opening a link never changes them.
The room must be one of the managed rooms: the call-up board shows nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import (
    TransitionError,
    change_status,
    minutes_waiting,
    open_checkins,
    room_names,
)
from intranet.core.extensions import db
from intranet.core.i18n import current_locale
from intranet.core.plugin_host import CORE_NAME, host
from intranet.core.timeutil import utcnow
from intranet.hooktypes import NavItem, Purpose

bp = Blueprint("queue", __name__, url_prefix="/queue")

ACTIONS = {
    "call": CheckInStatus.CALLED,
    "start": CheckInStatus.IN_PROGRESS,
    "done": CheckInStatus.DONE,
    "left": CheckInStatus.LEFT,
}


def visible_areas() -> list[Any]:
    """The service areas whose queue the current user may see (the core's café for everyone)."""
    return [info for info in host().service_areas()
            if current_user.has_permission(f"{info.name}.view")]


def _chosen() -> tuple[str, str]:
    """Area and room of this request: as sent along, else as kept in the session."""
    area = request.values.get("area", session.get("queue_area", ""))
    room = request.values.get("room", session.get("queue_room", ""))
    return area, room


def _remember(area: str, room: str) -> None:
    """Keep the choice for the next polls and visits (POST requests only)."""
    allowed = {info.name for info in visible_areas()}
    session["queue_area"] = area if area in allowed else ""
    session["queue_room"] = room if room in room_names() else ""


def render_queue(message: str = "") -> str:
    area, room = _chosen()
    allowed = {info.name for info in visible_areas()} | {CORE_NAME}
    chosen = {area} & allowed if area else allowed
    tickets = open_checkins(plugins=chosen)
    purposes = {(p.plugin, p.key): p for p in host().collect(
        "kiosk_purposes", Purpose, locale=current_locale())}
    now = utcnow()
    user = current_user._get_current_object()
    rows = [{
        "ticket": ticket,
        "purpose": purposes.get((ticket.plugin, ticket.purpose)),
        "area": host().info(ticket.plugin),
        "minutes": minutes_waiting(ticket, now),
        # Asked of the ticket's own plugin only: another area has nothing to say about it.
        "links": [item for item in host().collect("queue_actions", NavItem, only=ticket.plugin,
                                                  checkin=ticket, user=user)
                  if user.has_permission(item.permission)
                  and item.endpoint in current_app.view_functions],
    } for ticket in tickets]
    return render_template("queue/_list.html", rows=rows, message=message, room=room)


@bp.route("/")
def live() -> str:
    """The queue list (an htmx fragment, polled by the start page)."""
    return render_queue()


@bp.route("/choose", methods=["POST"])
def choose() -> str:
    """The queue controls changed: keep area and room, answer with the list."""
    area, room = request.form.get("area", ""), request.form.get("room", "")
    _remember(area, room)
    if room and room not in room_names():
        return render_queue(_("“%(room)s” is not one of the rooms. Please choose a room from "
                              "the list.", room=room[:120]))
    return render_queue()


@bp.route("/<int:checkin_id>/<action>", methods=["POST"])
def act(checkin_id: int, action: str) -> Any:
    if action not in ACTIONS:
        abort(404)
    checkin = db.get_or_404(CheckIn, checkin_id)
    allowed = {info.name for info in visible_areas()} | {CORE_NAME}
    if checkin.plugin not in allowed:
        abort(404)  # a ticket of an area this user does not see
    area, room = _chosen()
    if action == "call" and not room:
        return render_queue(_("Choose the room you are calling to first.")), 200
    if action == "call" and room not in room_names():
        return render_queue(_("“%(room)s” is not one of the rooms. Please choose a room from "
                              "the list.", room=room[:120])), 200
    _remember(area, room)
    try:
        change_status(checkin, ACTIONS[action], staff_id=current_user.id,
                      room=room if action == "call" else None)
    except TransitionError:
        db.session.rollback()
        return render_queue(_("%(ticket)s has changed in the meantime; nothing was done.",
                              ticket=checkin.ticket))
    return render_queue()


@bp.app_context_processor
def queue_context() -> dict[str, Any]:
    return {"queue_rooms": room_names,
            "queue_areas": visible_areas if current_user.is_authenticated else list}
