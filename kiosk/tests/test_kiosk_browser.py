"""The lobby kiosk end to end, in real headless Chromium driven by Playwright.

A kiosk is paired through the admin pages, then tapped like a touch screen: check-in in
German and in Arabic, the idle reset, a staff call reaching the call-up board, faults and
recovery, the unpaired screen, and an axe-core scan of every kiosk screen. No page may log
a JavaScript error or a CSP violation (see ``open_page`` in conftest.py). Screenshots go to
tests/artifacts/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from intranet.plugin import CheckIn, db

if TYPE_CHECKING:
    from kiosk.tests.conftest import LiveServer

TICKET = re.compile(r"^[A-Z]-\d+$")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Calm timeouts for the tests that tap through several screens: no idle prompt between taps.
calm = pytest.mark.kiosk_settings(KIOSK_IDLE_SECONDS=30, KIOSK_COUNTDOWN_SECONDS=20,
                                  KIOSK_NUMBER_SECONDS=30)


# -- helpers -----------------------------------------------------------------------------

def document_language(page: Page, lang: str, direction: str) -> None:
    """``<html lang dir>`` as kiosk.js keeps them in step with the screen shown."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def start_screen(page: Page) -> Any:
    return page.locator("#kiosk-page.kiosk-start")


def choose_language(page: Page, code: str) -> None:
    page.locator(f'.kiosk-language[lang="{code}"]').tap()
    expect(page.locator(f'.kiosk-language[lang="{code}"]')).to_have_attribute(
        "aria-current", "true")


def tap_check_in(page: Page, server: LiveServer, lang: str) -> None:
    """From the start screen to the first step: what did you come for?"""
    t = server.translate
    page.get_by_role("link", name=t(lang, "Check in")).tap()
    expect(page.locator("#flow h1")).to_have_text(t(lang, "What did you come for?"))


def type_on_keyboard(page: Page, text: str) -> None:
    """Type ``text`` by tapping the on-screen keyboard's keys (⇧ for a capital letter)."""
    board = page.locator("#kiosk-keyboard")
    expect(board.locator(".hg-button").first).to_be_visible()
    for char in text:
        key = board.locator(f'.hg-button[data-skbtn="{char}"]')
        if key.count() == 0:
            board.locator('.hg-button[data-skbtn="{shift}"]').first.tap()
        key.tap()


def fill_details(page: Page, server: LiveServer, lang: str, name: str,
                 purpose: str = "consultations:walk_in") -> None:
    """Choose a purpose and type a first name on the on-screen keyboard."""
    page.locator(f'#flow button[name="purpose"][value="{purpose}"]').tap()
    field = page.locator("#first_name")
    expect(field).to_be_visible()
    if name:
        type_on_keyboard(page, name)
        expect(field).to_have_value(name)


def get_number(page: Page, server: LiveServer, lang: str, first_visit: str = "yes") -> str:
    """Answer "first time here?": the answer takes the number; returns the ticket shown."""
    page.locator(f'#flow button[name="first_visit"][value="{first_visit}"]').tap()
    ticket = page.locator("#kiosk-ticket")
    expect(ticket).to_have_text(TICKET)
    return ticket.inner_text().strip()


def check_in(page: Page, server: LiveServer, lang: str = "de", name: str = "",
             purpose: str = "consultations:walk_in") -> str:
    tap_check_in(page, server, lang)
    fill_details(page, server, lang, name, purpose)
    return get_number(page, server, lang)


def stored_checkins(server: LiveServer) -> list[CheckIn]:
    def read() -> list[CheckIn]:
        # Only what a kiosk took: the demo data holds check-ins of its own.
        rows = list(db.session.scalars(select(CheckIn).where(CheckIn.kiosk_id.is_not(None))
                                       .order_by(CheckIn.number)))
        db.session.expunge_all()
        return rows

    return server.query(read)


