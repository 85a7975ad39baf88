"""Retention rules and ``flask --app intranet privacy purge``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from intranet.audit.chain import verify_chain
from intranet.audit.models import AuditEntry
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.timeutil import local_now, local_today
from intranet.hooktypes import RetentionRule
from intranet.people.models import Consent, Person
from intranet.plugin import hookimpl
from intranet.privacy.models import PrivacyRun
from intranet.privacy.retention import purge
from plugins.consultations.models import Consultation
from plugins.job_orientation.models import Appointment
from plugins.school_guidance.models import Talk
from plugins.womens_courses.models import Course, CourseOffer, Enrolment


def checkin(day: date, number: int, person: Person | None = None) -> CheckIn:
    return CheckIn(day=day, number=number, ticket=f"B-{number}", plugin="consultations",
                   purpose="letters", language="ar", first_visit=True, first_name="Amina",
                   person=person, token=f"token-{day}-{number}", status="done")


def seed(app) -> dict[str, int]:
    with app.app_context():
        today, now = local_today(), local_now()
        old, recent = Person(nickname="old"), Person(nickname="recent")
        two_years_ago = datetime.now() - timedelta(days=730)
        # Nothing refers to the first any more: it goes. A consent keeps the second.
        gone = Person(nickname="gone", created_at=two_years_ago)
        kept = Person(nickname="kept", created_at=two_years_ago)
        db.session.add_all([old, recent, gone, kept])
        db.session.flush()
        db.session.add(Consent(person_id=kept.id, purpose="keep data", given_on=date(2024, 1, 1)))
        db.session.flush()
        db.session.add_all([
            checkin(today, 1, recent), checkin(today - timedelta(days=1), 1, recent),
            checkin(today - timedelta(days=200), 1, old),
            Consent(person_id=old.id, purpose="keep data", given_on=date(2019, 1, 1),
                    withdrawn_on=today - timedelta(days=4 * 365)),
            Consent(person_id=recent.id, purpose="keep data", given_on=date(2019, 1, 1),
                    withdrawn_on=today - timedelta(days=30)),
            # The old person's last contact was four years ago: both records are due.
            Consultation(person_id=old.id, held_at=now - timedelta(days=5 * 365),
                         note="secret", referral="Jobcenter"),
            Consultation(person_id=old.id, held_at=now - timedelta(days=4 * 365), note="x"),
            # The recent person came again last month: the old record stays.
            Consultation(person_id=recent.id, held_at=now - timedelta(days=5 * 365), note="y"),
            Consultation(person_id=recent.id, held_at=now - timedelta(days=30), note="z"),
            Consultation(person_id=None, held_at=now - timedelta(days=4 * 365), note="anon"),
            Appointment(starts_at=now - timedelta(days=800), person_id=old.id, note="cv"),
            Talk(day=today - timedelta(days=800), person_id=old.id, age_group="6-10",
                 school_type="grundschule", question="which school?"),
            Talk(day=today - timedelta(days=10), person_id=recent.id, age_group="6-10",
                 school_type="grundschule", question="which school?"),
            AuditEntry(at=datetime.now() - timedelta(days=800), action="old_entry"),
        ])
        from intranet.offers.models import Offer

        ended = Course(title="Deutsch A1")
        running = Course(title="Nähen")
        db.session.add_all([ended, running])
        db.session.flush()
        for course, last in ((ended, today - timedelta(days=400)), (running, None)):
            offer = Offer(service_area="womens_courses", titles={"de": course.title},
                          first_date=today - timedelta(days=500), last_date=last,
                          start_time=time(9), end_time=time(11), weekly=True)
            db.session.add(offer)
            db.session.flush()
            db.session.add(CourseOffer(course_id=course.id, offer_id=offer.id))
            db.session.add(Enrolment(course_id=course.id, person_id=old.id,
                                     reading_language="ar"))
        db.session.commit()
        return {"old": old.id, "recent": recent.id}


EXPECTED = {
    "core.checkin_first_name": 2, "core.checkin_anonymise": 1, "core.consent_withdrawn": 1,
    "consultations.records": 3, "consultations.consents": 0, "consultations.releases": 0,
    "consultations.bookings": 0, "womens_courses.enrolments": 1,
    "job_orientation.appointments": 1, "job_orientation.outcomes": 0,
    "job_orientation.consents": 0, "school_guidance.talks": 1, "core.people_unreferenced": 1,
    "core.audit_entries": 1,
}


def test_dry_run_counts_and_changes_nothing(app):
    seed(app)
    with app.app_context():
        result = purge(dry_run=True)
        assert result.ok and result.counts() == EXPECTED
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn).where(
            CheckIn.first_name.is_not(None))) == 3
        run = db.session.get(PrivacyRun, result.run_id)
        assert run.dry_run and run.ok and run.finished_at


def test_purge_applies_every_rule_once_and_keeps_the_counts(app):
    people = seed(app)
    with app.app_context():
        today = local_today()
        assert purge().counts() == EXPECTED
        checkins = {c.day: c for c in db.session.scalars(db.select(CheckIn))}
        assert checkins[today].first_name == "Amina"  # today's stays until the day is over
        yesterday = checkins[today - timedelta(days=1)]
        assert yesterday.first_name is None and yesterday.person_id == people["recent"]
        old = checkins[today - timedelta(days=200)]
        assert (old.first_name, old.person_id, old.token) == (None, None, None)
        assert (old.day, old.number, old.plugin, old.purpose, old.language, old.first_visit,
                old.status) == (today - timedelta(days=200), 1, "consultations", "letters",
                                "ar", True, "done")
        assert sorted(c.person.nickname for c in db.session.scalars(db.select(Consent))) == [
            "kept", "recent"]
        assert sorted(db.session.scalars(db.select(Person.nickname))) == [
            "kept", "old", "recent"]
        records = db.session.scalars(db.select(Consultation).order_by(Consultation.id)).all()
        assert len(records) == 5  # anonymised, not deleted: the yearly counts stay
        assert [(r.person_id, r.note) for r in records] == [
            (None, None), (None, None), (people["recent"], "y"), (people["recent"], "z"),
            (None, None)]
        assert records[0].referral == "–"
        enrolments = db.session.scalars(db.select(Enrolment).order_by(Enrolment.id)).all()
        assert [e.person_id for e in enrolments] == [None, people["old"]]
        appointment = db.session.scalar(db.select(Appointment))
        assert (appointment.person_id, appointment.note) == (None, "")
        assert appointment.erased_as
        talks = db.session.scalars(db.select(Talk).order_by(Talk.day)).all()
        assert [(t.person_id, t.question) for t in talks] == [
            (None, ""), (people["recent"], "which school?")]
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "privacy_purge"))
        assert entry.detail["counts"] == EXPECTED and entry.detail["chain_intact"]
        assert entry.detail["failed"] == [] and not entry.detail["dry_run"]
        # A second run removes nothing.
        assert set(purge().counts().values()) == {0}
        assert db.session.scalar(db.select(db.func.count()).select_from(PrivacyRun)) == 2


def test_the_setting_overrides_a_rules_days(make_app):
    app = make_app(RETENTION_DAYS={"core.checkin_first_name": 3}, AUDIT_RETENTION_DAYS=5000)
    seed(app)
    with app.app_context():
        counts = purge(dry_run=True).counts()
    assert counts["core.checkin_first_name"] == 1 and counts["core.audit_entries"] == 0


class BrokenPlugin:
    @staticmethod
    @hookimpl
    def plugin_info():
        from intranet.plugin import PluginInfo

        return PluginInfo(name="broken", title="Broken", ticket_letter="Z")

    @staticmethod
    @hookimpl
    def retention_rules():
        def explode(cutoff, dry_run):
            raise RuntimeError("the plugin's table is gone")

        return [RetentionRule(key="broken.things", label="Things", days=1, apply=explode)]


def test_a_failing_rule_is_reported_and_the_others_still_run(make_app):
    app = make_app(extra=[BrokenPlugin])
    seed(app)
    with app.app_context():
        # Switched off, the plugin's data is still due.
        app.extensions["mittelpunkt"].set_enabled("broken", False)
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code != 0
    assert "broken.things: FAILED (RuntimeError)" in result.output
    assert "core.checkin_first_name: 2 removed or anonymised" in result.output
    with app.app_context():
        run = db.session.scalar(db.select(PrivacyRun))
        assert not run.ok and run.results["broken.things"] is None
        assert run.results["core.checkin_first_name"] == 2
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "privacy_purge"))
        assert entry.detail["failed"] == ["broken.things"]


def test_cli_prints_counts_per_rule_and_the_rules(app):
    seed(app)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "consultations.records: 3 due (older than 1095 days)" in dry.output
    assert "dry run: nothing changed" in dry.output
    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0 and "audit chain intact" in done.output
    assert "Amina" not in done.output
    rules = runner.invoke(args=["privacy", "rules"])
    assert "womens_courses.enrolments\t365" in rules.output


@pytest.mark.postgres
def test_purge_on_postgresql(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    seed(app)
    with app.app_context():
        assert purge(dry_run=True).counts() == EXPECTED
        result = purge()
        assert result.ok and result.chain_intact and result.counts() == EXPECTED
        assert set(purge().counts().values()) == {0}
        assert verify_chain(db.session).intact


def test_purge_on_the_demo_data_with_visits(make_demo_app):
    app = make_demo_app(visits=True)
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(CheckIn))
        result = purge()
        assert result.ok and result.chain_intact
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == before
        assert set(purge().counts().values()) == {0}
