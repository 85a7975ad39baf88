"""Browser testing for every part: the app on a live server, Debian's Chromium driven by
Playwright, a watch on the console, screenshots (a pytest plugin, like ``intranet.testing``).

``playwright install`` cannot download browsers here, so the system Chromium is launched
(``/usr/bin/chromium``; ``make test`` installs it when it is missing). Each test gets its
own demo database on its own live server. A test directory can add settings of its
server by overriding the ``live_settings`` fixture, and name the plugin whose catalog
``live_server.translate`` reads by overriding ``live_domain``.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from flask_babel import force_locale
from flask_babel import gettext as core_gettext
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from intranet.core.i18n import plugin_domain
from intranet.testing import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path.cwd() / "tests" / "artifacts"
PORTRAIT_VIEWPORT: ViewportSize = {"width": 1080, "height": 1920}  # the lobby's touch screen
LANDSCAPE_VIEWPORT: ViewportSize = {"width": 1920, "height": 1080}  # the waiting-area screen
STAFF_VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# The screens of a lobby: portrait touch screen, landscape screen, a laptop, a notebook.
LOBBY_SIZES: tuple[ViewportSize, ...] = (
    {"width": 1080, "height": 1920}, {"width": 1920, "height": 1080},
    {"width": 1366, "height": 768}, {"width": 1280, "height": 800})
# The same script is injected into every page: CSP violations land in the console even
# where Chromium would only report them to a report-uri.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


# -- the live server -----------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class LiveServer:
    """The app served by werkzeug on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, app: Flask, domain: str | None = None) -> None:
        self.app = app
        self.domain_plugin = domain
        self.errors: list[BaseException] = []
        got_request_exception.connect(self._record, app, weak=False)
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True,
                                                   request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="live-server")
        self._thread.start()

    def _record(self, _sender: Any, exception: BaseException, **_extra: Any) -> None:
        self.errors.append(exception)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        got_request_exception.disconnect(self._record, self.app)

    def translate(self, locale: str, message: str, **variables: Any) -> str:
        """``message`` as shown in ``locale``: from the catalog of the plugin named by
        ``live_domain`` (falling back to the core's), or the core's."""
        with self.app.test_request_context(), force_locale(locale):
            if self._domain is None:
                return str(core_gettext(message, **variables))
            return str(self._domain.gettext(message, **variables))

    @functools.cached_property
    def _domain(self) -> Any:
        # A domain of its own, like the one the app renders with: a plugin module's
        # ``domain`` caches catalogs for the whole process.
        if self.domain_plugin is None:
            return None
        module = importlib.import_module(self.domain_plugin)
        return plugin_domain(self.domain_plugin, str(module.__file__))

    def query(self, function: Callable[[], Any]) -> Any:
        """Run ``function`` inside the app (e.g. to read the database)."""
        with self.app.app_context():
            return function()


@pytest.fixture
def live_settings() -> dict[str, Any]:
    """Settings of the live server's app (a test directory's conftest may override it)."""
    return {}


@pytest.fixture
def live_domain() -> str | None:
    """The plugin whose catalog ``live_server.translate`` reads (``None``: the core's)."""
    return None


@pytest.fixture
def live_server(live_settings: dict[str, Any], live_domain: str | None,
                make_demo_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """The demo data on a live server, with real CSRF protection."""
    settings: dict[str, Any] = {"WTF_CSRF_ENABLED": True, **live_settings}
    server = LiveServer(make_demo_app(**settings), live_domain)
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
def viewports() -> dict[str, ViewportSize]:
    """The screen sizes ``open_page`` knows by name (a conftest may add names)."""
    return {"portrait": PORTRAIT_VIEWPORT, "landscape": LANDSCAPE_VIEWPORT,
            "staff": STAFF_VIEWPORT}


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer, console: ConsoleWatch,
              viewports: dict[str, ViewportSize]) -> Iterator[Callable[..., Page]]:
    """Factory: a page in a fresh browser context on the live server.

    ``open_page("portrait")`` is the lobby's touch screen, ``"landscape"`` the
    waiting-area screen, ``"staff"`` a desk (the ``viewports`` fixture names them);
    ``viewport=`` sets another size (see ``LOBBY_SIZES``). ``bypass_csp=True`` only for
    axe-core scans.
    At the end, no page may have logged a JavaScript error or a CSP violation.
    """
    contexts: list[BrowserContext] = []

    def factory(kind: str = "portrait", bypass_csp: bool = False,
                viewport: ViewportSize | None = None) -> Page:
        context = browser.new_context(base_url=live_server.url,
                                      viewport=viewport or viewports[kind],
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
    """A fresh page of the lobby's portrait touch screen."""
    return open_page("portrait")


# -- staff -------------------------------------------------------------------------------

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
    log_in(page, next_page="/")
    return page


@pytest.fixture
def staff_page(admin_page: Page) -> Page:
    """The demo admin on the staff start page with the live queue."""
    admin_page.goto("/")
    admin_page.locator("#queue-list").wait_for()
    return admin_page


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
