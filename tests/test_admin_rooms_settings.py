"""Administration of rooms (and the queue's room choice) and of the site settings."""

from __future__ import annotations

import re

from intranet.audit.models import AuditEntry
from intranet.core.extensions import db
from intranet.core.models import Room, SiteSetting
from intranet.offers.models import Offer
from intranet.testing import DEMO_PASSWORD, login

# -- rooms -----------------------------------------------------------------------------


def rooms(app, active_only=False):
    with app.app_context():
        statement = db.select(Room.name).order_by(Room.position, Room.id)
        if active_only:
            statement = statement.where(Room.active.is_(True))
        return list(db.session.scalars(statement))


def room_id(app, name):
    with app.app_context():
        return db.session.scalar(db.select(Room.id).where(Room.name == name))


def queue_room_options(client):
    page = client.get("/").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="room".*?</select>', page, re.S).group(0)
    return [option for option in re.findall(r'<option value="([^"]*)"', select) if option]


def test_add_rooms_in_order_and_refuse_duplicates(app, admin_client):
    assert admin_client.get("/admin/rooms?lang=en").status_code == 200
    for name in ("Beratungsraum", "  Kursraum 1 "):
        assert admin_client.post("/admin/rooms", data={"name": name}).status_code == 302
    assert rooms(app) == ["Beratungsraum", "Kursraum 1"]
    duplicate = admin_client.post("/admin/rooms?lang=en", data={"name": "beratungsraum"})
    assert duplicate.status_code == 400
    assert "A room with this name exists already." in duplicate.get_data(as_text=True)
    empty = admin_client.post("/admin/rooms", data={"name": "   "})
    assert empty.status_code == 400
    assert rooms(app) == ["Beratungsraum", "Kursraum 1"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
            AuditEntry.action == "room_created")) == 2


def test_rename_a_room_moves_its_offers_along(app, admin_client):
    from datetime import date, time

    admin_client.post("/admin/rooms", data={"name": "Kursraum 1"})
    admin_client.post("/admin/rooms", data={"name": "Büro"})
    with app.app_context():
        db.session.add(Offer(service_area="core", titles={"de": "Kurs"}, room="Kursraum 1",
                             first_date=date(2030, 1, 7), start_time=time(9),
                             end_time=time(10)))
        db.session.commit()
    kursraum = room_id(app, "Kursraum 1")
    taken = admin_client.post(f"/admin/rooms/{kursraum}/rename?lang=en", data={"name": "büro"})
    assert taken.status_code == 400
    assert "A room with this name exists already." in taken.get_data(as_text=True)
    assert admin_client.post(f"/admin/rooms/{kursraum}/rename",
                             data={"name": "Großer Kursraum"}).status_code == 302
    assert rooms(app) == ["Großer Kursraum", "Büro"]
    with app.app_context():
        assert db.session.scalar(db.select(Offer.room)) == "Großer Kursraum"
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "room_renamed"))
        assert entry.detail == {"old": "Kursraum 1", "new": "Großer Kursraum", "offers": 1}
    assert admin_client.post("/admin/rooms/999/rename", data={"name": "X"}).status_code == 404


def test_reorder_rooms_up_and_down(app, admin_client):
    for name in ("A", "B", "C"):
        admin_client.post("/admin/rooms", data={"name": name})
    admin_client.post(f"/admin/rooms/{room_id(app, 'C')}/move", data={"direction": "up"})
    assert rooms(app) == ["A", "C", "B"]
    admin_client.post(f"/admin/rooms/{room_id(app, 'A')}/move", data={"direction": "down"})
    assert rooms(app) == ["C", "A", "B"]
    admin_client.post(f"/admin/rooms/{room_id(app, 'C')}/move", data={"direction": "up"})
    admin_client.post(f"/admin/rooms/{room_id(app, 'B')}/move", data={"direction": "down"})
    assert rooms(app) == ["C", "A", "B"]  # the ends stay where they are
    assert admin_client.post(f"/admin/rooms/{room_id(app, 'A')}/move",
                             data={"direction": "sideways"}).status_code == 400