def nothing_of(page: Page, text: str) -> None:
    """``text`` is nowhere in the page: not in the markup, not in a form field, not stored."""
    assert text not in page.content()
    values = page.evaluate("() => Array.from(document.querySelectorAll('input, textarea'),"
                           " (field) => field.value)")
    assert all(text not in value for value in values), values
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage),"
                           " Object.entries(sessionStorage)])")
    assert text not in stored, stored


def queue_row(staff: Page, ticket: str) -> Any:
    return staff.locator(".queue-item").filter(
        has=staff.locator(".queue-ticket", has_text=re.compile(f"^{re.escape(ticket)}$")))


def within_3_seconds(since: float) -> float:
    """The timeout, in ms, that leaves 3 s in all since ``since`` (from time.monotonic)."""
    left = 3000 - (time.monotonic() - since) * 1000
    assert left > 0, "3 seconds are over already"
    return left


# -- 1. check-in in German -----------------------------------------------------------------

@calm
def test_check_in_in_german(kiosk: Page, live_server: LiveServer, staff_page: Page,
                            screenshot: Callable[[Page, str], Path]) -> None:
    document_language(kiosk, "de", "ltr")
    assert live_server.translate("de", "Check in") != "Check in", "no German kiosk catalog"
    links = kiosk.eval_on_selector_all("a[href]", "links => links.map(a => a.pathname)")
    assert links and all(path.startswith("/kiosk/") for path in links), \
        f"a link out of the kiosk: {links}"
    screenshot(kiosk, "start")

    tap_check_in(kiosk, live_server, "de")
    screenshot(kiosk, "purposes")
    fill_details(kiosk, live_server, "de", "Zeynep")
    screenshot(kiosk, "details")
    url_before = kiosk.url
    ticket = get_number(kiosk, live_server, "de")
    shown = time.monotonic()
    # The staff start page was open all along: the ticket appears there by itself.
    row = queue_row(staff_page, ticket)
    expect(row).to_be_visible(timeout=within_3_seconds(shown))
    expect(row).to_contain_text("Zeynep")
    screenshot(kiosk, "number")
    screenshot(staff_page, "staff-queue")

    assert kiosk.url == url_before, "the check-in steps must not load whole pages"
    assert ticket == "B-1"
    expect(kiosk.locator("#flow")).to_contain_text(
        live_server.translate("de", "Nobody is waiting before you."))
    [row] = stored_checkins(live_server)
    assert (row.ticket, row.plugin, row.purpose, row.language, row.first_name,
            row.first_visit, row.status) == (ticket, "consultations", "walk_in", "de",
                                             "Zeynep", True, "waiting")


# -- 2. check-in in Arabic -----------------------------------------------------------------

@calm
def test_check_in_in_arabic_turns_the_screen_right_to_left(
        kiosk: Page, live_server: LiveServer, screenshot: Callable[[Page, str], Path]) -> None:
    assert live_server.translate("ar", "Check in") != "Check in", "no Arabic kiosk catalog"
    choose_language(kiosk, "ar")
    document_language(kiosk, "ar", "rtl")
    expect(kiosk.locator(".kiosk-header h1")).to_contain_text(
        live_server.translate("ar", "Welcome to %(site)s", site="Mittelpunkt Hüttenstraße"))
    screenshot(kiosk, "start-ar")

    tap_check_in(kiosk, live_server, "ar")
    document_language(kiosk, "ar", "rtl")
    fill_details(kiosk, live_server, "ar", "مريم", purpose="job_orientation:" + first_key(
        kiosk, "job_orientation"))
    document_language(kiosk, "ar", "rtl")
    screenshot(kiosk, "details-ar")
    ticket = get_number(kiosk, live_server, "ar")
    document_language(kiosk, "ar", "rtl")
    screenshot(kiosk, "number-ar")

    assert ticket == "J-1"
    # The number reads left to right inside the right-to-left page.
    assert kiosk.locator("#kiosk-ticket bdi").count() == 1
    assert kiosk.eval_on_selector("#flow", "el => getComputedStyle(el).direction") == "rtl"
    [row] = stored_checkins(live_server)
    assert (row.ticket, row.language, row.first_name) == (ticket, "ar", "مريم")


