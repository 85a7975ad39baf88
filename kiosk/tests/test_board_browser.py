"""The call-up board in real Chromium at every lobby screen size and in every kiosk
language: eight calls of visitors in seven languages, one to a room with a long name, all
whole on screen — nothing cut, nothing scrolled, every number in one piece."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from intranet.browser_testing import LOBBY_SIZES, LiveServer
from intranet.plugin import (
    CheckInStatus,
    NewCheckIn,
    Room,
    change_status,
    create_checkin,
    db,
)

LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")
LONG_ROOM = "Beratungsraum im Erdgeschoss, hinterer Flur links neben der Kinderecke"
VISITORS = (("ar", "Beratungsraum"), ("fa", LONG_ROOM), ("tr", "Kursraum 1"),
            ("ru", "Büro"), ("uk", "Café"), ("en", "Kursraum 2"), ("de", "Hof"),
            ("ar", LONG_ROOM))


def eight_calls() -> None:
    db.session.add(Room(name=LONG_ROOM, position=99, translations={
        "ar": "غرفة الاستشارة في الطابق الأرضي، الممر الخلفي على اليسار بجانب ركن الأطفال",
        "fa": "اتاق مشاوره در طبقهٔ همکف، راهروی پشتی سمت چپ کنار گوشهٔ کودکان"}))
    db.session.commit()
    for language, room in VISITORS:
        row = create_checkin(NewCheckIn(plugin="consultations", purpose="walk_in",
                                        ticket_letter="B", language=language))
        change_status(row, CheckInStatus.CALLED, room=room)


def layout(board: Page) -> dict[str, Any]:
    """Where the calls are, against the window: what is outside, what is cut or broken."""
    return board.evaluate("""() => {
      const w = window.innerWidth, h = window.innerHeight;
      const root = document.documentElement;
      const out = [];
      document.querySelectorAll(".board-call, .board-ticket, .board-room").forEach((el) => {
        const r = el.getBoundingClientRect();
        if (r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1) {
          out.push(el.className + " " + el.textContent.trim().slice(0, 30));
        }
        if (el.scrollWidth > el.clientWidth + 1) {
          out.push("cut: " + el.textContent.trim().slice(0, 30));
        }
      });
      const broken = [...document.querySelectorAll(".board-ticket")].filter((el) => {
        const lines = el.getClientRects().length;
        const size = parseFloat(getComputedStyle(el).fontSize);
        return lines > 1 || el.getBoundingClientRect().height > size * 1.8;
      }).map((el) => el.textContent.trim());
      const latest = document.querySelector(".board-call.is-latest .board-ticket");
      const older = document.querySelector(".board-call:not(.is-latest) .board-ticket");
      return {
        scroll: [root.scrollWidth > w, root.scrollHeight > h],
        out, broken, calls: document.querySelectorAll(".board-call").length,
        visitorLines: [...document.querySelectorAll(".board-room")].map((el) => el.lang),
        latestBigger: parseFloat(getComputedStyle(latest).fontSize) >
                      parseFloat(getComputedStyle(older).fontSize),
      };
    }""")


def test_eight_calls_fit_every_screen_in_every_language(
        open_page: Callable[..., Page], live_server: LiveServer,
        screenshot: Callable[[Page, str], Path]) -> None:
    live_server.query(eight_calls)
    problems = {}
    for size in LOBBY_SIZES:
        board = open_page("landscape", viewport=size)
        for language in LANGUAGES:
            board.goto(f"/kiosk/board?lang={language}")
            expect(board.locator(".board-call")).to_have_count(8)
            board.wait_for_function("document.fonts.status === 'loaded'")
            found = layout(board)
            name = f"{language}-{size['width']}x{size['height']}"
            if found["scroll"] != [False, False] or found["out"] or found["broken"] \
                    or not found["latestBigger"]:
                problems[name] = found
            # German first, then the visitor's own line where the room has a name in it.
            assert found["visitorLines"].count("ar") == 2 and "fa" in found["visitorLines"]
            if (language, size["width"]) in (("ar", 1080), ("de", 1920), ("fa", 1366),
                                              ("ar", 1280)):
                screenshot(board, f"board-{name}")
    assert not problems, problems
