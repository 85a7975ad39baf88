"""The pages of school guidance, mounted under /school_guidance/.

The overview, guidance talks, parents' evenings with their attendance, and the
public explainer "The school system in Lower Saxony".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from intranet.plugin import (
    Offer,
    audit,
    current_locale,
    current_user,
    db,
    local_today,
    monday_of,
    offer_views,
    permission_required,
    public,
    render_area_overview,
    staff_choices,
)

from . import NAME, _, kiosk_purposes, plugin_info
from .choices import AGE_GROUPS, EVENING_TITLES, REFERRALS, SCHOOL_TYPES, label
from .explainer import EXPLAINER_LANGUAGES, explainer_text
from .forms import EveningForm, TalkForm, attendance_form
from .models import Evening, EveningLanguage, Referral, Talk

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")

VIEW, EDIT = f"{NAME}.view", f"{NAME}.edit"


@bp.context_processor
def choice_labels() -> dict[str, Any]:
    """Labels of the stored keys, for every template of the plugin."""
    return {"sg_age_group": lambda key: label(AGE_GROUPS, key),
            "sg_school_type": lambda key: label(SCHOOL_TYPES, key),
            "sg_referral": lambda key: label(REFERRALS, key)}


def planned_evenings(start: date, end: date) -> list[Any]:
    """The plugin's parents' evenings (offers for parents) between two dates, not cancelled."""
    return [o for o in offer_views(NAME, start, end, current_locale())
            if o.audience == "parents" and not o.cancelled and o.offer_id is not None]


def next_evening(now: datetime) -> Any | None:
    upcoming = [o for o in planned_evenings(now.date(), now.date() + timedelta(weeks=8))
                if o.start >= now]
    return upcoming[0] if upcoming else None


def evening_title(evening: Evening) -> str:
    if evening.offer is not None:
        return evening.offer.title(current_locale())
    return _("Parents' evening")


# ---------------------------------------------------------------- overview


@bp.route("/")
@permission_required(VIEW)
def overview() -> str:
    today = local_today()
    monday = monday_of(today)
    talks_this_week = db.session.scalar(
        select(func.count()).select_from(Talk)
        .where(Talk.day.between(monday, monday + timedelta(days=6))))
    open_attendance = db.session.scalar(
        select(func.count()).select_from(Evening)
        .where(Evening.parents.is_(None), Evening.day <= today))
    return render_area_overview(
        f"{NAME}/overview.html", info=plugin_info(), purposes=kiosk_purposes(current_locale()),
        talks_this_week=talks_this_week, open_attendance=open_attendance,
        next_evening=next_evening(datetime.combine(today, datetime.min.time())),
        explainer_languages=EXPLAINER_LANGUAGES)


# ---------------------------------------------------------------- talks


@bp.route("/talks")
@permission_required(VIEW)
def talks() -> str:
    today = local_today()
    monday = monday_of(today)
    recent = db.session.scalars(
        select(Talk).order_by(Talk.day.desc(), Talk.id.desc()).limit(100)).all()
    this_week = sum(1 for t in recent if monday <= t.day <= monday + timedelta(days=6))
    return render_template(f"{NAME}/talks.html", talks=recent, this_week=this_week)


def save_talk(talk: Talk, form: TalkForm) -> None:
    talk.day = form.day.data
    talk.staff_id = form.staff_id.data
    talk.person = form.person
    talk.language = form.language.data
    talk.age_group = form.age_group.data
    talk.school_type = form.school_type.data
    talk.question = form.question.data.strip()
    talk.next_step = (form.next_step.data or "").strip()
    kinds = [kind for kind in REFERRALS if kind in (form.referrals.data or [])]
    talk.referrals = [Referral(kind=kind) for kind in kinds]


@bp.route("/talks/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_talk() -> Any:
    form = TalkForm(staff=staff_choices())
    if request.method == "GET":
        form.day.data = local_today()
        form.staff_id.data = current_user.id
        form.person_code.data = request.args.get("person", "")
    if form.validate_on_submit():
        talk = Talk()
        save_talk(talk, form)
        db.session.add(talk)
        db.session.flush()
        audit("talk_recorded", object_type="school_guidance_talk", object_id=talk.id,
              plugin=NAME)
        db.session.commit()
        flash(_("The talk is recorded."), "success")
        return redirect(url_for(".talk", talk_id=talk.id))
    return render_template(f"{NAME}/talk_form.html", form=form, talk=None)


@bp.route("/talks/<int:talk_id>")
@permission_required(VIEW)
def talk(talk_id: int) -> str:
    return render_template(f"{NAME}/talk.html", talk=db.get_or_404(Talk, talk_id))


@bp.route("/talks/<int:talk_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit_talk(talk_id: int) -> Any:
    talk = db.get_or_404(Talk, talk_id)
    form = TalkForm(staff=staff_choices(), data={
        "day": talk.day, "staff_id": talk.staff_id, "language": talk.language,
        "person_code": talk.person.code if talk.person else "",
        "age_group": talk.age_group, "school_type": talk.school_type,
        "question": talk.question, "next_step": talk.next_step,
        "referrals": talk.referral_kinds})
    if form.validate_on_submit():
        save_talk(talk, form)
        audit("talk_changed", object_type="school_guidance_talk", object_id=talk.id,
              plugin=NAME)
        db.session.commit()
        flash(_("The talk is saved."), "success")
        return redirect(url_for(".talk", talk_id=talk.id))
    return render_template(f"{NAME}/talk_form.html", form=form, talk=talk)


@bp.route("/talks/<int:talk_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delete_talk(talk_id: int) -> Any:
    talk = db.get_or_404(Talk, talk_id)
    db.session.delete(talk)
    audit("talk_deleted", object_type="school_guidance_talk", object_id=talk_id, plugin=NAME)
    db.session.commit()
    flash(_("The talk is deleted."), "success")
    return redirect(url_for(".talks"))


# ---------------------------------------------------------------- evenings


def occurrence_key(offer_id: int, day: date) -> str:
    return f"{offer_id}:{day.isoformat()}"


@bp.route("/evenings")
@permission_required(VIEW)
def evenings() -> str:
    today = local_today()
    recorded = db.session.scalars(
        select(Evening).order_by(Evening.day.desc(), Evening.id.desc()).limit(100)).all()
    taken = {(e.offer_id, e.day) for e in recorded}
    planned = [o for o in planned_evenings(today - timedelta(weeks=4),
                                           today + timedelta(weeks=4))
               if (o.offer_id, o.start.date()) not in taken]
    return render_template(f"{NAME}/evenings.html", evenings=recorded, planned=planned,
                           today=today, title_of=evening_title, occurrence_key=occurrence_key)


@bp.route("/evenings/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_evening() -> Any:
    today = local_today()
    planned = planned_evenings(today - timedelta(weeks=8), today + timedelta(weeks=8))
    by_key = {occurrence_key(o.offer_id, o.start.date()): o for o in planned}
    form = EveningForm(occurrences=[
        (key, f"{o.start:%d.%m.%Y %H:%M} · {o.title}") for key, o in by_key.items()])
    if request.method == "GET":
        chosen = by_key.get(request.args.get("occurrence", ""))
        if chosen is not None:
            form.occurrence.data = request.args["occurrence"]
            offered = {choice.value for choice in form.languages.choices}
            form.languages.data = [c for c in chosen.languages if c in offered]
        else:
            form.languages.data = ["de"]
    if form.validate_on_submit():
        if form.source.data == "offer":
            view = by_key[form.occurrence.data]
            offer_id, day = view.offer_id, view.start.date()
        else:
            offer = Offer(service_area=NAME, weekly=False, first_date=form.day.data,
                          last_date=form.day.data, start_time=form.start_time.data,
                          end_time=form.end_time.data, room=form.room.data or "",
                          titles=dict(EVENING_TITLES), audience="parents",
                          languages=list(form.languages.data))
            db.session.add(offer)
            db.session.flush()
            offer_id, day = offer.id, form.day.data
        existing = db.session.scalar(select(Evening).where(Evening.offer_id == offer_id,
                                                           Evening.day == day))
        if existing is not None:
            flash(_("This evening is already in the list."), "error")
            return redirect(url_for(".evening", evening_id=existing.id))
        evening = Evening(offer_id=offer_id, day=day, languages=list(form.languages.data),
                          created_by_id=current_user.id)
        db.session.add(evening)
        db.session.flush()
        audit("evening_added", object_type="school_guidance_evening", object_id=evening.id,
              plugin=NAME)
        db.session.commit()
        flash(_("The parents' evening is added. Record the attendance after the evening."),
              "success")
        return redirect(url_for(".evening", evening_id=evening.id))
    return render_template(f"{NAME}/evening_form.html", form=form, planned=planned)


@bp.route("/evenings/<int:evening_id>")
@permission_required(VIEW)
def evening(evening_id: int) -> str:
    evening = db.get_or_404(Evening, evening_id)
    return render_template(f"{NAME}/evening.html", evening=evening,
                           title=evening_title(evening), today=local_today())


@bp.route("/evenings/<int:evening_id>/attendance", methods=["GET", "POST"])
@permission_required(EDIT)
def attendance(evening_id: int) -> Any:
    evening = db.get_or_404(Evening, evening_id)
    data: dict[str, Any] = {"parents": evening.parents, "families": evening.families}
    data.update({f"lang_{row.language}": row.parents for row in evening.by_language})
    form = attendance_form(evening.languages, **data)
    if form.validate_on_submit():
        evening.parents = form.parents.data
        evening.families = form.families.data
        evening.by_language = [EveningLanguage(language=code, parents=field.data)
                               for code, field in form.language_fields()
                               if field.data is not None]
        audit("evening_attendance", object_type="school_guidance_evening",
              object_id=evening.id, plugin=NAME)
        db.session.commit()
        flash(_("The attendance is saved."), "success")
        return redirect(url_for(".evening", evening_id=evening.id))
    return render_template(f"{NAME}/attendance_form.html", form=form, evening=evening,
                           title=evening_title(evening))


@bp.route("/evenings/<int:evening_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delete_evening(evening_id: int) -> Any:
    evening = db.get_or_404(Evening, evening_id)
    db.session.delete(evening)
    audit("evening_deleted", object_type="school_guidance_evening", object_id=evening_id,
          plugin=NAME)
    db.session.commit()
    flash(_("The evening is taken out of the list. The offer itself stays."), "success")
    return redirect(url_for(".evenings"))


# ---------------------------------------------------------------- explainer


@bp.route("/explainer")
@public
def explainer() -> str:
    """The school system in Lower Saxony, for parents: one A4 page per language.

    ``?lang=xx`` chooses the language (the core keeps it in the session);
    ``?all=1`` shows every language one after another, for printing a stack.
    """
    current = current_locale()
    if request.args.get("all"):
        shown = [explainer_text(code) for code in EXPLAINER_LANGUAGES]
    else:
        shown = [explainer_text(current if current in EXPLAINER_LANGUAGES else "de")]
    return render_template(f"{NAME}/explainer.html", texts=shown,
                           explainer_languages=EXPLAINER_LANGUAGES, current=current,
                           all_languages=bool(request.args.get("all")))