def first_key(page: Page, plugin: str) -> str:
    """The key of the first purpose tile of ``plugin`` on the purposes step."""
    value = page.locator(f'#flow button[name="purpose"][value^="{plugin}:"]').first \
        .get_attribute("value")
    assert value
    return value.partition(":")[2]


# -- 2b. four taps to a number, in every language --------------------------------------------

KIOSK_LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")
COUNT_TAPS = """
  window.__taps = 0;
  document.addEventListener("touchstart", () => { window.__taps += 1; }, true);
"""


@calm
def test_four_taps_to_a_number_in_every_language(
        kiosk: Page, live_server: LiveServer, screenshot: Callable[[Page, str], Path]) -> None:
    """From the start screen, language choice included, "first time here?" answered."""
    kiosk.context.add_init_script(COUNT_TAPS)
    fonts: dict[str, list[str]] = {}
    for index, lang in enumerate(KIOSK_LANGUAGES):
        kiosk.goto("/kiosk/?reset=1")
        kiosk.locator("#kiosk-page.kiosk-start").wait_for()
        assert kiosk.evaluate("window.__taps") == 0
        choose_language(kiosk, lang)
        hours = kiosk.locator(".kiosk-hours")
        expect(hours).to_be_visible()  # the opening hours, in the visitor's language
        if lang != "de":
            expect(hours).not_to_contain_text("Uhr")
        kiosk.get_by_role("link", name=live_server.translate(lang, "Check in")).tap()
        kiosk.locator('#flow button[name="purpose"][value="core:cafe"]').tap()
        expect(kiosk.locator("#kiosk-keyboard .hg-button").first).to_be_visible()
        answer = ("yes", "no")[index % 2]
        kiosk.locator(f'#flow button[name="first_visit"][value="{answer}"]').tap()
        expect(kiosk.locator("#kiosk-ticket")).to_have_text(TICKET)
        taps = kiosk.evaluate("window.__taps")
        assert taps <= 4, (lang, taps)
        stored = stored_checkins(live_server)[-1]
        assert (stored.language, stored.first_visit) == (lang, answer == "yes")
        if lang in ("ar", "fa"):
            family = kiosk.eval_on_selector("#flow", "el => getComputedStyle(el).fontFamily")
            assert family.startswith('"Noto Sans Arabic"'), family
            assert kiosk.evaluate(
                "document.fonts.check('700 24px \"Noto Sans Arabic\"', 'ب')")
        if lang == "ar":
            screenshot(kiosk, "number-ar")
        # What this screen (a fresh page since the reset) fetched of the fonts over the
        # network: once cached (for a year, by its fingerprinted name) Chromium may take
        # it from memory for any page, which costs the visitor nothing.
        fonts[lang] = kiosk.evaluate("""performance.getEntriesByType("resource")
            .filter((entry) => entry.transferSize > 0).map((entry) => entry.name)
            .filter((name) => name.endsWith(".woff2"))""")
    assert stored_checkins(live_server)[-1].ticket.endswith(str(len(KIOSK_LANGUAGES)))
    # The Arabic-script font was fetched for Arabic and Persian pages only.
    assert not [url for lang, urls in fonts.items() if lang not in ("ar", "fa")
                for url in urls if "arabic" in url]
    assert any("arabic" in url for url in fonts.get("ar", []) + fonts.get("fa", []))


# -- 3. idle reset ---------------------------------------------------------------------------

