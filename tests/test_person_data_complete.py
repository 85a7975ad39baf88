"""A person's export holds everything, and their erasure leaves nothing — in every table.

A marker is planted in every text column of every table linked to the person (found by
introspecting the metadata, so a column added later is planted too), the person is
exported and erased through the HTTP routes, and then:

- the export holds every marker;
- no marker is left anywhere in the database: on SQLite in the raw bytes of the file
  and its WAL (``secure_delete`` overwrites freed content), on PostgreSQL in the text of
  every row of every table — the audit log included;
- the aggregate report numbers are the same as before.

Columns that hold codes of choice lists (kept for the statistics) are listed in ``KEPT``
with a reason; every other text column must be exported and erased.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, select, text
from sqlalchemy import update as sql_update

from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.people.models import Consent, Person
from intranet.testing import add_user, host, login

VIEW, EDIT, EXPORT = "core.people_view", "core.people_edit", "core.people_export"
SUFFIX = "X7F3A"
DAY = date(2026, 3, 10)

# Text columns of person-linked tables that stay after an erasure, for the statistics:
# codes of choice lists or the house's own data, never anything typed about the person.
KEPT: dict[str, set[str]] = {
    "checkin": {"ticket", "plugin", "purpose", "language", "status", "room"},
    "consultations_record": {"kind", "language", "interpreter_language", "outcome"},
    # A random token the erasure itself sets ("one person" for the count of people helped).
    "job_orientation_appointment": {"status", "erased_as"},
    "job_orientation_outcome": {"kind"},
    "womens_courses_enrolment": {"status"},
    "school_guidance_talk": {"language", "age_group", "school_type"},
    "school_guidance_referral": {"kind"},
}
PERSON_TABLES = ("person", "checkin")


def marker(n: int) -> str:
    """Ten characters, upper case (a person code is upper case): fits a ``String(10)``."""
    return f"MK{n:03d}{SUFFIX}"


def linked_tables() -> list[Any]:
    """Every table holding a person's data: the person, tables with a foreign key to the
    person or a check-in, and tables hanging on those (a talk's referrals …)."""
    tables = {t.name: t for t in host().app_tables()}
    linked = {"person"}

    def points_to(table: Any, names: set[str]) -> bool:
        return any(fk.column.table.name in names for fk in table.foreign_keys)

    first = {name for name, t in tables.items() if points_to(t, set(PERSON_TABLES))}
    linked |= first
    linked |= {name for name, t in tables.items()
               if name not in linked and points_to(t, first - {"checkin"})}
    return [tables[name] for name in sorted(linked)]


def text_columns(table: Any) -> list[Any]:
    """The text columns of a table a marker fits in (shorter ones hold only codes)."""
    found = []
    for column in table.columns:
        if isinstance(column.type, JSON) or not isinstance(column.type, String | Text):
            continue
        if column.name in KEPT.get(table.name, set()) or column.primary_key:
            continue
        length = getattr(column.type, "length", None)
        if length is not None and length < len(marker(0)):
            continue  # e.g. person.country_of_origin (two letters)
        found.append(column)
    return found


def seed(app) -> None:
    """One person with something in every service area (codes valid, text ordinary)."""
    from plugins.consultations.models import Booking, Consultation, Release, Slot
    from plugins.consultations.models import Consent as CounsellingConsent
    from plugins.job_orientation.models import Appointment, Outcome
    from plugins.job_orientation.models import Consent as DocumentsConsent
    from plugins.school_guidance.models import Referral, Talk
    from plugins.womens_courses.models import Attendance, Course, Enrolment, Session

    with app.app_context():
        person = Person(nickname="Lina", year_of_birth=1937, gender="female",
                        languages=["ar", "de"], country_of_origin="SY", first_visit=DAY)
        db.session.add(person)
        db.session.flush()
        visits = [CheckIn(day=DAY, number=n, ticket=f"{letter}-{n}", plugin=plugin,
                          purpose=purpose, language="ar", first_visit=n == 1,
                          first_name="Lina", status="done", room="Beratung 1",
                          token=f"token-{n}", person_id=person.id)
                  for n, (letter, plugin, purpose) in enumerate(
                      [("B", "consultations", "walk_in"), ("F", "womens_courses", "course"),
                       ("C", "core", "cafe")], start=1)]
        db.session.add_all(visits)
        db.session.add(Consent(person_id=person.id, purpose="Photos", given_on=DAY,
                               note="asked twice"))
        db.session.flush()
        slot = Slot(starts_at=datetime.combine(DAY, time(10)), room="Beratung 1")
        db.session.add(slot)
        db.session.flush()
        db.session.add(Booking(slot_id=slot.id, person_id=person.id))
        db.session.add(Consultation(
            person_id=person.id, checkin_id=visits[0].id, held_at=datetime.combine(DAY, time(9)),
            kind="walk_in", language="ar", interpreter_language="ar",
            interpreter_name="Samir", outcome="referred", referral="Schuldnerberatung",
            follow_up_on=DAY + timedelta(days=7), note="confidential note"))
        db.session.add(CounsellingConsent(person_id=person.id, purpose="keep notes",
                                          given_on=DAY))
        db.session.add(Release(person_id=person.id, recipient="Jobcenter", scope="letters",
                               signed_on=DAY))
        course = Course(title="Deutsch A1")
        db.session.add(course)
        db.session.flush()
        enrolment = Enrolment(course_id=course.id, person_id=person.id, status="left",
                              reading_language="ar", enrolled_at=datetime.combine(DAY, time()),
                              left_at=datetime.combine(DAY, time(12)),
                              created_at=datetime.combine(DAY, time()))
        session = Session(course_id=course.id, day=DAY)
        db.session.add_all([enrolment, session])
        db.session.flush()
        db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id,
                                  present=True))
        db.session.add(Appointment(starts_at=datetime.combine(DAY, time(14)),
                                   person_id=person.id, status="held", topics=["cv"],
                                   documents_description="CV in Arabic", note="shy"))
        db.session.add(Outcome(person_id=person.id, kind="job", day=DAY, note="bakery"))
        db.session.add(DocumentsConsent(person_id=person.id, given_on=DAY))
        talk = Talk(day=DAY, person_id=person.id, language="ar", age_group="6_10",
                    school_type="grundschule", question="which school", next_step="visit")
        db.session.add(talk)
        db.session.flush()
        db.session.add(Referral(talk_id=talk.id, kind="homework_help"))
        db.session.commit()


