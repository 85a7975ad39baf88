"""Site settings and plugin switches are kept a moment per process (intranet.core.brief_cache):
a change counts at once where it was made, and on another worker of the same database once
``SHARED_STATE_SECONDS`` have passed."""

from __future__ import annotations

import pytest

from intranet.core import brief_cache
from intranet.core.extensions import db
from intranet.core.site_settings import save_setting, setting


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(brief_cache, "clock", lambda: now[0])
    return now


def two_workers(make_app, **settings):
    one = make_app(plugins=["job_orientation"], **settings)
    two = make_app(plugins=["job_orientation"], migrate=False,
                   DATABASE_URL=one.config["DATABASE_URL"], **settings)
    return one, two


def site_name(app):
    with app.test_request_context("/"):
        return setting("SITE_NAME")


def enabled(app):
    with app.test_request_context("/"):
        return app.extensions["mittelpunkt"].is_enabled("job_orientation")


def test_a_changed_setting_counts_here_at_once_and_elsewhere_within_the_seconds(make_app,
                                                                                clock):
    one, two = two_workers(make_app)
    before = site_name(two)
    with one.test_request_context("/"):
        save_setting("SITE_NAME", "Treffpunkt Nord")
        db.session.commit()
    assert site_name(one) == "Treffpunkt Nord"
    assert site_name(two) == before  # still the value it read a moment ago
    clock[0] += 2.1
    assert site_name(two) == "Treffpunkt Nord"


def test_a_plugin_switched_off_is_off_everywhere_within_the_seconds(make_app, clock):
    one, two = two_workers(make_app)
    assert enabled(one) and enabled(two)
    assert two.test_client().get("/job_orientation/").status_code == 302  # to the login
    with one.app_context():
        one.extensions["mittelpunkt"].set_enabled("job_orientation", False)
    assert not enabled(one)
    assert enabled(two)
    clock[0] += 2.1
    assert not enabled(two)
    assert two.test_client().get("/job_orientation/").status_code == 404


def test_zero_seconds_reads_on_every_request(make_app, clock):
    one, two = two_workers(make_app, SHARED_STATE_SECONDS=0)
    site_name(two)
    with one.test_request_context("/"):
        save_setting("SITE_NAME", "Treffpunkt Süd")
        db.session.commit()
    assert site_name(two) == "Treffpunkt Süd"


def test_a_kiosk_paired_on_one_worker_works_on_the_other_at_once(make_app, clock):
    from kiosk.models import KioskDevice
    from kiosk.pairing import COOKIE, devices_changed
    from kiosk.testing import pair

    one = make_app(plugins=["kiosk"])
    two = make_app(plugins=["kiosk"], migrate=False, DATABASE_URL=one.config["DATABASE_URL"])
    elsewhere = two.test_client()
    assert elsewhere.get("/kiosk/").status_code == 403  # not a kiosk: two keeps that list
    screen = pair(one)
    elsewhere.set_cookie(COOKIE, screen.get_cookie(COOKIE).value)
    assert elsewhere.get("/kiosk/").status_code == 200  # not in the kept list: asked anew

    with one.app_context():  # what the admin's "revoke" does
        db.session.get(KioskDevice, screen.kiosk_id).revoked_at = db.func.now()
        db.session.commit()
        devices_changed()
    assert screen.get("/kiosk/").status_code == 403
    assert elsewhere.get("/kiosk/").status_code == 200  # within the seconds
    clock[0] += 2.1
    assert elsewhere.get("/kiosk/").status_code == 403


def test_a_committed_change_of_a_room_is_seen_at_once_where_it_was_made(make_app, clock):
    from intranet.checkins.numbering import room_names
    from intranet.core.models import Room

    app = make_app(plugins=[])
    with app.app_context():
        before = room_names()
        db.session.add(Room(name="Gartenhaus", position=99))
        db.session.flush()
        assert room_names() == before  # not committed yet: nothing forgotten
        db.session.commit()
        assert room_names()[-1] == "Gartenhaus"
