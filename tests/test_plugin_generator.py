"""`flask --app intranet plugins new NAME` writes a plugin that works once installed with pip.

The generated package is built and installed with pip into a folder of its own, put on
``sys.path`` for this process and on ``PYTHONPATH`` for its own test run: the shared
environment never sees it, so tests running alongside are not changed by it.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from intranet.cli.plugin_generator import generate
from intranet.core.extensions import db
from intranet.core.migrate import find_track
from intranet.offers.models import Offer
from intranet.testing import add_user, login

NAME = "repair_cafe"
FRESH = "bike_repair"


def run_new(app, *args):
    return app.test_cli_runner().invoke(args=["plugins", "new", *args])


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          timeout=180)


def install(folder: Path, site: Path) -> None:
    done = pip("install", "--quiet", "--no-deps", "--no-build-isolation", "--target",
               str(site), str(folder))
    assert done.returncode == 0, done.stderr


@contextmanager
def visible(site: Path, name: str) -> Iterator[None]:
    """The plugin installed in ``site`` importable by this process (its entry point
    included); afterwards the process is as before: its modules forgotten, its tables out
    of the shared metadata (so later tests never look for them)."""
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(site))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]
        for table in [t for t in db.metadata.tables.values() if t.name.startswith(f"{name}_")]:
            db.metadata.remove(table)
        importlib.invalidate_caches()


@pytest.fixture(scope="module")
def skeleton_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The generated plugin (as ``plugins new`` writes it) and the folder pip installed it
    into; built once for this module."""
    folder = generate(NAME, tmp_path_factory.mktemp("generated"), title="Reparaturcafé",
                      title_en="Repair café", letter="R")
    site = tmp_path_factory.mktemp("site")
    install(folder, site)
    return folder, site


@pytest.fixture
def installed_skeleton(skeleton_site: tuple[Path, Path]) -> Iterator[Path]:
    folder, site = skeleton_site
    with visible(site, NAME):
        yield folder


@pytest.fixture
def fresh_plugin(tmp_path: Path) -> Iterator[Path]:
    """Another generated plugin, installed for one test alone (what it compiles, migrates
    and caches stays its own); the folder it is installed in."""
    folder = generate(FRESH, tmp_path / "generated", title="Fahrradwerkstatt",
                      title_en="Bike repair", letter="W")
    site = tmp_path / "site"
    install(folder, site)
    with visible(site, FRESH):
        yield site


def test_skeleton_files(app, tmp_path):
    result = run_new(app, NAME, "--directory", str(tmp_path), "--letter", "R")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "mittelpunkt-repair-cafe"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert files == {
        "pyproject.toml", "README.md", f"{NAME}/__init__.py", f"{NAME}/views.py",
        f"{NAME}/models.py", f"{NAME}/demo.py", f"{NAME}/migrations/versions/0001_visits.py",
        f"{NAME}/templates/{NAME}/overview.html", f"{NAME}/tests/test_{NAME}.py",
        f"{NAME}/translations/de/LC_MESSAGES/{NAME}.po",
    }
    pyproject = (folder / "pyproject.toml").read_text()
    assert f'{NAME} = "{NAME}"' in pyproject
    assert f'[tool.setuptools.packages.find]\ninclude = ["{NAME}*"]' in pyproject
    for python in folder.rglob("*.py"):
        compile(python.read_text(), str(python), "exec")
    # no German title given: the German catalog carries the English one, the name in words
    catalog = (folder / NAME / "translations/de/LC_MESSAGES" / f"{NAME}.po").read_text()
    assert 'msgid "Repair cafe"\nmsgstr "Repair cafe"' in catalog


def test_the_german_title_translates_the_english_message_id(tmp_path):
    folder = generate(NAME, tmp_path, title="Reparaturcafé", title_en="Repair café",
                      letter="R")
    catalog = (folder / NAME / "translations/de/LC_MESSAGES" / f"{NAME}.po").read_text()
    assert 'msgid "Repair café"\nmsgstr "Reparaturcafé"' in catalog
    assert 'msgid "See Repair café"\nmsgstr "Reparaturcafé ansehen"' in catalog
    code = (folder / NAME / "__init__.py").read_text()
    assert 'title=_l("Repair café")' in code and "Reparaturcafé" not in code


