"""The shared primitives of intranet.plugin, used by the core and every plugin: pages of a
list, where ``next`` may lead, the form building blocks, the person lookup by code, the
consent record shape and the week helpers."""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta

import pytest
from flask import render_template_string
from sqlalchemy import event, func, select
from werkzeug.datastructures import MultiDict

from intranet.plugin import (
    ActionForm,
    Consent,
    ConsentRecord,
    MultiCheckboxField,
    Person,
    PersonCodeField,
    choices,
    db,
    find_person,
    iso_week,
    local_today,
    monday_of,
    page_number,
    paginate,
    paginate_list,
    parse_week,
    safe_next,
    this_monday,
)
from intranet.testing import add_person, add_user, client_for

# -- pages of a list ------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("", 1), ("?page=3", 3), ("?page=abc", 1), ("?page=-5", 1), ("?page=0", 1),
    ("?page=" + "9" * 40, 1), ("?page=²", 1), ("?page=100000", 100_000), ("?page=100001", 1),
])
def test_page_number_is_bounded_and_never_fails(app, query, expected):
    with app.test_request_context(f"/people/{query}"):
        assert page_number() == expected


def add_people(app, count):
    with app.app_context():
        db.session.add_all(Person(nickname=f"Name{n:02d}") for n in range(count))
        db.session.commit()


@pytest.mark.parametrize(("page", "shown_page", "first"), [
    ("1", 1, "Name00"), ("2", 2, "Name10"), ("3", 3, "Name20"),
    ("9", 3, "Name20"),  # past the end: the last page, not an empty one
    ("abc", 1, "Name00"),
])
def test_paginate_reads_the_page_and_shows_the_last_one_past_the_end(app, page, shown_page,
                                                                      first):
    add_people(app, 25)
    with app.test_request_context(f"/people/?page={page}"):
        pagination = paginate(select(Person).order_by(Person.nickname), per_page=10)
        assert (pagination.page, pagination.pages, pagination.total) == (shown_page, 3, 25)
        assert pagination.items[0].nickname == first
        assert len(pagination.items) == (5 if shown_page == 3 else 10)


def test_paginate_of_an_empty_list_is_one_empty_page(app):
    with app.test_request_context("/people/?page=4"):
        pagination = paginate(select(Person), per_page=10)
        assert (pagination.page, pagination.total, pagination.items) == (1, 0, [])


def test_paginate_list_cuts_a_list_in_memory_the_same_way(app):
    with app.test_request_context("/offers/list?page=7"):
        pagination = paginate_list(list(range(23)), per_page=10)
        assert (pagination.page, pagination.pages, pagination.items) == (3, 3, [20, 21, 22])
        assert pagination.has_prev and not pagination.has_next


PAGER = '{% from "_pager.html" import pager %}{{ pager(p, target=target) }}'


def test_the_pager_keeps_every_argument_and_can_swap_with_htmx(app):
    add_people(app, 30)
    with app.test_request_context("/people/?q=Name&sort=nickname&page=2"):
        pagination = paginate(select(Person).order_by(Person.id), per_page=10)
        html = render_template_string(PAGER, p=pagination, target=None)
        assert 'href="/people/?q=Name&amp;sort=nickname"' in html  # page 1: no page argument
        assert 'href="/people/?q=Name&amp;sort=nickname&amp;page=3"' in html
        assert 'aria-current="page"><bdi>2</bdi>' in html and "Seite 2 von 3" in html
        assert "hx-get" not in html
        swapping = render_template_string(PAGER, p=pagination, target="#people-results")
        assert 'hx-target="#people-results"' in swapping and 'hx-push-url="true"' in swapping


def test_a_list_of_one_page_shows_no_pager(app):
    add_people(app, 3)
    with app.test_request_context("/people/"):
        pagination = paginate(select(Person), per_page=10)
        assert "<nav" not in render_template_string(PAGER, p=pagination, target=None)