def test_the_queue_offers_the_active_rooms_else_the_setting(app, admin_client):
    assert queue_room_options(admin_client) == list(app.config["ROOMS"])
    for name in ("Hof", "Beratungsraum", "Büro"):
        admin_client.post("/admin/rooms", data={"name": name})
    admin_client.post(f"/admin/rooms/{room_id(app, 'Büro')}/move", data={"direction": "up"})
    admin_client.post(f"/admin/rooms/{room_id(app, 'Hof')}/active", data={"active": "0"})
    assert rooms(app, active_only=True) == ["Büro", "Beratungsraum"]
    assert queue_room_options(admin_client) == ["Büro", "Beratungsraum"]
    page = admin_client.get("/admin/rooms?lang=en").get_data(as_text=True)
    assert "Reactivate" in page  # Hof stays listed, to switch on again
    admin_client.post(f"/admin/rooms/{room_id(app, 'Hof')}/active", data={"active": "1"})
    assert queue_room_options(admin_client) == ["Hof", "Büro", "Beratungsraum"]  # its place
    for name in ("Hof", "Beratungsraum", "Büro"):
        admin_client.post(f"/admin/rooms/{room_id(app, name)}/active", data={"active": "0"})
    assert queue_room_options(admin_client) == list(app.config["ROOMS"])


def test_the_demo_has_its_rooms(make_demo_app):
    app = make_demo_app()
    assert rooms(app, active_only=True) == [
        "Beratungsraum", "Kursraum 1", "Kursraum 2", "Büro", "Café", "Hof"]
    client = app.test_client()
    login(client, "admin", DEMO_PASSWORD)
    assert "Hof" in queue_room_options(client)


# -- settings --------------------------------------------------------------------------

# The core's settings and the kiosk's (declared by its ``settings`` hook), by field name:
# the key in lower case.
VALID = {"site_name": "Treffpunkt Nord", "opening_hours": "Mo–Fr 9–13 Uhr",
         "site_address": "Hüttenstraße 12, Erdgeschoss", "site_phone": "0123 456 789",
         "kiosk_languages": ["de", "ar", "tr"], "kiosk_idle_seconds": "90",
         "kiosk_countdown_seconds": "20", "kiosk_number_seconds": "15",
         "kiosk_checkins_per_minute": "12", "kiosk_board_speech": "y"}


def stored(app):
    with app.app_context():
        return {row.key: row.value for row in db.session.scalars(db.select(SiteSetting))}


def test_settings_page_shows_the_values_in_force(app, admin_client):
    page = admin_client.get("/admin/settings?lang=en").get_data(as_text=True)
    assert 'value="Mittelpunkt Hüttenstraße"' in page
    assert 'value="60"' in page  # the configured idle time
    # every available language, named in its own script, all ticked while none is chosen
    for code, name in (("ar", "العربية"), ("tr", "Türkçe"), ("ru", "Русский")):
        assert re.search(rf'checked[^>]*value="{code}"|value="{code}"[^>]*checked', page), code
        assert name in page


def test_save_settings_only_stores_what_changed(app, admin_client):
    response = admin_client.post("/admin/settings", data=VALID)
    assert response.status_code == 302
    assert stored(app) == {"SITE_NAME": "Treffpunkt Nord", "OPENING_HOURS": "Mo–Fr 9–13 Uhr",
                           "KIOSK_LANGUAGES": ["de", "tr", "ar"], "KIOSK_IDLE_SECONDS": 90}
    page = admin_client.get("/?lang=en").get_data(as_text=True)
    assert "Treffpunkt Nord" in page  # the new name shows on the next page
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "settings_changed"))
        assert entry.detail["KIOSK_IDLE_SECONDS"] == 90


