"""The staff live queue: today's check-ins, polled every two seconds, with their actions.

The area filter travels with every request (the controls form is included in each poll
and each button) and is kept in the session on a POST; the room a colleague calls to is
kept on their account, so it is there again on the next day and on another computer. The
room must be one of the managed rooms: the call-up board shows nothing else.

Messages about an action (no room chosen, a ticket someone else took) go to a box outside
the polled list, by an out-of-band swap, and stay there until they are dismissed.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import (
    TransitionError,
    call_next,
    change_status,
    minutes_between,
    minutes_waiting,
    open_checkins,
    open_tickets,
    room_names,
)
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.fragments import fragment_response, keyed_fragment
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


def allowed_areas() -> set[str]:
    return {info.name for info in visible_areas()} | {CORE_NAME}


def my_room() -> str:
    """The room this colleague calls to, if it is still one of the managed rooms."""
    room = current_user.queue_room or ""
    return room if room in room_names() else ""


def _chosen() -> tuple[str, str]:
    """Area and room of this request: as sent along, else as kept."""
    area = request.values.get("area", session.get("queue_area", ""))
    room = request.values.get("room", my_room())
    return area, room


def _remember(area: str, room: str) -> None:
    """Keep the area for this session and the room on the account (POST requests only)."""
    session["queue_area"] = area if area in allowed_areas() else ""
    room = room if room in room_names() else ""
    if current_user.queue_room != (room or None):
        current_user.queue_room = room or None
        db.session.commit()


def chosen_areas(area: str) -> set[str]:
    allowed = allowed_areas()
    return {area} & allowed if area else allowed


def purposes_by_key() -> dict[tuple[str, str], Purpose]:
    return {(p.plugin, p.key): p for p in host().collect(
        "kiosk_purposes", Purpose, locale=current_locale())}


def render_queue(message: str = "", status: int = 200) -> Any:
    """The list, sent only when it changed (304 to a poll that has it already); an
    action's message travels along out of band, into the box above the list.

    Whether it changed is decided from one plain query of the tickets' columns, before
    any ticket is loaded, any plugin asked or anything rendered: polled every two
    seconds by every open staff screen, an unchanged list must cost little.
    """
    area, room = _chosen()
    plugins = chosen_areas(area)
    now = utcnow()
    user = current_user._get_current_object()

    def render() -> str:
        tickets = open_checkins(plugins=plugins)
        purposes = purposes_by_key()
        rows = [{
            "ticket": ticket,
            "purpose": purposes.get((ticket.plugin, ticket.purpose)),
            "area": host().info(ticket.plugin),
            "minutes": minutes_waiting(ticket, now),
            # Asked of the ticket's own plugin only: another area has nothing to say.
            "links": [item for item in host().collect(
                "queue_actions", NavItem, only=ticket.plugin, checkin=ticket, user=user)
                if user.has_permission(item.permission)
                and item.endpoint in current_app.view_functions],
        } for ticket in tickets]
        waiting = sum(1 for ticket in tickets if ticket.status == CheckInStatus.WAITING)
        return render_template("queue/_list.html", rows=rows, message=message, room=room,
                               waiting=waiting)

    if message or status != 200:
        return fragment_response(render(), status)
    shown = db.session.execute(open_tickets(
        select(CheckIn.id, CheckIn.ticket, CheckIn.status, CheckIn.urgent, CheckIn.plugin,
               CheckIn.purpose, CheckIn.first_name, CheckIn.language, CheckIn.first_visit,
               CheckIn.room, CheckIn.person_id, CheckIn.created_at, CheckIn.called_at,
               CheckIn.started_at), plugins=plugins)).all()
    # Everything the list shows: the tickets (with their minutes of waiting), the room
    # and area chosen, who looks (rights decide the buttons), which plugins are on.
    tickets = [(*row[:11], minutes_between(row.created_at, row.called_at or row.started_at,
                                           now)) for row in shown]
    return keyed_fragment((area, room, user.id, user.is_admin, str(user.role),
                           sorted(user.permissions), sorted(host().disabled_names()),
                           tickets), render)


@bp.route("/")
def live() -> Any:
    """The queue list (an htmx fragment, polled by the start page)."""
    return render_queue()


def room_problem(room: str) -> str | None:
    if not room:
        return _("Choose the room you are calling to first.")
    if room not in room_names():
        return _("“%(room)s” is not one of the rooms. Please choose a room from the list.",
                 room=room[:120])
    return None


@bp.route("/choose", methods=["POST"])
def choose() -> Any:
    """The queue controls changed: keep area and room, answer with the list."""
    area, room = request.form.get("area", ""), request.form.get("room", "")
    _remember(area, room)
    return render_queue(room_problem(room) or "" if room else "")


@bp.route("/next", methods=["POST"])
def next_ticket() -> Any:
    """Call the longest-waiting ticket of the areas in the filter (urgent ones first)."""
    area, room = _chosen()
    if problem := room_problem(room):
        return render_queue(problem)
    _remember(area, room)
    called = call_next(chosen_areas(area), room, current_user.id)
    if called is None:
        return render_queue(_("Nobody is waiting in the areas you chose."))
    return render_queue(_("%(ticket)s is called to %(room)s.", ticket=called.ticket,
                          room=room))


def own_ticket(checkin_id: int) -> CheckIn:
    checkin = db.get_or_404(CheckIn, checkin_id)
    if checkin.plugin not in allowed_areas():
        abort(404)  # a ticket of an area this user does not see
    return checkin


@bp.route("/<int:checkin_id>/<action>", methods=["POST"])
def act(checkin_id: int, action: str) -> Any:
    if action not in ACTIONS:
        abort(404)
    checkin = own_ticket(checkin_id)
    area, room = _chosen()
    if action == "call" and (problem := room_problem(room)):
        return render_queue(problem)
    _remember(area, room)
    try:
        change_status(checkin, ACTIONS[action], staff_id=current_user.id,
                      room=room if action == "call" else None)
    except TransitionError:
        db.session.rollback()
        return render_queue(_("%(ticket)s has changed in the meantime; nothing was done.",
                              ticket=checkin.ticket))
    return render_queue()


@bp.route("/<int:checkin_id>/urgent", methods=["POST"])
def urgent(checkin_id: int) -> Any:
    """Mark a ticket as urgent (it is called first in its area), or back to normal."""
    checkin = own_ticket(checkin_id)
    if checkin.status != CheckInStatus.WAITING:
        return render_queue(_("%(ticket)s has changed in the meantime; nothing was done.",
                              ticket=checkin.ticket))
    checkin.urgent = not checkin.urgent
    db.session.commit()
    return render_queue()


@bp.route("/<int:checkin_id>/move", methods=["GET", "POST"])
def move(checkin_id: int) -> Any:
    """Send a ticket to another service area (or purpose); it keeps its number, so the
    visitor notices nothing but being called from there."""
    checkin = own_ticket(checkin_id)
    allowed = allowed_areas()
    targets = [p for p in purposes_by_key().values()
               if p.plugin in allowed and (p.plugin, p.key) != (checkin.plugin, checkin.purpose)]
    form = ActionForm()
    if checkin.status not in (CheckInStatus.WAITING, CheckInStatus.CALLED):
        flash(_("%(ticket)s has changed in the meantime; nothing was done.",
                ticket=checkin.ticket), "error")
        return redirect(url_for("main.index"))
    if request.method == "POST":
        wanted = request.form.get("purpose", "")
        target = next((p for p in targets if f"{p.plugin}:{p.key}" == wanted), None)
        if not form.validate_on_submit():
            abort(400)
        if target is None:
            return render_template("queue/move.html", checkin=checkin, targets=targets,
                                   form=form, error=_("Please choose where the visitor "
                                                      "should go.")), 400
        checkin.plugin, checkin.purpose = target.plugin, target.key
        checkin.status, checkin.room, checkin.called_at = CheckInStatus.WAITING, None, None
        db.session.commit()
        flash(_("%(ticket)s now waits for %(purpose)s.", ticket=checkin.ticket,
                purpose=target.label), "success")
        return redirect(url_for("main.index"))
    return render_template("queue/move.html", checkin=checkin, targets=targets, form=form,
                           error=None)


@bp.app_context_processor
def queue_context() -> dict[str, Any]:
    return {"queue_rooms": room_names, "queue_room": my_room if
            current_user.is_authenticated else str,
            "queue_areas": visible_areas if current_user.is_authenticated else list}
