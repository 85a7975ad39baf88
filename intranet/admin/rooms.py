"""Administration of the rooms: add, rename, reorder, deactivate.

The active rooms, in their order, are the rooms staff call visitors to (see
``intranet.checkins.numbering.room_names``); while there are none, the ``ROOMS`` setting is used.
"""

from __future__ import annotations

from typing import Any, cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import CursorResult, func, select, update
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from intranet.admin.views import bp
from intranet.audit.log import audit
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.i18n import available_languages, language_name, text_direction
from intranet.core.input_hygiene import one_line
from intranet.core.models import Room
from intranet.offers.models import Offer


class RoomForm(FlaskForm):
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=120)],
                       # one line: a room name is shown on the board and in the feed
                       filters=[lambda value: " ".join(one_line(part) for part in
                                                       value.splitlines()).strip()
                                if isinstance(value, str) else value])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


def ordered_rooms() -> list[Room]:
    return list(db.session.scalars(select(Room).order_by(Room.position, Room.id)))


def name_taken(name: str, except_id: int | None = None) -> bool:
    """Compared in Python: SQLite's ``lower()`` knows only ASCII, so "Ä" and "ä" would
    pass the check and then break the unique index."""
    wanted = name.casefold()
    return any(room.name.casefold() == wanted or room.name == name
               for room in ordered_rooms() if room.id != except_id)


def render_rooms(form: RoomForm | None = None, rename: RoomForm | None = None,
                 rename_id: int | None = None, status: int = 200) -> Any:
    return render_template(
        "admin/rooms.html", rooms=ordered_rooms(), form=form or RoomForm(formdata=None),
        rename=rename, rename_id=rename_id, move_form=MoveForm(), active_form=ActiveForm(),
        fallback=bool(not db.session.scalar(select(Room.id).where(Room.active.is_(True))))), \
        status


@bp.route("/rooms", methods=["GET", "POST"])
def rooms() -> Any:
    form = RoomForm()
    if request.method == "GET":
        return render_rooms()
    if form.validate_on_submit() and name_taken(form.name.data):
        form.name.errors.append(_("A room with this name exists already."))
    elif form.validate_on_submit():
        last = db.session.scalar(select(func.max(Room.position))) or 0
        room = Room(name=form.name.data, active=True, position=last + 1)
        db.session.add(room)
        db.session.flush()
        audit("room_created", object_type="room", object_id=room.id, name=room.name)
        db.session.commit()
        flash(_("%(name)s was added.", name=room.name), "success")
        return redirect(url_for("admin.rooms"))
    return render_rooms(form=form, status=400)


@bp.route("/rooms/<int:room_id>/rename", methods=["POST"])
def room_rename(room_id: int) -> Any:
    room = db.get_or_404(Room, room_id)
    form = RoomForm()
    if form.validate_on_submit() and name_taken(form.name.data, except_id=room.id):
        form.name.errors.append(_("A room with this name exists already."))
    elif form.validate_on_submit():
        old = room.name
        if old != form.name.data:
            room.name = form.name.data
            # Offers in the room move with its new name.
            moved = cast(CursorResult[Any], db.session.execute(
                update(Offer).where(Offer.room == old).values(room=room.name))).rowcount
            audit("room_renamed", object_type="room", object_id=room.id, old=old,
                  new=room.name, offers=moved)
            db.session.commit()
            flash(_("%(old)s is now called %(new)s.", old=old, new=room.name), "success")
        return redirect(url_for("admin.rooms"))
    return render_rooms(rename=form, rename_id=room.id, status=400)


@bp.route("/rooms/<int:room_id>/move", methods=["POST"])
def room_move(room_id: int) -> Any:
    room = db.get_or_404(Room, room_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    rooms = ordered_rooms()
    index = rooms.index(room)
    other = index - 1 if form.direction.data == "up" else index + 1
    if 0 <= other < len(rooms):
        rooms[index], rooms[other] = rooms[other], rooms[index]
        for position, each in enumerate(rooms, start=1):
            each.position = position
        audit("room_moved", object_type="room", object_id=room.id,
              direction=form.direction.data)
        db.session.commit()
    return redirect(url_for("admin.rooms") + f"#room-{room.id}")


@bp.route("/rooms/<int:room_id>/active", methods=["POST"])
def room_active(room_id: int) -> Any:
    room = db.get_or_404(Room, room_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    if room.active != active:
        room.active = active
        audit("room_reactivated" if active else "room_deactivated", object_type="room",
              object_id=room.id, name=room.name)
        db.session.commit()
        flash(_("%(name)s is offered again.", name=room.name) if active
              else _("%(name)s is no longer offered.", name=room.name), "success")
    return redirect(url_for("admin.rooms"))


def other_languages() -> list[str]:
    default = available_languages()[0]
    return [code for code in available_languages() if code != default]


@bp.route("/rooms/<int:room_id>/names", methods=["GET", "POST"])
def room_names(room_id: int) -> Any:
    """The room's name in the visitors' languages, for the board's second line and the
    spoken call-out; an empty field means the German name is shown."""
    room = db.get_or_404(Room, room_id)
    languages = other_languages()
    form = ActionForm()
    names = dict(room.translations or {})
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        for code in languages:
            value = " ".join(one_line(part) for part in
                             request.form.get(f"name-{code}", "").splitlines()).strip()
            if len(value) > 120:
                errors[code] = _("At most %(count)s characters, please.", count=120)
            names[code] = value
        if not errors:
            room.translations = {code: value for code, value in names.items() if value}
            audit("room_names_changed", object_type="room", object_id=room.id,
                  languages=sorted(room.translations))
            db.session.commit()
            flash(_("The names of %(room)s were saved.", room=room.name), "success")
            return redirect(url_for("admin.rooms") + f"#room-{room.id}")
    rows = [{"code": code, "name": language_name(code), "dir": text_direction(code),
             "value": names.get(code, ""), "error": errors.get(code)} for code in languages]
    return render_template("admin/room_names.html", room=room, rows=rows, form=form), \
        400 if errors else 200
