"""Beratung records: one click from a waiting ticket, confidential notes (who reads, every read
audited), consent and releases, the appointment calendar (no double booking, also under
concurrent requests), topics, widgets, metrics, export and erasure."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from intranet.plugin import (
    CheckIn,
    Metric,
    NavItem,
    NewCheckIn,
    Person,
    User,
    Widget,
    create_checkin,
    db,
    local_today,
)
from intranet.testing import (
    add_user,
    audit_entries,
    client_for,
    demo_client,
    erase_person,
    export_person,
    metrics_of,
)
from plugins.consultations.models import (
    Booking,
    Consent,
    Consultation,
    Release,
    Slot,
    Topic,
)

NAME = "consultations"
VIEW, EDIT, NOTES = f"{NAME}.view", f"{NAME}.edit", f"{NAME}.read_notes"
SECRET = "Geheime Notiz über die Familie"


@pytest.fixture
def app(make_app):
    app = make_app(plugins=[NAME])
    with app.app_context():
        from plugins.consultations.demo import add_topics

        add_topics()
        db.session.commit()
    return app



def topic_id(app, key):
    with app.app_context():
        return db.session.scalar(select(Topic.id).where(Topic.key == key))



def new_record(app, client, **fields):
    data = {"nickname": "Samira", "kind": "walk_in", "held_on": local_day(app).isoformat(),
            "held_time": "10:15", "minutes": "30", "topics": [topic_id(app, "housing")],
            "language": "ar", "interpreter_language": "ar", "interpreter_name": "Nour",
            "outcome": "referred", "referral": "Mieterverein", "note": SECRET}
    data.update(fields)
    response = client.post("/consultations/records/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def local_day(app):
    with app.app_context():
        return local_today()


# -- one click from the waiting ticket -------------------------------------------------------


def test_queue_offers_open_consultation_for_counselling_tickets_only(app):
    with app.app_context():
        counselling = create_checkin(NewCheckIn(plugin=NAME, purpose="walk_in",
                                                ticket_letter="B", language="fa",
                                                first_name="Reza")).id
        cafe = create_checkin(NewCheckIn(plugin="core", purpose="cafe", ticket_letter="C",
                                         language="de")).id
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        ticket, other = db.session.get(CheckIn, counselling), db.session.get(CheckIn, cafe)
        links = host.collect("queue_actions", NavItem, checkin=ticket, user=None)
        assert host.collect("queue_actions", NavItem, checkin=other, user=None) == []
    assert [(link.endpoint, link.url_values, link.permission) for link in links] == [
        ("consultations.new_record", {"checkin": counselling}, EDIT)]

    editor = client_for(app, "berater", [VIEW, EDIT])
    viewer = client_for(app, "praktikant", [VIEW])
    queue = editor.get("/queue/?lang=en").get_data(as_text=True)
    assert f'href="/consultations/records/new?checkin={counselling}"' in queue
    assert "Open consultation" in queue
    assert "records/new" not in viewer.get("/queue/").get_data(as_text=True)

    # the one click: a form prefilled from the ticket
    form = editor.get(f"/consultations/records/new?checkin={counselling}&lang=de")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert 'value="Reza"' in page and "Wartenummer B-" in page
    assert re.search(r'<option selected value="fa">|<option value="fa" selected', page)
    with app.app_context():  # a record is being written: the queue shows the visitor as seen
        assert db.session.get(CheckIn, counselling).status == "in_progress"
    record_id = new_record(app, editor, nickname="Reza", language="fa")
    with app.app_context():
        record = db.session.get(Consultation, record_id)
        assert record.checkin_id is None  # posted without ?checkin: not linked
    response = editor.post(f"/consultations/records/new?checkin={counselling}", data={
        "nickname": "Reza", "kind": "walk_in", "held_on": local_day(app).isoformat(),
        "held_time": "09:40", "topics": [topic_id(app, "residence")], "language": "fa"})
    assert response.status_code == 302
    with app.app_context():
        linked = db.session.scalar(select(Consultation).where(
            Consultation.checkin_id == counselling))
        assert linked.person.nickname == "Reza" and linked.kind == "walk_in"
        assert db.session.get(CheckIn, counselling).person_id == linked.person_id
        assert db.session.get(CheckIn, counselling).status == "done"  # saved: off the queue
        linked_id = linked.id
    # a second click on the same ticket leads to the record, not to a second one
    again = editor.get(f"/consultations/records/new?checkin={counselling}")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/consultations/records/{linked_id}")
    assert editor.get(f"/consultations/records/new?checkin={cafe}").status_code == 404
    assert editor.get("/consultations/records/new?checkin=99999").status_code == 404
    assert viewer.get(f"/consultations/records/new?checkin={counselling}").status_code == 403


# -- confidential notes ----------------------------------------------------------------------


def test_only_read_notes_shows_the_note_and_every_read_is_audited(app):
    editor = client_for(app, "berater", [VIEW, EDIT, NOTES])
    record_id = new_record(app, editor)
    viewer = client_for(app, "kollegin", [VIEW])
    reader = client_for(app, "leitung", [VIEW, NOTES])

    page = viewer.get(f"/consultations/records/{record_id}").get_data(as_text=True)
    assert SECRET not in page and "Mieterverein" in page and "Nour" in page
    assert audit_entries(app, "note_read", record_id) == []

    for _ in range(2):
        page = reader.get(f"/consultations/records/{record_id}").get_data(as_text=True)
        assert SECRET in page
    entries = audit_entries(app, "note_read", record_id)
    assert len(entries) == 2
    with app.app_context():
        reader_id = db.session.scalar(select(User.id).where(User.username == "leitung"))
    assert {e.user_id for e in entries} == {reader_id}
    assert all(e.plugin == NAME and e.object_type == "consultation" for e in entries)

    # the edit form shows the note too: that is a read as well
    assert SECRET in editor.get(f"/consultations/records/{record_id}/edit").get_data(
        as_text=True)
    assert len(audit_entries(app, "note_read", record_id)) == 3
    # other pages list the record without the note, and read nothing
    with app.app_context():
        code = db.session.get(Consultation, record_id).person.code
    for url in ("/consultations/records", f"/consultations/people/{code}"):
        assert SECRET not in reader.get(url).get_data(as_text=True)
    assert len(audit_entries(app, "note_read", record_id)) == 3


def test_edit_without_read_notes_keeps_the_note_and_is_audited(app):
    editor = client_for(app, "berater", [VIEW, EDIT, NOTES])
    record_id = new_record(app, editor)
    blind = client_for(app, "aushilfe", [VIEW, EDIT])
    form = blind.get(f"/consultations/records/{record_id}/edit").get_data(as_text=True)
    assert SECRET not in form and 'name="note"' not in form
    response = blind.post(f"/consultations/records/{record_id}/edit", data={
        "kind": "walk_in", "held_on": local_day(app).isoformat(), "held_time": "10:15",
        "topics": [topic_id(app, "housing"), topic_id(app, "debts")], "language": "ar",
        "outcome": "follow_up", "follow_up_on": (local_day(app) + timedelta(days=7)).isoformat(),
        "note": "overwritten?"})
    assert response.status_code == 302
    with app.app_context():
        record = db.session.get(Consultation, record_id)
        assert record.note == SECRET
        assert {t.key for t in record.topics} == {"housing", "debts"}
        assert record.outcome == "follow_up" and record.interpreter_language is None
    updated = audit_entries(app, "consultation_updated", record_id)
    assert len(updated) == 1
    assert {"topics", "outcome", "follow_up_on"} <= set(updated[0].detail["fields"])
    assert "note" not in updated[0].detail["fields"]
    assert audit_entries(app, "note_read", record_id) == []
    assert len(audit_entries(app, "consultation_created", record_id)) == 1


def test_validation_errors_beside_the_fields_in_german_nothing_lost(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    response = editor.post("/consultations/records/new", data={
        "nickname": "Anna Schmidt", "kind": "walk_in", "held_on": "", "held_time": "10:00",
        "language": "de", "referral": "Schuldnerberatung", "interpreter_name": "Herr K."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "kein vollständiger Name" in page  # the nickname rule
    assert "Wähle mindestens ein Thema" in page or "mindestens ein Thema" in page
    assert "Sprache" in page and 'value="Schuldnerberatung"' in page
    assert 'value="Anna Schmidt"' in page
    response = editor.post("/consultations/records/new", data={
        "person_code": "P-NOPE9", "kind": "walk_in", "held_on": "2026-01-05",
        "held_time": "10:00", "language": "de", "topics": [topic_id(app, "work")]})
    assert response.status_code == 400
    assert "Keine Person hat diesen Code" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Consultation.id))) == 0
        assert db.session.scalar(select(func.count(Person.id))) == 0
    assert editor.get("/consultations/records/4711").status_code == 404
    assert editor.get("/consultations/records/4711/edit").status_code == 404
    assert editor.get("/consultations/people/P-NOPE9").status_code == 404


def test_existing_person_by_code_and_follow_up_done(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    first = new_record(app, editor, follow_up_on=local_day(app).isoformat())
    with app.app_context():
        code = db.session.get(Consultation, first).person.code
    second = new_record(app, editor, person_code=code.lower(), nickname="")
    with app.app_context():
        records = [db.session.get(Consultation, i) for i in (first, second)]
        assert records[0].person_id == records[1].person_id
        assert records[0].follow_up_due
    response = editor.post(f"/consultations/records/{first}/follow-up-done")
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(Consultation, first).follow_up_due


# -- consent and releases -------------------------------------------------------------------


def test_consent_and_releases_with_expiry_on_the_person_and_record(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    record_id = new_record(app, editor)
    with app.app_context():
        code = db.session.get(Consultation, record_id).person.code
    today = local_day(app)
    assert editor.post(f"/consultations/people/{code}/consents", data={
        "purpose": "Gesundheitsdaten", "given_on": today.isoformat()}).status_code == 302
    assert editor.post(f"/consultations/people/{code}/releases", data={
        "recipient": "Jobcenter", "scope": "Bescheid", "signed_on": today.isoformat(),
        "expires_on": (today + timedelta(days=90)).isoformat()}).status_code == 302
    assert editor.post(f"/consultations/people/{code}/releases", data={
        "recipient": "Ausländerbehörde", "signed_on": (today - timedelta(days=400)).isoformat(),
        "expires_on": (today - timedelta(days=30)).isoformat()}).status_code == 302
    bad = editor.post(f"/consultations/people/{code}/releases", data={
        "recipient": "Schule", "signed_on": today.isoformat(),
        "expires_on": (today - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "nicht enden, bevor" in bad.get_data(as_text=True)
    for url in (f"/consultations/people/{code}", f"/consultations/records/{record_id}"):
        page = editor.get(url).get_data(as_text=True)
        assert "Gesundheitsdaten" in page and "Jobcenter" in page
        assert re.search(r"consultations-expired.*Ausländerbehörde.*abgelaufen", page, re.S)
    with app.app_context():
        assert db.session.scalar(select(func.count(Release.id))) == 2
        consent = db.session.scalar(select(Consent))
        assert consent.recorded_by is not None
    assert editor.post(f"/consultations/people/{code}/consents/{consent.id}/withdraw"
                       ).status_code == 302
    assert "widerrufen am" in editor.get(f"/consultations/people/{code}").get_data(as_text=True)
    assert len(audit_entries(app, "release_recorded")) == 2
    assert len(audit_entries(app, "consent_withdrawn")) == 1


# -- calendar ---------------------------------------------------------------------------------


def next_monday(app):
    today = local_day(app)
    return today + timedelta(days=7 - today.weekday())


def add_slots(app, client, day, start="10:00", end="12:00", minutes="30"):
    return client.post("/consultations/calendar/slots", data={
        "day": day.isoformat(), "start": start, "end": end, "minutes": minutes,
        "room": "Beratungsraum", "interpreter_language": "fa"})


def test_slots_are_created_and_the_week_moves_with_htmx(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    monday = next_monday(app)
    assert add_slots(app, editor, monday + timedelta(days=2)).status_code == 302
    assert add_slots(app, editor, monday + timedelta(days=2)).status_code == 302  # no doubles
    with app.app_context():
        starts = db.session.scalars(select(Slot.starts_at).order_by(Slot.starts_at)).all()
    wednesday = monday + timedelta(days=2)
    assert starts == [datetime.combine(wednesday, time(h, m))
                      for h, m in ((10, 0), (10, 30), (11, 0), (11, 30))]
    bad = editor.post("/consultations/calendar/slots", data={
        "day": wednesday.isoformat(), "start": "12:00", "end": "10:00", "minutes": "30"},
        follow_redirects=True)
    assert "Das Ende muss nach dem Beginn liegen" in bad.get_data(as_text=True)

    page = editor.get(f"/consultations/calendar?week={monday.isoformat()}").get_data(
        as_text=True)
    assert page.count("consultations-slot free") == 4 and "<html" in page
    assert 'hx-get="/consultations/calendar?week=' in page
    fragment = editor.get(f"/consultations/calendar?week={monday.isoformat()}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.count("consultations-slot free") == 4
    previous = editor.get(f"/consultations/calendar?week={(monday - timedelta(days=7))}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "consultations-slot" not in previous
    viewer = client_for(app, "praktikant", [VIEW])
    assert viewer.get("/consultations/calendar").status_code == 200
    assert add_slots(app, viewer, wednesday).status_code == 403


def book(client, slot_id, **data):
    return client.post(f"/consultations/slots/{slot_id}/book", data=data)


def test_booking_a_slot_and_never_twice(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    monday = next_monday(app)
    add_slots(app, editor, monday, "10:00", "11:00")
    with app.app_context():
        first, second = db.session.scalars(select(Slot.id).order_by(Slot.starts_at)).all()
    assert editor.get(f"/consultations/slots/{first}/book").status_code == 200
    bad = book(editor, first)
    assert bad.status_code == 400 and "Code" in bad.get_data(as_text=True)
    assert book(editor, first, nickname="Layla", year_of_birth="1990").status_code == 302
    taken = book(editor, first, nickname="Jamal")
    assert taken.status_code == 409
    assert "gerade von jemand anderem gebucht" in taken.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 1
        assert db.session.scalar(select(func.count(Person.id))) == 1
        layla = db.session.scalar(select(Person).where(Person.nickname == "Layla"))
        code = layla.code
    assert book(editor, second, person_code=code).status_code == 302
    # an appointment opens a record prefilled from the booking
    form = editor.get(f"/consultations/records/new?slot={first}").get_data(as_text=True)
    assert f'value="{code}"' in form and 'value="10:00"' in form
    # cancelling frees the slot; removing is for free slots only
    assert editor.post(f"/consultations/slots/{second}/cancel").status_code == 302
    assert editor.post(f"/consultations/slots/{first}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Slot, first) is not None  # booked: not removed
        assert db.session.get(Slot, second).booking is None
    assert editor.post(f"/consultations/slots/{second}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Slot, second) is None
    assert editor.get("/consultations/slots/4711/book").status_code == 404


def test_concurrent_bookings_of_one_slot_exactly_one_wins(app):
    """Many staff press "Book" for the same slot at the same moment, on the real SQLite file."""
    admin = client_for(app, "chefin", role="admin")
    add_slots(app, admin, next_monday(app), "10:00", "10:30")
    with app.app_context():
        slot_id = db.session.scalar(select(Slot.id))
    count = 8
    clients = [client_for(app, f"berater{n}", [VIEW, EDIT]) for n in range(count)]
    barrier = threading.Barrier(count)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        response = book(clients[n], slot_id, nickname=f"Gast{chr(65 + n)}")
        with lock:
            results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    codes = sorted(code for code, _page in results)
    assert codes == [302] + [409] * (count - 1)
    assert all("gerade von jemand anderem gebucht" in page
               for code, page in results if code == 409)
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 1
        # the losers' new persons were rolled back with their booking
        assert db.session.scalar(select(func.count(Person.id))) == 1


# -- topics ---------------------------------------------------------------------------------


def test_topics_add_rename_reorder_and_switch_off(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    viewer = client_for(app, "praktikant", [VIEW])
    assert viewer.get("/consultations/topics").status_code == 403
    page = editor.get("/consultations/topics").get_data(as_text=True)
    assert "Aufenthalt und Asyl" in page
    bad = editor.post("/consultations/topics", data={"label_de": "Rente"})
    assert bad.status_code == 400 and 'value="Rente"' in bad.get_data(as_text=True)
    assert editor.post("/consultations/topics", data={
        "label_de": "Rente", "label_en": "Pension", "label_ar": "التقاعد"}).status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.key == "pension"))
        assert topic.labels == {"de": "Rente", "en": "Pension", "ar": "التقاعد"}
        order = db.session.scalars(select(Topic.key).order_by(Topic.position)).all()
        assert order[-1] == "pension"
        pension = topic.id
    editor.post(f"/consultations/topics/{pension}/move/up")
    with app.app_context():
        order = db.session.scalars(select(Topic.key).order_by(Topic.position)).all()
    assert order[-2:] == ["pension", "other"]
    assert editor.post(f"/consultations/topics/{pension}", data={
        f"t{pension}-label_de": "Rente und Grundsicherung",
        f"t{pension}-label_en": "Pension"}).status_code == 302
    assert editor.post(f"/consultations/topics/{pension}/toggle").status_code == 302
    with app.app_context():
        topic = db.session.get(Topic, pension)
        assert topic.labels["de"] == "Rente und Grundsicherung" and not topic.active
    form = editor.get("/consultations/records/new").get_data(as_text=True)
    assert "Rente und Grundsicherung" not in form and "Wohnen" in form
    assert editor.post("/consultations/topics/4711/toggle").status_code == 404
    assert len(audit_entries(app, "topic_added")) == 1


# -- widgets, metrics, export, erasure -----------------------------------------------------


def test_widgets_show_todays_appointments_and_due_follow_ups(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    today = local_day(app)
    with app.app_context():
        slot = Slot(starts_at=datetime.combine(today, time(23, 30)), minutes=30)
        person = Person(nickname="Hamid")
        db.session.add_all([slot, person, Booking(slot=slot, person=person)])
        db.session.commit()
        code = person.code
    new_record(app, editor, follow_up_on=(today - timedelta(days=1)).isoformat())
    new_record(app, editor, follow_up_on=(today + timedelta(days=3)).isoformat())
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        widgets = {w.title: w for w in host.collect("dashboard_widgets", Widget, user=None,
                                                    today=today)}
    appointments = widgets["Termine heute"]
    assert [(i.label, i.value) for i in appointments.items] == [("23:30", code)]
    due = widgets["Fällige Wiedervorlagen"]
    assert len(due.items) == 1 and due.items[0].endpoint == "consultations.record"
    assert due.permission == VIEW
    start_page = editor.get("/").get_data(as_text=True)
    assert "Termine heute" in start_page and code in start_page


def test_metrics_count_topics_languages_interpreters_referrals_and_kinds(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    today = local_day(app)
    new_record(app, editor)
    new_record(app, editor, language="tr", interpreter_language="", interpreter_name="",
               referral="", topics=[topic_id(app, "housing"), topic_id(app, "debts")],
               kind="appointment")
    new_record(app, editor, held_on=(today - timedelta(days=40)).isoformat())  # outside
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        metrics = {m.key: m for m in host.collect(
            "report_metrics", Metric, start=today - timedelta(days=6), end=today)}
    values = {key: m.value for key, m in metrics.items()}
    assert values["consultations.consultations"] == 2
    assert values["consultations.walk_in"] == 1 and values["consultations.appointment"] == 1
    assert values["consultations.with_interpreter"] == 1
    assert values["consultations.referrals"] == 1
    assert values["consultations.topic.housing"] == 2 and values["consultations.topic.debts"] == 1
    assert values["consultations.language.ar"] == 1 and values["consultations.language.tr"] == 1
    assert metrics["consultations.topic.housing"].group == metrics[
        "consultations.topic.debts"].group


def test_export_and_erasure(app):
    editor = client_for(app, "berater", [VIEW, EDIT])
    record_id = new_record(app, editor, follow_up_on=local_day(app).isoformat())
    with app.app_context():
        person = db.session.get(Consultation, record_id).person
        code, person_id = person.code, person.id
    editor.post(f"/consultations/people/{code}/consents", data={
        "purpose": "Gesundheitsdaten", "given_on": date.today().isoformat()})
    editor.post(f"/consultations/people/{code}/releases", data={
        "recipient": "Jobcenter", "signed_on": date.today().isoformat()})
    add_slots(app, editor, next_monday(app), "10:00", "10:30")
    with app.app_context():
        past = Slot(starts_at=datetime(2020, 3, 2, 10), minutes=30)
        db.session.add(past)
        db.session.add(Booking(slot=past, person_id=person_id))
        db.session.commit()
        future_id = db.session.scalar(select(Slot.id).where(Slot.starts_at > datetime(2021, 1,
                                                                                          1)))
    book(editor, future_id, person_code=code)
    editor.get("/consultations/records")  # shows (and so clears) the flash messages

    exported = export_person(app, person_id)
    section = next(s for s in exported["plugins"] if s["plugin"] == NAME)
    types = sorted(r["type"] for r in section["records"])
    assert types == ["appointment", "appointment", "consent", "consultation",
                     "release_from_confidentiality"]
    assert any(r.get("note") == SECRET for r in section["records"])
    assert len(audit_entries(app, "note_read", record_id)) == 1  # the export read the note

    today = local_day(app)
    before = metrics_of(app, today - timedelta(days=1), today)
    reports = erase_person(app, person_id)
    after = metrics_of(app, today - timedelta(days=1), today)
    assert next(r for r in reports if r.plugin == NAME).records_erased == 5
    assert before == after  # the counts stay right
    with app.app_context():
        record = db.session.get(Consultation, record_id)
        assert record.person_id is None and record.note is None
        # the referral's wording goes (it may name a service or a person), the count stays
        assert record.interpreter_name is None and record.referral == "–"
        assert db.session.scalar(select(func.count(Consent.id))) == 0
        assert db.session.scalar(select(func.count(Release.id))) == 0
        assert db.session.get(Slot, future_id).booking is None  # freed for others
        remaining = db.session.scalars(select(Booking)).all()
        assert [b.person_id for b in remaining] == [None]  # the past one, anonymous
        assert db.session.get(Person, person_id) is None
    page = editor.get(f"/consultations/records/{record_id}").get_data(as_text=True)
    assert code not in page and SECRET not in page


# -- the demo week ----------------------------------------------------------------------------


def test_demo_week_pages_render(make_demo_app):
    app = make_demo_app(plugins=[NAME])
    client = demo_client(app)
    for url in ("/consultations/", "/consultations/records", "/consultations/calendar",
                "/consultations/topics", "/consultations/records/new",
                "/consultations/people/P-DEMA2", "/consultations/records/1",
                "/consultations/records/1/edit", "/?lang=ar", "/consultations/calendar?lang=fa"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", page), url
    with app.app_context():
        assert db.session.scalar(select(func.count(Consultation.id))) >= 3
        assert db.session.scalar(select(func.count(Booking.id))) >= 2
    people = client.get("/consultations/people/P-DEMA2?lang=de").get_data(as_text=True)
    assert "Jobcenter" in people and "abgelaufen" in people  # the expired release


def test_forms_carry_a_csrf_token_and_refuse_posts_without_it(make_app):
    app = make_app(plugins=[NAME], WTF_CSRF_ENABLED=True)
    add_user(app, "berater", permissions=[VIEW, EDIT])
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "berater", "password": "correct horse battery",
                                       "csrf_token": token}).status_code == 302
    for url in ("/consultations/records/new", "/consultations/calendar",
                "/consultations/topics"):
        assert 'name="csrf_token"' in client.get(url).get_data(as_text=True), url
    refused = client.post("/consultations/topics", data={"label_de": "X", "label_en": "X"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Topic.id))) == 0
