"""Fill a database with two years of a busy meeting point, for the benchmarks (issue 11).

    .venv/bin/python bench/seed_two_years.py INSTANCE_FOLDER [--scale 1.0]

The folder gets a migrated SQLite database with the demo data (``flask db upgrade`` and
``flask demo load``), then, by bulk inserts: 10,000 persons, 150,000 check-ins over the
last 730 days (waits, calls, people who left), 30,000 consultations, 200 women's courses
with 5,000 enrolments, and 500 offers. ``--scale 0.01`` makes a hundredth of it (the
test of this script). Everything is drawn from a fixed random seed, so two runs give the
same database. It takes well under two minutes at full scale. ``--scale 0`` leaves the
demo data alone (the benchmarks' small database).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

# The demo admin's password on every bench instance (throwaway databases on 127.0.0.1).
BENCH_PASSWORD = "bench password 2026"  # noqa: S105
FULL = {"persons": 10_000, "checkins": 150_000, "consultations": 30_000, "courses": 200,
        "enrolments": 5_000, "offers": 500}
DAYS = 730
BATCH = 5_000
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
AREAS = [("consultations", "walk_in", "B"), ("consultations", "appointment", "B"),
         ("womens_courses", "course", "F"), ("job_orientation", "application_help", "J"),
         ("school_guidance", "homework_help", "S"), ("core", "cafe", "C")]
LANGUAGES = ["de", "de", "ar", "ar", "tr", "ru", "fa", "uk", "en"]
ROOMS = ["Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café"]


def counts(scale: float) -> dict[str, int]:
    return {name: max(1, round(value * scale)) for name, value in FULL.items()}


def prepare(instance: Path) -> dict[str, str]:
    """A migrated database with the demo data in ``instance`` (made if missing)."""
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MITTELPUNKT_INSTANCE_PATH": str(instance),
           "MITTELPUNKT_NEW_PASSWORD": BENCH_PASSWORD}
    for args in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run([str(BIN / "flask"), "--app", "intranet", *args], env=env, check=True,
                       cwd=ROOT, capture_output=True)
    return env


def in_batches(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start:start + BATCH])


def seed(scale: float, today: date, rng: random.Random) -> dict[str, int]:
    """Insert everything into the app's database (inside an app context)."""
    from flask import current_app
    from sqlalchemy import func, select

    from intranet.checkins.models import CheckIn, CheckInCounter
    from intranet.core.extensions import db
    from intranet.offers.models import Offer
    from intranet.people.models import Person
    from plugins.consultations.models import Consultation
    from plugins.womens_courses.models import Course, Enrolment

    n = counts(scale)
    first_day = today - timedelta(days=DAYS - 1)
    connection = db.session.connection()
    person_start = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
    taken = set(db.session.scalars(select(Person.code)))
    persons = []
    for index in range(n["persons"]):
        code = ""
        while not code or code in taken:
            code = "P-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(5))
        taken.add(code)
        seen = first_day + timedelta(days=rng.randrange(DAYS))
        persons.append({"id": person_start + index, "code": code, "nickname": f"Gast {index}",
                        "year_of_birth": rng.randint(1950, 2010),
                        "gender": rng.choice(["female", "male", None]),
                        "languages": [rng.choice(LANGUAGES)],
                        "country_of_origin": rng.choice(["SY", "TR", "AF", "RU", "UA", None]),
                        "first_visit": seen,
                        "created_at": datetime.combine(seen, datetime.min.time())})
    in_batches(connection, Person.__table__, persons)
    person_ids = [row["id"] for row in persons]

    # Check-ins: numbered per day from after the demo's own, as the counter would.
    # (The demo's past visits are stored without the counter: read the numbers themselves.)
    numbers = dict(db.session.execute(select(CheckInCounter.day, CheckInCounter.last_number)).all())
    for day, last in db.session.execute(select(CheckIn.day, func.max(CheckIn.number))
                                        .group_by(CheckIn.day)).all():
        numbers[day] = max(numbers.get(day, 0), last)
    checkins = []
    checkin_start = (db.session.scalar(select(func.max(CheckIn.id))) or 0) + 1
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    open_days = [first_day + timedelta(days=offset) for offset in range(DAYS)
                 if (first_day + timedelta(days=offset)).weekday() != 6]
    for day in sorted(rng.choices(open_days, k=n["checkins"])):
        plugin, purpose, letter = rng.choice(AREAS)
        number = numbers.get(day, 0) + 1
        numbers[day] = number
        local = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=rng.randint(7, 15), minutes=rng.randrange(60), seconds=rng.randrange(60))
        # DateTime columns of check-ins hold naive UTC, as utcnow() writes them.
        created = local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
        left = rng.random() < 0.06
        called = None if left else created + timedelta(seconds=rng.randint(0, 45 * 60))
        checkins.append({
            "id": checkin_start + len(checkins), "day": day, "number": number,
            "ticket": f"{letter}-{number}", "plugin": plugin, "purpose": purpose,
            "language": rng.choice(LANGUAGES), "first_visit": rng.random() < 0.2,
            "status": "left" if left else "done", "urgent": False,
            "room": None if left else rng.choice(ROOMS), "created_at": created,
            "called_at": called, "started_at": called,
            "finished_at": (called or created) + timedelta(minutes=rng.randint(5, 40)),
            "person_id": rng.choice(person_ids) if rng.random() < 0.5 else None})
    in_batches(connection, CheckIn.__table__, checkins)
    # The counters the next check-in of each day would continue from.
    connection.execute(CheckInCounter.__table__.delete())
    in_batches(connection, CheckInCounter.__table__,
               [{"day": day, "last_number": last} for day, last in numbers.items()])

    walk_ins = [row for row in checkins if row["plugin"] == "consultations" and row["person_id"]]
    consultations = []
    for index in range(n["consultations"]):
        link = walk_ins[index] if index < len(walk_ins) else None
        held = link["created_at"] if link else datetime.combine(
            first_day + timedelta(days=rng.randrange(DAYS)), datetime.min.time()) + timedelta(
            hours=rng.randint(8, 16))
        consultations.append({
            "kind": "walk_in" if link else "appointment",
            "person_id": link["person_id"] if link else rng.choice(person_ids),
            "checkin_id": link["id"] if link else None, "held_at": held,
            "minutes": rng.choice([15, 30, 45, 60]), "language": rng.choice(LANGUAGES),
            "outcome": rng.choice(["advised", "referred", None]), "follow_up_done": False})
    in_batches(connection, Consultation.__table__, consultations)

    course_start = (db.session.scalar(select(func.max(Course.id))) or 0) + 1
    courses = [{"id": course_start + index, "title": f"Deutschkurs {index + 1}",
                "kind": "german", "level": rng.choice(["A1", "A2", "B1", "ohne Vorkenntnisse"]),
                "places": 25, "childcare_places": 5, "drop_in": False, "note": "",
                "active": index >= n["courses"] // 2, "lock_version": 0,
                "created_at": datetime.combine(first_day, datetime.min.time())}
               for index in range(n["courses"])]
    in_batches(connection, Course.__table__, courses)
    enrolments = [{"course_id": courses[index % len(courses)]["id"],
                   "person_id": person_ids[(index * 7) % len(person_ids)], "status": "enrolled",
                   "needs_childcare": rng.random() < 0.2, "to_call": False,
                   "reading_language": rng.choice(LANGUAGES),
                   "created_at": datetime.combine(first_day, datetime.min.time()),
                   "enrolled_at": datetime.combine(first_day, datetime.min.time())}
                  for index in range(n["enrolments"])]
    in_batches(connection, Enrolment.__table__, enrolments)

    offers = []
    for index in range(n["offers"]):
        plugin = rng.choice(["consultations", "womens_courses", "job_orientation",
                             "school_guidance", "core"])
        start = first_day + timedelta(days=rng.randrange(DAYS))
        weekly = rng.random() < 0.6
        hour = rng.randint(9, 17)
        offers.append({
            "service_area": plugin, "weekly": weekly, "first_date": start,
            "last_date": start + timedelta(weeks=rng.randint(4, 40)) if weekly else None,
            "start_time": datetime.min.replace(hour=hour).time(),
            "end_time": datetime.min.replace(hour=hour + 1).time(),
            "room": rng.choice(ROOMS), "titles": {"de": f"Angebot {index + 1}"},
            "descriptions": {}, "languages": ["de"], "audience": "everyone",
            "childcare": False, "registration_needed": rng.random() < 0.3})
    in_batches(connection, Offer.__table__, offers)
    db.session.commit()
    return {"persons": len(persons), "checkins": len(checkins),
            "consultations": len(consultations), "courses": len(courses),
            "enrolments": len(enrolments), "offers": len(offers)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    began = time.monotonic()
    env = prepare(args.instance)
    os.environ.update(env)
    from intranet import create_app
    from intranet.core.timeutil import local_today

    app = create_app()
    if args.scale <= 0:  # the demo database alone, the benchmarks' other side
        print(f"the demo database in {time.monotonic() - began:.0f} s")
        return
    with app.app_context():
        made = seed(args.scale, local_today(), random.Random(2026))
    print(", ".join(f"{value:,} {name}" for name, value in made.items()),
          f"in {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
