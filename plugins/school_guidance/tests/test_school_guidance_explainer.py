"""The public explainer "The school system in Lower Saxony", in every language."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from plugins.school_guidance.explainer import EXPLAINER_LANGUAGES, TEXTS

NAME = "school_guidance"
TITLES = {
    "de": "Das Schulsystem in Niedersachsen",
    "en": "The school system in Lower Saxony",
    "tr": "Aşağı Saksonya'da okul sistemi",
    "ru": "Школьная система в Нижней Саксонии",
    "uk": "Шкільна система в Нижній Саксонії",
    "ar": "النظام المدرسي في ولاية ساكسونيا السفلى",
    "fa": "نظام مدرسه در ایالت نیدرزاکسن",
}


@pytest.fixture
def app(make_app):
    return make_app(plugins=[NAME])


@pytest.mark.parametrize("code", sorted(TITLES))
def test_explainer_in_each_language_without_login(client, code):
    response = client.get(f"/school_guidance/explainer?lang={code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    direction = "rtl" if code in ("ar", "fa") else "ltr"
    assert re.search(r"<html[^>]*>", page).group(0) == f'<html lang="{code}" dir="{direction}">'
    assert f'<article class="card sg-explainer" lang="{code}" dir="{direction}">' in page
    assert escape(TITLES[code]) in page
    # German school words stay German and are isolated for right-to-left text
    assert '<bdi lang="de" class="sg-term">Gymnasium</bdi>' in page
    assert '<bdi lang="de" class="sg-term">Sprachlernklasse</bdi>' in page
    assert "30" in page or "۳۰" in page  # the cut-off date, 30 September
    assert re.search(r"school_guidance\.[0-9a-f]{10}\.css", page)  # the print stylesheet
    assert 'aria-current="true">' in page  # the switcher marks the language shown


def test_every_language_covers_the_same_facts():
    assert set(EXPLAINER_LANGUAGES) == set(TITLES)
    german = TEXTS["de"]
    for code in EXPLAINER_LANGUAGES:
        text = TEXTS[code]
        assert len(text["sections"]) == len(german["sections"]), code
        terms = set(re.findall(r"\[\[(.+?)\]\]", str(text["sections"])))
        assert {"Grundschule", "Hauptschule", "Realschule", "Oberschule", "Gymnasium",
                "Gesamtschule", "IGS", "KGS", "Förderschule", "Sprachlernklasse",
                "Hauptschulabschluss", "Realschulabschluss", "Sekundarabschluss I", "Abitur",
                "Berufsschule", "duales System", "Kita"} <= terms, code


def test_all_languages_on_one_printout(client):
    page = client.get("/school_guidance/explainer?all=1").get_data(as_text=True)
    assert page.count('class="card sg-explainer"') == 7
    for title in TITLES.values():
        assert escape(title) in page
    assert '<article class="card sg-explainer" lang="ar" dir="rtl">' in page


def test_print_stylesheet_is_a4_one_page_per_language(client):
    css = client.get("/school_guidance/static/school_guidance.css").get_data(as_text=True)
    assert "@media print" in css and "size: A4" in css and "break-after: page" in css
    physical = r"(?<![-\w])(margin|padding|border)-(left|right)\b|text-align: (left|right)"
    assert not re.search(physical, css)  # logical properties only: RTL for ar and fa


def test_a_language_without_explainer_falls_back_to_german(client):
    page = client.get("/school_guidance/explainer?lang=sq").get_data(as_text=True)
    assert TITLES["de"] in page and 'lang="de" dir="ltr"' in page
