"""What the call-up board shows and says: each call in German and in the visitor's language.

A call carries the language the visitor chose at check-in; its room is named in that
language where an admin translated the room's name, and the spoken call-out says the
number and room in that language, then in German.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from intranet.plugin import (
    CheckIn,
    Room,
    db,
    forget_when_committed,
    language_name,
    recent_calls,
    remembered,
    text_direction,
    translated_in,
)

from . import domain
from .speech import Phrase


@dataclass(frozen=True)
class CallLine:
    """One line of a call: the room's name in one language."""

    language: str
    direction: str
    room: str


@dataclass(frozen=True)
class BoardCall:
    id: int
    stamp: int
    ticket: str
    plugin: str
    lines: list[CallLine] = field(default_factory=list)
    language_name: str = ""


@dataclass(frozen=True)
class RoomNames:
    """A room's name and its names in other languages (see ``Room.name_in``)."""

    name: str
    translations: dict[str, str]

    def name_in(self, locale: str) -> str:
        return Room.translated(self.name, self.translations, locale)


# Every room's names, kept a moment (the board asks every second) and forgotten once a
# change of a room is committed here.
ROOMS = "kiosk_board_rooms"
forget_when_committed((Room,), ROOMS)


def rooms_by_name() -> dict[str, RoomNames]:
    return remembered(ROOMS, lambda: {
        room.name: RoomNames(room.name, dict(room.translations or {}))
        for room in db.session.scalars(select(Room))})


def board_calls(limit: int = 8) -> list[BoardCall]:
    """The latest calls, newest first, each with its German line and, for a visitor who
    chose another language, a second line in that language."""
    default = current_app.config["DEFAULT_LOCALE"]
    rooms = rooms_by_name()
    calls = []
    for checkin in recent_calls(limit=limit):
        lines = [CallLine(default, text_direction(default), room_name(checkin, default, rooms))]
        language = checkin.language or default
        own = room_name(checkin, language, rooms)
        if language != default and own != lines[0].room:  # an untranslated name once only
            lines.append(CallLine(language, text_direction(language), own))
        assert checkin.called_at is not None  # recent_calls holds called tickets only
        calls.append(BoardCall(
            id=checkin.id, stamp=int(checkin.called_at.timestamp()), ticket=checkin.ticket,
            plugin=checkin.plugin, lines=lines,
            language_name=language_name(language) if language != default else ""))
    return calls


def room_name(checkin: CheckIn, language: str, rooms: dict[str, RoomNames]) -> str:
    room = rooms.get(checkin.room or "")
    return room.name_in(language) if room else (checkin.room or "")


def spoken_ticket(ticket: str) -> str:
    """"B-17" read as letter and number, not as "B minus 17"."""
    return ticket.replace("-", " ")


def phrases(checkin: CheckIn) -> list[Phrase]:
    """The call-out: in the visitor's language first, then in German."""
    default = current_app.config["DEFAULT_LOCALE"]
    rooms = rooms_by_name()
    languages = [checkin.language or default]
    if languages[0] != default:
        languages.append(default)
    said = []
    for language in languages:
        with translated_in(language):
            text = domain.gettext("Number %(ticket)s, please go to %(room)s.",
                                  ticket=spoken_ticket(checkin.ticket),
                                  room=room_name(checkin, language, rooms))
        said.append(Phrase(language, text))
    return said