@pytest.mark.parametrize("url", [
    "/people/?page=99999999999999999999", "/people/?page=-1", "/offers/list?page=x",
    "/admin/users?page=0", "/admin/audit?page=" + "1" * 300,
    "/consultations/records?page=99999999999",
])
def test_every_list_answers_a_bad_page_with_a_page(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200, url


# -- where next may lead ------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "//evil.example/", "/\\evil.example", "https://evil.example/", "http:/evil", "javascript:x",
    "/people\x00/", "/a\tb", "", None, "people/", "/" + "a" * 2001,
])
def test_safe_next_refuses_everything_but_a_path_of_this_site(app, target):
    with app.test_request_context("/"):
        assert safe_next(target, "/fallback") == "/fallback"


def test_safe_next_keeps_a_local_path_with_its_query(app):
    with app.test_request_context("/"):
        assert safe_next("/people/P-7K3MX?tab=1#consents", "/x") == "/people/P-7K3MX?tab=1#consents"
        assert safe_next(None) == "/"  # the start page when no default is given


def test_plugins_redirect_only_to_a_local_next(app):
    """A hidden ``next`` field in a plugin's form cannot be turned into an open redirect."""
    from plugins.consultations.models import Consultation

    client = client_for(app, "counsellor",
                        permissions=["consultations.view", "consultations.edit"])
    with app.app_context():
        record = Consultation(held_at=datetime(2026, 3, 2, 10, 0), follow_up_on=local_today())
        db.session.add(record)
        db.session.commit()
        url = f"/consultations/records/{record.id}/follow-up-done"
    outside = client.post(url, data={"next": "https://evil.example/"})
    assert outside.status_code == 302
    assert outside.headers["Location"] == f"/consultations/records/{record.id}"
    inside = client.post(url, data={"next": "/consultations/records"})
    assert inside.headers["Location"] == "/consultations/records"


# -- the person lookup by code ------------------------------------------------------------------


def test_find_person_ignores_case_and_spaces(app):
    code, pid = add_person(app, "Amal")
    with app.app_context():
        typed = f"  {code[:3].lower()} {code[3:].lower()} "
        assert find_person(typed).id == pid
        assert find_person("P-NOONE") is None
        assert find_person("") is None and find_person("x" * 500) is None


def plan_of(sql, params):
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
    return " | ".join(row[-1] for row in rows)


def test_the_lookup_by_code_uses_the_index(app):
    """The code is normalised in Python, so SQLite searches the unique index; the old way
    (``upper()`` on the column) scans the whole table, which is what this test rules out."""
    code, _pid = add_person(app, "Amal")
    with app.app_context():
        seen = []

        def remember(_conn, _cursor, statement, parameters, _context, _many):
            if "FROM person" in statement:
                seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            assert find_person(code.lower()) is not None
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        assert len(seen) == 1
        plan = plan_of(*seen[0])
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "SCAN" not in plan, plan
        upper = select(Person).where(func.upper(Person.code) == code)
        compiled = upper.compile(db.engine)
        assert "SCAN" in plan_of(str(compiled), tuple(compiled.params.values()))


# -- form building blocks -----------------------------------------------------------------------


class CodeForm(ActionForm):
    person_code = PersonCodeField(not_found="nobody")


def test_person_code_field_finds_the_person_while_the_form_validates(app):
    code, pid = add_person(app, "Amal")
    with app.test_request_context("/", method="POST"):
        form = CodeForm(formdata=MultiDict({"person_code": f" {code.lower()} "}))
        assert form.validate() and form.person_code.data == code
        assert form.person_code.person.id == pid
        unknown = CodeForm(formdata=MultiDict({"person_code": "P-ZZZZZ"}))
        assert not unknown.validate() and unknown.person_code.errors == ["nobody"]
        assert unknown.person_code.person is None
        empty = CodeForm(formdata=MultiDict({"person_code": ""}))
        assert empty.validate() and empty.person_code.person is None


class LanguagesForm(ActionForm):
    languages = MultiCheckboxField("Languages", choices=choices([("de", "Deutsch"),
                                                                 ("ar", "العربية")]))


