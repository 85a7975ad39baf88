"""Polled fragments whose ETag is made from what they show: an unchanged poll is
answered 304 before any template is rendered; every change a screen must see (a new
ticket, a call, a status, another language or user, minutes passing) gives a new copy."""

from __future__ import annotations

from contextlib import contextmanager

from flask import template_rendered

from intranet.auth.models import Role
from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import NewCheckIn, change_status, create_checkin
from intranet.core.extensions import db
from intranet.core.fragments import keyed_fragment
from intranet.testing import add_user, login


@contextmanager
def rendered(app):
    names: list[str] = []

    def record(_sender, template, **_extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def ticket(app, token):
    with app.app_context():
        return create_checkin(NewCheckIn(plugin="consultations", purpose="walk_in",
                                         ticket_letter="B", language="de", token=token)).id


def test_the_queue_renders_only_when_it_changed(app):
    ticket(app, "keyed-one")
    add_user(app, "sam", role=Role.STAFF,
             permissions=["consultations.view", "consultations.edit"])
    client = app.test_client()
    login(client, "sam")
    first = client.get("/queue/")
    etag = first.headers["ETag"]
    with rendered(app) as names:
        again = client.get("/queue/", headers={"If-None-Match": etag})
    assert (again.status_code, again.data, names) == (304, b"", [])
    second = ticket(app, "keyed-two")
    with rendered(app) as names:
        changed = client.get("/queue/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "queue/_list.html" in names
    assert changed.headers["ETag"] != etag
    with app.app_context():
        change_status(db.session.get(CheckIn, second), CheckInStatus.LEFT)
    assert client.get("/queue/", headers={"If-None-Match": changed.headers["ETag"]}) \
        .status_code == 200
    in_english = client.get("/queue/?lang=en", headers={"If-None-Match": etag})
    assert in_english.status_code == 200


def test_the_board_and_todays_offers_render_only_when_they_changed(app, paired_kiosk):
    for path in ("/kiosk/board/calls", "/kiosk/offers/list"):
        etag = paired_kiosk.get(path).headers["ETag"]
        with rendered(app) as names:
            again = paired_kiosk.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, names) == (304, []), path


def test_the_key_decides_the_etag(app):
    with app.test_request_context("/"):
        one = keyed_fragment(("a", 1), lambda: "<p>a</p>")
        same = keyed_fragment(("a", 1), lambda: "<p>other bytes</p>")
        other = keyed_fragment(("a", 2), lambda: "<p>a</p>")
    assert one.headers["ETag"] == same.headers["ETag"] != other.headers["ETag"]
    with app.test_request_context("/", headers={"If-None-Match": one.headers["ETag"]}):
        def never() -> str:
            raise AssertionError("rendered although the poller has this copy")

        assert keyed_fragment(("a", 1), never).status_code == 304
