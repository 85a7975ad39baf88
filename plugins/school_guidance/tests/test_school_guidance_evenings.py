"""Parents' evenings (from a planned date or one-off) and their attendance; the hooks
(widget, report metrics, export and erasure) with the demo week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    Metric,
    Offer,
    Person,
    User,
    Widget,
    all_offers,
    db,
)
from intranet.testing import demo_client, week_start
from plugins.school_guidance.models import Evening, Talk

NAME = "school_guidance"


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME])


@pytest.fixture
def demo_admin(demo_app):
    return demo_client(demo_app)


def evening_offer_id(app) -> int:
    with app.app_context():
        return db.session.query(Offer).filter_by(service_area=NAME, audience="parents").one().id


def test_demo_has_an_evening_with_attendance_and_talks(demo_app, demo_admin):
    page = demo_admin.get("/school_guidance/evenings").get_data(as_text=True)
    assert "<bdi>14</bdi>" in page and "<bdi>10</bdi>" in page
    overview = demo_admin.get("/school_guidance/").get_data(as_text=True)
    assert "Gespräche diese Woche: <strong><bdi>4</bdi>" in overview
    assert "/school_guidance/explainer?lang=ar" in overview  # linked from the overview


def test_add_a_planned_evening_and_record_its_attendance(demo_app, demo_admin):
    offer_id = evening_offer_id(demo_app)
    wednesday = week_start(demo_app) + timedelta(days=2)
    key = f"{offer_id}:{wednesday.isoformat()}"
    form = demo_admin.get(f"/school_guidance/evenings/new?occurrence={key}").get_data(
        as_text=True)
    assert f'<option selected value="{key}">' in form
    response = demo_admin.post("/school_guidance/evenings/new", data={
        "source": "offer", "occurrence": key, "languages": ["de", "tr", "ar"]})
    assert response.status_code == 302
    with demo_app.app_context():
        evening = db.session.query(Evening).filter_by(day=wednesday).one()
        evening_id = evening.id
        assert evening.offer_id == offer_id and evening.parents is None
    # the same date cannot be added twice
    again = demo_admin.post("/school_guidance/evenings/new", data={
        "source": "offer", "occurrence": key, "languages": ["de"]}, follow_redirects=True)
    assert "Dieser Abend ist schon in der Liste." in again.get_data(as_text=True)

    url = f"/school_guidance/evenings/{evening_id}/attendance"
    wrong = demo_admin.post(url, data={"parents": "5", "families": "7", "lang_tr": "9"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 200
    assert "Es kann nicht mehr Familien als Eltern geben." in page
    assert 'value="9"' in page  # kept
    too_many = demo_admin.post(url, data={"parents": "5", "families": "4", "lang_tr": "9"})
    assert "Die Sprachen zusammen zählen mehr Eltern" in too_many.get_data(as_text=True)
    done = demo_admin.post(url, data={"parents": "12", "families": "8", "lang_de": "2",
                                      "lang_tr": "4", "lang_ar": "6"}, follow_redirects=True)
    assert "Die Teilnahme ist gespeichert." in done.get_data(as_text=True)
    with demo_app.app_context():
        evening = db.session.get(Evening, evening_id)
        assert (evening.parents, evening.families) == (12, 8)
        assert {r.language: r.parents for r in evening.by_language} == {
            "de": 2, "tr": 4, "ar": 6}


def test_a_one_off_evening_becomes_an_offer_for_parents(demo_app, demo_admin):
    day = week_start(demo_app) + timedelta(days=10)
    missing = demo_admin.post("/school_guidance/evenings/new", data={
        "source": "one_off", "day": day.isoformat(), "start_time": "18:00",
        "end_time": "17:00", "languages": []})
    page = missing.get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert "Bitte wählen Sie mindestens eine Sprache." in page
    response = demo_admin.post("/school_guidance/evenings/new", data={
        "source": "one_off", "day": day.isoformat(), "start_time": "17:00",
        "end_time": "19:00", "room": "Café", "languages": ["de", "fa", "uk"]})
    assert response.status_code == 302
    with demo_app.test_request_context("/"):
        offers = all_offers(day, day, "fa")  # as every page lists them
        evening = db.session.query(Evening).filter_by(day=day).one()
        assert evening.languages == ["de", "fa", "uk"]
    ours = [o for o in offers if o.plugin == NAME]
    assert [(o.title, o.audience, o.languages) for o in ours] == [
        ("جلسه والدین: نظام مدرسه در ایالت نیدرزاکسن", "parents", ("de", "fa", "uk"))]
    # the evening has not taken place: attendance is not asked for yet on its page
    page = demo_admin.get(f"/school_guidance/evenings/{evening.id}").get_data(as_text=True)
    assert "Der Abend hat noch nicht stattgefunden." in page


def test_widget_counts_talks_and_shows_the_next_evening(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        admin = db.session.query(User).filter_by(username="admin").one()
        widgets = host.collect("dashboard_widgets", Widget, user=admin, today=monday)
    mine = [w for w in widgets if w.title == "Schulorientierung: Gespräche und Elternabende"]
    assert len(mine) == 1 and mine[0].permission == "school_guidance.view"
    items = {i.label: i.value for i in mine[0].items}
    assert items["Gespräche diese Woche"] == "4"
    assert items["Nächster Elternabend"].endswith("16:00")
    assert "Teilnahme noch einzutragen" not in items  # the demo evening is recorded


def test_report_metrics_for_the_period(demo_app):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        this_week = {m.key: m for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=6))}
        age_group = str(this_week["school_guidance.talks.age.6_10"].group)
        last_week = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday - timedelta(days=7),
            end=monday - timedelta(days=1))}
    values = {key: m.value for key, m in this_week.items()}
    assert values["school_guidance.talks"] == 4
    assert values["school_guidance.talks.age.10_16"] == 2
    assert values["school_guidance.talks.age.under_6"] == 0
    assert values["school_guidance.talks.school.oberschule"] == 1
    assert values["school_guidance.referrals.homework_help"] == 1
    assert age_group == "Beratungsgespräche nach Altersgruppe des Kindes"
    assert values["school_guidance.evenings"] == 0
    assert last_week["school_guidance.talks"] == 1
    assert last_week["school_guidance.evenings"] == 1
    assert last_week["school_guidance.evenings.parents"] == 14
    assert last_week["school_guidance.evenings.families"] == 10
    assert last_week["school_guidance.evenings.parents.ar"] == 6
    assert last_week["school_guidance.evenings.parents.tr"] == 5


def test_export_and_erase_a_person(demo_app, demo_admin):
    host = demo_app.extensions["mittelpunkt"]
    monday = week_start(demo_app)
    with demo_app.test_request_context("/"):
        person = db.session.query(Person).filter_by(nickname="Demo-Mutter").one()
        person_id = person.id
        sections = [s for s in host.collect("export_person", ExportSection, person=person)
                    if s.plugin == NAME]
        assert len(sections) == 1 and len(sections[0].records) == 1
        record = sections[0].records[0]
        assert record["school_type"] == "Grundschule"
        assert record["question"].startswith("Welche Schule nach Klasse 4?")
        before = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=6))}
        reports = [r for r in host.collect("erase_person", ErasureReport, person=person)
                   if r.plugin == NAME]
        db.session.commit()
        assert reports[0].records_erased == 1
        left = db.session.query(Talk).filter_by(person_id=person_id).count()
        texts = {t.question for t in db.session.query(Talk).all()}
        after = {m.key: m.value for m in host.collect(
            "report_metrics", Metric, start=monday, end=monday + timedelta(days=6))}
    assert left == 0
    assert not any(t.startswith("Welche Schule nach Klasse 4?") for t in texts)
    assert before == after  # the counts stay right
