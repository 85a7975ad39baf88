"""The certificate of attendance prints on one A4 page, in German and her language: the
site's name from the settings, every line translated, the course level too. One Chromium
test renders the PDFs; the rest runs on the test client."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

import plugins.womens_courses as plugin
from intranet.plugin import db, plugin_domain
from intranet.testing import demo_client
from plugins.womens_courses.forms import CERTIFICATE_LANGUAGES
from plugins.womens_courses.models import Attendance, Course, Enrolment, EnrolmentStatus, Session
from plugins.womens_courses.views import MANY_DATES, course_level

NAME = "womens_courses"
PAGES = re.compile(rb"/Type\s*/Page[^s]")
SITE = {"SITE_NAME": "Stadtteilhaus Lindenhof", "SITE_ADDRESS": "Lindenweg 5, 12345 Musterstadt"}
# The demo's computer course: its level is typed in German.
LEVEL, LEVEL_MSGID = "ohne Vorkenntnisse", "no prior knowledge"


def catalog_text(app: Flask, locale: str, msgid: str) -> str:
    """``msgid`` as the plugin's catalog has it in ``locale`` (a domain of its own)."""
    domain = plugin_domain(NAME, str(plugin.__file__))
    with app.test_request_context(), force_locale(locale):
        return str(domain.gettext(msgid))


def computer_learner(app: Flask, language: str = "ar") -> int:
    """An enrolled woman of the computer course who reads ``language`` best."""
    with app.app_context():
        found = db.session.scalar(select(Enrolment.id).join(Course).where(
            Course.level == LEVEL, Enrolment.reading_language == language,
            Enrolment.status == EnrolmentStatus.ENROLLED).order_by(Enrolment.id))
    assert found is not None, f"a {language} reader in the demo's computer course"
    return found


def attend_many(enrolment_id: int, count: int) -> None:
    """``count`` more sessions of her course she attended, weekly before the first one."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    assert enrolment is not None
    course = enrolment.course
    first = db.session.scalar(select(Session.day).where(Session.course_id == course.id)
                              .order_by(Session.day))
    assert first is not None, "the demo course has sessions"
    for week in range(1, count + 1):
        day = first - timedelta(weeks=week)
        session = Session(course=course, day=day, offer=course.offers[0])
        session.attendance = [Attendance(enrolment=enrolment, present=True,
                                         marked_at=datetime.combine(day, time(15)))]
        db.session.add(session)
    db.session.commit()


def section(html: str, code: str) -> str:
    found = re.search(rf'<section class="wc-certificate-part" lang="{code}".*?</section>',
                      html, re.S)
    assert found, f"no {code} part"
    return found.group(0)


@pytest.fixture
def demo_app(make_demo_app):
    return make_demo_app(plugins=[NAME], **SITE)


def test_course_level_is_translated_for_her_and_kept_as_typed_in_german(demo_app):
    arabic = catalog_text(demo_app, "ar", LEVEL_MSGID)
    with demo_app.test_request_context():
        assert course_level(LEVEL, "de") == LEVEL
        assert course_level("  Ohne   VORKENNTNISSE ", "ar") == arabic
        assert course_level(LEVEL_MSGID, "de") == catalog_text(demo_app, "de", LEVEL_MSGID)
        assert course_level("alle", "tr") == catalog_text(demo_app, "tr", "all levels")
        # CEFR codes read the same everywhere; unknown labels stay as typed.
        assert course_level("A1", "ar") == "A1"
        assert course_level("Nähen für Fortgeschrittene mit Maschine", "fa") == (
            "Nähen für Fortgeschrittene mit Maschine")


def test_certificate_names_the_site_from_the_settings_and_translates_the_level(demo_app):
    client = demo_client(demo_app)
    enrolment_id = computer_learner(demo_app)
    html = client.get(f"/womens_courses/enrolments/{enrolment_id}/certificate").get_data(
        as_text=True)
    assert SITE["SITE_NAME"] in html and SITE["SITE_ADDRESS"] in html
    assert "Mittelpunkt neighbourhood" not in html and "Stadtteiltreffpunkt" not in html
    german, arabic = section(html, "de"), section(html, "ar")
    assert f"Niveau: {LEVEL}" in german
    assert catalog_text(demo_app, "ar", LEVEL_MSGID) in arabic and LEVEL not in arabic
    assert "wc-many-dates" not in html
    # A wrong second language gives the German certificate alone, not an error.
    alone = client.get(f"/womens_courses/enrolments/{enrolment_id}/certificate?language=xx")
    assert alone.status_code == 200
    assert 'lang="ar"' not in alone.get_data(as_text=True).split("<article")[1]


def test_many_attended_dates_are_listed_short(demo_app):
    client = demo_client(demo_app)
    enrolment_id = computer_learner(demo_app)
    with demo_app.app_context():
        attend_many(enrolment_id, MANY_DATES)
    html = client.get(f"/womens_courses/enrolments/{enrolment_id}/certificate").get_data(
        as_text=True)
    assert 'class="wc-certificate wc-many-dates"' in html
    assert re.search(r"<bdi>\d\d\.\d\d\.\d\d</bdi>", section(html, "de"))  # 17.11.26


@pytest.fixture
def live_settings():
    return dict(SITE)


def test_certificate_prints_on_one_a4_page_in_every_second_language(admin_page, live_server):
    app = live_server.app
    enrolment_id = computer_learner(app)
    url = f"/womens_courses/enrolments/{enrolment_id}/certificate"
    page = admin_page

    def check(language: str | None, label: str) -> None:
        page.goto(url + (f"?language={language}" if language else ""))
        code = language or "ar"  # she reads Arabic best: the default second language
        assert page.locator(".wc-certificate-site").inner_text().count(SITE["SITE_NAME"]) == 1
        assert SITE["SITE_NAME"] in page.content()
        levels = page.locator(".wc-certificate-level")
        assert levels.count() == (1 if code == "de" else 2), label
        assert page.locator('section[lang="de"] .wc-certificate-level').inner_text() == (
            catalog_text(app, "de", "Level: %(level)s").replace("%(level)s", LEVEL))
        if code != "de":
            assert page.locator(f'section[lang="{code}"] .wc-certificate-level').inner_text() \
                == catalog_text(app, code, "Level: %(level)s").replace(
                    "%(level)s", catalog_text(app, code, LEVEL_MSGID)), label
        pdf = page.pdf(format="A4", print_background=True)
        assert len(PAGES.findall(pdf)) == 1, label

    check(None, "her language")
    for language in CERTIFICATE_LANGUAGES:
        check(language, language)
    # Two terms of a weekly course: every date listed, still one page.
    live_server.query(lambda: attend_many(enrolment_id, 30))
    for language in ("ar", "ru", "uk"):
        check(language, f"{language}, 33 dates")
        assert page.locator(".wc-many-dates").count() == 1
