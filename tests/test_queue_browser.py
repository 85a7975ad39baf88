"""The staff queue in real Chromium at 1280×800, as staff use it with one hand: the room
must be chosen before a call, messages stay until read, "Call next" takes the urgent
ticket first, at least six tickets are in view and the navigation fits on one line; and
the staff pages pass axe."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from intranet.auth.models import User
from intranet.browser_testing import LiveServer, log_in
from intranet.checkins.models import CheckIn
from intranet.checkins.numbering import NewCheckIn, create_checkin
from intranet.core.extensions import db

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 800}
TICKETS = [("consultations", "walk_in", "B"), ("womens_courses", "course", "F"),
           ("job_orientation", "application_help", "J"), ("consultations", "walk_in", "B"),
           ("core", "cafe", "C"), ("school_guidance", "homework_help", "S"),
           ("consultations", "walk_in", "B"), ("core", "cafe", "C")]


def eight_waiting() -> list[str]:
    made = [create_checkin(NewCheckIn(plugin=p, purpose=k, ticket_letter=letter,
                                      language=lang, first_name=name))
            for (p, k, letter), lang, name in zip(
                TICKETS, ["de", "ar", "tr", "fa", "ru", "uk", "en", "ar"],
                ["Amira", "", "Mehmet", "Reza", "", "Olena", "", "Nour"], strict=True)]
    return [row.ticket for row in made]


def violations(page: Page) -> list[str]:
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations
        .filter((v) => ["serious", "critical"].includes(v.impact))
        .map((v) => v.id + ": " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "))""")
    return list(found)


def test_the_queue_at_1280x800_with_one_hand(
        open_page: Callable[..., Page], live_server: LiveServer, console: Any,
        screenshot: Callable[[Page, str], Path]) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (or `make assets`)")
    tickets = live_server.query(eight_waiting)
    staff = open_page("staff", viewport=LAPTOP, bypass_csp=True)
    log_in(staff, next_page="/")
    queue = staff.locator("#queue-list")
    expect(queue.locator(".queue-item")).to_have_count(8)

    # No room yet: neither "Call" nor "Call next" can be pressed, and the page says why.
    expect(staff.locator(".queue-call-next")).to_be_disabled()
    expect(queue.locator(".queue-item").first.locator("button[hx-post$='/call']")).to_be_disabled()
    expect(staff.locator("#queue-room-needed")).to_be_visible()

    # The navigation on one line; at least six tickets whole in the window.
    tops = staff.eval_on_selector_all(".mainnav li", "items => items.map(i => i.offsetTop)")
    assert len(set(tops)) == 1, tops
    assert staff.eval_on_selector(".mainnav", "nav => nav.scrollWidth <= nav.clientWidth")
    seen = staff.eval_on_selector_all(".queue-item", """items => items.filter((i) => {
        const r = i.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;
    }).length""")
    assert seen >= 6, seen
    assert staff.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(staff, "queue-1280x800")
    problems = {"start": violations(staff)}

    # The room, chosen once, is kept on the account.
    staff.select_option("#queue-controls select[name=room]", "Beratungsraum")
    expect(staff.locator(".queue-call-next")).to_be_enabled()
    assert live_server.query(lambda: db.session.scalar(
        db.select(User.queue_room).where(User.username == "admin"))) == "Beratungsraum"

    # Urgent first: mark the fourth ticket urgent, then "Call next" takes it.
    fourth = queue.locator(".queue-item", has_text=tickets[3])
    fourth.locator(".queue-more summary").click()
    # the menu stays open while the list changes under it (a new check-in arrives)
    live_server.query(lambda: create_checkin(NewCheckIn(
        plugin="core", purpose="cafe", ticket_letter="C", language="de")))
    expect(queue.locator(".queue-item")).to_have_count(9)
    expect(fourth.locator("button[hx-post$='/urgent']")).to_be_visible()
    fourth.locator("button[hx-post$='/urgent']").click()
    expect(queue.locator(".queue-item").first).to_contain_text(tickets[3])
    staff.locator(".queue-call-next").click()
    message = staff.locator("#queue-messages .queue-message")
    expect(message).to_contain_text(tickets[3])
    time.sleep(2.5)  # a poll or two later the message is still there, until dismissed
    expect(message).to_be_visible()
    expect(queue.locator(".queue-item", has_text=tickets[3])).to_contain_text("Beratungsraum")
    message.locator("[data-dismiss]").click()
    expect(message).to_have_count(0)
    problems["after-call"] = violations(staff)

    # Opening a record from a ticket marks it "in progress".
    staff.goto(f"/consultations/records/new?checkin={ticket_id(live_server, tickets[0])}")
    problems["record-form"] = violations(staff)
    staff.goto("/")
    expect(queue.locator(".queue-item", has_text=tickets[0])).to_have_class(
        re.compile(r"status-in_progress"))

    # Right to left, with Arabic labels: still one navigation line, nothing wider than the
    # window.
    staff.goto("/?lang=ar")
    expect(queue.locator(".queue-item").first).to_be_visible()
    tops = staff.eval_on_selector_all(".mainnav li", "items => items.map(i => i.offsetTop)")
    assert len(set(tops)) == 1, tops
    assert staff.eval_on_selector(".mainnav", "nav => nav.scrollWidth <= nav.clientWidth")
    assert staff.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(staff, "queue-ar-1280x800")
    staff.goto("/?lang=de")

    # Staff pages with forms, one of them showing errors.
    for url in ("/womens_courses/courses/1", "/offers/new", "/admin/rooms"):
        staff.goto(url)
        problems[url] = violations(staff)
    staff.goto("/womens_courses/courses/1")
    form = staff.locator("form[action$='/enrol']")
    console.allow(r"status of 4\d\d")  # the form sent empty on purpose
    if form.count():
        form.locator("button[type=submit]").click()
        problems["enrol-errors"] = violations(staff)
    assert not {k: v for k, v in problems.items() if v}, problems


def ticket_id(live_server: LiveServer, ticket: str) -> int:
    return live_server.query(lambda: db.session.scalar(
        db.select(CheckIn.id).where(CheckIn.ticket == ticket)))
