"""Beratung in the core's people register: the boxes on a person's page (never the note) and
merging two records of the same person (records, bookings, consents and releases move)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from intranet.plugin import Person, db, local_now, local_today
from intranet.testing import (
    PEOPLE_EDIT,
    PEOPLE_VIEW,
    add_person,
    audit_details,
    client_for,
    merge_people,
)
from plugins.consultations.models import (
    APPOINTMENT,
    WALK_IN,
    Booking,
    Consent,
    Consultation,
    Release,
    Slot,
    Topic,
)

NAME = "consultations"
VIEW, NOTES = f"{NAME}.view", f"{NAME}.read_notes"
SECRET = "Geheime Notiz über die Familie"


@pytest.fixture
def app(make_app):
    app = make_app(plugins=[NAME])
    with app.app_context():
        from plugins.consultations.demo import add_topics

        add_topics()
        db.session.commit()
    return app




def add_record(app, person_id, held_at, kind=WALK_IN, topics=("housing",), **fields) -> int:
    with app.app_context():
        record = Consultation(person_id=person_id, kind=kind, held_at=held_at, minutes=30,
                              language="ar", note=SECRET, **fields)
        record.topics = list(db.session.scalars(select(Topic).where(Topic.key.in_(topics))))
        db.session.add(record)
        db.session.commit()
        return record.id


def add_booking(app, person_id, starts_at, room="Beratungsraum") -> int:
    with app.app_context():
        slot = Slot(starts_at=starts_at, minutes=30, room=room)
        db.session.add(slot)
        db.session.add(Booking(slot=slot, person_id=person_id))
        db.session.commit()
        return slot.id


def now(app) -> datetime:
    with app.app_context():
        return local_now().replace(second=0, microsecond=0)


def note_reads(app) -> int:
    return len(audit_details(app, "note_read"))


# -- the boxes on the person's page -------------------------------------------------------------


def test_person_page_shows_consultations_and_upcoming_appointments_never_the_note(app):
    code, person_id = add_person(app, "Samira")
    moment = now(app)
    with app.app_context():
        today = local_today()
    walk_in = add_record(app, person_id, moment - timedelta(days=3), topics=("housing", "health"),
                         follow_up_on=today + timedelta(days=4))
    by_appointment = add_record(app, person_id, moment - timedelta(days=10), kind=APPOINTMENT,
                                topics=("debts",), follow_up_on=today - timedelta(days=8),
                                follow_up_done=True)
    future = moment + timedelta(days=2)
    add_booking(app, person_id, future, room="Raum Zukunft")
    add_booking(app, person_id, moment - timedelta(days=20), room="Raum Vergangenheit")

    # even someone who may read notes elsewhere sees no note here, and no read is audited
    counsellor = client_for(app, "berater", [PEOPLE_VIEW, VIEW, NOTES], lang="en")
    response = counsellor.get(f"/people/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Consultations" in page and "Upcoming appointments" in page
    assert f'href="/consultations/records/{walk_in}"' in page
    assert f'href="/consultations/records/{by_appointment}"' in page
    assert "Walk-in" in page and "By appointment" in page
    assert "Housing, Health" in page and "Debts" in page
    assert page.count("follow-up due") == 1  # the done one is no longer due
    assert "Raum Zukunft" in page and "Raum Vergangenheit" not in page
    assert f'href="/consultations/calendar?week={future.date().isoformat()}"' in page
    assert page.index(f"records/{walk_in}") < page.index(f"records/{by_appointment}")
    assert SECRET not in page and "Geheime" not in page
    assert note_reads(app) == 0

    # without consultations.view the core hides both boxes
    outsider = client_for(app, "empfang", [PEOPLE_VIEW], lang="en")
    other = outsider.get(f"/people/{code}").get_data(as_text=True)
    assert "Upcoming appointments" not in other and "/consultations/" not in other
    assert "Walk-in" not in other and SECRET not in other


def test_boxes_are_german_and_long_histories_link_to_the_plugins_person_page(app):
    code, person_id = add_person(app, "Samira")
    moment = now(app)
    for n in range(12):
        add_record(app, person_id, moment - timedelta(days=n + 1))
    page = client_for(app, "berater", [PEOPLE_VIEW, VIEW], lang="de").get(
        f"/people/{code}").get_data(as_text=True)
    assert len(re.findall(r'href="/consultations/records/\d+"', page)) == 10
    assert "2 frühere Beratungen" in page
    assert f'href="/consultations/people/{code}"' in page
    assert "Ohne Termin" in page and "Wohnen" in page
    assert "Keine bevorstehenden Termine." in page  # the empty appointments box


def test_nothing_in_consultations_means_no_box(app):
    code, _person_id = add_person(app, "Samira")
    berater = client_for(app, "berater", [PEOPLE_VIEW, VIEW], lang="en")
    page = berater.get(f"/people/{code}").get_data(as_text=True)
    assert "Upcoming appointments" not in page and "/consultations/records/" not in page


# -- merging two records of one person ----------------------------------------------------------


def test_merge_moves_records_bookings_consents_and_releases(app):
    source, source_id = add_person(app, "Samira")
    target, target_id = add_person(app, "Samira")
    moment = now(app)
    record = add_record(app, source_id, moment - timedelta(days=5))
    own_record = add_record(app, target_id, moment - timedelta(days=1))
    source_slot = add_booking(app, source_id, moment + timedelta(days=3))
    target_slot = add_booking(app, target_id, moment + timedelta(days=3))  # a parallel slot
    with app.app_context():
        for person_id in (source_id, target_id):  # the same consent, given twice
            db.session.add(Consent(person_id=person_id, purpose="Gesundheitsdaten",
                                   given_on=date(2026, 1, 5)))
        db.session.add(Release(person_id=source_id, recipient="Jobcenter",
                               signed_on=date(2026, 1, 5)))
        db.session.commit()

    editor = client_for(app, "leitung", [PEOPLE_VIEW, PEOPLE_EDIT, VIEW], lang="en")
    merge_people(editor, source, target)

    with app.app_context():
        assert db.session.get(Person, source_id) is None
        assert db.session.scalar(select(func.count()).select_from(Person)) == 1
        for model in (Consultation, Booking, Consent, Release):
            assert set(db.session.scalars(select(model.person_id))) == {target_id}, model
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 2  # both stay
        assert {b.slot_id for b in db.session.scalars(select(Booking))} == {source_slot,
                                                                            target_slot}
        assert db.session.get(Consultation, record).note == SECRET  # the record is untouched
    [merged] = audit_details(app, "persons_merged")
    assert merged["plugins"] == {NAME: 4}  # record, booking, consent, release

    page = editor.get(f"/people/{target}").get_data(as_text=True)
    assert f"/consultations/records/{record}" in page
    assert f"/consultations/records/{own_record}" in page
    assert editor.get(f"/people/{source}").status_code == 404


def test_merge_of_a_person_without_consultations_moves_nothing(app):
    source, _ = add_person(app, "Samira")
    target, target_id = add_person(app, "Samira")
    add_record(app, target_id, datetime.combine(date(2026, 1, 5), time(10)))
    editor = client_for(app, "leitung", [PEOPLE_VIEW, PEOPLE_EDIT], lang="en")
    merge_people(editor, source, target)
    [merged] = audit_details(app, "persons_merged")
    assert merged["plugins"] == {NAME: 0}
    with app.app_context():
        assert set(db.session.scalars(select(Consultation.person_id))) == {target_id}
