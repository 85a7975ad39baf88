"""Fixtures of the kiosk's end-to-end tests: the app on a live server, Debian's Chromium
driven by Playwright, pairing through the real admin pages, screenshots, console watch.

``playwright install`` cannot download browsers here, so the system Chromium is launched
(``/usr/bin/chromium``; ``make test`` installs it when it is missing).

Each test gets its own demo database on its own live server. The kiosk's timeouts are
short by default (idle prompt and number screen after 2 s); a test that needs calmer ones
says so with ``@pytest.mark.kiosk_settings(KIOSK_IDLE_SECONDS=30, ...)``.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from flask_babel import force_locale
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from intranet.plugin import plugin_domain
from intranet.testing import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "tests" / "artifacts"
KIOSK_VIEWPORT: ViewportSize = {"width": 1080, "height": 1920}  # the lobby screen, portrait
BOARD_VIEWPORT: ViewportSize = {"width": 1920, "height": 1080}  # the waiting-area screen, landscape
STAFF_VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
SHORT_TIMEOUTS = {
    "KIOSK_IDLE_SECONDS": 2,
    "KIOSK_COUNTDOWN_SECONDS": 2,
    "KIOSK_NUMBER_SECONDS": 2,
}
# The same script is injected into every page: CSP violations land in the console even
# where Chromium would only report them to a report-uri.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "kiosk_settings(**settings): app settings of the test's live server "
                   "(e.g. KIOSK_IDLE_SECONDS=30), over the short kiosk timeouts")


# -- the live server -----------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class LiveServer:
    """The app served by werkzeug on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.errors: list[BaseException] = []
        got_request_exception.connect(self._record, app, weak=False)
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True,
                                                   request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="kiosk-live-server")
        self._thread.start()

    def _record(self, _sender: Any, exception: BaseException, **_extra: Any) -> None:
        self.errors.append(exception)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        got_request_exception.disconnect(self._record, self.app)

    def translate(self, locale: str, message: str, **variables: Any) -> str:
        """``message`` as the kiosk shows it in ``locale`` (its catalog, else the core's)."""
        with self.app.test_request_context(), force_locale(locale):
            return self._domain.gettext(message, **variables)

    @functools.cached_property
    def _domain(self) -> Any:
        # A domain of its own, like the one the app renders with: the module's
        # ``kiosk.domain`` caches catalogs for the whole process.
        import kiosk

        return plugin_domain(kiosk.NAME, kiosk.__file__)

    def query(self, function: Callable[[], Any]) -> Any:
        """Run ``function`` inside the app (e.g. to read the database)."""
        with self.app.app_context():
            return function()


@pytest.fixture
def live_server(request: pytest.FixtureRequest,
                make_demo_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """The demo data on a live server, with real CSRF protection and short kiosk timeouts."""
    settings: dict[str, Any] = {"WTF_CSRF_ENABLED": True, **SHORT_TIMEOUTS}
    for marker in reversed(list(request.node.iter_markers("kiosk_settings"))):
        settings.update(marker.kwargs)
    server = LiveServer(make_demo_app(**settings))
    yield server
    server.stop()
    assert not server.errors, f"the server raised: {server.errors!r}"


# -- the browser -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; `make test` installs it (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class ConsoleWatch:
    """JavaScript errors and console errors (CSP violations among them) of every page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def attach(self, page: Page, label: str) -> None:
        page.on("console", lambda message: self._console(label, message))
        page.on("pageerror", lambda error: self.errors.append(f"[{label}] uncaught: {error}"))

    def _console(self, label: str, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"[{label}] {message.text}")

    def allow(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` (e.g. failed requests a test provokes)."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer,
              console: ConsoleWatch) -> Iterator[Callable[..., Page]]:
    """Factory: a page in a fresh browser context on the live server.

    ``open_page("kiosk")`` is the portrait lobby screen, ``"board"`` the landscape
    waiting-area screen, ``"staff"`` a desk. ``bypass_csp=True`` only for axe-core scans.
    At the end, no page may have logged a JavaScript error or a CSP violation.
    """
    contexts: list[BrowserContext] = []
    viewports: dict[str, ViewportSize] = {"kiosk": KIOSK_VIEWPORT, "board": BOARD_VIEWPORT,
                                          "staff": STAFF_VIEWPORT}

    def factory(kind: str = "kiosk", bypass_csp: bool = False) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=viewports[kind],
                                      has_touch=kind != "staff", bypass_csp=bypass_csp,
                                      locale="de-DE", timezone_id="Europe/Berlin")
        context.set_default_timeout(5000)
        context.add_init_script(REPORT_CSP)
        contexts.append(context)
        page = context.new_page()
        console.attach(page, f"{kind}{len(contexts)}")
        return page

    yield factory
    for context in contexts:
        context.close()
    problems = console.unexpected()
    assert not problems, "errors in the browser console:\n" + "\n".join(problems)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A fresh portrait kiosk-sized page, not paired."""
    return open_page("kiosk")


# -- staff and pairing -------------------------------------------------------------------

def log_in(page: Page, username: str = "admin", password: str = DEMO_PASSWORD,
           next_page: str = "/") -> None:
    """Log in through the real login form, then land on ``next_page``."""
    page.goto(f"/login?next={next_page}")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/login" not in page.url, "login failed"


@pytest.fixture
def admin_page(open_page: Callable[..., Page]) -> Page:
    """The demo admin, logged in, in a browser context of their own."""
    page = open_page("staff")
    log_in(page, next_page="/kiosk/admin/")
    return page


@pytest.fixture
def staff_page(admin_page: Page) -> Page:
    """The demo admin on the staff start page with the live queue."""
    admin_page.goto("/")
    admin_page.locator("#queue-list").wait_for()
    return admin_page


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


# -- screenshots -------------------------------------------------------------------------

@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """``screenshot(page, "number")`` saves tests/artifacts/<test>-number.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w-]+", "_", request.node.name)

    def take(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{test}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
