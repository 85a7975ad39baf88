"""Job orientation's own records: employers, places, contacts, appointments, outcomes,
the consent rule for documents, events as core offers, hooks and erasure."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from intranet.plugin import (
    CheckIn,
    ErasureReport,
    ExportSection,
    Metric,
    NavItem,
    Offer,
    Person,
    User,
    Widget,
    db,
    offer_views,
)
from intranet.testing import add_person, add_user, login
from plugins.job_orientation.models import (
    Appointment,
    Consent,
    Contact,
    Employer,
    Event,
    Outcome,
    Place,
)

NAME = "job_orientation"


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])


def add_employer(app, name="Bäckerei Test", kind="company", **extra) -> int:
    with app.app_context():
        employer = Employer(name=name, kind=kind, **extra)
        db.session.add(employer)
        db.session.commit()
        return employer.id



def appointment_data(**values) -> dict:
    data = {"day": "2026-03-10", "time": "14:00", "duration": "45", "staff": "1",
            "status": "held", "person_code": "", "nickname": "", "note": "",
            "documents_description": ""}
    data.update(values)
    return data


# ------------------------------------------------------------------ employers


def test_add_an_employer_with_an_internship_place(app, admin_client):
    response = admin_client.post("/job_orientation/employers/new", data={
        "name": "Nordlager Logistik", "kind": "company", "contact_person": "Frau Stapel",
        "phone": "05121 123-45", "email": "personal@nordlager.example"})
    assert response.status_code == 302
    with app.app_context():
        employer = db.session.scalar(select(Employer))
        assert (employer.name, employer.kind, employer.email) == (
            "Nordlager Logistik", "company", "personal@nordlager.example")
        employer_id = employer.id
    assert response.headers["Location"].endswith(f"/job_orientation/employers/{employer_id}")
    response = admin_client.post(f"/job_orientation/employers/{employer_id}/places", data={
        "kind": "internship", "field": "Lager und Versand", "count": "3",
        "available_from": "2026-04-01", "available_until": "2026-06-30"},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Plätze hinzugefügt." in page
    assert "Lager und Versand" in page and "3 × Praktikum" in page
    with app.app_context():
        place = db.session.scalar(select(Place))
        assert (place.employer_id, place.kind, place.count, place.available_until) == (
            employer_id, "internship", 3, date(2026, 6, 30))


def test_employer_form_keeps_input_and_shows_errors(admin_client, app):
    response = admin_client.post("/job_orientation/employers/new", data={
        "name": "", "kind": "company", "contact_person": "Herr Korn", "email": "kein-at"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte füllen Sie dieses Feld aus." in page
    assert "Das ist keine E-Mail-Adresse." in page
    assert 'value="Herr Korn"' in page  # nothing lost
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Employer)) == 0


def test_place_end_before_start_is_refused(app, admin_client):
    employer_id = add_employer(app)
    response = admin_client.post(f"/job_orientation/employers/{employer_id}/places", data={
        "kind": "apprenticeship", "field": "Verkauf", "count": "1",
        "available_from": "2026-08-01", "available_until": "2026-07-01"})
    page = response.get_data(as_text=True)
    assert "Das Ende liegt vor dem Beginn." in page
    assert 'value="Verkauf"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Place)) == 0


def test_edit_employer_and_place_and_remove_place(app, admin_client):
    employer_id = add_employer(app, name="Alt GmbH")
    with app.app_context():
        place = Place(employer_id=employer_id, kind="internship", field="Büro", count=1)
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    admin_client.post(f"/job_orientation/employers/{employer_id}/edit",
                      data={"name": "Neu GmbH", "kind": "chamber"})
    admin_client.post(f"/job_orientation/employers/{employer_id}/places/{place_id}/edit",
                      data={"kind": "internship", "field": "Büro", "count": "4"})
    with app.app_context():
        assert db.session.get(Employer, employer_id).kind == "chamber"
        assert db.session.get(Place, place_id).count == 4
    admin_client.post(f"/job_orientation/employers/{employer_id}/places/{place_id}/delete")
    with app.app_context():
        assert db.session.get(Place, place_id) is None
    assert admin_client.get("/job_orientation/employers/999").status_code == 404
    assert admin_client.get(
        f"/job_orientation/employers/{employer_id}/places/{place_id}/edit").status_code == 404


def test_employer_list_searches_and_filters_by_kind(app, admin_client):
    assert "Das Verzeichnis ist leer." in admin_client.get(
        "/job_orientation/employers").get_data(as_text=True)
    bakery = add_employer(app, name="Bäckerei Sonnenkorn", contact_person="Herr Korn")
    add_employer(app, name="Jobcenter Nord", kind="job_centre")
    with app.app_context():
        db.session.add(Place(employer_id=bakery, kind="internship", field="Verkauf", count=2))
        db.session.commit()
    everything = admin_client.get("/job_orientation/employers").get_data(as_text=True)
    assert "Bäckerei Sonnenkorn" in everything and "Jobcenter Nord" in everything
    by_kind = admin_client.get("/job_orientation/employers?kind=job_centre").get_data(
        as_text=True)
    assert "Jobcenter Nord" in by_kind and "Bäckerei Sonnenkorn" not in by_kind
    by_field = admin_client.get("/job_orientation/employers?q=verkauf").get_data(as_text=True)
    assert "Bäckerei Sonnenkorn" in by_field and "Jobcenter Nord" not in by_field
    by_contact = admin_client.get("/job_orientation/employers?q=Korn").get_data(as_text=True)
    assert "Bäckerei Sonnenkorn" in by_contact
    nothing = admin_client.get("/job_orientation/employers?q=xyz").get_data(as_text=True)
    assert "Kein Arbeitgeber und kein Partner passt" in nothing


def test_contact_history_is_recorded_newest_first(app, admin_client):
    employer_id = add_employer(app)
    admin_client.post(f"/job_orientation/employers/{employer_id}/contacts", data={
        "day": "2026-02-01", "staff": "1", "channel": "phone", "note": "Erstkontakt"})
    admin_client.post(f"/job_orientation/employers/{employer_id}/contacts", data={
        "day": "2026-03-01", "staff": "1", "channel": "visit", "note": "Besuch im Betrieb"})
    page = admin_client.get(f"/job_orientation/employers/{employer_id}").get_data(as_text=True)
    assert page.index("Besuch im Betrieb") < page.index("Erstkontakt")
    assert "Telefon" in page and "Besuch" in page
    with app.app_context():
        contacts = db.session.scalars(select(Contact)).all()
        assert {(c.channel, c.staff.username) for c in contacts} == {
            ("phone", "admin"), ("visit", "admin")}
    response = admin_client.post(f"/job_orientation/employers/{employer_id}/contacts",
                                 data={"day": "", "staff": "1", "channel": "phone",
                                       "note": "ohne Datum"})
    assert "Bitte füllen Sie dieses Feld aus." in response.get_data(as_text=True)
    assert 'ohne Datum' in response.get_data(as_text=True)


# ------------------------------------------------------------------ appointments


def test_appointment_for_a_new_person_with_just_a_nickname(app, admin_client):
    response = admin_client.post("/job_orientation/appointments/new", data=appointment_data(
        nickname="Samir", topics=["cv", "cover_letter"],
        documents_brought=["school_certificates"], documents_prepared=["cv"]))
    assert response.status_code == 302
    with app.app_context():
        appointment = db.session.scalar(select(Appointment))
        person = appointment.person
        assert person.nickname == "Samir"
        assert appointment.starts_at == datetime(2026, 3, 10, 14, 0)
        assert appointment.topics == ["cv", "cover_letter"]
        assert appointment.documents_brought == ["school_certificates"]
        assert appointment.documents_prepared == ["cv"]
        code = person.code
    assert response.headers["Location"].endswith(f"/job_orientation/people/{code}")
    page = admin_client.get(f"/job_orientation/people/{code}").get_data(as_text=True)
    assert "Lebenslauf" in page and "Schulzeugnisse" in page
    listed = admin_client.get("/job_orientation/appointments?when=all&q=samir").get_data(
        as_text=True)
    assert code in listed
    assert code not in admin_client.get(
        "/job_orientation/appointments?when=all&q=nobody").get_data(as_text=True)


def test_appointment_needs_a_known_code_or_a_nickname(app, admin_client):
    missing = admin_client.post("/job_orientation/appointments/new",
                                data=appointment_data(note="bleibt stehen"))
    assert "Geben Sie den Code der Person an" in missing.get_data(as_text=True)
    assert "bleibt stehen" in missing.get_data(as_text=True)
    unknown = admin_client.post("/job_orientation/appointments/new",
                                data=appointment_data(person_code="P-ZZZZZ"))
    assert "Keine Person hat diesen Code." in unknown.get_data(as_text=True)
    code = add_person(app).code
    known = admin_client.post("/job_orientation/appointments/new",
                              data=appointment_data(person_code=code.lower()))
    assert known.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Appointment)).person.code == code
        assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_no_description_of_documents_without_consent(app, admin_client):
    code = add_person(app).code
    refused = admin_client.post("/job_orientation/appointments/new", data=appointment_data(
        person_code=code, documents_description="Zeugnis Realschule 2019"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Ohne erfasste Einwilligung wird keine Beschreibung" in page
    assert "Zeugnis Realschule 2019" in page  # shown again, not lost
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Appointment)) == 0
    accepted = admin_client.post("/job_orientation/appointments/new", data=appointment_data(
        person_code=code, documents_description="Zeugnis Realschule 2019", consent_now="y"))
    assert accepted.status_code == 302
    with app.app_context():
        consent = db.session.scalar(select(Consent))
        assert consent.person.code == code and consent.recorded_by.username == "admin"
        assert db.session.scalar(select(Appointment)).documents_description == (
            "Zeugnis Realschule 2019")
    # with consent on record, the next appointment may keep a description too
    again = admin_client.post("/job_orientation/appointments/new", data=appointment_data(
        person_code=code, documents_description="Arbeitszeugnis Bäckerei"))
    assert again.status_code == 302
    page = admin_client.get(f"/job_orientation/people/{code}").get_data(as_text=True)
    assert "Einwilligung erfasst am" in page
    assert "Es werden keine Dateien gespeichert." in page


def test_withdrawing_consent_deletes_the_descriptions(app, admin_client):
    code = add_person(app).code
    admin_client.post(f"/job_orientation/people/{code}/consent", data={"given_on": "2026-03-01"})
    admin_client.post("/job_orientation/appointments/new", data=appointment_data(
        person_code=code, documents_description="Diplom mit Übersetzung", note="weiter"))
    with app.app_context():
        assert db.session.scalar(select(Appointment)).documents_description
    response = admin_client.post(f"/job_orientation/people/{code}/consent/withdraw",
                                 follow_redirects=True)
    assert "Einwilligung widerrufen" in response.get_data(as_text=True)
    with app.app_context():
        appointment = db.session.scalar(select(Appointment))
        assert appointment.documents_description == "" and appointment.note == "weiter"
        assert db.session.scalar(select(Consent)).withdrawn_on is not None
    refused = admin_client.post(f"/job_orientation/appointments/{appointment.id}/edit",
                                data=appointment_data(person_code=code,
                                                      documents_description="wieder"))
    assert "Ohne erfasste Einwilligung" in refused.get_data(as_text=True)


def test_edit_appointment_and_unknown_ids(app, admin_client):
    code = add_person(app).code
    admin_client.post("/job_orientation/appointments/new",
                      data=appointment_data(person_code=code, status="planned"))
    with app.app_context():
        appointment_id = db.session.scalar(select(Appointment.id))
    form = admin_client.get(f"/job_orientation/appointments/{appointment_id}/edit")
    assert f'value="{code}"' in form.get_data(as_text=True)
    admin_client.post(f"/job_orientation/appointments/{appointment_id}/edit",
                      data=appointment_data(person_code=code, status="missed", time="15:30"))
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        assert (appointment.status, appointment.starts_at.time()) == ("missed", time(15, 30))
    assert admin_client.get("/job_orientation/appointments/999/edit").status_code == 404
    assert admin_client.get("/job_orientation/people/P-NOONE").status_code == 404


def test_outcomes_over_time_per_person(app, admin_client):
    code = add_person(app).code
    employer_id = add_employer(app, name="Nordlager")
    empty = admin_client.get(f"/job_orientation/people/{code}").get_data(as_text=True)
    assert "Noch kein Ergebnis." in empty
    admin_client.post(f"/job_orientation/people/{code}/outcomes",
                      data={"kind": "none_yet", "day": "2026-01-10", "employer": "0"})
    admin_client.post(f"/job_orientation/people/{code}/outcomes",
                      data={"kind": "internship", "day": "2026-03-01",
                            "employer": str(employer_id), "note": "Lager"})
    bad = admin_client.post(f"/job_orientation/people/{code}/outcomes",
                            data={"kind": "job", "day": "", "employer": "0"})
    assert "Bitte füllen Sie dieses Feld aus." in bad.get_data(as_text=True)
    with app.app_context():
        outcomes = db.session.scalars(select(Outcome).order_by(Outcome.day)).all()
        assert [(o.kind, o.employer_id) for o in outcomes] == [
            ("none_yet", None), ("internship", employer_id)]
    page = admin_client.get(f"/job_orientation/people/{code}").get_data(as_text=True)
    assert page.index("Praktikum") < page.index("Noch keins")  # newest first
    assert "Nordlager" in page


def test_view_right_sees_but_cannot_change(app):
    add_user(app, "reader", permissions=[f"{NAME}.view"])
    add_user(app, "nobody")
    reader, nobody = app.test_client(), app.test_client()
    login(reader, "reader")
    login(nobody, "nobody")
    employer_id = add_employer(app)
    assert reader.get("/job_orientation/employers").status_code == 200
    assert reader.get(f"/job_orientation/employers/{employer_id}").status_code == 200
    assert "Plätze hinzufügen" not in reader.get(
        f"/job_orientation/employers/{employer_id}").get_data(as_text=True)
    assert reader.get("/job_orientation/employers/new").status_code == 403
    assert reader.post(f"/job_orientation/employers/{employer_id}/places",
                       data={"kind": "internship", "field": "x", "count": "1"}).status_code == 403
    assert reader.get("/job_orientation/events/new").status_code == 403
    for url in ("/job_orientation/appointments", "/job_orientation/employers",
                "/job_orientation/events"):
        assert nobody.get(url).status_code == 403


# ------------------------------------------------------------------ events


def test_event_becomes_a_core_offer_of_this_area(app, admin_client):
    empty = admin_client.get("/job_orientation/events").get_data(as_text=True)
    assert "Keine Veranstaltung geplant." in empty
    day = date.today() + timedelta(days=10)
    response = admin_client.post("/job_orientation/events/new", data={
        "kind": "contact_meeting", "day": day.isoformat(), "start_time": "10:00",
        "end_time": "12:00", "room": "Café", "title_de": "Kontaktbörse im Quartier",
        "title_ar": "لقاء تعارف", "description_de": "Betriebe stellen sich vor",
        "languages": ["de", "ar"], "registration_needed": "y"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Veranstaltung angelegt" in page and "Kontaktbörse im Quartier" in page
    with app.app_context():
        offer = db.session.scalar(select(Offer))
        assert (offer.service_area, offer.weekly, offer.first_date) == (NAME, False, day)
        assert offer.titles == {"de": "Kontaktbörse im Quartier", "ar": "لقاء تعارف"}
        assert offer.languages == ["de", "ar"] and offer.registration_needed
        assert db.session.scalar(select(Event)).kind == "contact_meeting"
    with app.test_request_context("/"):
        views = offer_views(NAME, day - timedelta(days=1), day + timedelta(days=1), "ar")
    assert [(v.title, v.start.time(), v.room) for v in views] == [
        ("لقاء تعارف", time(10), "Café")]


def test_event_form_checks_times_and_title(app, admin_client):
    response = admin_client.post("/job_orientation/events/new", data={
        "kind": "employer_information", "day": "2026-05-05", "start_time": "18:00",
        "end_time": "17:00", "title_de": "", "title_en": "Evening"})
    page = response.get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert "Bitte füllen Sie dieses Feld aus." in page
    assert 'value="Evening"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Offer)) == 0


def test_edit_event_records_employers_who_came(app, admin_client):
    admin_client.post("/job_orientation/events/new", data={
        "kind": "employer_information", "day": "2026-01-15", "start_time": "17:00",
        "end_time": "19:00", "title_de": "Infoabend"})
    with app.app_context():
        event_id = db.session.scalar(select(Event.id))
    admin_client.post(f"/job_orientation/events/{event_id}/edit", data={
        "kind": "employer_information", "day": "2026-01-15", "start_time": "17:00",
        "end_time": "19:30", "title_de": "Infoabend für Betriebe", "employers_attending": "7"})
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.employers_attending == 7
        assert event.offer.titles == {"de": "Infoabend für Betriebe"}
        assert event.offer.end_time == time(19, 30)
    assert admin_client.get("/job_orientation/events/999/edit").status_code == 404


# ------------------------------------------------------------------ hooks


def seed_for_hooks(app, today: date) -> dict:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        person = Person(nickname="Olena")
        employer = Employer(name="Nordlager", kind="company")
        db.session.add_all([person, employer])
        db.session.flush()
        db.session.add_all([
            Place(employer=employer, kind="internship", field="Lager", count=3),
            Place(employer=employer, kind="internship", field="Büro", count=1,
                  available_until=today - timedelta(days=1)),  # over
            Place(employer=employer, kind="apprenticeship", field="Logistik", count=2),
            Contact(employer=employer, day=today, staff=admin, channel="phone"),
            Appointment(starts_at=datetime.combine(today, time(9, 30)), person=person,
                        staff=admin, status="held", topics=["cv"]),
            Appointment(starts_at=datetime.combine(today, time(11)), person=person,
                        staff=admin, status="missed"),
            Appointment(starts_at=datetime.combine(today - timedelta(days=40), time(9)),
                        person=person, staff=admin, status="held"),
            Consent(person=person, given_on=today, recorded_by=admin),
            Outcome(person=person, kind="internship", day=today, employer=employer,
                    note="Lager"),
            Outcome(person=person, kind="none_yet", day=today - timedelta(days=40)),
        ])
        db.session.commit()
        return {"code": person.code, "person_id": person.id}


def test_widget_report_and_queue_action(app, admin_client):
    today = date(2026, 3, 10)
    seed_for_hooks(app, today)
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        widgets = host.collect("dashboard_widgets", Widget, user=admin, today=today)
        metrics = {m.key: m for m in host.collect("report_metrics", Metric,
                                                  start=today - timedelta(days=6), end=today)}
        checkin = CheckIn(id=5, day=today, number=1, ticket="J-1", plugin=NAME,
                          purpose="application_help", language="ar")
        other = CheckIn(id=6, day=today, number=2, ticket="B-2", plugin="consultations",
                        purpose="x", language="ar")
        actions = host.collect("queue_actions", NavItem, checkin=checkin, user=admin)
        none = host.collect("queue_actions", NavItem, checkin=other, user=admin)
        outcome_group = str(metrics["job_orientation.outcomes.job"].group)
    help_today = next(w for w in widgets if w.title == "Bewerbungshilfe heute")
    labels = [(i.label, i.value) for i in help_today.items]
    assert labels[0][0].startswith("09:30 P-")
    assert len(labels) == 3  # the missed appointment is left out; plus two place counts
    assert labels[1:] == [("Offene Praktikumsplätze", "3"), ("Offene Ausbildungsplätze", "2")]
    assert metrics["job_orientation.appointments"].value == 1
    assert metrics["job_orientation.appointments_missed"].value == 1
    assert metrics["job_orientation.people_helped"].value == 1
    assert metrics["job_orientation.employers_contacted"].value == 1
    assert metrics["job_orientation.places.internship"].value == 4  # incl. the one ended in it
    assert metrics["job_orientation.places.apprenticeship"].value == 2
    assert metrics["job_orientation.outcomes.internship"].value == 1
    assert metrics["job_orientation.outcomes.none_yet"].value == 0  # outside the period
    assert outcome_group == "Ergebnisse"
    assert [(a.endpoint, a.url_values) for a in actions] == [
        ("job_orientation.new_appointment", {"checkin": 5})]
    assert none == []


def test_export_and_erasure(app, admin_client):
    today = date(2026, 3, 10)
    seeded = seed_for_hooks(app, today)
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/"):
        person = db.session.get(Person, seeded["person_id"])
        section = host.collect("export_person", ExportSection, person=person)[0]
        kinds = [r["record"] for r in section.records]
        assert kinds.count("appointment") == 3 and kinds.count("outcome") == 2
        assert any("consent" in kind for kind in kinds)
        assert any(r.get("note") == "Lager" for r in section.records)
        before = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=today - timedelta(days=60), end=today)}
        reports = host.collect("erase_person", ErasureReport, person=person)
        db.session.commit()
        assert reports[0].records_erased == 6
        after = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=today - timedelta(days=60), end=today)}
    assert before == after  # aggregate counts stay right
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.person_id.is_not(None))) == 0
        assert db.session.scalar(select(func.count()).select_from(Outcome).where(
            Outcome.person_id.is_not(None))) == 0
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
        assert all(o.note == "" for o in db.session.scalars(select(Outcome)))
        assert db.session.scalar(select(func.count()).select_from(Appointment)) == 3


def test_erasure_through_the_core_removes_the_person(app, admin_client):
    seeded = seed_for_hooks(app, date(2026, 3, 10))
    exported = app.test_cli_runner().invoke(args=["people", "export", seeded["code"]])
    assert '"kind": "internship"' in exported.output
    result = app.test_cli_runner().invoke(args=["people", "erase", "--yes", seeded["code"]])
    assert "job_orientation: 6 records erased" in result.output, result.output
    with app.app_context():
        assert db.session.get(Person, seeded["person_id"]) is None
        assert db.session.scalar(select(func.count()).select_from(Outcome)) == 2
    assert admin_client.get(f"/job_orientation/people/{seeded['code']}").status_code == 404


def test_appointment_opened_from_a_waiting_ticket(app, admin_client):
    with app.app_context():
        checkin = CheckIn(day=date(2026, 3, 10), number=4, ticket="J-4", plugin=NAME,
                          purpose="application_help", language="ar", first_name="Rami")
        db.session.add(checkin)
        db.session.commit()
        checkin_id = checkin.id
    page = admin_client.get(f"/job_orientation/appointments/new?checkin={checkin_id}").get_data(
        as_text=True)
    assert 'value="Rami"' in page
    assert '<option selected value="held">' in page or 'value="held" selected' in page


def test_an_appointment_from_a_ticket_moves_it_to_in_progress_then_done(app, admin_client):
    with app.app_context():
        checkin = CheckIn(day=date(2026, 3, 10), number=5, ticket="J-5", plugin=NAME,
                          purpose="application_help", language="de", first_name="Lina")
        db.session.add(checkin)
        db.session.commit()
        checkin_id = checkin.id
    url = f"/job_orientation/appointments/new?checkin={checkin_id}"
    assert admin_client.get(url).status_code == 200
    with app.app_context():
        assert db.session.get(CheckIn, checkin_id).status == "in_progress"
    response = admin_client.post(url, data=appointment_data(nickname="Lina", topics=["cv"]))
    assert response.status_code == 302
    with app.app_context():
        ticket = db.session.get(CheckIn, checkin_id)
        assert ticket.status == "done" and ticket.finished_at is not None
        assert ticket.person_id == db.session.scalar(select(Appointment)).person_id