def test_idle_prompt_counts_down_and_forgets_the_visitor(
        kiosk: Page, live_server: LiveServer, screenshot: Callable[[Page, str], Path]) -> None:
    # KIOSK_IDLE_SECONDS=2, KIOSK_COUNTDOWN_SECONDS=2 (conftest).
    choose_language(kiosk, "tr")
    tap_check_in(kiosk, live_server, "tr")
    fill_details(kiosk, live_server, "tr", "Ayşe")
    prompt = kiosk.locator("#kiosk-idle")

    # "Yes, I need more time" dismisses the prompt and keeps what was typed.
    expect(prompt).to_be_visible(timeout=4000)
    expect(prompt).to_contain_text(live_server.translate("tr", "Do you need more time?"))
    screenshot(kiosk, "idle-prompt")
    kiosk.locator("#kiosk-more-time").tap()
    expect(prompt).to_be_hidden()
    expect(kiosk.locator("#first_name")).to_have_value("Ayşe")

    # Untouched again: the prompt returns, counts down, and the start screen comes back
    # in German with nothing of the visitor left.
    expect(prompt).to_be_visible(timeout=4000)
    countdown = kiosk.locator("#kiosk-countdown")  # it counts down, in a plural sentence
    expect(countdown).to_have_attribute("data-left", "1")
    expect(countdown).to_have_text(re.compile(r"\b1\b"))
    expect(start_screen(kiosk)).to_be_visible(timeout=5000)
    document_language(kiosk, "de", "ltr")
    expect(prompt).to_be_hidden()
    nothing_of(kiosk, "Ayşe")
    screenshot(kiosk, "back-to-start")
    assert stored_checkins(live_server) == []


@pytest.mark.kiosk_settings(KIOSK_IDLE_SECONDS=30, KIOSK_NUMBER_SECONDS=2)
def test_number_screen_returns_to_the_start_by_itself(
        kiosk: Page, live_server: LiveServer) -> None:
    choose_language(kiosk, "en")
    ticket = check_in(kiosk, live_server, "en", name="Olena")
    shown = time.monotonic()
    expect(start_screen(kiosk)).to_be_visible(timeout=5000)
    assert time.monotonic() - shown >= 1.5, "the number must stay a while"
    document_language(kiosk, "de", "ltr")
    expect(kiosk.locator("#kiosk-ticket")).to_have_count(0)
    nothing_of(kiosk, "Olena")
    nothing_of(kiosk, ticket)


# -- 4. a staff call on the board ------------------------------------------------------------

def call(staff: Page, ticket: str, room: str) -> float:
    """Choose the room in the queue controls and press "Call"; returns when it was pressed."""
    staff.select_option("#queue-controls select[name=room]", room)
    button = queue_row(staff, ticket).locator("button[hx-post$='/call']")
    expect(button).to_be_visible(timeout=3000)
    pressed = time.monotonic()
    button.click()
    return pressed


def next_refresh(board: Page) -> int:
    """Wait until the board has asked for its list once more; the answer's status."""
    return board.evaluate("""() => new Promise((resolve) => {
      document.addEventListener("htmx:afterRequest", function done(event) {
        if (event.detail.elt.id !== "board-calls") { return; }
        document.removeEventListener("htmx:afterRequest", done);
        resolve(event.detail.xhr.status);
      });
    })""")


@calm
def test_staff_call_appears_on_the_board(
        kiosk: Page, live_server: LiveServer, staff_page: Page,
        open_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]) -> None:
    board = open_page("board")
    board.goto("/kiosk/board")
    calls = board.locator("#board-calls")
    expect(calls).to_contain_text(
        live_server.translate("de", "Please wait — your number will appear here."))

    first = check_in(kiosk, live_server, "de")
    kiosk.locator("[data-kiosk-home]").tap()
    expect(start_screen(kiosk)).to_be_visible()
    second = check_in(kiosk, live_server, "de", purpose="core:cafe")
    assert (first, second) == ("B-1", "C-2")

    pressed = call(staff_page, first, "Beratungsraum")
    latest = board.locator(".board-call.is-latest")
    expect(latest).to_contain_text(first, timeout=within_3_seconds(pressed))
    expect(latest).to_contain_text("Beratungsraum")
    expect(latest).to_have_class(re.compile(r"\bis-new\b"))
    # Asked for every second, the unchanged list comes back as a bodiless 304 and the
    # screen is left alone: the flash stays on.
    assert next_refresh(board) == 304
    expect(latest).to_have_class(re.compile(r"\bis-new\b"), timeout=500)
    expect(queue_row(staff_page, first)).to_contain_text("Beratungsraum")
    screenshot(board, "one-call")

    # Two calls close together: both stay on the board, the newest on top.
    pressed = call(staff_page, second, "Café")
    expect(calls.locator(".board-call").first).to_contain_text(
        second, timeout=within_3_seconds(pressed))
    expect(calls.locator(".board-call")).to_have_count(2)
    expect(calls.locator(".board-call").nth(0)).to_contain_text("Café")
    expect(calls.locator(".board-call").nth(1)).to_contain_text(first)
    expect(calls.locator(".board-call").nth(1)).to_contain_text("Beratungsraum")
    # The newest call flashes (for 3 s, though the list is fetched anew every second).
    expect(calls.locator(".board-call").first).to_have_class(re.compile(r"\bis-new\b"))
    screenshot(board, "two-calls")
    called = {row.ticket: (row.status, row.room) for row in stored_checkins(live_server)}
    assert called == {first: ("called", "Beratungsraum"), second: ("called", "Café")}


