"""Pytest fixtures and helpers for the core's tests and every plugin's tests.

A pytest plugin, registered through the entry-point group ``pytest11`` (see
``pyproject.toml``): installing Mittelpunkt makes the fixtures available to every test
run in that environment, a plugin's own tests included, without any ``conftest.py``
line. ``docs/plugins.md`` ("Testing a plugin") shows them in use.

Fixtures: ``make_app``, ``app``, ``client``, ``admin_client``, ``make_demo_app``,
``fixed_today``, ``postgres_server``, ``postgres_url``. Helpers: users and logging in
(``add_user``, ``login``, ``client_for``), people (``add_person``, ``person_id``,
``merge_people``, ``export_person``, ``erase_person``), hooks (``call_hook``,
``collect_hook``, ``purposes_of``, ``offers_of``, ``widgets_of``, ``metrics_of``), the
audit log (``audit_entries``, ``audit_details``), the demo week (``demo_client``,
``week_start``). The contract test set of a service area: :class:`ServiceAreaContract`.

``make_app(plugins=[...])`` builds an application with just the named entry-point
plugins (plus ``extra`` plugin objects) on a real SQLite file in a temporary instance
folder. The schema comes from the real migrations; each distinct plugin set is migrated
once per test session and copied from there.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from datetime import time as clock_time
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar, NamedTuple

import pytest
from flask import Flask, has_request_context, url_for
from flask.testing import FlaskClient
from sqlalchemy import JSON, String, Text, cast, func, select

from intranet import create_app
from intranet.auth.models import Role, User
from intranet.core.extensions import db
from intranet.core.plugin_host import ENTRY_POINT_GROUP, PluginHost, host
from intranet.offers.weeks import this_monday

DEFAULT_PASSWORD = "correct horse battery"
DEMO_PASSWORD = "demo password 123"
# Cheap on purpose: a strong hash costs ~0.1 s, and the suite hashes thousands of times.
# Honoured only under TESTING (see intranet/auth/models.py).
TEST_HASH_METHOD = "pbkdf2:sha256:1000"
PEOPLE_VIEW, PEOPLE_EDIT, PEOPLE_EXPORT = "core.people_view", "core.people_edit", \
    "core.people_export"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@functools.cache
def builtin_plugins() -> tuple[str, ...]:
    """The plugins shipped in the core's own distribution (``mittelpunkt``), by name.

    ``make_app()`` loads these by default, so a plugin installed from elsewhere never
    changes what the core's own tests see.
    """
    owners = metadata.packages_distributions().get("intranet", [])
    names: set[str] = set()
    for owner in owners:
        names |= {ep.name for ep in metadata.distribution(owner).entry_points
                  if ep.group == ENTRY_POINT_GROUP}
    return tuple(sorted(names))


# -- speed -------------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    _share_url_builders()


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per test process instead of once per app.

    Werkzeug generates and compiles Python code for every rule of every new app: about a
    third of ``create_app``, and the suite makes an app per test. The generated code
    depends only on the rule's text, its parsed parts, its defaults and whether unknown
    arguments are appended, so a builder made for one app serves the same rule in the
    next (it reaches its converters through the rule it is bound to). Production never
    loads this module.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "_shared", False):
        return  # another werkzeug, or done already
    builders: dict[tuple[Any, ...], Any] = {}

    def shared(rule: Rule, append_unknown: bool = True) -> Any:
        defaults = tuple(sorted((str(k), repr(v)) for k, v in (rule.defaults or {}).items()))
        converters = tuple((name, type(c).__name__,
                            repr({k: v for k, v in vars(c).items() if k != "map"}))
                           for name, c in rule._converters.items())
        key = (rule.rule, tuple(rule._trace), defaults, converters, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    shared._shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = shared  # type: ignore[method-assign,assignment]


# -- the application -----------------------------------------------------------------

@pytest.fixture(scope="session")
def _migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[Any, Path]:
    """Migrated database files by plugin set, shared by the whole session."""
    return {}


@pytest.fixture
def make_app(tmp_path: Path, _migrated_templates: dict[Any, Path],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Flask]]:
    """Factory: ``make_app(plugins=["consultations"], extra=[module], **settings)``.

    ``plugins`` defaults to the built-in plugins; ``None`` loads every installed one.
    Settings default to testing mode with strict plugins (a failing plugin raises),
    CSRF and the second-factor requirement switched off and a cheap password hash; pass
    ``WTF_CSRF_ENABLED=True``, ``TWO_FACTOR_REQUIRED=True`` or ``PLUGINS_STRICT=False``
    to test those, ``FIXED_NOW=...`` to stop the clock (see ``fixed_today``).
    """
    apps: list[Flask] = []

    def factory(plugins: Iterable[str] | None = builtin_plugins(), extra: Iterable[Any] = (),
                migrate: bool = True, **settings: Any) -> Flask:
        instance = tmp_path / f"instance{len(apps)}"
        instance.mkdir()
        database = instance / "mittelpunkt.sqlite3"
        config = {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{database}",
            "PLUGINS": None if plugins is None else list(plugins),
            "EXTRA_PLUGINS": list(extra),
            "PLUGINS_STRICT": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-key",
            "TWO_FACTOR_REQUIRED": False,  # tests of the requirement switch it on
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        }
        config.update(settings)
        app = create_app(config)
        apps.append(app)
        if migrate and str(config["DATABASE_URL"]).startswith("sqlite:///"):
            _migrate_from_template(app, database, _migrated_templates, tmp_path_factory)
        elif migrate:
            from intranet.core.migrate import upgrade_all

            with app.app_context():
                upgrade_all(app.extensions["mittelpunkt"])
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _migrate_from_template(app: Flask, database: Path, templates: dict[Any, Path],
                           tmp_path_factory: pytest.TempPathFactory) -> None:
    from intranet.core.migrate import upgrade_all

    host = app.extensions["mittelpunkt"]
    key = tuple(sorted((r.name, str(r.folder)) for r in host.plugins() if r.loaded))
    with app.app_context():
        if key not in templates:
            upgrade_all(host)
            db.engine.dispose()
            with db.engine.connect() as conn:  # fold the WAL into the file before copying
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
            template = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
            shutil.copyfile(database, template)
            templates[key] = template
        else:
            db.engine.dispose()
            shutil.copyfile(templates[key], database)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The application with the built-in plugins, migrated and empty."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fixed_today() -> Callable[..., datetime]:
    """Factory: ``fixed_today(app, date(2026, 3, 10), at=time(9, 30))`` stops the app's clock.

    From then on ``local_now()``, ``local_today()`` and ``utcnow()`` answer that local
    moment (default: noon of the day) in every module of the app and its plugins, until
    the test ends. ``make_app(FIXED_NOW="2026-03-10T09:30")`` does the same from the start.
    Returns the local moment.
    """

    def stop_clock(app: Flask, day: date, at: clock_time = clock_time(12, 0)) -> datetime:
        moment = datetime.combine(day, at)
        app.config["FIXED_NOW"] = moment
        return moment

    return stop_clock


# -- users and logging in -------------------------------------------------------------

def add_user(app: Flask, username: str = "staff", role: str = Role.STAFF,
             password: str = DEFAULT_PASSWORD, active: bool = True,
             permissions: Iterable[str] = ()) -> int:
    """Create a user and return its id."""
    from intranet.auth.models import UserPermission

    with app.app_context():
        user = User(username=username, role=role, active=active, display_name=username.title())
        user.set_password(password)
        user.permission_rows = [UserPermission(code=code) for code in permissions]
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token(client: FlaskClient, url: str) -> str | None:
    """The CSRF token of the form on page ``url`` (None when CSRF protection is off)."""
    if not client.application.config.get("WTF_CSRF_ENABLED", True):
        return None
    found = CSRF_FIELD.search(client.get(url).get_data(as_text=True))
    return found.group(1) if found else None


def login(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD, *,
          second_factor: bool = False) -> Any:
    """Log in through the real login form; the last response (302 when it worked).

    Works with CSRF protection on (the token is read from the login page, as a browser
    sends it). For a user with a second factor set up, the password step redirects to
    the code step (``/login/code``); ``second_factor=True`` goes on and enters the
    current one-time code of the user's secret. A user who must still set one up (only
    with ``TWO_FACTOR_REQUIRED`` on, which ``make_app`` switches off) is logged in and
    sent to the set-up page, as in production: the 302 then points there.
    """
    data = {"username": username, "password": password}
    token = csrf_token(client, "/login")
    if token:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    if second_factor and response.status_code == 302 \
            and response.headers["Location"].endswith("/login/code"):
        code = {"code": _next_totp_code(client.application, username)}
        token = csrf_token(client, "/login/code")
        if token:
            code["csrf_token"] = token
        response = client.post("/login/code", data=code)
    return response


def _next_totp_code(app: Flask, username: str) -> str:
    """The one-time code the user's app shows now, or the next one if now's was used."""
    import pyotp

    with app.app_context():
        user = db.session.scalar(select(User).where(func.lower(User.username)
                                                    == username.lower()))
        assert user is not None and user.totp_secret, f"{username} has no second factor"
        totp = pyotp.TOTP(user.totp_secret)
        current = int(time.time()) // totp.interval
        step = max(current - 1, (user.totp_last_step or 0) + 1)
        assert step <= current + 1, "every code of this minute was used; wait 30 s"
        return totp.generate_otp(step)


def client_for(app: Flask, username: str = "staff", permissions: Iterable[str] = (), *,
               role: str = Role.STAFF, lang: str | None = None) -> FlaskClient:
    """A new user with ``permissions``, logged in on a client of their own.

    ``lang`` chooses the language of the session (as ``?lang=`` does in a browser).
    """
    add_user(app, username, role=role, permissions=permissions)
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 302, f"login of {username} failed"
    if lang:
        client.get(f"/?lang={lang}")
    return client


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    """A test client logged in as an admin (who holds every permission)."""
    return client_for(app, "admin", role=Role.ADMIN)


# -- people -----------------------------------------------------------------------------

class StoredPerson(NamedTuple):
    code: str
    id: int


def add_person(app: Flask, nickname: str = "Testperson", **fields: Any) -> StoredPerson:
    """Add a person to the register; their code and id (``code, pid = add_person(app)``)."""
    from intranet.people.models import Person

    with app.app_context():
        person = Person(nickname=nickname, **fields)
        db.session.add(person)
        db.session.commit()
        return StoredPerson(person.code, person.id)


def person_id(app: Flask, code: str) -> int | None:
    """The id of the person with ``code``; None once merged away or erased."""
    from intranet.people.models import Person

    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.code == code))


def merge_people(client: FlaskClient, source: str, target: str,
                 password: str = DEFAULT_PASSWORD) -> Any:
    """Merge person ``source`` into ``target`` through the core's page (the client needs
    ``core.people_edit``); asserts it worked and returns the response."""
    response = client.post(f"/people/{target}/merge",
                           data={"other": source, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/people/{target}")
    return response


def audit_entries(app: Flask, action: str, object_id: Any = None) -> list[SimpleNamespace]:
    """Every audit-log entry of ``action`` (of ``object_id``, if given), oldest first, as
    plain objects with the entry's columns (``user_id``, ``plugin``, ``detail`` ...)."""
    from intranet.audit.models import AuditEntry
    from intranet.people.data_requests import columns_of

    query = select(AuditEntry).where(AuditEntry.action == action)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    with app.app_context():
        return [SimpleNamespace(**columns_of(entry))
                for entry in db.session.scalars(query.order_by(AuditEntry.id))]


