"""The app under gunicorn for load and fault tests, and kiosk clients that drive it over HTTP.

Everything talks to 127.0.0.1 only. The server runs as production does
(``gunicorn 'intranet:create_app()'``, settings from ``MITTELPUNKT_*`` variables,
CSRF on); the clients behave like a kiosk browser: they get each check-in step's
page, read the form's hidden fields (CSRF and one-time token among them) from the
HTML and post them back, keeping their cookies.

The client side lives at module level so ``multiprocessing`` (spawn) can import it.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Failures a killed worker causes for the request it was serving: the connection
# breaks, or the answer never comes. Worth retrying with the same form data.
# (OSError covers ConnectionResetError, TimeoutError and friends.)
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_env(instance: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of the server and its CLI: production settings, a throwaway instance."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("MITTELPUNKT_")}
    env.update({
        "MITTELPUNKT_INSTANCE_PATH": str(instance),
        "MITTELPUNKT_DATABASE_URL": database_url,
        "MITTELPUNKT_SECRET_KEY": secrets.token_hex(32),
        "PYTHONUNBUFFERED": "1",
    })
    env.update({f"MITTELPUNKT_{key}": value for key, value in settings.items()})
    return env


def flask_cli(env: Mapping[str, str], *args: str, timeout: float = 60) -> str:
    """Run ``flask --app intranet ARGS`` as an operator would; its output."""
    done = subprocess.run([str(BIN / "flask"), "--app", "intranet", *args], env=dict(env),
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


_PAIRING_SCRIPT = """
import sys
from intranet import create_app
from intranet.plugin import db
from kiosk.models import KioskDevice
from kiosk.pairing import new_pairing_code

app = create_app()
with app.app_context():
    for index in range(int(sys.argv[1])):
        device = KioskDevice(name=f"Lasttest {index + 1}")
        db.session.add(device)
        db.session.flush()
        print(new_pairing_code(device))
    db.session.commit()
"""


def pairing_codes(env: Mapping[str, str], count: int) -> list[str]:
    """Create ``count`` kiosks the way the admin page does; their one-time pairing codes."""
    done = subprocess.run([str(BIN / "python"), "-c", _PAIRING_SCRIPT, str(count)],
                          env=dict(env), cwd=ROOT, capture_output=True, text=True, timeout=60)
    if done.returncode:
        raise RuntimeError(f"creating kiosks failed:\n{done.stderr}")
    codes = done.stdout.split()
    assert len(codes) == count, done.stdout
    return codes


# -- the server ------------------------------------------------------------------------

class Gunicorn:
    """``gunicorn --workers N 'intranet:create_app()'`` on 127.0.0.1 and a free port."""

    def __init__(self, env: Mapping[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.workers = workers
        self.log = log
        self._log_file = log.open("wb")
        self.killed_while_serving = False
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{self.port}",
             "--graceful-timeout", "5", "--timeout", "60",
             # gunicorn 27's control socket defaults to one path in $HOME for every
             # server: parallel test runs would take it from each other.
             "--no-control-socket", "intranet:create_app()"],
            env=dict(env), cwd=ROOT, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_until_up(self, seconds: float = 30) -> None:
        """Until /healthz answers 200 and every worker has booted (bounded)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                if get_status(self.base, "/healthz", timeout=2) == 200 \
                        and len(self.worker_pids()) == self.workers:
                    return
            except TRANSPORT_ERRORS:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not come up in {seconds} s:\n{self.log_tail()}")

    def worker_pids(self) -> set[int]:
        """The master's child processes: its workers."""
        pids: set[int] = set()
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            try:
                pids.update(int(pid) for pid in children.read_text().split())
            except OSError:
                continue
        return pids

    def kill_worker(self, seconds: float = 5) -> int:
        """SIGKILL one worker, as the kernel's OOM killer would; its pid.

        Preferably one that holds an accepted client connection, i.e. is serving a
        request right now (looked for during at most ``seconds``).
        """
        deadline = time.monotonic() + seconds
        busy: list[int] = []
        while time.monotonic() < deadline:
            serving = _established_on(self.port)
            busy = [pid for pid in sorted(self.worker_pids()) if _socket_inodes(pid) & serving]
            if busy:
                break
            time.sleep(0.005)
        pid = random.choice(busy or sorted(self.worker_pids()))
        os.kill(pid, signal.SIGKILL)
        self.killed_while_serving = bool(busy)
        return pid

    def wait_for_workers(self, gone: int, seconds: float = 30) -> set[int]:
        """Until the master has replaced the worker ``gone`` and runs its full count again."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if gone not in pids and len(pids) == self.workers:
                return pids
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not replace worker {gone}:\n{self.log_tail()}")

    def stop(self) -> None:
        """TERM the master (it stops its workers), KILL the whole group if that hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Workers orphaned by a master that died first still belong to its group.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log_file.close()

    def log_tail(self, lines: int = 40) -> str:
        self._log_file.flush()
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def _socket_inodes(pid: int) -> set[str]:
    """The inodes of a process's open sockets (none when it is gone)."""
    inodes: set[str] = set()
    with suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _established_on(port: int) -> set[str]:
    """Socket inodes of established TCP connections whose local port is ``port``."""
    inodes: set[str] = set()
    with suppress(OSError):
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


