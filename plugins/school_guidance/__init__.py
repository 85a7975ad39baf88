"""Schulorientierung: helping children and young people finish school successfully.

Homework help, and evenings that explain the German school system to parents in
their own languages, together with schools and education providers; individual
guidance talks with referrals to support offers; and a printable explainer
"The school system in Lower Saxony" in the families' languages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, cast

from flask_babel import LazyString, format_date
from sqlalchemy import CursorResult, func, select, update

from intranet.plugin import (
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    Purpose,
    ServiceArea,
    Widget,
    WidgetItem,
    db,
    hookimpl,
    language_name,
    local_now,
    monday_of,
    offer_views,
    plugin_domain,
)

NAME = "school_guidance"

domain = plugin_domain(NAME, __file__)
_ = domain.gettext
_l: Callable[..., LazyString] = domain.lazy_gettext  # annotated: choices.py imports it in a cycle

# Who the area is (title, letter, kiosk tiles, rights) is declared at the end of
# this module: ``area``, which also supplies the usual hooks.

from . import models  # noqa: E402  (the tables must be in the metadata; they need _l)
from .choices import AGE_GROUPS, REFERRALS, SCHOOL_TYPES, label  # noqa: E402


@hookimpl
def dashboard_widgets(today: date) -> list[Widget]:
    return [area.todays_offers_widget(today), guidance_widget(today)]


def guidance_widget(today: date) -> Widget:
    """Talks this week, the next parents' evening, evenings whose attendance is missing."""
    Talk, Evening = models.Talk, models.Evening
    monday = monday_of(today)
    talks = db.session.scalar(select(func.count()).select_from(Talk)
                              .where(Talk.day.between(monday, monday + timedelta(days=6))))
    now = local_now()
    if now.date() != today:
        now = datetime.combine(today, datetime.min.time())
    upcoming = [o for o in offer_views(NAME, today, today + timedelta(weeks=8), "de")
                if o.audience == "parents" and not o.cancelled and o.start >= now]
    missing = db.session.scalar(select(func.count()).select_from(Evening)
                                .where(Evening.parents.is_(None), Evening.day <= today))
    items = [
        WidgetItem(label=_("Talks this week"), value=str(talks), endpoint=f"{NAME}.talks"),
        WidgetItem(label=_("Next parents' evening"),
                   value=(format_evening(upcoming[0].start) if upcoming else _("none planned")),
                   endpoint=f"{NAME}.evenings"),
    ]
    if missing:
        items.append(WidgetItem(label=_("Attendance still to record"), value=str(missing),
                                endpoint=f"{NAME}.evenings"))
    return Widget(title=_("School guidance: talks and evenings"), items=tuple(items),
                  order=41, permission=f"{NAME}.view")


def format_evening(start: datetime) -> str:
    return f"{format_date(start.date(), 'EEE d.M.')}, {start:%H:%M}"


@hookimpl
def report_metrics(start: date, end: date) -> list[Metric]:
    Talk, Evening = models.Talk, models.Evening
    metrics = area.offer_metrics(start, end, offered=_l("School guidance dates offered"),
                                 cancelled=_l("School guidance dates cancelled"),
                                 checkins=_l("Check-ins for school guidance"))
    talks = db.session.scalars(select(Talk).where(Talk.day.between(start, end))).all()
    metrics.append(Metric(key=f"{NAME}.talks", label=_l("Guidance talks"),
                          value=len(talks), order=20))
    by_age = Counter(t.age_group for t in talks)
    metrics += [Metric(key=f"{NAME}.talks.age.{key}", label=label(AGE_GROUPS, key),
                       value=by_age[key], group=_l("Guidance talks by child's age group"),
                       order=21) for key in AGE_GROUPS]
    by_school = Counter(t.school_type for t in talks)
    metrics += [Metric(key=f"{NAME}.talks.school.{key}", label=label(SCHOOL_TYPES, key),
                       value=by_school[key], group=_l("Guidance talks by school type"),
                       order=22) for key in SCHOOL_TYPES if by_school[key]]
    referrals = Counter(kind for t in talks for kind in t.referral_kinds)
    metrics += [Metric(key=f"{NAME}.referrals.{key}", label=label(REFERRALS, key),
                       value=referrals[key], group=_l("Referrals by kind"), order=23)
                for key in REFERRALS if referrals[key]]
    evenings = db.session.scalars(select(Evening).where(Evening.day.between(start, end),
                                                        Evening.parents.is_not(None))).all()
    metrics += [
        Metric(key=f"{NAME}.evenings", label=_l("Parents' evenings held"),
               value=len(evenings), order=30),
        Metric(key=f"{NAME}.evenings.parents", label=_l("Parents reached at evenings"),
               value=sum(e.parents or 0 for e in evenings), order=31),
        Metric(key=f"{NAME}.evenings.families", label=_l("Families reached at evenings"),
               value=sum(e.families or 0 for e in evenings), order=32),
    ]
    by_language: Counter[str] = Counter()
    for evening in evenings:
        for row in evening.by_language:
            by_language[row.language] += row.parents
    metrics += [Metric(key=f"{NAME}.evenings.parents.{code}", label=language_name(code),
                       value=count, group=_l("Parents reached at evenings, by language"),
                       order=33) for code, count in sorted(by_language.items())]
    return metrics


