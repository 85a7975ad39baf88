"""Demo data: a demo admin and a realistic week of offers, contributed by every plugin."""

from __future__ import annotations

from datetime import timedelta

from intranet.extensions import db
from intranet.models import Role, Room, User
from intranet.plugin_host import host
from intranet.timeutil import local_today

DEMO_ROOMS = ("Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café", "Hof")


def load_demo(admin_password: str) -> None:
    """Fill an empty database; plugins add theirs through ``load_demo_data``."""
    today = local_today()
    week_start = today - timedelta(days=today.weekday())
    admin = User(username="admin", display_name="Demo-Admin", role=Role.ADMIN, language="de")
    admin.set_password(admin_password)
    db.session.add(admin)
    db.session.add_all(Room(name=name, position=position) for position, name in enumerate(
        DEMO_ROOMS, start=1))
    host().call("load_demo_data", week_start=week_start)
    db.session.commit()