@contextmanager
def gunicorn(env: Mapping[str, str], workers: int, log: Path) -> Iterator[Gunicorn]:
    """A running server, always stopped afterwards (also when the test fails)."""
    server = Gunicorn(env, workers, log)
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


# -- a kiosk browser over http.client --------------------------------------------------

class _Forms(HTMLParser):
    """The forms of a page: action, hidden and text fields, and the submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = {"action": values.get("action", ""), "fields": {}, "buttons": []}
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and values.get("name"):
            if values.get("type") in ("radio", "checkbox") and "checked" not in values:
                return
            self._current["fields"][values["name"]] = values.get("value", "")
        elif self._current is not None and tag == "button" and values.get("name"):
            self._current["buttons"].append((values["name"], values.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_of(html: str) -> dict[str, dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return {form["action"]: form for form in parser.forms}


class ServerError(Exception):
    """The server answered with a status the kiosk should never see."""


class Browser:
    """One kiosk browser: its cookies, one fresh connection per request (as with sync workers)."""

    def __init__(self, base: str, cookies: Mapping[str, str] | None = None,
                 timeout: float = 20) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or HOST, parts.port or 80
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout

    def request(self, method: str, path: str, form: Mapping[str, str] | None = None,
                htmx: bool = False) -> tuple[int, str]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers.update({"HX-Request": "true", "HX-Target": "flow"})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}/kiosk/"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    self._keep_cookie(value)
            return response.status, text
        finally:
            connection.close()

    def _keep_cookie(self, header: str) -> None:
        name, _sep, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if re.search(r"(?i);\s*max-age=0\b|expires=thu, 01 jan 1970", header):
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value


def get_status(base: str, path: str, timeout: float = 5) -> int:
    return Browser(base, timeout=timeout).request("GET", path)[0]


def pair(base: str, code: str) -> dict[str, str]:
    """Open the pairing link like the kiosk's browser does; the cookies it then holds.

    The link may redeem the code at once (a redirect) or show the set-up page whose
    form is then sent, with the code typed in if the form does not carry it yet.
    """
    browser = Browser(base)
    status, html = browser.request("GET", f"/kiosk/pair/{code}")
    if status == 200:
        form = next((f for action, f in forms_of(html).items() if "/kiosk/pair" in action), None)
        assert form is not None, html[:300]
        data = {**form["fields"], **dict(form["buttons"][:1])}
        if not data.get("code"):
            data["code"] = code
        status, html = browser.request("POST", form["action"], data)
    assert status in (301, 302, 303), (status, html[:300])
    status, html = browser.request("GET", "/kiosk/?reset=1")
    assert status == 200, (status, html[:300])
    return browser.cookies


TICKET = re.compile(r'id="kiosk-ticket"[^>]*>\s*<bdi>\s*([^<\s]+)\s*</bdi>')


@dataclass
class CheckinResult:
    """What one visitor's check-in came to, as the kiosk saw it."""

    token: str = ""
    ticket: str | None = None
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    # Answers a kiosk should never get here (5xx, and 400/403/429 too): never retried.
    server_errors: list[str] = field(default_factory=list)
    # The last step as sent (form, the tab's cookies, htmx or not), to send it once more.
    ticket_request: dict[str, Any] = field(default_factory=dict)


