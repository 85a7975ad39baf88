"""Demo data: a demo admin and a realistic week of offers, contributed by every plugin."""

from __future__ import annotations

from sqlalchemy import func, select

from intranet.auth.models import Role, User
from intranet.auth.two_factor import exempt_user_ids, set_exempt
from intranet.core.extensions import db
from intranet.core.models import Room
from intranet.core.plugin_host import host
from intranet.demo.visits import add_demo_visits
from intranet.offers.weeks import this_monday

DEMO_ROOMS = ("Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café", "Hof")
# The rooms' names in the visitors' languages, for the board's second line and its call-outs.
DEMO_ROOM_NAMES: dict[str, dict[str, str]] = {
    "Beratungsraum": {"en": "Counselling room", "tr": "Danışma odası", "ru": "Кабинет консультаций",
                      "ar": "غرفة الاستشارة", "fa": "اتاق مشاوره", "uk": "Кабінет консультацій"},
    "Kursraum 1": {"en": "Course room 1", "tr": "Kurs odası 1", "ru": "Учебный класс 1",
                   "ar": "قاعة الدورات 1", "fa": "اتاق کورس ۱", "uk": "Навчальний клас 1"},
    "Kursraum 2": {"en": "Course room 2", "tr": "Kurs odası 2", "ru": "Учебный класс 2",
                   "ar": "قاعة الدورات 2", "fa": "اتاق کورس ۲", "uk": "Навчальний клас 2"},
    "Büro": {"en": "Office", "tr": "Ofis", "ru": "Офис", "ar": "المكتب", "fa": "دفتر",
             "uk": "Офіс"},
    "Café": {"en": "Café", "tr": "Kafe", "ru": "Кафе", "ar": "المقهى", "fa": "کافه",
             "uk": "Кафе"},
    "Hof": {"en": "Courtyard", "tr": "Avlu", "ru": "Двор", "ar": "الفناء", "fa": "حیاط",
            "uk": "Подвір'я"},
}


def load_demo(admin_password: str, visits: bool = True) -> None:
    """Fill an empty database; plugins add theirs through ``load_demo_data``.

    ``visits`` adds four weeks of past check-ins for the reports (tests that count
    check-ins of their own leave them out).
    """
    week_start = this_monday()
    admin = User(username="admin", display_name="Demo-Admin", role=Role.ADMIN, language="de")
    admin.set_password(admin_password)
    db.session.add(admin)
    db.session.flush()
    # A first try needs no phone: the demo admin alone is exempt from the second-factor
    # requirement (see README, "Second factor", for real use).
    set_exempt(exempt_user_ids() | {admin.id})
    db.session.add_all(Room(name=name, position=position, translations=DEMO_ROOM_NAMES[name])
                       for position, name in enumerate(DEMO_ROOMS, start=1))
    host().call("load_demo_data", week_start=week_start)
    if visits:
        add_demo_visits()
    db.session.commit()


def load_plugin_demo(name: str) -> None:
    """Add one plugin's demo week to a database that holds the rest already (a plugin
    installed later). Refused, with a reason, for an unknown or switched-off plugin and for
    one whose tables or offers hold data already: demo data never mixes with real data."""
    from intranet.offers.models import Offer

    plugins = host()
    if name not in plugins.records or not plugins.records[name].loaded:
        known = ", ".join(r.name for r in plugins.plugins() if r.loaded)
        raise ValueError(f"no plugin named {name!r} is loaded (loaded: {known})")
    if not plugins.is_enabled(name):
        raise ValueError(f"plugin {name!r} is switched off")
    tables = [db.metadata.tables[table_name] for table_name in plugins.tables_of(name)]
    filled = [table.name for table in tables
              if db.session.scalar(select(func.count()).select_from(table))]
    if db.session.scalar(select(func.count()).select_from(Offer)
                         .where(Offer.service_area == name)):
        filled.append("offer")
    if filled:
        raise ValueError(f"plugin {name!r} has data already ({', '.join(filled)}); "
                         "demo data goes only into empty tables")
    plugins.call_one(name, "load_demo_data", week_start=this_monday())
    db.session.commit()

