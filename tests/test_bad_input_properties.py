"""Property-based tests (hypothesis): random and hostile input never gives a 500.

Three drivers, each on SQLite and on PostgreSQL:

* the kiosk check-in steps (details, ticket) with random unicode, control
  characters, overlong text, several values for one field and missing fields;
* the staff forms (offers, people, rooms, settings and one form of each plugin), whose
  fields are read from the form's own page, then filled with valid, random or hostile
  values;
* every GET page of the URL map, its ``<int:...>`` parts huge or zero and its other
  parts random, with random query parameters.

Each answer must be below 500 and hold no traceback; a refused form (4xx) must have
written nothing at all (every table keeps its row count).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, literal, select, union_all

from intranet.auth.models import Role
from intranet.core.extensions import db
from intranet.people.models import Person
from intranet.testing import add_user, host, login

FAST = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Text as people (and attackers) type it: any unicode a browser can send (no lone
# surrogates: they cannot be encoded), with control characters and markup mixed in.
HOSTILE = st.sampled_from(["\x00", "\x0b", "\x1b", "\x7f", "\r\n", "\r", "\t", "\u202e",
                           "\ufeff", "<script>", "=HYPERLINK(\"x\")", "'; DROP TABLE x;--",
                           "../..", "%00", "9999-12-31", "0001-01-01", "-1", "2147483648",
                           "99999999999999999999", "1e309", "NaN", "ä", "😀", "ٱ"])
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
MIXED = st.lists(st.one_of(TEXT, HOSTILE), max_size=6).map("".join)
LONG = st.integers(min_value=65, max_value=25_000).map(lambda n: "x" * n)
ANY_TEXT = st.one_of(MIXED, MIXED, LONG)


class Exceptions:
    """Every exception a request raised (a 500 page hides them otherwise)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.seen: list[BaseException] = []
        got_request_exception.connect(self._record, app, weak=False)

    def _record(self, _sender: Any, exception: BaseException, **_extra: Any) -> None:
        self.seen.append(exception)

    def close(self) -> None:
        got_request_exception.disconnect(self._record, self.app)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hostile_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]
                ) -> Iterator[tuple[Flask, Exceptions]]:
    """The app with every plugin; a 500 is answered as a page, so a test sees it."""
    config: dict[str, Any] = {"PROPAGATE_EXCEPTIONS": False, "KIOSK_CHECKINS_PER_MINUTE": 10**6}
    if request.param == "postgres":
        config["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    app = make_app(**config)
    errors = Exceptions(app)
    yield app, errors
    errors.close()


def admin_client(app: Flask) -> FlaskClient:
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def row_counts(app: Flask) -> dict[str, int]:
    """Rows of every table, counted in one query (this runs twice per example)."""
    with app.app_context():
        # This app's tables only: the metadata also holds those of plugins it did not load.
        counts = [select(literal(table.name).label("name"), func.count().label("rows"))
                  .select_from(table) for table in host().app_tables()]
        return {name: rows for name, rows in db.session.execute(union_all(*counts))}


def check(response: Any, errors: Exceptions, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {errors.seen!r}"
    assert b"Traceback" not in response.data, what
    assert not errors.seen, f"{what}: {errors.seen!r}"


# -- the kiosk check-in ------------------------------------------------------------------


PURPOSES = st.one_of(st.sampled_from(["core:cafe", "consultations:walk_in",
                                      "job_orientation:job_centre", "womens_courses:course",
                                      "core:", ":", ""]), ANY_TEXT)
TOKENS = st.one_of(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                           min_size=0, max_size=80), ANY_TEXT)
FIELD_VALUES = {
    "token": TOKENS,
    "purpose": PURPOSES,
    "first_name": ANY_TEXT,
    "first_visit": st.one_of(st.sampled_from(["yes", "no", ""]), ANY_TEXT),
}


@st.composite
def kiosk_posts(draw: Any) -> tuple[str, list[tuple[str, str]], dict[str, str]]:
    step = draw(st.sampled_from(["details", "ticket"]))
    pairs: list[tuple[str, str]] = []
    for name, values in FIELD_VALUES.items():
        how_many = draw(st.sampled_from([0, 1, 1, 1, 2]))  # missing, once, or twice
        pairs += [(name, draw(values)) for _n in range(how_many)]
    if draw(st.booleans()):
        pairs.append((draw(MIXED), draw(ANY_TEXT)))  # a field nobody asked for
    if draw(st.integers(0, 9)) == 0:  # a file where text belongs
        pairs.append((draw(st.sampled_from(sorted(FIELD_VALUES))), FILE))
    headers = draw(st.sampled_from([{}, {"HX-Request": "true", "HX-Target": "flow"}]))
    return step, pairs, headers


def test_kiosk_check_in_never_fails_on_hostile_input(hostile_app, pair_kiosk):
    app, errors = hostile_app
    screen = pair_kiosk(app)
    from intranet.checkins.models import CheckIn

    @settings(FAST, max_examples=250)
    @given(post=kiosk_posts())
    def run(post: tuple[str, list[tuple[str, str]], dict[str, str]]) -> None:
        step, pairs, headers = post
        before = row_counts(app)["checkin"] if step == "ticket" else None
        response = screen.post(f"/kiosk/checkin/{step}", data=_multidict(pairs),
                               headers=headers)
        check(response, errors, f"{step} {pairs!r}")
        assert response.status_code in (200, 400)
        if step == "ticket":
            after = row_counts(app)["checkin"]
            assert after - before in (0, 1)
            if response.status_code >= 400:
                assert after == before
        body = response.get_data(as_text=True)
        assert "/login" not in body

    run()
    with app.app_context():
        for row in db.session.scalars(select(CheckIn)):
            assert len(row.token or "") <= 64
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", row.first_name or "")


FILE: Any = object()  # stands for an uploaded file (a fresh one for every request)


def _multidict(pairs: list[tuple[str, Any]]) -> Any:
    import io

    from werkzeug.datastructures import MultiDict

    return MultiDict([(name, (io.BytesIO(b"\x00\xff" * 50), "x.bin") if value is FILE
                       else value) for name, value in pairs])


# -- the staff forms ---------------------------------------------------------------------

# What a person would type into an empty field of each input type.
PLAUSIBLE = {"date": "2026-12-01", "time": "10:00", "number": "3", "email": "a@b.example",
             "tel": "0201 12345", "text": "Test", "search": "Test"}


def plausible(name: str, kind: str) -> str:
    if kind == "time":
        return "12:00" if "end" in name or "until" in name else "10:00"
    if kind == "number" or "year" in name:
        return "1990" if "year" in name else "3"
    return PLAUSIBLE.get(kind, "Test")


class FormFields(HTMLParser):
    """The fields of the POST forms on a page: name -> values seen (defaults, options)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self.forms.append((values.get("action", ""), {}))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = values.get("name")
        if tag in ("input", "textarea") and name and name != "csrf_token":
            kind = values.get("type", "text")
            value = values.get("value", "on" if kind in ("checkbox", "radio") else "")
            fields.setdefault(name, []).extend([value] if value else ["", plausible(name, kind)])
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            fields[self._select].append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_fields(client: FlaskClient, url: str) -> dict[str, list[str]]:
    """The fields of the page's form that posts back to ``url`` (or to the page itself)."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = FormFields()
    parser.feed(response.get_data(as_text=True))
    path = urlsplit(url).path
    for action, fields in parser.forms:
        if urlsplit(action).path in ("", path) and fields:
            return fields
    raise AssertionError(f"no form posting to {url}")


@st.composite
def form_data(draw: Any, fields: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Mostly the form's own values (a filled-in text field where it was empty), some
    fields random, missing or sent twice; now and then everything valid."""
    careful = draw(st.booleans())
    pairs: list[tuple[str, str]] = []
    for name, seen in fields.items():
        how = "valid" if careful else draw(st.sampled_from(
            ["valid", "valid", "valid", "text", "missing", "twice", "file"]))
        if how == "missing":
            continue
        if how == "file":
            pairs.append((name, FILE))
            continue
        valid = st.sampled_from(seen or ["", "Test"])
        value = ANY_TEXT if how == "text" else valid
        pairs += [(name, draw(value)) for _n in range(2 if how == "twice" else 1)]
    return pairs


def staff_forms(app: Flask) -> list[str]:
    with app.app_context():
        person = Person(nickname="Samira")
        db.session.add(person)
        db.session.commit()
        code = person.code
    return ["/offers/new", "/people/new", f"/people/{code}/edit", "/admin/rooms",
            "/admin/settings", "/consultations/records/new", "/womens_courses/courses/new",
            "/job_orientation/appointments/new", "/school_guidance/talks/new"]


def test_staff_forms_never_fail_and_write_nothing_when_they_refuse(hostile_app):
    app, errors = hostile_app
    client = admin_client(app)
    forms = {url: form_fields(client, url) for url in staff_forms(app)}

    @settings(FAST, max_examples=500)
    @given(data=st.data())
    def run(data: Any) -> None:
        url = data.draw(st.sampled_from(sorted(forms)))
        pairs = data.draw(form_data(forms[url]))
        before = row_counts(app)
        response = client.post(url, data=_multidict(pairs))
        check(response, errors, f"{url} {pairs!r}")
        if response.status_code >= 400:
            assert row_counts(app) == before, f"{url} wrote although it refused {pairs!r}"

    run()


# -- every GET page -----------------------------------------------------------------------

SKIP_ENDPOINTS = {"auth.logout", "static"}
QUERY_NAMES = ["page", "q", "date", "week", "view", "area", "room", "state", "sort", "lang",
               "period", "start", "end", "next", "checkin", "person", "slot", "occurrence",
               "code", "orientation", "day", "status", "kind", "year", "month", "tab",
               "course", "topic", "action", "user", "plugin"]
NUMBERS = st.one_of(st.integers(1, 3), st.integers(1, 3), st.integers(2**31 - 2, 2**31 + 2),
                    st.integers(10**12, 10**30), st.just(-1))


def get_rules(app: Flask) -> list[Any]:
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and rule.endpoint not in SKIP_ENDPOINTS
                   and not rule.endpoint.endswith(".static")), key=lambda rule: rule.rule)


def _segment(draw: Any, converter: str) -> str:
    if converter == "IntegerConverter" or converter.endswith("IntConverter"):
        return str(draw(NUMBERS))
    return quote(draw(st.one_of(MIXED, LONG)) or "x", safe="")


@st.composite
def get_requests(draw: Any, rules: list[Any]) -> str:
    rule = draw(st.sampled_from(rules))
    path = rule.rule
    for name, converter in rule._converters.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", _segment(draw, type(converter).__name__),
                      path)
    params = draw(st.lists(st.tuples(st.sampled_from(QUERY_NAMES) | MIXED,
                                     st.one_of(ANY_TEXT, NUMBERS.map(str))), max_size=4))
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)
    return f"{path}?{query}" if query else path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_app(request: pytest.FixtureRequest, make_demo_app: Callable[..., Flask]
             ) -> Iterator[tuple[Flask, Exceptions]]:
    """The demo week (so small ids lead to real offers, people, courses) on both databases."""
    config: dict[str, Any] = {"PROPAGATE_EXCEPTIONS": False}
    if request.param == "postgres":
        config["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    app = make_demo_app(**config)
    errors = Exceptions(app)
    yield app, errors
    errors.close()


def test_every_get_page_survives_random_arguments(demo_app):
    from intranet.testing import demo_client

    app, errors = demo_app
    client = demo_client(app)
    anonymous = app.test_client()
    rules = get_rules(app)
    assert len(rules) > 40

    for rule in rules:  # every page a few times, rather than a few pages many times
        @settings(FAST, max_examples=5)
        @given(url=get_requests([rule]), as_staff=st.sampled_from([True, True, False]))
        def run(url: str, as_staff: bool) -> None:
            response = (client if as_staff else anonymous).get(url)
            check(response, errors, url)

        run()
    assert client.get("/").status_code == 200  # still logged in: no GET logged us out
