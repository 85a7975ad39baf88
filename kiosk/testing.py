"""Pytest fixtures for tests that need a paired lobby kiosk (test client, no browser).

A pytest plugin of its own, registered through the entry-point group ``pytest11``
(``pyproject.toml``), next to ``intranet.testing``: the core's tests, the kiosk's and
any plugin's get these fixtures once the kiosk is installed, and the core's testing
module never names the kiosk.

``paired_kiosk`` is a client of the ``app`` fixture whose browser is paired as a kiosk;
``pair_kiosk(app, name="Eingang", lang="en")`` pairs one more on any app.
The browser tests' fixtures (Playwright) stay in ``kiosk/tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet.plugin import db
from intranet.testing import csrf_token
from kiosk.models import KioskDevice
from kiosk.pairing import new_pairing_code


class KioskClient(FlaskClient):
    """A test client whose cookies pair it as kiosk ``kiosk_id``."""

    kiosk_id: int


def new_kiosk(app: Flask, name: str = "Eingang") -> tuple[int, str]:
    """A kiosk device with a fresh one-time pairing code, made as the admin page makes
    it; returns its id and the code."""
    with app.app_context():
        device = KioskDevice(name=name)
        db.session.add(device)
        db.session.flush()
        code = new_pairing_code(device)
        db.session.commit()
        return device.id, code


def pair(app: Flask, name: str = "Eingang", lang: str | None = None) -> KioskClient:
    """A new client paired as a kiosk the way its browser is: it opens the pairing link
    and sends the form (with its CSRF token when protection is on). ``lang`` then picks
    the kiosk's language (``/kiosk/?lang=``)."""
    kiosk_id, code = new_kiosk(app, name)
    screen = KioskClient(app, app.response_class, use_cookies=True)
    data = {"code": code}
    token = csrf_token(screen, f"/kiosk/pair/{code}")
    if token:
        data["csrf_token"] = token
    response = screen.post("/kiosk/pair", data=data)
    assert response.status_code == 302, f"pairing failed: {response.status_code}"
    if lang:
        assert screen.get(f"/kiosk/?lang={lang}").status_code == 200
    screen.kiosk_id = kiosk_id
    return screen


@pytest.fixture
def pair_kiosk() -> Callable[..., KioskClient]:
    """Factory: ``pair_kiosk(app, name="Eingang", lang=None)``, a newly paired kiosk client."""
    return pair


@pytest.fixture
def paired_kiosk(app: Flask) -> KioskClient:
    """A kiosk paired on the ``app`` fixture (its device named "Eingang")."""
    return pair(app)
