"""Demo data: a demo admin and a realistic week of offers, contributed by every plugin."""

from __future__ import annotations

from datetime import timedelta

from intranet.auth.models import Role, User
from intranet.auth.two_factor import exempt_user_ids, set_exempt
from intranet.core.extensions import db
from intranet.core.models import Room
from intranet.core.plugin_host import host
from intranet.core.timeutil import local_today
from intranet.demo.visits import add_demo_visits

DEMO_ROOMS = ("Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café", "Hof")


def load_demo(admin_password: str, visits: bool = True) -> None:
    """Fill an empty database; plugins add theirs through ``load_demo_data``.

    ``visits`` adds four weeks of past check-ins for the reports (tests that count
    check-ins of their own leave them out).
    """
    today = local_today()
    week_start = today - timedelta(days=today.weekday())
    admin = User(username="admin", display_name="Demo-Admin", role=Role.ADMIN, language="de")
    admin.set_password(admin_password)
    db.session.add(admin)
    db.session.flush()
    # A first try needs no phone: the demo admin alone is exempt from the second-factor
    # requirement (see README, "Second factor", for real use).
    set_exempt(exempt_user_ids() | {admin.id})
    db.session.add_all(Room(name=name, position=position) for position, name in enumerate(
        DEMO_ROOMS, start=1))
    host().call("load_demo_data", week_start=week_start)
    if visits:
        add_demo_visits()
    db.session.commit()
