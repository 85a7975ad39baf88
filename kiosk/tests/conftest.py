"""Fixtures of the kiosk's end-to-end tests: the browser and live server come from
``intranet.browser_testing``; here the kiosk's short timeouts and the pairing through the
real admin pages.

The kiosk's timeouts are short by default (idle prompt and number screen after 2 s); a
test that needs calmer ones says so with ``@pytest.mark.kiosk_settings(KIOSK_IDLE_SECONDS=30,
...)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from intranet.browser_testing import (  # noqa: F401  (names the tests import from here)
    LANDSCAPE_VIEWPORT,
    LOBBY_SIZES,
    PORTRAIT_VIEWPORT,
    STAFF_VIEWPORT,
    LiveServer,
    log_in,
)

KIOSK_VIEWPORT = PORTRAIT_VIEWPORT  # the lobby's kiosk screen
BOARD_VIEWPORT = LANDSCAPE_VIEWPORT  # the call-up board in the waiting area

SHORT_TIMEOUTS = {
    "KIOSK_IDLE_SECONDS": 2,
    "KIOSK_COUNTDOWN_SECONDS": 2,
    "KIOSK_NUMBER_SECONDS": 2,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "kiosk_settings(**settings): app settings of the test's live server "
                   "(e.g. KIOSK_IDLE_SECONDS=30), over the short kiosk timeouts")


@pytest.fixture
def live_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    settings: dict[str, Any] = dict(SHORT_TIMEOUTS)
    for marker in reversed(list(request.node.iter_markers("kiosk_settings"))):
        settings.update(marker.kwargs)
    return settings


@pytest.fixture
def live_domain() -> str:
    return "kiosk"


@pytest.fixture
def viewports() -> dict[str, ViewportSize]:
    """``open_page("kiosk")`` and ``open_page("board")`` besides the generic names."""
    return {"kiosk": KIOSK_VIEWPORT, "board": BOARD_VIEWPORT, "staff": STAFF_VIEWPORT,
            "portrait": PORTRAIT_VIEWPORT, "landscape": LANDSCAPE_VIEWPORT}


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A fresh portrait kiosk-sized page, not paired."""
    return open_page("kiosk")


@pytest.fixture
def pair(admin_page: Page, live_server: LiveServer) -> Callable[[Page], str]:
    """Pair a page's browser context as a kiosk the way an admin does it; returns the code.

    The admin (in a context of their own) creates a kiosk under "Kiosks", reads the
    one-time code and link, and the kiosk browser opens the link.
    """

    def pair_page(kiosk: Page, name: str = "Eingang") -> str:
        if not admin_page.url.endswith("/kiosk/admin/"):
            admin_page.goto("/kiosk/admin/")
        admin_page.fill("#name", name)
        with admin_page.expect_navigation():
            admin_page.click("form[action$='/kiosk/admin/new'] button[type=submit]")
        code = admin_page.locator("#pairing-code").inner_text().strip()
        link = admin_page.locator("#pairing-link").get_attribute("href")
        assert re.fullmatch(r"[A-Z2-9]{8}", code), code
        assert link and link.startswith(f"{live_server.url}/kiosk/pair") and code in link, link
        kiosk.goto(link)  # the form with the code filled in: one tap pairs the screen
        with kiosk.expect_navigation():
            kiosk.click("form[action$='/kiosk/pair'] button[type=submit]")
        assert re.search(r"/kiosk/\?reset=1$", kiosk.url), kiosk.url
        kiosk.locator("#kiosk-page.kiosk-start").wait_for()
        return code

    return pair_page


@pytest.fixture
def kiosk(page: Page, pair: Callable[[Page], str]) -> Page:
    """A paired kiosk on its start screen."""
    pair(page)
    return page
