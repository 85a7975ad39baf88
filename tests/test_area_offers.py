"""Every page that shows offers lists the same ones: the stored offers of the core and of
every enabled area, and the occurrences a plugin computes through the ``offers`` hook.

The pages: an area's overview, the start page's week and its widgets, the staff calendar,
the public programme, its ICS feed and the lobby screen's list of today's offers.
"""

from __future__ import annotations

import types
from datetime import date, datetime, time, timedelta

import pytest
from flask import Blueprint

from intranet.plugin import (
    Offer,
    OfferView,
    Purpose,
    ServiceArea,
    all_offers,
    db,
    hookimpl,
    local_today,
    offer_views,
    permission_required,
)
from intranet.testing import client_for, widgets_of

GARDEN = "gardening"
MEET_UP = "Gartentreff im Hof"


def garden_plugin() -> types.ModuleType:
    """A service area without a table of its own: it computes a meet-up every day."""
    module = types.ModuleType(GARDEN)
    bp = Blueprint(GARDEN, __name__)
    area = ServiceArea(name=GARDEN, title="Garten", ticket_letter="G", order=60,
                       pictogram="plant", purposes=[Purpose("garden", "Garten", "plant")],
                       rights={"view": "Den Garten sehen"}, blueprint=lambda: bp,
                       today_title="Garten heute", today_empty="Heute kein Gartentreff.")

    @bp.route("/")
    @permission_required(area.view_right)
    def overview() -> str:
        return area.render_overview("area_overview.html")

    @hookimpl
    def offers(start: date, end: date) -> list[OfferView]:
        days = (start + timedelta(days=n) for n in range((end - start).days + 1))
        return [OfferView(key=f"meet-up-{day}", title=MEET_UP, room="Hof",
                          start=datetime.combine(day, time(7)),
                          end=datetime.combine(day, time(23)))
                for day in days]

    for name in ("plugin_info", "register_blueprints", "navigation", "kiosk_purposes",
                 "permissions", "dashboard_widgets"):
        setattr(module, name, getattr(area, name))
    module.offers = offers
    module.area = area
    return module


@pytest.fixture
def garden_app(make_app):
    app = make_app(plugins=["womens_courses", "kiosk"], extra=[garden_plugin()])
    with app.app_context():
        today = local_today()
        db.session.add_all([
            Offer(service_area="womens_courses", titles={"de": "Nähcafé", "en": "Sewing café"},
                  first_date=today, start_time=time(9), end_time=time(10)),
            Offer(service_area="core", titles={"de": "Nachbarschaftscafé"},
                  first_date=today, start_time=time(15), end_time=time(16)),
        ])
        db.session.commit()
    return app


def pages(app) -> dict[str, str]:
    """Every page that lists offers, as an administrator (and a visitor) sees it."""
    staff = client_for(app, "admin", role="admin")
    visitor = app.test_client()
    texts = {url: staff.get(url) for url in ("/", "/offers/", f"/{GARDEN}/",
                                             "/womens_courses/")}
    texts |= {url: visitor.get(url) for url in ("/programme", "/programme.ics",
                                                "/kiosk/offers")}
    return {url: response.get_data(as_text=True) if response.status_code == 200
            else f"HTTP {response.status_code}" for url, response in texts.items()}


def test_computed_and_stored_offers_show_on_every_page(garden_app):
    shown = pages(garden_app)
    for url in ("/", "/offers/", f"/{GARDEN}/", "/programme", "/kiosk/offers"):
        assert MEET_UP in shown[url], url
    assert f"SUMMARY:{MEET_UP}" in shown["/programme.ics"]
    for url in ("/", "/offers/", "/womens_courses/", "/programme", "/kiosk/offers"):
        assert "Nähcafé" in shown[url], url
        assert "Nachbarschaftscafé" in shown[url] or url == "/womens_courses/", url
    # a stored offer comes once, now that no plugin hands the core's rows back any more
    assert shown["/programme.ics"].count("SUMMARY:Nähcafé") == 1
    assert shown["/programme.ics"].count("SUMMARY:Nachbarschaftscafé") == 1
    with garden_app.test_request_context("/"):
        today = local_today()
        titles = [o.title for o in all_offers(today, today, "de")]
        assert titles.count("Nähcafé") == 1 and titles.count(MEET_UP) == 1
        mine = all_offers(today, today, "de", area="womens_courses")
        assert [(o.title, o.plugin) for o in mine] == [("Nähcafé", "womens_courses")]
        garden = all_offers(today, today, "de", area=GARDEN)
        assert [(o.title, o.plugin) for o in garden] == [(MEET_UP, GARDEN)]


def test_the_areas_widget_lists_its_computed_offers(garden_app):
    with garden_app.app_context():
        today = local_today()
    [box] = widgets_of(garden_app, GARDEN, today)
    assert box.title == "Garten heute"
    assert [(item.label, item.value, item.endpoint) for item in box.items] == [
        (MEET_UP, "07:00–23:00", f"{GARDEN}.overview")]


def test_a_switched_off_areas_offers_disappear_everywhere(garden_app):
    with garden_app.app_context():
        host = garden_app.extensions["mittelpunkt"]
        host.set_enabled(GARDEN, False)
        host.set_enabled("womens_courses", False)
    shown = pages(garden_app)
    assert shown[f"/{GARDEN}/"] == "HTTP 404" and shown["/womens_courses/"] == "HTTP 404"
    for url in ("/", "/offers/", "/programme", "/programme.ics", "/kiosk/offers"):
        assert MEET_UP not in shown[url], url
        assert "Nähcafé" not in shown[url], url
        assert "Nachbarschaftscafé" in shown[url], url  # the core's own stay
    with garden_app.test_request_context("/"):
        today = local_today()
        assert all_offers(today, today, "de", area="womens_courses") == []
        assert all_offers(today, today, "de", area=GARDEN) == []
        # the stored rows are still there: switching the area on again shows them
        assert [o.title for o in offer_views("womens_courses", today, today, "de")] == [
            "Nähcafé"]


def test_an_area_is_asked_for_its_computed_offers_only_where_they_are_wanted(make_app):
    calls = []
    garden = garden_plugin()
    counted = garden.offers

    def offers(start: date, end: date) -> list[OfferView]:
        calls.append((start, end))
        return counted(start, end)

    garden.offers = hookimpl(offers)
    app = make_app(plugins=["womens_courses"], extra=[garden])
    with app.test_request_context("/"):
        today = local_today()
        assert all_offers(today, today, "de", area="womens_courses") == []
        assert calls == []  # another area's list does not ask the garden
        assert len(all_offers(today, today, "de", area=GARDEN)) == 1
        assert calls == [(today, today)]
