"""`flask --app intranet plugins new NAME` writes a plugin that works once installed with pip."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from intranet.testing import add_user, login

NAME = "repair_cafe"


def run_new(app, *args):
    return app.test_cli_runner().invoke(args=["plugins", "new", *args])


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          timeout=180)


@pytest.fixture
def installed_skeleton(app, tmp_path):
    """Generate the plugin, pip-install it into this environment, uninstall afterwards."""
    result = run_new(app, NAME, "--directory", str(tmp_path), "--title", "Reparaturcafé",
                     "--letter", "R")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "mittelpunkt-repair-cafe"
    done = pip("install", "--quiet", "--no-deps", "--no-build-isolation", str(folder))
    assert done.returncode == 0, done.stderr
    importlib.invalidate_caches()
    try:
        yield folder
    finally:
        pip("uninstall", "--yes", "--quiet", "mittelpunkt-repair-cafe")
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]
        importlib.invalidate_caches()


def test_skeleton_files(app, tmp_path):
    result = run_new(app, NAME, "--directory", str(tmp_path), "--letter", "R")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "mittelpunkt-repair-cafe"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert files == {
        "pyproject.toml", "README.md", "conftest.py", f"{NAME}/__init__.py", f"{NAME}/views.py",
        f"{NAME}/templates/{NAME}/overview.html", f"{NAME}/tests/test_{NAME}.py",
    }
    assert f'{NAME} = "{NAME}"' in (folder / "pyproject.toml").read_text()
    compile((folder / NAME / "__init__.py").read_text(), "__init__.py", "exec")


@pytest.mark.parametrize("args, message", [
    (["Repair Cafe"], "is not a plugin name"),
    (["class"], "is not a plugin name"),
    (["consultations"], "already taken"),
    (["kiosk"], "already taken"),
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


def test_installed_skeleton_loads_and_offers_its_kiosk_purpose(installed_skeleton, make_app):
    from kiosk.models import KioskDevice
    from kiosk.pairing import new_pairing_code

    app = make_app(plugins=None)  # every installed plugin, the new one included
    record = app.extensions["mittelpunkt"].records[NAME]
    assert record.loaded and record.version == "0.1.0"

    add_user(app, "admin", role="admin")
    staff = app.test_client()
    login(staff, "admin")
    assert staff.get(f"/{NAME}/").status_code == 200
    assert f'href="/{NAME}/"' in staff.get("/").get_data(as_text=True)

    with app.app_context():
        from intranet.core.extensions import db

        device = KioskDevice(name="Eingang")
        db.session.add(device)
        db.session.flush()
        code = new_pairing_code(device)
        db.session.commit()
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/pair", data={"code": code}).status_code == 302
    page = kiosk.get("/kiosk/checkin").get_data(as_text=True)
    assert f'value="{NAME}:visit"' in page and "Reparaturcafé" in page


def test_the_skeletons_own_test_passes(installed_skeleton):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(Path(installed_skeleton) / NAME / "tests")],
                          cwd=installed_skeleton, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
