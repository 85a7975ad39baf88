"""A wheel built from the repository carries everything an installed Mittelpunkt needs:
the core's compiled catalogs, the plugins' catalogs, babel.cfg, migrations and templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs in a Python without site (-S), so neither the editable install nor the checkout is
# seen: only the unpacked wheel and the virtualenv's dependencies.
PROBE = """
import sys
sys.path[:0] = [{target!r}, {deps!r}]
import intranet
assert intranet.__file__.startswith({target!r}), intranet.__file__
from intranet import create_app
app = create_app({{"INSTANCE_PATH": {instance!r}, "DATABASE_URL": "sqlite:///{instance}/db.sqlite3",
                  "SECRET_KEY": "x" * 32, "TWO_FACTOR_REQUIRED": False}})
runner = app.test_cli_runner()
result = runner.invoke(args=["db", "upgrade"])
assert result.exit_code == 0, result.output
page = app.test_client().get("/login")
assert page.status_code == 200, page.status_code
print(page.get_data(as_text=True))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: a build writes build/ and *.egg-info beside the sources, which
    # other test workers have on their import path.
    source = tmp_path_factory.mktemp("source") / "mittelpunkt"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "instance", "build", "*.egg-info", "__pycache__",
        "tests", ".pytest_cache", ".ruff_cache", ".mypy_cache"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(out)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("mittelpunkt-*.whl"))


def test_the_wheel_carries_catalogs_and_babel_config(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "intranet/babel.cfg" in names
    assert "intranet/catalogs/de/LC_MESSAGES/messages.mo" in names
    assert "kiosk/translations/ar/LC_MESSAGES/kiosk.mo" in names
    assert "intranet/migrations/env.py" in names
    assert not any(name.startswith(("tests/", "translations/")) for name in names)


def test_an_installed_wheel_runs_and_speaks_german(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    instance = tmp_path / "instance"
    instance.mkdir()
    deps = sysconfig.get_paths()["purelib"]
    probe = PROBE.format(target=str(target), deps=deps, instance=str(instance))
    done = subprocess.run([sys.executable, "-S", "-c", probe], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Anmelden" in done.stdout
