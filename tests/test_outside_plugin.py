"""An outside plugin installed with pip, with a table of its own, leaves the core's tests green.

``tests/example_plugin/mittelpunkt-library`` is built and installed with pip into a folder
of its own. Once any application of a process has loaded it, its model is in the shared
metadata; the core's migration track must still look only at the core's tables, whether
the plugin is loaded into the application at hand or not.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from intranet.core.extensions import db
from intranet.core.migrate import tracks

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Path(__file__).resolve().parent / "example_plugin" / "mittelpunkt-library"
NAME = "mittelpunkt_library"
TABLE = "mittelpunkt_library_loan"


@pytest.fixture(scope="module")
def library_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder pip installed the library plugin into (built from a copy: pip builds
    in the source tree)."""
    source = tmp_path_factory.mktemp("source") / "mittelpunkt-library"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns("__pycache__", "build",
                                                                    "*.egg-info"))
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-build-isolation", "--target", str(site), str(source)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture
def installed_library(library_site: Path) -> Iterator[Path]:
    """The installed plugin visible to this process; afterwards the process is as before
    (its table leaves the shared metadata, so later tests never look for it)."""
    sys.path.insert(0, str(library_site))
    importlib.invalidate_caches()
    try:
        yield library_site
    finally:
        sys.path.remove(str(library_site))
        table = db.metadata.tables.get(TABLE)
        if table is not None:
            db.metadata.remove(table)
        importlib.invalidate_caches()


def differences(app) -> dict[str, list]:
    """What autogenerate would change, per migration track (empty: models and scripts agree)."""
    found = {}
    with app.app_context(), db.engine.connect() as connection:
        for track in tracks(app.extensions["mittelpunkt"]):
            context = MigrationContext.configure(connection, opts={
                "include_object": lambda obj, name, type_, r, c, track=track: (
                    track.owns(name) if type_ == "table" else track.owns(obj.table.name)),
                "compare_type": True})
            found[track.name] = compare_metadata(context, db.metadata)
    return found


def test_the_core_track_ignores_an_installed_plugin_loaded_or_not(installed_library,
                                                                  make_app):
    library = make_app(plugins=[NAME], migrate=False)  # found through its entry point
    record = library.extensions["mittelpunkt"].records[NAME]
    assert record.loaded and record.version == "1.0"
    output = library.test_cli_runner().invoke(args=["db", "upgrade"]).output
    assert f"{NAME}:" in output
    with library.app_context():
        assert TABLE in inspect(db.engine).get_table_names()
    assert differences(library) == {"core": [], NAME: []}  # its own track owns its table

    core_only = make_app()  # the built-in plugins: the library is installed, not loaded
    assert NAME not in core_only.extensions["mittelpunkt"].records
    assert TABLE in db.metadata.tables  # its model is in the shared metadata all the same
    owners = core_only.extensions["mittelpunkt"].table_owners()
    assert owners.owner(TABLE) is None and owners.owner("person") == "core"
    tables = {t.name for t in core_only.extensions["mittelpunkt"].app_tables()}
    assert TABLE not in tables and {"person", "consultations_topic", "kiosk_device"} <= tables
    assert differences(core_only) == {name: [] for name in differences(core_only)}


def test_the_cores_migration_tests_pass_with_the_plugin_installed(library_site):
    """The core's own test file, run with the plugin installed (on ``PYTHONPATH``)."""
    env = {**os.environ, "PYTHONPATH": str(library_site)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not postgres",
         "-k", "empty_sqlite or match_the_models", str(ROOT / "tests" / "test_migrations.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout, done.stdout
