"""Demo visits: four weeks of kiosk check-ins, so reports and the queue have something to show.

Made-up but plausible: more visitors on consultation mornings, several
languages, returning visitors linked to pseudonymous people. Seeded, so every
demo database holds the same visits.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.core.extensions import db
from intranet.core.gather import all_purposes, area_info
from intranet.core.timeutil import local_today
from intranet.people.models import Person

WEEKS = 4
# (nickname, year of birth, gender, languages, country)
PEOPLE = [
    ("Amira", 1988, "female", ["ar", "de"], "SY"), ("Yusuf", 1975, "male", ["tr"], "TR"),
    ("Olena", 1991, "female", ["uk", "ru"], "UA"), ("Farid", 1983, "male", ["fa"], "AF"),
    ("Zahra", 1996, "female", ["fa"], "AF"), ("Dmitri", 1969, "male", ["ru", "de"], "KZ"),
    ("Leyla", 2001, "female", ["tr", "de"], "DE"), ("Hassan", 1979, "male", ["ar"], "SY"),
    ("Marija", 1985, "female", ["sr", "de"], "RS"), ("Arben", 1993, "male", ["sq"], "XK"),
    ("Nadia", 1998, "female", ["ar"], "IQ"), ("Sabine", 1960, "female", ["de"], "DE"),
    ("Karim", 2004, "male", ["ar", "de"], "SY"), ("Mariam", 1990, "female", ["ps", "fa"], "AF"),
    ("Oksana", 1972, "female", ["uk"], "UA"), ("Ali", 1987, "male", ["ku", "tr"], "TR"),
]
LANGUAGES = ["de"] * 5 + ["ar"] * 5 + ["tr"] * 3 + ["fa"] * 3 + ["ru"] * 2 + ["uk"] * 2 + ["en"]


def add_demo_visits(seed: int = 20261126) -> int:
    """Add the visits of the last four weeks (weekdays before today); return how many."""
    rng = random.Random(seed)
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    today = local_today()
    people = [Person(nickname=name, year_of_birth=year, gender=gender, languages=languages,
                     country_of_origin=country) for name, year, gender, languages, country
              in PEOPLE]
    db.session.add_all(people)
    db.session.flush()
    purposes = all_purposes("de")
    weights = [4 if p.plugin == "consultations" else 2 if p.plugin != "core" else 1
               for p in purposes]
    count = 0
    monday = today - timedelta(days=today.weekday(), weeks=WEEKS)
    for offset in range(WEEKS * 7 + today.weekday()):
        day = monday + timedelta(days=offset)
        if day >= today or day.weekday() >= 5:
            continue
        visits = rng.randint(8, 16) + (6 if day.weekday() in (0, 2) else 0)
        for number in range(1, visits + 1):
            purpose = rng.choices(purposes, weights)[0]
            info = area_info(purpose.plugin)
            letter = purpose.ticket_letter or (info.ticket_letter if info else "C")
            person = rng.choice(people) if rng.random() < 0.45 else None
            local = datetime.combine(day, time(9)) + timedelta(minutes=rng.randint(0, 420))
            created = local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
            called = created + timedelta(minutes=rng.randint(2, 40))
            left = rng.random() < 0.06
            db.session.add(CheckIn(
                day=day, number=number, ticket=f"{letter}-{number}", plugin=purpose.plugin,
                purpose=purpose.key, language=rng.choice(LANGUAGES),
                first_visit=None if rng.random() < 0.1 else (person is None
                                                             and rng.random() < 0.4),
                first_name=person.nickname if person and rng.random() < 0.7 else None,
                status=CheckInStatus.LEFT if left else CheckInStatus.DONE,
                created_at=created, called_at=None if left else called,
                started_at=None if left else called + timedelta(minutes=1),
                finished_at=called + timedelta(minutes=rng.randint(10, 50)),
                person_id=person.id if person else None,
            ))
            if person and (person.first_visit is None or day < person.first_visit):
                person.first_visit = day
            count += 1
    return count