def plant_markers(app) -> dict[str, str]:
    """Overwrite every text column of every row of every linked table with its own marker.

    The database holds this one person only, so every row of a linked table is theirs.
    Returns ``{marker: "table.column"}``.
    """
    planted: dict[str, str] = {}
    with app.app_context():
        for table in linked_tables():
            columns = text_columns(table)
            if not columns:
                continue
            keys = list(table.primary_key.columns)
            for row in db.session.execute(select(*keys)).all():
                values = {}
                for column in columns:
                    values[column.name] = marker(len(planted) + 1)
                    planted[values[column.name]] = f"{table.name}.{column.name}"
                where = [key == row[n] for n, key in enumerate(keys)]
                db.session.execute(sql_update(table).where(*where).values(values))
        db.session.commit()
        for value, where in planted.items():
            name, column = where.split(".")
            found = db.session.execute(
                text(f'SELECT count(*) FROM "{name}" WHERE "{column}" = :v'), {"v": value})
            assert found.scalar() == 1, where
    return planted


# Report tables that count people by what the register says about them (age, gender,
# origin, linked or not): an erased person is, by design, nobody any more. Every count of
# visits, consultations, referrals, courses, appointments and talks must stay.
PERSON_TABLES_OF_THE_REPORT = {"people_returning", "people_month", "age", "gender", "origin"}
PERSON_KEY_NUMBERS = {"People linked to a check-in"}


def report_numbers(app) -> Any:
    """Every number of the report for the seeded month, as plain data."""
    from intranet.reports.data import build_report

    with app.test_request_context("/?lang=en"):
        report = build_report(DAY.replace(day=1), DAY.replace(day=31))
        return {"total": report.total,
                "key": [(k.label, k.value) for k in report.key_numbers
                        if k.label not in PERSON_KEY_NUMBERS],
                "tables": [(t.key, t.title, [(r.label, r.values) for r in t.rows])
                           for t in report.all_tables()
                           if t.key not in PERSON_TABLES_OF_THE_REPORT]}


def staff_client(app):
    add_user(app, "edna", permissions=[VIEW, EDIT, EXPORT])
    client = app.test_client()
    assert login(client, "edna").status_code == 302
    client.get("/?lang=en")
    return client


def person_code(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Person.code))


def switch_off(app, name: str) -> None:
    with app.test_request_context():
        app.extensions["mittelpunkt"].set_enabled(name, False)


