"""The call-up board through the test client: each call in German and in the visitor's
language, the fragment sent only when it changed, and the spoken call-outs made offline
and kept as files."""

from __future__ import annotations

import re
import secrets
import shutil
import wave
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from intranet.plugin import CheckIn, CheckInStatus, Room, change_status, db
from kiosk.testing import pair

HX = {"HX-Request": "true", "HX-Target": "flow"}
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is installed by `make test`")


def ticket_in(app, lang, purpose="consultations:walk_in"):
    screen = pair(app, f"Eingang {secrets.token_hex(3)}", lang)
    page = screen.post("/kiosk/checkin/ticket", headers=HX, data={
        "token": secrets.token_urlsafe(16), "purpose": purpose, "first_name": "",
        "first_visit": ""}).get_data(as_text=True)
    return re.search(r'id="kiosk-ticket"><bdi>([^<]+)</bdi>', page).group(1)


def call(app, ticket, room):
    """Call the ticket to ``room``; its id and when it was called."""
    with app.app_context():
        row = db.session.scalar(select(CheckIn).filter_by(ticket=ticket))
        change_status(row, CheckInStatus.CALLED, room=room)
        return SimpleNamespace(id=row.id, called_at=row.called_at)


@pytest.fixture
def rooms(app):
    with app.app_context():
        db.session.add_all([
            Room(name="Beratungsraum", position=1,
                 translations={"ar": "غرفة الاستشارة", "tr": "Danışma odası"}),
            Room(name="Büro", position=2)])
        db.session.commit()


def lines_of(page: str) -> list[tuple[str, str]]:
    return [(lang, room.strip()) for lang, room in re.findall(
        r'class="board-room" lang="([^"]+)" dir="[a-z]+">([^<]+)<', page)]


def test_each_call_in_german_and_in_the_visitors_language(app, rooms):
    arabic = ticket_in(app, "ar")
    turkish = ticket_in(app, "tr")
    german = ticket_in(app, "de")
    call(app, arabic, "Beratungsraum")
    call(app, turkish, "Büro")  # no Turkish name for the office: shown once, in German
    call(app, german, "Beratungsraum")
    page = app.test_client().get("/kiosk/board/calls").get_data(as_text=True)
    assert lines_of(page) == [("de", "Beratungsraum"), ("de", "Büro"),
                              ("de", "Beratungsraum"), ("ar", "غرفة الاستشارة")]
    assert re.findall(r'class="board-room" lang="ar" dir="([a-z]+)"', page) == ["rtl"]


def test_the_calls_are_sent_only_when_they_changed(app, rooms):
    client = app.test_client()
    first = client.get("/kiosk/board/calls")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    again = client.get("/kiosk/board/calls", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    call(app, ticket_in(app, "de"), "Büro")
    changed = client.get("/kiosk/board/calls", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Büro" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    board = client.get("/kiosk/board").get_data(as_text=True)
    assert 'data-poll-etag=""' in board and re.search(r"js/poll\.[0-9a-f]{10}\.js", board)


@needs_espeak
def test_a_call_is_spoken_in_the_visitors_language_and_kept_as_a_file(app, rooms):
    ticket = ticket_in(app, "ar")
    row = call(app, ticket, "Beratungsraum")
    client = app.test_client()
    page = client.get("/kiosk/board/calls").get_data(as_text=True)
    url = re.search(r'data-speech="([^"]+)"', page).group(1)
    assert url == f"/kiosk/board/speech/{row.id}-{int(row.called_at.timestamp())}.wav"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "audio/wav"
    assert first.get_data()[:4] == b"RIFF"
    cached = list((Path(app.instance_path) / "speech").glob("*.wav"))
    assert len(cached) == 1
    with wave.open(str(cached[0])) as audio:  # chime + Arabic + German: several seconds
        assert audio.getnframes() / audio.getframerate() > 3
    made = cached[0].stat().st_mtime_ns
    assert client.get(url).get_data() == first.get_data()
    assert cached[0].stat().st_mtime_ns == made  # said once, then served from the file
    # Only calls on the board now are spoken; anything else is not found.
    assert client.get(f"/kiosk/board/speech/{row.id}-1.wav").status_code == 404
    assert client.get("/kiosk/board/speech/99999-1.wav").status_code == 404


@needs_espeak
def test_the_phrases_say_number_and_room_in_both_languages(app, rooms):
    from kiosk.board import phrases

    row = call(app, ticket_in(app, "ar"), "Beratungsraum")
    with app.test_request_context():
        said = phrases(db.session.get(CheckIn, row.id))
    assert [p.language for p in said] == ["ar", "de"]
    assert "غرفة الاستشارة" in said[0].text and "B 1" in said[0].text
    assert said[1].text == "Nummer B 1, bitte in den Raum Beratungsraum."


def test_a_board_can_be_silent_by_setting(make_app, rooms, app):
    quiet = make_app(KIOSK_BOARD_SPEECH=False)
    call(quiet, ticket_in(quiet, "de"), "Büro")
    page = quiet.test_client().get("/kiosk/board").get_data(as_text=True)
    assert "data-speech=\"off\"" in page and "/kiosk/board/speech/" not in page