def _step(browser: Browser, result: CheckinResult, method: str, path: str,
          form: Mapping[str, str] | None, htmx: bool, attempts: int, deadline: float) -> str:
    """One step, retried with the same data when the connection breaks; its page."""
    for attempt in range(attempts):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path}: out of time")
        try:
            status, html = browser.request(method, path, form, htmx)
        except TRANSPORT_ERRORS as error:
            result.errors.append(f"{path}: {type(error).__name__}: {error}")
            if attempt == attempts - 1:
                raise
            result.retries += 1
            time.sleep(0.1 * (attempt + 1))
            continue
        if status >= 500 or status in (400, 403, 429):
            result.server_errors.append(f"{path}: HTTP {status}")
            raise ServerError(f"{path}: HTTP {status}: {html[:200]}")
        return html
    raise AssertionError("unreachable")


def check_in(browser: Browser, index: int, attempts: int = 6, seconds: float = 60) -> CheckinResult:
    """One visitor's way through the kiosk: purpose, then name and "first time?" (the answer
    takes the number).

    Even visitors use htmx swaps (as the kiosk with JavaScript), odd ones plain form
    posts. Each step's hidden fields (CSRF token, one-time check-in token) are read
    from the page before; a step whose connection broke is sent again unchanged.
    """
    result = CheckinResult()
    deadline = time.monotonic() + seconds
    htmx = index % 2 == 0
    try:
        html = _step(browser, result, "GET", "/kiosk/checkin", None, htmx, attempts, deadline)
        form = forms_of(html)["/kiosk/checkin/details"]
        result.token = form["fields"]["token"]
        purposes = [value for name, value in form["buttons"] if name == "purpose"]
        data = {**form["fields"], "purpose": purposes[index % len(purposes)]}
        html = _step(browser, result, "POST", "/kiosk/checkin/details", data, htmx,
                     attempts, deadline)
        form = forms_of(html)["/kiosk/checkin/ticket"]
        assert form["fields"]["token"] == result.token
        answers = [value for name, value in form["buttons"] if name == "first_visit"]
        data = {**form["fields"], "first_name": "Gast" if index % 3 == 0 else "",
                "first_visit": answers[index % len(answers)]}
        result.ticket_request = {"form": data, "cookies": browser.cookies, "htmx": htmx}
        html = _step(browser, result, "POST", "/kiosk/checkin/ticket", data, htmx,
                     attempts, deadline)
        found = TICKET.search(html)
        if found is None:
            result.server_errors.append(f"no number on the page: {html[:300]}")
        else:
            result.ticket = found.group(1)
    except (ServerError, KeyError, IndexError, AssertionError, *TRANSPORT_ERRORS) as error:
        result.errors.append(f"gave up: {type(error).__name__}: {error}")
    return result


def send_ticket_again(base: str, ticket_request: Mapping[str, Any]) -> str | None:
    """Post a check-in's last step once more, as a kiosk does after a broken connection."""
    browser = Browser(base, ticket_request["cookies"])
    status, html = browser.request("POST", "/kiosk/checkin/ticket", ticket_request["form"],
                                   ticket_request["htmx"])
    found = TICKET.search(html)
    return found.group(1) if status == 200 and found else None


def run_client(base: str, cookies: dict[str, str], checkins: int, threads: int,
               first_index: int, progress: Any, results: Any) -> None:
    """A client process: check in ``checkins`` visitors at one paired kiosk from a thread pool.

    ``progress`` (a shared counter) counts finished check-ins so the test can pick its
    moment; ``results`` (a queue) receives the results as plain dicts at the end.
    """

    def one(index: int) -> CheckinResult:
        # Each visitor in a browser tab of its own: the kiosk's cookie, a fresh session.
        result = check_in(Browser(base, cookies), index)
        with progress.get_lock():
            progress.value += 1
        return result

    with ThreadPoolExecutor(max_workers=threads) as pool:
        done = list(pool.map(one, range(first_index, first_index + checkins)))
    results.put([vars(result) for result in done])


# -- the database, read directly -------------------------------------------------------

def stored_checkins(database_url: str) -> list[tuple[str, str, int, str]]:
    """Every stored check-in as (token, day, number, ticket), read without the app."""
    query = "SELECT token, day, number, ticket FROM checkin ORDER BY id"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as conn:
            rows = conn.execute(query).fetchall()
    else:
        import psycopg

        dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as conn:
            rows = conn.execute(query).fetchall()
    return [(token, str(day), int(number), ticket) for token, day, number, ticket in rows]


def sqlite_integrity(path: Path) -> str:
    with sqlite3.connect(path, timeout=30) as conn:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