def test_the_kiosk_reads_the_chosen_languages(app, admin_client):
    """The kiosk's start screen offers ``setting("KIOSK_LANGUAGES")``."""
    from intranet.core.i18n import available_languages
    from intranet.plugin import setting

    with app.test_request_context():
        # the default None: every language the site offers
        assert setting("KIOSK_LANGUAGES") == available_languages()
    admin_client.post("/admin/settings", data=VALID)
    with app.test_request_context():
        assert setting("KIOSK_LANGUAGES") == ["de", "tr", "ar"]


def test_back_to_the_default(app, admin_client):
    admin_client.post("/admin/settings", data=VALID)
    page = admin_client.get("/admin/settings?lang=en").get_data(as_text=True)
    assert page.count("Back to the default") == 4
    assert admin_client.post("/admin/settings/SITE_NAME/reset").status_code == 302
    assert "SITE_NAME" not in stored(app) and "KIOSK_IDLE_SECONDS" in stored(app)
    assert "Mittelpunkt Hüttenstraße" in admin_client.get("/").get_data(as_text=True)
    assert admin_client.post("/admin/settings/SECRET_KEY/reset").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry.object_id).where(
            AuditEntry.action == "setting_reset")) == "SITE_NAME"


def test_wrong_values_are_refused_with_messages_next_to_the_fields(app, admin_client):
    cases = [("site_name", "  "), ("kiosk_idle_seconds", "5"),
             ("kiosk_idle_seconds", "1000"), ("kiosk_countdown_seconds", "2.5"),
             ("kiosk_number_seconds", "abc"), ("kiosk_languages", []),
             ("kiosk_languages", ["de", "xx"]), ("kiosk_checkins_per_minute", "0"),
             ("kiosk_checkins_per_minute", "")]
    for field, value in cases:
        response = admin_client.post("/admin/settings?lang=en", data={**VALID, field: value})
        assert response.status_code == 400, (field, value)
        page = response.get_data(as_text=True)
        assert re.findall(r'id="([a-z_]+)-error"', page) == [field], (field, value)
    assert stored(app) == {}
    page = admin_client.post("/admin/settings?lang=en", data={
        **VALID, "kiosk_idle_seconds": "5"}).get_data(as_text=True)
    assert "Enter a whole number from 10 to 600." in page
    assert page.count("Enter a whole number from 10 to 600.") == 1  # beside its field only


def test_settings_unchanged_store_nothing(app, admin_client):
    same = {"site_name": "Mittelpunkt Hüttenstraße",
            "opening_hours": app.config["OPENING_HOURS"],
            "site_address": app.config["SITE_ADDRESS"], "site_phone": app.config["SITE_PHONE"],
            "kiosk_languages": ["de", "en", "tr", "ru", "ar", "fa", "uk"],
            "kiosk_idle_seconds": "60", "kiosk_countdown_seconds": "20",
            "kiosk_number_seconds": "15", "kiosk_checkins_per_minute": "12",
            "kiosk_board_speech": "y"}
    with app.test_request_context():
        from intranet.core.i18n import available_languages

        same["kiosk_languages"] = available_languages()
    assert admin_client.post("/admin/settings", data=same).status_code == 302
    assert stored(app) == {}


def test_rooms_and_settings_forms_carry_their_csrf_token(make_app):
    from intranet.auth.models import Role
    from intranet.testing import DEFAULT_PASSWORD, add_user

    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "admin", role=Role.ADMIN)
    client = app.test_client()
    token_of = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    token = token_of.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "admin", "password": DEFAULT_PASSWORD,
                                "csrf_token": token})
    token = token_of.search(client.get("/admin/rooms").get_data(as_text=True)).group(1)
    assert client.post("/admin/rooms", data={"name": "Hof"}).status_code == 400
    assert client.post("/admin/rooms", data={"name": "Hof", "csrf_token": token}) \
        .status_code == 302
    assert rooms(app) == ["Hof"]
    token = token_of.search(client.get("/admin/settings").get_data(as_text=True)).group(1)
    assert client.post("/admin/settings", data=VALID).status_code == 400
    assert client.post("/admin/settings", data={**VALID, "csrf_token": token}) \
        .status_code == 302
    assert stored(app)["SITE_NAME"] == "Treffpunkt Nord"
