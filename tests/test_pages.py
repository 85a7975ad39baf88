"""The staff start page, error pages and a misbehaving request."""

from __future__ import annotations

from intranet.testing import add_user, login


def test_start_page_shows_the_four_areas_and_the_week(app):
    from intranet.demo.data import load_demo

    with app.app_context():
        load_demo("another demo password")
    client = app.test_client()
    login(client, "admin", "another demo password")
    page = client.get("/").get_data(as_text=True)
    for area in ("consultations", "womens_courses", "job_orientation", "school_guidance"):
        assert f"area-{area}" in page
    assert "Nachbarschaftscafé" in page  # the core's own offer of the demo week


def test_not_found_page_is_in_the_users_language_with_the_layout(admin_client):
    response = admin_client.get("/no-such-page?lang=ar")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page and 'class="mainnav"' in page
    assert "Traceback" not in page


def test_unexpected_error_shows_a_friendly_page_not_a_trace(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/explode")
    def explode():
        raise ZeroDivisionError("boom")

    add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    response = client.get("/explode")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Nichts ist verloren gegangen" in page
    assert "ZeroDivisionError" not in page and "boom" not in page


def test_area_colours_stylesheet(client):
    response = client.get("/areas.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert ".area-consultations { --area-colour: #" in response.get_data(as_text=True)