@pytest.mark.parametrize("args, message", [
    (["Repair Cafe"], "is not a valid plugin name"),
    (["class"], "is not a valid plugin name"),
    (["reports"], "taken by a part of the core (blueprint reports)"),
    (["healthz"], "the URL prefix /healthz/ belongs to the core"),
    (["person"], "collides with the core's table person"),
    (["consultations"], "already taken"),  # an installed plugin
    (["kiosk"], "already taken"),
    (["plugins"], "already taken"),  # the package the built-in plugins live in
    (["intranet"], "already taken"),
    (["json"], "the Python module json"),
    ([NAME, "--title", 'Repair "Cafe"'], "may not hold"),
    ([NAME, "--title-en", "100% repair"], "may not hold"),
    ([NAME, "--letter", "B"], "is used by another area"),
    ([NAME, "--letter", "RR"], "one letter"),
])
def test_bad_names_and_letters_are_refused(app, tmp_path, args, message):
    target = tmp_path / "out"
    target.mkdir()
    result = run_new(app, *args, "--directory", str(target))
    assert result.exit_code != 0 and message in result.output
    assert list(target.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(app, tmp_path):
    assert run_new(app, NAME, "--directory", str(tmp_path), "--letter", "R").exit_code == 0
    again = run_new(app, NAME, "--directory", str(tmp_path), "--letter", "R")
    assert again.exit_code != 0 and "exists already" in again.output


def test_installed_skeleton_loads_and_offers_its_kiosk_purpose(installed_skeleton, make_app,
                                                               pair_kiosk):
    app = make_app(plugins=None)  # every installed plugin, the new one included
    record = app.extensions["mittelpunkt"].records[NAME]
    assert record.loaded and record.version == "0.1.0"

    add_user(app, "admin", role="admin")
    staff = app.test_client()
    login(staff, "admin")
    assert staff.get(f"/{NAME}/").status_code == 200
    assert f'href="/{NAME}/"' in staff.get("/").get_data(as_text=True)

    kiosk = pair_kiosk(app)
    page = kiosk.get("/kiosk/checkin").get_data(as_text=True)
    # its catalog is not compiled yet: the English message id stands for the title
    assert f'value="{NAME}:visit"' in page and "Repair café" in page


def test_its_migration_demo_data_and_german_catalog_work(fresh_plugin, make_app):
    site = fresh_plugin
    app = make_app(plugins=[FRESH], migrate=False)
    cli = app.test_cli_runner()
    upgraded = cli.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"{FRESH}: " in upgraded.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {f"{FRESH}_visit", f"alembic_version_{FRESH}"} <= tables
        # the first migration builds exactly what models.py declares
        track = find_track(app.extensions["mittelpunkt"], FRESH)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "include_object": lambda obj, name, type_, r, c: (
                    track.owns(name) if type_ == "table" else track.owns(obj.table.name)),
                "compare_type": True})
            assert compare_metadata(context, db.metadata) == []

    loaded = cli.invoke(args=["demo", "load", "--plugin", FRESH])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        visits = db.metadata.tables[f"{FRESH}_visit"]
        assert db.session.scalar(select(func.count()).select_from(visits)) == 2
        offers = db.session.scalars(select(Offer).where(Offer.service_area == FRESH)).all()
        assert [o.titles["de"] for o in offers] == ["Offener Nachmittag"]

    catalog = site / FRESH / "translations/de/LC_MESSAGES"
    assert not (catalog / f"{FRESH}.mo").exists()
    compiled = cli.invoke(args=["translations", "compile", "--plugin", FRESH])
    assert compiled.exit_code == 0, compiled.output
    assert (catalog / f"{FRESH}.mo").is_file()

    again = make_app(plugins=[FRESH])
    add_user(again, "admin", role="admin")
    staff = again.test_client()
    login(staff, "admin")
    page = staff.get(f"/{FRESH}/").get_data(as_text=True)
    assert "<h1>Fahrradwerkstatt</h1>" in page and "Bike repair" not in page


def test_the_skeletons_own_tests_pass_with_the_fixtures_from_the_entry_point(skeleton_site):
    folder, site = skeleton_site
    assert not list(folder.rglob("conftest.py"))  # the fixtures come without one
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                           str(folder / NAME / "tests")],
                          cwd=folder, capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    for test in ("test_it_loads_without_a_failure",
                 "test_navigation_shows_it_only_with_the_view_right",
                 "test_every_page_refuses_a_user_without_its_rights",
                 "test_the_overview_renders_on_an_empty_database",
                 "test_export_holds_its_section_and_erasure_leaves_nothing",
                 "test_the_demo_week_shows_on_the_overview",
                 "test_its_ticket_letter_and_kiosk_tiles"):
        assert f"{test} PASSED" in done.stdout, done.stdout