# -- 5. faults --------------------------------------------------------------------------------

def test_fault_notice_and_recovery_without_a_touch(
        kiosk: Page, live_server: LiveServer, console: Any,
        screenshot: Callable[[Page, str], Path]) -> None:
    # The requests the test makes fail are logged by Chromium and htmx: expected here.
    console.allow(r"Failed to load resource|Response Status Error|htmx:|ERR_CONNECTION_REFUSED")
    failed: list[str] = []

    def server_error(route: Route) -> None:
        failed.append(route.request.url)
        route.fulfill(status=500, content_type="text/html",
                      body="<h1>Internal Server Error</h1><pre>Traceback (most recent call)</pre>")

    def unreachable(route: Route) -> None:
        failed.append(route.request.url)
        route.abort("connectionrefused")

    # The kiosk asks the server again every 3 s; the test moves its clock on instead of
    # waiting (the rest of the time flows as usual).
    kiosk.clock.install()
    assert live_server.translate("uk", "Please ask at the front desk.") \
        != "Please ask at the front desk.", "no Ukrainian kiosk catalog"
    choose_language(kiosk, "uk")
    fault = kiosk.locator("#kiosk-fault")
    url = kiosk.url
    # First the server answers with an error page, then it cannot be reached at all; the
    # first recovery brings the start screen back in German.
    for name, handler, lang in (("500", server_error, "uk"), ("unreachable", unreachable, "de")):
        failed.clear()
        kiosk.route(re.compile(r"/(kiosk/|healthz)"), handler)
        kiosk.get_by_role("link", name=live_server.translate(lang, "Check in")).tap()
        expect(fault).to_be_visible()
        expect(fault).to_contain_text(live_server.translate(lang, "Please ask at the front desk."))
        screenshot(kiosk, f"fault-{name}")
        # Still the kiosk page: no browser error page, no server error text.
        assert kiosk.url == url
        assert kiosk.evaluate("location.protocol") == "http:"
        body = kiosk.inner_text("body")
        assert "Traceback" not in body and "Internal Server Error" not in body
        # It keeps asking the server by itself …
        with kiosk.expect_request(re.compile(r"/healthz$")):
            kiosk.clock.fast_forward(3000)
        expect(fault).to_be_visible()
        assert any(u.endswith("/healthz") for u in failed)
        # … and once the server answers, the start screen is back without a touch.
        kiosk.unroute_all()
        kiosk.clock.fast_forward(3000)
        expect(fault).to_be_hidden()
        expect(start_screen(kiosk)).to_be_visible()
        document_language(kiosk, "de", "ltr")
    screenshot(kiosk, "recovered")


def test_board_recovers_in_place(open_page: Callable[..., Page], console: Any) -> None:
    console.allow(r"Failed to load resource|htmx:|ERR_CONNECTION_REFUSED")
    board = open_page("board")
    board.clock.install()
    board.goto("/kiosk/board")
    board.route(re.compile(r"/(kiosk/board/calls|healthz)"),
                lambda route: route.abort("connectionrefused"))
    fault = board.locator("#kiosk-fault")
    expect(fault).to_be_visible(timeout=3000)
    board.unroute_all()
    board.clock.fast_forward(3000)
    expect(fault).to_be_hidden()
    expect(board.locator("#board-calls")).to_be_visible()
    assert board.url.endswith("/kiosk/board")


