"""Languages: German default, ?lang= kept in the session, text direction, plugin domains."""

from __future__ import annotations

import re

import pytest

from intranet.testing import add_user, login


def html_tag(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r"<html[^>]*>", page).group(0)


def test_german_is_the_default(client):
    assert html_tag(client, "/login") == '<html lang="de" dir="ltr">'
    assert "Anmelden" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("code, direction", [
    ("ar", "rtl"), ("fa", "rtl"), ("de", "ltr"), ("en", "ltr"), ("tr", "ltr"), ("ru", "ltr"),
    ("uk", "ltr"),
])
def test_lang_and_dir_are_right_on_every_language(client, code, direction):
    assert html_tag(client, f"/login?lang={code}") == f'<html lang="{code}" dir="{direction}">'


def test_choice_is_kept_in_the_session(client):
    client.get("/login?lang=ar")
    assert html_tag(client, "/login") == '<html lang="ar" dir="rtl">'
    assert html_tag(client, "/login?lang=tr") == '<html lang="tr" dir="ltr">'
    assert html_tag(client, "/login") == '<html lang="tr" dir="ltr">'


def test_unknown_language_falls_back_to_german(client):
    assert html_tag(client, "/login?lang=xx") == '<html lang="de" dir="ltr">'


@pytest.mark.parametrize("code, word", [
    ("en", "Log in"), ("tr", "Giriş"), ("ru", "Войти"), ("ar", "تسجيل الدخول"),
    ("fa", "ورود"), ("uk", "Увійти"),
])
def test_core_catalogs_are_compiled_and_used(client, code, word):
    assert word in client.get(f"/login?lang={code}").get_data(as_text=True)


def test_language_menu_names_each_language_in_its_own_script(client):
    page = client.get("/login").get_data(as_text=True)
    for name in ("Deutsch", "English", "Türkçe", "Русский", "العربية", "دری", "Українська"):
        assert name in page


def test_staff_language_choice_is_remembered_for_the_next_login(app):
    """?lang= (a GET) changes only the session; the account page (a POST) stores it."""
    from intranet.auth.models import User
    from intranet.core.extensions import db

    user_id = add_user(app, "amira")
    client = app.test_client()
    login(client, "amira")
    assert html_tag(client, "/?lang=tr") == '<html lang="tr" dir="ltr">'
    assert html_tag(client, "/") == '<html lang="tr" dir="ltr">'  # for this session
    with app.app_context():
        assert db.session.get(User, user_id).language is None  # the GET stored nothing
    response = client.post("/account/language", data={"language": "ar"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).language == "ar"
    client.post("/logout")
    other = app.test_client()
    login(other, "amira")
    assert html_tag(other, "/") == '<html lang="ar" dir="rtl">'


def test_plugin_pages_use_their_own_catalog_and_the_cores(app, admin_client):
    """A plugin page in Arabic: the plugin's strings from its domain, the layout's from the core."""
    page = admin_client.get("/consultations/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "تسجيل الخروج" in page  # "Log out" from the core catalog, through the fallback
    host = app.extensions["mittelpunkt"]
    with app.test_request_context("/?lang=ar"):
        app.preprocess_request()
        titles = {str(info.title) for info in host.service_areas()}
    assert not titles & {"Consultations", "Women's courses"}  # translated, not the msgids