def export_and_erase(app, planted: dict[str, str]) -> None:
    """Through the pages (school guidance is switched off: it must take part all the same)."""
    from intranet.testing import DEFAULT_PASSWORD

    client = staff_client(app)
    code = person_code(app)
    assert code in planted  # the code is a marker too
    consent = {"purpose": marker(900), "given_on": DAY.isoformat(), "note": marker(901)}
    assert client.post(f"/people/{code}/consents", data=consent).status_code == 302
    planted.update({marker(900): "consent.purpose (typed)", marker(901): "consent.note (typed)"})

    refused = client.post(f"/people/{code}/export", data={"password": "wrong"})
    assert refused.status_code == 200 and "application/json" not in refused.content_type
    assert not [m for m in planted if m in refused.get_data(as_text=True)
                and planted[m].startswith(("consultations", "job_", "school_", "womens_"))]

    response = client.post(f"/people/{code}/export", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    data = json.loads(body)
    missing = {m: where for m, where in planted.items() if m not in body}
    assert missing == {}, f"not in the export: {sorted(missing.values())}"
    assert data["person"]["year_of_birth"] == 1937
    assert len(data["checkins"]) == 3 and len(data["consents"]) == 2
    assert {s["plugin"] for s in data["plugins"]} >= {
        "consultations", "womens_courses", "job_orientation", "school_guidance"}

    erased = client.post(f"/people/{code}/erase",
                         data={"code": code, "password": DEFAULT_PASSWORD})
    assert erased.status_code == 302, erased.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Person.id)) is None


def raw_bytes(app, database: Path) -> bytes:
    """The database file and its WAL as they lie on the disk (after a checkpoint)."""
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = database.read_bytes()
    wal = database.with_name(database.name + "-wal")
    return raw + (wal.read_bytes() if wal.exists() else b"")


def test_export_has_everything_and_erasure_leaves_nothing_in_the_sqlite_file(make_app):
    app = make_app()
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    seed(app)
    planted = plant_markers(app)
    assert len(planted) >= 20
    raw = raw_bytes(app, database)  # the search of the raw bytes does find them
    assert [m for m in planted if m.encode() not in raw] == []
    switch_off(app, "school_guidance")
    before = report_numbers(app)
    export_and_erase(app, planted)
    assert report_numbers(app) == before

    with app.app_context():
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
    raw = raw_bytes(app, database)
    left = {where for value, where in planted.items() if value.encode() in raw}
    assert left == set(), f"still in the database file: {sorted(left)}"
    assert SUFFIX.encode() not in raw


def test_database_files_are_private(make_app):
    app = make_app(plugins=[])
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    with app.app_context():
        db.session.add(Person(nickname="Lina"))
        db.session.commit()
        for path in (database, database.with_name(database.name + "-wal")):
            if path.exists():
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(app.instance_path).st_mode) == 0o700


def test_a_new_database_file_is_created_private(make_app, tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "fresh"
        app = make_app(plugins=[], migrate=False,
                       DATABASE_URL=f"sqlite:///{folder / 'new.sqlite3'}")
        with app.app_context():
            with db.engine.connect() as conn:
                conn.exec_driver_sql("CREATE TABLE t (x TEXT)")
                conn.exec_driver_sql("INSERT INTO t VALUES ('x')")
                conn.commit()
            for name in ("new.sqlite3", "new.sqlite3-wal", "new.sqlite3-shm"):
                path = folder / name
                if path.exists():
                    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name
    finally:
        os.umask(old)


@pytest.mark.postgres
def test_export_has_everything_and_erasure_leaves_nothing_on_postgresql(make_app,
                                                                        postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    seed(app)
    planted = plant_markers(app)
    switch_off(app, "school_guidance")
    before = report_numbers(app)
    export_and_erase(app, planted)
    assert report_numbers(app) == before
    with app.app_context():
        left = set()
        for table in host().app_tables():
            rows = db.session.execute(text(f'SELECT t::text FROM "{table.name}" t')).scalars()
            content = "\n".join(rows)
            left |= {f"{table.name}: {where}" for value, where in planted.items()
                     if value in content}
        assert left == set(), f"still in the database: {sorted(left)}"


def test_every_person_linked_table_is_covered(app):
    """The introspection finds the tables it must (a guard against a silent empty list)."""
    with app.app_context():
        names = {t.name for t in linked_tables()}
    assert {"person", "checkin", "consent", "consultations_record", "consultations_consent",
            "consultations_release", "job_orientation_appointment", "job_orientation_outcome",
            "school_guidance_talk", "school_guidance_referral",
            "womens_courses_enrolment"} <= names
    for table, columns in KEPT.items():
        assert table in names and columns <= {c.name for c in db.metadata.tables[table].c}