# -- 6. unpaired ------------------------------------------------------------------------------

def test_unpaired_browser_sees_the_not_set_up_page(
        page: Page, live_server: LiveServer, console: Any) -> None:
    console.allow(r"Failed to load resource: the server responded with a status of 403")
    not_set_up = live_server.translate("de", "This screen is not set up as a kiosk.")
    response = page.goto("/kiosk/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text(not_set_up)
    expect(page.get_by_role("link", name=live_server.translate("de", "Check in"))).to_have_count(0)

    response = page.goto("/kiosk/checkin")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text(not_set_up)

    # Today's offers stay public, also from the not-set-up screen.
    page.get_by_role("link", name=live_server.translate("de", "Today's offers")).tap()
    expect(page.locator("#offers-list")).to_be_visible()
    expect(page.locator("[data-kiosk-home]")).to_have_count(0)
    response = page.goto("/kiosk/offers")
    assert response is not None and response.status == 200
    expect(page.locator(".kiosk-header h1")).to_have_text(
        live_server.translate("de", "Today's offers"))


# -- 7. accessibility ----------------------------------------------------------------------------

def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
      const results = await axe.run(document, {resultTypes: ["violations"]});
      return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " → " + n.failureSummary),
      }));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


@calm
def test_kiosk_screens_pass_axe(open_page: Callable[..., Page], pair: Callable[[Page], str],
                                live_server: LiveServer, console: Any) -> None:
    console.allow(r"Failed to load resource: the server responded with a status of 403")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (or `make assets`)")
    kiosk = open_page("kiosk", bypass_csp=True)
    pair(kiosk)
    found: dict[str, list[dict[str, Any]]] = {}

    def scan(name: str, page: Page) -> None:
        if problems := serious_violations(page):
            found[name] = problems

    scan("start", kiosk)
    choose_language(kiosk, "ar")
    scan("start-ar", kiosk)
    tap_check_in(kiosk, live_server, "ar")
    scan("purposes-ar", kiosk)
    kiosk.locator("[data-kiosk-home]").tap()
    expect(start_screen(kiosk)).to_be_visible()
    tap_check_in(kiosk, live_server, "de")
    scan("purposes", kiosk)
    fill_details(kiosk, live_server, "de", "Zeynep")
    scan("details", kiosk)
    kiosk.evaluate("document.getElementById('kiosk-idle').hidden = false")
    scan("idle-prompt", kiosk)
    kiosk.evaluate("document.getElementById('kiosk-idle').hidden = true")
    ticket = get_number(kiosk, live_server, "de")
    scan("number", kiosk)
    kiosk.evaluate("document.getElementById('kiosk-fault').hidden = false")
    scan("fault", kiosk)

    offers = open_page("kiosk", bypass_csp=True)
    offers.goto("/kiosk/offers")
    scan("offers", offers)
    unpaired = open_page("kiosk", bypass_csp=True)
    unpaired.goto("/kiosk/")
    scan("not-paired", unpaired)

    live_server.query(lambda: call_directly(ticket, "Kursraum 1"))
    board = open_page("board", bypass_csp=True)
    board.goto("/kiosk/board")
    expect(board.locator(".board-call")).to_have_count(1)
    scan("board", board)

    report = "\n".join(f"{screen}: [{v['impact']}] {v['id']}: {v['help']}\n    "
                       + "\n    ".join(v["nodes"])
                       for screen, problems in found.items() for v in problems)
    assert not found, "serious or critical accessibility violations:\n" + report


def call_directly(ticket: str, room: str) -> None:
    from intranet.plugin import change_status

    checkin = db.session.scalar(select(CheckIn).where(CheckIn.ticket == ticket))
    assert checkin is not None
    change_status(checkin, "called", room=room)