@hookimpl
def export_person(person: Any) -> ExportSection:
    """The guidance talks held with this person (no child's name is ever stored)."""
    Talk = models.Talk
    talks = db.session.scalars(select(Talk).where(Talk.person_id == person.id)
                               .order_by(Talk.day)).all()
    return ExportSection(title=_l("School guidance talks"), records=tuple({
        "date": talk.day.isoformat(),
        "staff": talk.staff.name if talk.staff else "",
        "language": talk.language,
        "child_age_group": str(label(AGE_GROUPS, talk.age_group)),
        "school_type": str(label(SCHOOL_TYPES, talk.school_type)),
        "question": talk.question,
        "next_step": talk.next_step,
        "referrals": [str(label(REFERRALS, kind)) for kind in talk.referral_kinds],
    } for talk in talks))


@hookimpl
def person_activity(person: Any, user: Any) -> list[Widget]:
    """A box on the core's person page: the guidance talks held with this person.

    The whole box needs the view permission (the core hides it from everybody else);
    the question asked stays on the talk's own page.
    """
    Talk = models.Talk
    talks = db.session.scalars(select(Talk).where(Talk.person_id == person.id)
                               .order_by(Talk.day.desc(), Talk.id.desc())).all()
    if not talks:
        return []
    items = []
    for talk in talks:
        label_text = " · ".join([
            _("Talk on %(date)s", date=format_date(talk.day, "medium")),
            label(AGE_GROUPS, talk.age_group), label(SCHOOL_TYPES, talk.school_type)])
        value = _("Next step: %(step)s", step=talk.next_step) if talk.next_step else ""
        items.append(WidgetItem(label=label_text, value=value, endpoint=f"{NAME}.talk",
                                url_values={"talk_id": talk.id}))
    return [Widget(title=_("School guidance talks"), items=tuple(items), order=40,
                   permission=f"{NAME}.view")]


@hookimpl
def merge_persons(source: Any, target: Any) -> MergeReport:
    """Move the talks to ``target`` (no commit: the core's transaction); referrals and
    evenings hang on talks and offers, not on people, and need nothing."""
    Talk = models.Talk
    result = cast(CursorResult[Any], db.session.execute(
        update(Talk).where(Talk.person_id == source.id).values(person_id=target.id)))
    moved = result.rowcount or 0
    return MergeReport(records_moved=moved, detail=f"{moved} talks moved")


@hookimpl
def erase_person(person: Any) -> ErasureReport:
    """Detach the person's talks and blank their free text; the counts stay right.

    Date, age group, school type and referrals remain for the statistics: without
    the link and the text they no longer say anything about anyone.
    """
    Talk = models.Talk
    result = cast(CursorResult[Any], db.session.execute(
        update(Talk).where(Talk.person_id == person.id)
        .values(person_id=None, question="", next_step="")))
    return ErasureReport(records_erased=result.rowcount or 0,
                         detail="talks detached, question and next step erased")


# -- the area: who it is, and the usual hooks made from that ----------------------------

area = ServiceArea(
    name=NAME, title=_l("School guidance"), ticket_letter="S", order=40,
    colour="#5b3fa6", pictogram="school",
    description=_l("Homework help, and the German school system explained to parents."),
    purposes=[Purpose("homework_help", _l("Homework help"), "pencil"),
              Purpose("school_questions", _l("Questions about school"), "school")],
    rights={"view": _l("See school guidance"), "edit": _l("Change school guidance offers")},
    blueprint=f"{__name__}.views:bp", demo=f"{__name__}.demo:add_demo_data",
    today_title=_l("School guidance today"), today_empty=_l("No school guidance offer today."),
)

plugin_info = area.plugin_info
register_blueprints = area.register_blueprints
navigation = area.navigation
kiosk_purposes = area.kiosk_purposes
permissions = area.permissions
load_demo_data = area.load_demo_data
from .retention import retention_rules as retention_rules  # noqa: E402  (hook: retention)