def test_multi_checkbox_field_round_trip(app):
    with app.test_request_context("/", method="POST"):
        shown = LanguagesForm(formdata=None, data={"languages": ["ar"]})
        boxes = {value: tag for tag, value in
                 re.findall(r'(<input[^>]*value="(\w+)"[^>]*>)', str(shown.languages))}
        assert set(boxes) == {"de", "ar"}
        assert all('type="checkbox"' in tag for tag in boxes.values())
        assert "checked" in boxes["ar"] and "checked" not in boxes["de"]
        posted = LanguagesForm(formdata=MultiDict([("languages", "de"), ("languages", "ar")]))
        assert posted.validate() and posted.languages.data == ["de", "ar"]
        wrong = LanguagesForm(formdata=MultiDict([("languages", "xx")]))
        assert not wrong.validate() and wrong.languages.errors


def test_choices_are_what_wtforms_takes_without_a_deprecation(app):
    with app.test_request_context("/"), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        form = LanguagesForm(formdata=None)
        assert "العربية" in str(form.languages)
        assert [choice.value for choice in form.languages.choices] == ["de", "ar"]


def test_action_form_is_only_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.test_request_context("/", method="POST"):
        form = ActionForm(formdata=MultiDict())
        assert [field.name for field in form] == ["csrf_token"]
        assert not form.validate()


# -- one consent shape --------------------------------------------------------------------------


def consent_models():
    from plugins.consultations.models import Consent as Counselling
    from plugins.job_orientation.models import Consent as Documents

    return [Consent, Counselling, Documents]


def test_every_consent_table_has_the_shared_columns_under_its_own_names(app):
    shared = {"id", "person_id", "given_on", "withdrawn_on", "created_at"}
    recorder = {"consent": "recorded_by", "consultations_consent": "recorded_by",
                "job_orientation_consent": "recorded_by_id"}
    for model in consent_models():
        assert issubclass(model, ConsentRecord)
        table = model.__table__
        assert shared | {recorder[table.name]} <= set(table.c.keys()), table.name
        assert table.c.person_id.index and not table.c.person_id.nullable
        assert [fk.column.table.name for fk in table.c[recorder[table.name]].foreign_keys] \
            == ["user"]


def test_consent_helpers_withdraw_list_and_export(app):
    _code, pid = add_person(app, "Amal")
    admin = add_user(app, "admin", role="admin")
    today = date(2026, 3, 10)
    for model in consent_models():
        extra = {"purpose": "keep notes"} if "purpose" in model.__table__.c else {}
        with app.app_context():
            old = model(person_id=pid, given_on=today - timedelta(days=30),
                        recorded_by_id=admin, **extra)
            new = model(person_id=pid, given_on=today, **extra)
            db.session.add_all([old, new])
            db.session.commit()
            assert [c.id for c in model.of_person(pid)] == [new.id, old.id]
            assert old.recorded_by.username == "admin" and new.recorded_by is None
            assert old.withdraw(today) and not old.withdraw(today + timedelta(days=1))
            assert old.withdrawn_on == today and not old.active
            db.session.commit()
            assert [c.id for c in model.current_consents(pid)] == [new.id]
            due = db.session.scalars(select(model).where(
                *model.withdrawn_before(today + timedelta(days=1)))).all()
            assert [c.id for c in due] == [old.id]
            row = old.export_row()
            assert set(row) == set(model.__table__.c.keys())
            assert row[model.recorder_column] == admin and row["withdrawn_on"] == today


# -- weeks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "monday"), [
    ("2026-W48", date(2026, 11, 23)), ("2026-w48", date(2026, 11, 23)),
    ("2026-11-26", date(2026, 11, 23)), ("2026-11-23", date(2026, 11, 23)),
])
def test_parse_week_reads_an_iso_week_or_a_day_in_it(app, value, monday):
    with app.app_context():
        assert parse_week(value) == monday
        assert iso_week(monday) == "2026-W48"


@pytest.mark.parametrize("value", [None, "", "soon", "2026-W99", "9999-12-31", "0001-01-01",
                                   "2026-13-01", "x" * 50])
def test_parse_week_falls_back_to_this_week(app, value):
    with app.app_context():
        assert parse_week(value) == this_monday() == monday_of(local_today())
        assert this_monday().weekday() == 0
