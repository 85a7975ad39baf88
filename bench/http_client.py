"""A small HTTP client for the benchmark: a browser's cookie jar, forms with their CSRF
token, a kiosk pairing and a staff login (standard library only)."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: Message
    text: str


class Browser:
    """One client with its own cookies (a kiosk screen or a staff member's browser)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.csrf = ""
        self._open = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()).open

    def request(self, path: str, data: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self._open(request, timeout=120) as response:
                answer = Answer(response.status, response.headers,
                                response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            answer = Answer(error.code, error.headers, error.read().decode("utf-8", "replace"))
        found = CSRF_FIELD.search(answer.text) or CSRF_HEADER.search(answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request(path, headers=headers)

    def post(self, path: str, data: dict[str, str],
             headers: dict[str, str] | None = None) -> Answer:
        return self.request(path, data, headers)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def pair(self, code: str) -> None:
        """Pair as a kiosk through the pairing link and its form, as a kiosk's browser does."""
        self.get(f"/kiosk/pair/{code}")
        answer = self.post("/kiosk/pair", {"code": code, "csrf_token": self.csrf})
        if answer.status != 302:
            raise RuntimeError(f"pairing the kiosk failed: {answer.status}")
        self.get("/kiosk/")  # the start page carries the session's CSRF token

    def login(self, username: str, password: str) -> None:
        self.get("/login")
        answer = self.post("/login", {"username": username, "password": password,
                                      "csrf_token": self.csrf})
        if answer.status != 302:
            raise RuntimeError(f"the {username} login failed: {answer.status}")
        if self.get("/reports/").status != 200:
            raise RuntimeError("logged in, but the reports are not open to this user")
