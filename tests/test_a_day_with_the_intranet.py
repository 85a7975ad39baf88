"""The "done when" of the staff intranet, end to end on the demo data.

The demo admin adds a weekly women's course with an Arabic title, cancels one date,
finds it on the kiosk's offers, the public programme, the poster and the calendar
feed; links a returning visitor to a person; and opens a monthly report whose
numbers match the demo data.
"""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.timeutil import local_today
from intranet.offers.models import Offer, OfferCancellation
from intranet.people.models import Person
from intranet.reports.data import MASKED
from intranet.testing import demo_client

ARABIC = "دورة خياطة للنساء"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_day_with_offers_people_and_reports(make_demo_app):
    app = make_demo_app(visits=True)
    admin = demo_client(app)
    with app.app_context():
        today = local_today()
    next_week = today + timedelta(weeks=1)

    # A weekly women's course with an Arabic title, starting today; next week's date off.
    response = admin.post("/offers/new", data={
        "service_area": "womens_courses", "title_de": "Nähkurs für Frauen", "title_ar": ARABIC,
        "room": "Kursraum 1", "repeat": "weekly", "first_date": today.isoformat(),
        "last_date": (today + timedelta(weeks=8)).isoformat(), "start_time": "10:00",
        "end_time": "12:00", "languages": ["de", "ar"], "audience": "women", "childcare": "y"})
    assert response.status_code == 302
    with app.app_context():
        offer_id = db.session.scalar(select(Offer.id).where(
            Offer.titles["de"].as_string() == "Nähkurs für Frauen"))
    assert offer_id
    assert admin.post(f"/offers/{offer_id}/cancel",
                      data={"day": next_week.isoformat(), "reason": "Ferien"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OfferCancellation.day)) == next_week

    visitor = app.test_client()  # no login: the kiosk's offers and the programme are public
    assert ARABIC in text(visitor.get("/kiosk/offers?lang=ar"))
    programme = text(visitor.get("/programme?lang=ar"))
    assert ARABIC in programme and 'dir="rtl"' in programme
    assert ARABIC in text(visitor.get(f"/programme/poster?lang=ar&week={today.isoformat()}"))
    feed = Calendar.from_ical(visitor.get("/programme.ics?lang=ar").data)
    [event] = [e for e in feed.walk("VEVENT") if str(e["SUMMARY"]) == ARABIC]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    exdates = {d.dt.date() for exdate in [event["EXDATE"]] for d in
               (exdate if isinstance(exdate, list) else [exdate]) for d in d.dts}
    assert exdates == {next_week}

    # A returning visitor: link one of the demo's check-ins to a person.
    with app.app_context():
        checkin_id, code = db.session.execute(
            select(CheckIn.id, Person.code).where(CheckIn.person_id.is_(None))
            .join(Person, Person.nickname == "Amira").limit(1)).one()
    assert admin.post(f"/people/link/{checkin_id}", data={"person": code}).status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.code == code))
        assert db.session.get(CheckIn, checkin_id).person_id == person_id

    # This month's report counts exactly the demo's visits of this month.
    with app.app_context():
        month_start = today.replace(day=1)
        visits = db.session.scalar(select(func.count()).select_from(CheckIn).where(
            CheckIn.day >= month_start, CheckIn.day <= today))
    report = text(admin.get("/reports/?period=month&lang=en"))
    keys = dict(re.findall(r'<div class="key-number"><dt>(.*?)</dt><dd>(.*?)</dd>', report))
    expected = MASKED if visits in (1, 2) else str(visits)
    assert keys["Visits"].replace("&lt;", "<").replace(",", "") == expected