def audit_details(app: Flask, action: str) -> list[dict[str, Any]]:
    """The details of every audit-log entry of ``action``, oldest first."""
    return [dict(entry.detail or {}) for entry in audit_entries(app, action)]


def export_person(app: Flask, person_id: int) -> dict[str, Any]:
    """Everything stored about a person, as the core's export hands it out (every plugin
    asked through its ``export_person`` hook)."""
    from intranet.people.data_requests import export_person as export
    from intranet.people.models import Person

    with app.test_request_context("/"):
        person = db.session.get(Person, person_id)
        assert person is not None, f"no person {person_id}"
        return export(person)


def erase_person(app: Flask, person_id: int) -> list[Any]:
    """Erase a person as the core does (every plugin first); the ``ErasureReport`` list."""
    from intranet.people.data_requests import erase_person as erase
    from intranet.people.models import Person

    with app.test_request_context("/"):
        person = db.session.get(Person, person_id)
        assert person is not None, f"no person {person_id}"
        return erase(person)


# -- calling hooks ----------------------------------------------------------------------

def _host(app: Flask) -> PluginHost:
    return app.extensions["mittelpunkt"]


def call_hook(app: Flask, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call hook ``name`` through the app's plugin host like the core does.

    Returns the ``(plugin name, result)`` pairs of every enabled plugin that answered
    (not None), unflattened and unstamped: what each implementation returned. Runs in
    the caller's request context if one is open (so database objects passed as
    arguments stay attached), else in a fresh one.
    """
    if has_request_context():
        return _host(app).call(name, **kwargs)
    with app.test_request_context("/"):
        return _host(app).call(name, **kwargs)


def collect_hook(app: Flask, name: str, kind: type[Any], **kwargs: Any) -> list[Any]:
    """Like :func:`call_hook`, but the answers as the core uses them: flattened, checked to
    be ``kind`` (a wrong type is the plugin's failure), stamped with their plugin's name
    and sorted by ``order``."""
    if has_request_context():
        return _host(app).collect(name, kind, **kwargs)
    with app.test_request_context("/"):
        return _host(app).collect(name, kind, **kwargs)


def purposes_of(app: Flask, plugin: str, locale: str = "de") -> dict[str, Any]:
    """The kiosk purposes of ``plugin`` in ``locale``, by key."""
    from intranet.hooktypes import Purpose

    return {p.key: p for p in collect_hook(app, "kiosk_purposes", Purpose, locale=locale)
            if p.plugin == plugin}


def offers_of(app: Flask, plugin: str, start: date, end: date,
              locale: str = "en") -> list[Any]:
    """The ``OfferView`` occurrences ``plugin`` contributes between ``start`` and ``end``,
    as the core collects them (stored offers and computed ones alike)."""
    from intranet.offers.occurrences import all_offers  # what every page lists

    with app.test_request_context("/"):
        return [o for o in all_offers(start, end, locale) if o.plugin == plugin]


def widgets_of(app: Flask, plugin: str, today: date, username: str = "admin") -> list[Any]:
    """The start-page widgets of ``plugin`` on ``today``, for user ``username`` (an
    administrator who sees everything, if no such user is stored)."""
    from intranet.hooktypes import Widget

    with app.test_request_context("/"):
        user = db.session.scalar(select(User).where(User.username == username)) \
            or User(username=username, role=Role.ADMIN)
        return [w for w in collect_hook(app, "dashboard_widgets", Widget, user=user,
                                        today=today) if w.plugin == plugin]


def metrics_of(app: Flask, start: date, end: date) -> dict[str, Any]:
    """Every report metric of the period (both days included), by key."""
    from intranet.hooktypes import Metric

    return {m.key: m.value
            for m in collect_hook(app, "report_metrics", Metric, start=start, end=end)}


# -- the demo data ----------------------------------------------------------------------

def week_start(app: Flask) -> date:
    """Monday of the current local week: the demo data's week."""
    with app.app_context():
        return this_monday()


@pytest.fixture
def make_demo_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Factory like ``make_app`` whose database holds the demo week and the demo admin."""

    def factory(visits: bool = False, **kwargs: Any) -> Flask:
        from intranet.demo.data import load_demo

        app = make_app(**kwargs)
        with app.app_context():
            load_demo(DEMO_PASSWORD, visits=visits)
        return app

    return factory


def demo_client(app: Flask) -> FlaskClient:
    """A test client logged in as the demo admin of ``make_demo_app``."""
    client = app.test_client()
    response = login(client, "admin", DEMO_PASSWORD)
    assert response.status_code == 302, "demo admin login failed"
    return client


# -- PostgreSQL -------------------------------------------------------------------------

PG_BIN_GLOB = "usr/lib/postgresql/*/bin"


def _postgres_bin() -> Path | None:
    found = sorted(Path("/").glob(PG_BIN_GLOB))
    return found[-1] if found and (found[-1] / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on loopback and a free port, for the whole session;
    yields a base URL without a database (``postgresql+psycopg://postgres@127.0.0.1:PORT``).

    PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
    user. ``make test`` installs the server when it is missing.
    """
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed; `make test` installs it "
                    "(apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="mittelpunkt-pg-"))
    data, sockets = folder / "data", folder / "sock"
    sockets.mkdir()
    port = _free_port()
    as_root = os.geteuid() == 0

    def run(*args: str) -> None:
        command = " ".join(args)
        if as_root:
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True,
                           capture_output=True)
        else:
            subprocess.run(["/bin/sh", "-c", command], check=True, capture_output=True)

    if as_root:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    run(f"{bin_dir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--no-sync")
    run(f"{bin_dir}/pg_ctl", "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
        f"'-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off'", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        # immediate: no shutdown checkpoint; the data folder is thrown away next
        run(f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


_databases = iter(range(1, 10**9))


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the throwaway server for one test (its full URL)."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_databases)}"
    dsn = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{dsn}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{postgres_server}/{name}"


# -- the contract of a service area -------------------------------------------------------

class ServiceAreaContract:
    """The tests every service-area plugin passes, run by naming the plugin::

        from intranet.testing import ServiceAreaContract

        class TestContract(ServiceAreaContract):
            plugin = "womens_courses"

            def add_person_data(self, person_id, marker):
                db.session.add(Visit(person_id=person_id, note=marker))

    It loads without a failure, shows in the navigation for a user with its view right
    and is hidden without it, every page of its blueprints refuses a user without its
    rights (403), its overview renders on an empty database with its title as heading
    (in each language of ``titles``), and a person's export holds its section while an
    erasure leaves nothing of the person in its tables. The class attributes below add
    checks of what the plugin declares (ticket letter, kiosk tiles, the demo week); a
    check with nothing declared to compare is skipped, never passed silently.

    ``add_person_data(person_id, marker)`` stores what the plugin keeps about a person
    (inside an app context; the contract commits), writing ``marker`` into a free-text
    column if there is one. A plugin that keeps nothing about people leaves it out; the
    contract then checks that none of its tables points to a person. ``contract_app``
    and ``plugin_tables`` may be overridden (the contract's own tests do).
    """

    plugin: ClassVar[str] = ""
    # Its view right; "<plugin>.view" unless it says otherwise.
    view_permission: ClassVar[str | None] = None
    # Settings of the test app, e.g. {"DEFAULT_LOCALE": "en"}.
    settings: ClassVar[dict[str, Any]] = {}
    # What the empty overview tells staff (in the default language), if checked.
    empty_overview_text: ClassVar[str | None] = None
    # The area's title by language, e.g. {"de": "Frauenkurse", "ar": "دورات للنساء"}: the
    # overview's heading in each, written in that language's direction.
    titles: ClassVar[dict[str, str]] = {}
    # Phrases the overview shows, by language, once the demo week is loaded (its offers,
    # its kiosk tiles, the core's words around them in that language).
    demo_overview: ClassVar[dict[str, list[str]]] = {}
    # Weekly demo offers: the overview lists them in this week's and next week's list.
    demo_weekly: ClassVar[list[str]] = []
    # Its ticket letter and its kiosk tiles by language: {"de": {"course": "Deutschkurs"}}.
    ticket_letter: ClassVar[str | None] = None
    kiosk_tiles: ClassVar[dict[str, dict[str, str]]] = {}

    add_person_data: ClassVar[Callable[..., None] | None] = None

    # -- helpers ---------------------------------------------------------------------

    @property
    def view_right(self) -> str:
        return self.view_permission or f"{self.plugin}.view"

    def contract_app(self, make_app: Callable[..., Flask]) -> Flask:
        assert self.plugin, f"{type(self).__name__} must name its plugin: plugin = '...'"
        return make_app(plugins=[self.plugin], **self.settings)

    def assert_no_failures(self, app: Flask) -> None:
        host = _host(app)
        record = host.records.get(self.plugin)
        assert record is not None, f"{self.plugin} is not installed (no entry point)"
        assert record.loaded, f"{self.plugin} did not load: {record.import_error}"
        with app.app_context():
            assert host.failures_of(self.plugin) == [], host.failures_of(self.plugin)

    def overview_urls(self, app: Flask) -> list[str]:
        """The URLs of the plugin's navigation entries, as an admin sees them."""
        with app.test_request_context("/"):
            admin = User(username="contract", role=Role.ADMIN)
            items = [i for i in collect_hook(app, "navigation", _nav_item_type(),
                                             user=admin) if i.plugin == self.plugin]
            return [url_for(i.endpoint, **i.url_values) for i in items]

    def plugin_tables(self) -> list[Any]:
        return [t for t in db.metadata.sorted_tables if t.name.startswith(f"{self.plugin}_")]

    # -- the contract ------------------------------------------------------------------

    def test_it_loads_without_a_failure(self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        self.assert_no_failures(app)
        info = _host(app).info(self.plugin)
        assert info is not None and info.name == self.plugin and info.service_area
        with app.test_request_context("/"):
            from intranet.hooktypes import Permission

            codes = {p.code for p in collect_hook(app, "permissions", Permission)
                     if p.plugin == self.plugin}
        assert self.view_right in codes, f"{self.plugin} does not declare {self.view_right}"

    def test_navigation_shows_it_only_with_the_view_right(
            self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        urls = self.overview_urls(app)
        assert urls, f"{self.plugin} has no navigation entry"
        with_right = client_for(app, "with-right", [self.view_right])
        without = client_for(app, "without-right")
        start_with = with_right.get("/").get_data(as_text=True)
        start_without = without.get("/").get_data(as_text=True)
        for url in urls:
            assert f'href="{url}"' in start_with, f"{url} missing for a user with the right"
            assert f'href="{url}"' not in start_without, f"{url} shown without the right"
        self.assert_no_failures(app)

    def test_every_page_refuses_a_user_without_its_rights(
            self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        host = _host(app)
        blueprints = {name for name, owner in host.blueprint_owner.items()
                      if owner == self.plugin}
        assert blueprints, f"{self.plugin} registers no blueprint"
        nobody = client_for(app, "no-rights")
        checked = []
        for rule in app.url_map.iter_rules():
            blueprint, _dot, view = rule.endpoint.partition(".")
            if blueprint not in blueprints or view == "static":  # its files are no pages
                continue
            if getattr(app.view_functions[rule.endpoint], "_mittelpunkt_public", False):
                continue
            with app.test_request_context("/"):
                url = url_for(rule.endpoint, **_sample_values(rule))
            method = "GET" if "GET" in (rule.methods or ()) else "POST"
            response = nobody.open(url, method=method)
            assert response.status_code == 403, f"{method} {url}: {response.status_code}"
            checked.append(url)
        assert checked, f"{self.plugin} has no staff page"
        self.assert_no_failures(app)

    def test_the_overview_renders_on_an_empty_database(
            self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        staff = client_for(app, "with-right", [self.view_right])
        for url in self.overview_urls(app):
            response = staff.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            page = response.get_data(as_text=True)
            assert "<h1" in page
            if self.empty_overview_text:
                assert self.empty_overview_text in page, f"{url} does not say what to do"
        self.assert_no_failures(app)

    def test_the_overview_speaks_the_languages_of_its_title(
            self, make_app: Callable[..., Flask]) -> None:
        from intranet.core.i18n import text_direction

        app = self.contract_app(make_app)
        staff = client_for(app, "with-right", [self.view_right])
        url = self.overview_urls(app)[0]
        titles = self.titles or {  # at least its title in the default language
            app.config["DEFAULT_LOCALE"]: str(_host(app).info(self.plugin).title)}
        for lang, title in titles.items():
            page = staff.get(f"{url}?lang={lang}").get_data(as_text=True)
            assert f'<html lang="{lang}" dir="{text_direction(lang)}"' in page, lang
            assert f"<h1>{title}</h1>" in page, f"{lang}: no <h1>{title}</h1>"
        self.assert_no_failures(app)

    def test_its_ticket_letter_and_kiosk_tiles(self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        letter = _host(app).info(self.plugin).ticket_letter
        assert re.fullmatch("[A-Z]", letter), f"ticket letter {letter!r}"
        if self.ticket_letter is not None:
            assert letter == self.ticket_letter
        if not self.kiosk_tiles:
            pytest.skip("the contract declares no kiosk_tiles")
        for lang, tiles in self.kiosk_tiles.items():
            shown = {key: p.label for key, p in purposes_of(app, self.plugin, lang).items()}
            assert shown == tiles, f"the kiosk tiles in {lang}"
        self.assert_no_failures(app)

    def test_the_demo_week_shows_on_the_overview(
            self, make_demo_app: Callable[..., Flask]) -> None:
        if not self.demo_overview:
            pytest.skip("the contract declares no demo_overview")
        app = make_demo_app(plugins=[self.plugin], **self.settings)
        admin = demo_client(app)
        url = self.overview_urls(app)[0]
        for lang, phrases in self.demo_overview.items():
            page = admin.get(f"{url}?lang={lang}").get_data(as_text=True)
            missing = [phrase for phrase in phrases if phrase not in page]
            assert missing == [], f"not on the overview in {lang}: {missing}"
        page = admin.get(f"{url}?lang={app.config['DEFAULT_LOCALE']}").get_data(as_text=True)
        for title in self.demo_weekly:
            assert page.count(title) == 2, f"{title!r} is not in both weeks"
        if self.empty_overview_text:
            assert self.empty_overview_text not in page
        self.assert_no_failures(app)

    def test_export_holds_its_section_and_erasure_leaves_nothing(
            self, make_app: Callable[..., Flask]) -> None:
        app = self.contract_app(make_app)
        marker = f"MARK{self.plugin[:4].upper()}7Q"
        person = add_person(app, "Contract")
        with app.app_context():
            linked = _person_links(self.plugin_tables())
            if self.add_person_data is None:
                assert not linked, (f"{self.plugin} has tables pointing to a person "
                                    f"({sorted(t.name for t, _c in linked)}): define "
                                    "add_person_data(person_id, marker) in the contract")
                return
            self.add_person_data(person.id, marker)
            db.session.commit()
            assert _rows_of(linked, person.id), \
                "add_person_data stored nothing that points to the person"
            marked = _tables_holding(self.plugin_tables(), marker)
        staff = client_for(app, "data-protection", [PEOPLE_VIEW, PEOPLE_EDIT, PEOPLE_EXPORT])
        response = staff.post(f"/people/{person.code}/export",
                              data={"password": DEFAULT_PASSWORD})
        assert response.status_code == 200 and response.mimetype == "application/json"
        sections = [s for s in json.loads(response.get_data(as_text=True))["plugins"]
                    if s["plugin"] == self.plugin]
        assert sections and any(s["records"] for s in sections), \
            f"the export has no section of {self.plugin} with records"
        if marked:
            assert marker in json.dumps(sections, default=str), \
                f"the marker stored in {marked} is missing from the export"
        erased = staff.post(f"/people/{person.code}/erase",
                            data={"code": person.code, "password": DEFAULT_PASSWORD})
        assert erased.status_code == 302, erased.get_data(as_text=True)
        with app.app_context():
            assert _rows_of(linked, person.id) == [], "rows still point to the erased person"
            left = _tables_holding(self.plugin_tables(), marker)
            assert left == [], f"the erased person's text is still in {left}"
        self.assert_no_failures(app)


def _nav_item_type() -> type[Any]:
    from intranet.hooktypes import NavItem

    return NavItem


def _sample_values(rule: Any) -> dict[str, Any]:
    """Values for a rule's URL arguments: 1 for numbers, "X" for the rest."""
    from werkzeug.routing import FloatConverter, IntegerConverter

    values: dict[str, Any] = {}
    for name in rule.arguments - set(rule.defaults or {}):
        converter = rule._converters.get(name)
        values[name] = 1 if isinstance(converter, IntegerConverter | FloatConverter) else "X"
    return values


def _person_links(tables: list[Any]) -> list[tuple[Any, Any]]:
    """(table, column) of every column of ``tables`` with a foreign key to a person."""
    return [(table, column) for table in tables for column in table.columns
            if any(fk.column.table.name == "person" for fk in column.foreign_keys)]


def _rows_of(links: list[tuple[Any, Any]], person_id: int) -> list[str]:
    """``table.column`` of every link holding rows of the person."""
    found = []
    for table, column in links:
        count = db.session.scalar(select(func.count()).select_from(table)
                                  .where(column == person_id))
        if count:
            found.append(f"{table.name}.{column.name}")
    return found


def _tables_holding(tables: list[Any], marker: str) -> list[str]:
    """``table.column`` of every text or JSON column of ``tables`` holding ``marker``."""
    found = []
    for table in tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            hits = db.session.scalar(select(func.count()).select_from(table).where(
                cast(column, Text).contains(marker)))
            if hits:
                found.append(f"{table.name}.{column.name}")
    return found


__all__ = [
    "DEFAULT_PASSWORD", "DEMO_PASSWORD", "PEOPLE_EDIT", "PEOPLE_EXPORT", "PEOPLE_VIEW",
    "ServiceAreaContract", "StoredPerson", "add_person", "add_user", "audit_details",
    "audit_entries", "builtin_plugins", "call_hook", "client_for", "collect_hook", "csrf_token",
    "demo_client", "erase_person", "export_person", "host", "login", "merge_people", "metrics_of",
    "offers_of", "person_id", "purposes_of", "week_start", "widgets_of",
]
