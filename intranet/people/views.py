"""The register of pseudonymous people shared by the plugins (``/people``).

Reading the register needs ``core.people_view`` (``core.people_edit`` includes
it); creating, changing, consents, linking check-ins, merging and erasure need
``core.people_edit``; a person's export (their whole file, every area's records and
confidential notes included) is a right of its own, ``core.people_export``. Export,
erasure and merge each need a fresh password entry. Every look at a person's page is
audited; audit details hold ids, counts and field names, never what was typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.sql import Select
from werkzeug.routing import BuildError

from intranet.audit.log import audit
from intranet.auth.access import permission_required
from intranet.auth.reauth import password_confirmed
from intranet.checkins.models import CheckIn
from intranet.core.extensions import db
from intranet.core.forms import ActionForm
from intranet.core.i18n import current_locale
from intranet.core.pagination import paginate
from intranet.core.plugin_host import CORE_NAME, PluginCallFailed, host
from intranet.core.redirects import safe_next
from intranet.core.timeutil import local_today
from intranet.hooktypes import Purpose, Widget
from intranet.people.data_requests import erase_person, export_person
from intranet.people.forms import (
    ConsentForm,
    EraseForm,
    ExportForm,
    LinkForm,
    MergeForm,
    NewFromTicketForm,
    PersonForm,
    country_name,
    country_names,
    gender_label,
    language_choices,
    parse_date,
)
from intranet.people.merge import MergeFailed, counts, merge_persons
from intranet.people.models import Consent, Person, find_person, person_or_404

bp = Blueprint("people", __name__, url_prefix="/people")

VIEW = "core.people_view"
EDIT = "core.people_edit"
EXPORT = "core.people_export"
PER_PAGE = 25
SORTS = {
    "code": Person.code,
    "nickname": func.lower(Person.nickname),
    "first_visit": Person.first_visit,
    "created": Person.created_at,
}
DEFAULT_SORT = "-created"
CHECKINS_SHOWN = 50


@bp.before_request
def _may_view() -> None:
    """The whole register needs the right to see it (editors may see it too)."""
    if not (current_user.is_authenticated
            and (current_user.has_permission(VIEW) or current_user.has_permission(EDIT))):
        abort(403)


@bp.app_context_processor
def _people_helpers() -> dict[str, Any]:
    return {"country_name": country_name, "gender_label": gender_label}


# -- the list ------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    language: str = ""
    country: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_request(cls) -> Filters:
        args = request.args
        sort = args.get("sort", DEFAULT_SORT)
        if sort.lstrip("-") not in SORTS:
            sort = DEFAULT_SORT
        return cls(q=args.get("q", "").strip()[:80], language=args.get("language", "")[:10],
                   country=args.get("country", "").upper()[:2],
                   since=parse_date(args.get("since")), until=parse_date(args.get("until")),
                   sort=sort)

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query-string arguments of this list, with ``changes`` applied (for links)."""
        values = {"q": self.q, "language": self.language, "country": self.country,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else "",
                  "sort": self.sort if self.sort != DEFAULT_SORT else ""}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}

    @property
    def active(self) -> bool:
        return bool(self.q or self.language or self.country or self.since or self.until)


def search(query: str) -> Select[Any]:
    """People whose code or nickname contains ``query`` (any case)."""
    statement = select(Person)
    query = query.strip()
    if query:
        statement = statement.where(or_(Person.code.icontains(query, autoescape=True),
                                        Person.nickname.icontains(query, autoescape=True)))
    return statement


def filtered(filters: Filters) -> Select[Any]:
    statement = search(filters.q)
    if filters.language.isalpha():
        # Languages are a JSON list of codes: its text holds "xx" with the quotes.
        statement = statement.where(
            cast(Person.languages, String).like(f'%"{filters.language.lower()}"%'))
    if filters.country:
        statement = statement.where(Person.country_of_origin == filters.country)
    if filters.since:
        statement = statement.where(Person.first_visit >= filters.since)
    if filters.until:
        statement = statement.where(Person.first_visit <= filters.until)
    return statement


@bp.route("/")
def index() -> Any:
    filters = Filters.from_request()
    column = SORTS[filters.sort.lstrip("-")]
    order = column.desc() if filters.sort.startswith("-") else column.asc()
    pagination = paginate(filtered(filters).order_by(order, Person.id.desc()), per_page=PER_PAGE)
    countries = db.session.scalars(select(Person.country_of_origin).distinct()
                                   .where(Person.country_of_origin.is_not(None))).all()
    names = country_names()
    context = {
        "people": pagination.items, "filters": filters, "pagination": pagination,
        "language_choices": language_choices(),
        "country_choices": sorted(((code, names.get(code, code)) for code in countries if code),
                                  key=lambda pair: pair[1].casefold()),
        "can_edit": current_user.has_permission(EDIT),
    }
    partial = request.headers.get("HX-Request") and \
        not request.headers.get("HX-History-Restore-Request")
    response = Response(render_template("people/_results.html" if partial
                                        else "people/index.html", **context))
    response.vary.add("HX-Request")
    return response


# -- one person ------------------------------------------------------------------


def may_see_checkin(checkin: CheckIn) -> bool:
    """A check-in shows its service area: only for those who may see that area."""
    return checkin.plugin == CORE_NAME or current_user.has_permission(f"{checkin.plugin}.view")


def purpose_labels() -> dict[tuple[str, str], Purpose]:
    return {(p.plugin, p.key): p for p in host().collect(
        "kiosk_purposes", Purpose, locale=current_locale())}


def _url_or_none(endpoint: str | None, values: dict[str, Any]) -> str | None:
    if not endpoint:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:  # a link into a plugin that is switched off
        return None


def box_permission(widget: Widget) -> str | None:
    """The right a box needs: its own, else its area's view right (never nothing)."""
    if widget.permission:
        return widget.permission
    return None if widget.plugin in ("", CORE_NAME) else f"{widget.plugin}.view"


def activity_boxes(person: Person) -> list[dict[str, Any]]:
    """The plugins' boxes for the person, without those the user may not see.

    A box says something about the person's life in a service area: a box without a
    permission of its own still needs the right to see its area.
    """
    user = current_user._get_current_object()
    boxes = []
    for widget in host().collect("person_activity", Widget, person=person, user=user):
        if not user.has_permission(box_permission(widget)):
            continue
        boxes.append({"widget": widget, "items": [
            {"label": item.label, "value": item.value,
             "url": _url_or_none(item.endpoint, item.url_values)} for item in widget.items]})
    return boxes


@bp.route("/<code>")
def show(code: str) -> Any:
    return _show(person_or_404(code))


def _show(person: Person, export_form: ExportForm | None = None) -> Any:
    """The person's page (also again after a refused or failed export)."""
    checkins = db.session.scalars(select(CheckIn).where(CheckIn.person_id == person.id)
                                  .order_by(CheckIn.day.desc(), CheckIn.number.desc())).all()
    visible = [c for c in checkins if may_see_checkin(c)]
    consents = Consent.of_person(person.id)
    boxes = activity_boxes(person)
    audit("person_viewed", object_type="person", object_id=person.id)
    db.session.commit()
    return render_template(
        "people/show.html", person=person, checkins=visible[:CHECKINS_SHOWN],
        checkins_total=len(visible), checkins_hidden=len(checkins) - len(visible),
        purposes=purpose_labels(), active_consents=[c for c in consents if c.active],
        withdrawn_consents=[c for c in consents if not c.active], boxes=boxes,
        consent_form=ConsentForm(), withdraw_form=ActionForm(),
        export_form=export_form or ExportForm(formdata=None),
        can_edit=current_user.has_permission(EDIT),
        can_export=current_user.has_permission(EXPORT), today=local_today())


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new() -> Any:
    form = PersonForm()
    if request.method == "GET":
        form.nickname.data = request.args.get("nickname", "")[:40]
        form.first_visit.data = local_today()
    if form.validate_on_submit():
        person = Person()
        form.apply_to(person)
        db.session.add(person)
        db.session.flush()
        audit("person_created", object_type="person", object_id=person.id)
        db.session.commit()
        flash(_("%(code)s added. Write the code on the note, not the name.",
                code=person.code), "success")
        return redirect(url_for("people.show", code=person.code))
    return render_template("people/form.html", form=form, person=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(code: str) -> Any:
    person = person_or_404(code)
    form = PersonForm(obj=person)
    if form.validate_on_submit():
        changed = form.apply_to(person)
        if changed:
            audit("person_changed", object_type="person", object_id=person.id,
                  fields=changed)
            db.session.commit()
            flash(_("Saved."), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("people.show", code=person.code))
    if request.method == "GET":
        audit("person_viewed", object_type="person", object_id=person.id, view="edit")
        db.session.commit()
    return render_template("people/form.html", form=form, person=person)


# -- consents ----------------------------------------------------------------------


@bp.route("/<code>/consents", methods=["POST"])
@permission_required(EDIT)
def add_consent(code: str) -> Any:
    person = person_or_404(code)
    form = ConsentForm()
    if not form.validate_on_submit():
        errors = [str(error) for field in form for error in field.errors]
        flash(_("The consent was not recorded: %(errors)s", errors=" ".join(errors)), "error")
        return redirect(url_for("people.show", code=person.code, _anchor="consents"))
    consent = Consent(person_id=person.id, purpose=form.purpose.data.strip(),
                      given_on=form.given_on.data, note=(form.note.data or "").strip(),
                      recorded_by_id=current_user.id)
    db.session.add(consent)
    db.session.flush()
    audit("consent_recorded", object_type="person", object_id=person.id,
          consent=consent.id)
    db.session.commit()
    flash(_("Consent recorded."), "success")
    return redirect(url_for("people.show", code=person.code, _anchor="consents"))


@bp.route("/<code>/consents/<int:consent_id>/withdraw", methods=["POST"])
@permission_required(EDIT)
def withdraw_consent(code: str, consent_id: int) -> Any:
    person = person_or_404(code)
    consent = db.get_or_404(Consent, consent_id)
    if consent.person_id != person.id:
        abort(404)  # a consent of someone else
    if not ActionForm().validate_on_submit():
        abort(400)
    if consent.withdraw():
        audit("consent_withdrawn", object_type="person", object_id=person.id,
              consent=consent.id)
        db.session.commit()
        flash(_("Consent withdrawn as of today."), "success")
    return redirect(url_for("people.show", code=person.code, _anchor="consents"))


# -- data protection ------------------------------------------------------------------


def failed_areas(plugins: list[str]) -> str:
    """Which service areas failed, by their titles in the user's language."""
    return ", ".join(host().titles(plugins)) or _("a service area")


def _password_ok(form: Any, action: str) -> bool:
    """The fresh password: a wrong one is refused (and audited, committed here)."""
    if password_confirmed(form.password.data, action):
        return True
    db.session.commit()  # the audit entry of the refused attempt
    form.password.errors = [*form.password.errors,
                            _("That is not your password. Nothing was done.")]
    return False


@bp.route("/<code>/export", methods=["POST"])
@permission_required(EXPORT)
def export(code: str) -> Any:
    person = person_or_404(code)
    form = ExportForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _show(person, form)
    if not _password_ok(form, "person_export"):
        return _show(person, form)
    try:
        data = export_person(person)  # audits "person_exported" and commits
    except PluginCallFailed as failure:  # nothing exported; the attempt is audited
        flash(_("Nothing was exported: %(areas)s could not hand over its data. "
                "Try again later or tell the administrator.",
                areas=failed_areas(failure.plugins)), "error")
        return _show(person_or_404(code), ExportForm(formdata=None))
    body = json.dumps(data, default=str, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{person.code}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<code>/erase", methods=["GET", "POST"])
@permission_required(EDIT)
def erase(code: str) -> Any:
    person = person_or_404(code)
    form = EraseForm()
    if form.validate_on_submit():
        if (form.code.data or "").strip().upper() != person.code:
            form.code.errors = [*form.code.errors,
                                _("Type the code %(code)s exactly to confirm.", code=person.code)]
        elif _password_ok(form, "person_erase"):
            try:
                reports = erase_person(person)  # audits "person_erased" and commits
            except PluginCallFailed as failure:  # rolled back, the attempt audited
                flash(_("Nothing was erased: %(areas)s could not erase its data. Try again "
                        "later or tell the administrator.",
                        areas=failed_areas(failure.plugins)), "error")
                person = person_or_404(code)
            else:
                flash(_("%(code)s was erased everywhere. Visits stay counted without a name "
                        "(%(num)s records in service areas erased).", code=code.upper(),
                        num=sum(r.records_erased for r in reports)), "success")
                return redirect(url_for("people.index"))
    elif request.method == "POST" and "csrf_token" in form.errors:
        abort(400)
    checkins, consents = counts(person)
    return render_template("people/erase.html", person=person, form=form,
                           checkins=checkins, consents=consents)


# -- merging two records --------------------------------------------------------------


@bp.route("/<code>/merge", methods=["GET", "POST"])
@permission_required(EDIT)
def merge(code: str) -> Any:
    target = person_or_404(code)
    form = MergeForm()
    if request.method == "POST":
        source = find_person(form.other.data or "")
        if source is None or source.id == target.id:
            abort(404)
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            return _compare(target, source, form)
        if not _password_ok(form, "persons_merge"):
            return _compare(target, source, form)
        source_code = source.code
        try:
            result = merge_persons(source, target)
        except MergeFailed as failure:
            names = failed_areas(failure.plugins)
            flash(_("The merge was undone because %(plugins)s reported a problem. "
                    "Nothing was changed.", plugins=names), "error")
            return redirect(url_for("people.merge", code=code, other=source_code))
        flash(_("%(source)s was merged into %(target)s: %(checkins)s check-ins and "
                "%(consents)s consents moved.", source=source_code, target=target.code,
                checkins=result.checkins, consents=result.consents), "success")
        return redirect(url_for("people.show", code=target.code))

    other_code = request.args.get("other", "")
    if other_code:
        source = find_person(other_code)
        if source is None or source.id == target.id:
            abort(404)
        return _compare(target, source, MergeForm(formdata=None, other=source.code))

    query = request.args.get("q", "").strip()[:80]
    if query:
        candidates = db.session.scalars(search(query).where(Person.id != target.id)
                                        .order_by(Person.code).limit(PER_PAGE)).all()
    else:  # suggest records with the same name
        candidates = db.session.scalars(
            select(Person).where(Person.id != target.id, Person.nickname != "",
                                 func.lower(Person.nickname) == target.nickname.lower())
            .order_by(Person.code).limit(PER_PAGE)).all()
    return render_template("people/merge.html", target=target, source=None, q=query,
                           candidates=candidates)


def _compare(target: Person, source: Person, form: MergeForm) -> Any:
    """Both records side by side, with the form that merges them."""
    for person in (target, source):
        audit("person_viewed", object_type="person", object_id=person.id, view="merge")
    db.session.commit()
    form.other.data = source.code
    return render_template("people/merge.html", target=target, source=source, form=form,
                           target_counts=counts(target), source_counts=counts(source))


# -- linking a check-in (a returning visitor) ---------------------------------------


def _checkin_or_404(checkin_id: int) -> CheckIn:
    checkin = db.get_or_404(CheckIn, checkin_id)
    if not may_see_checkin(checkin):
        abort(404)  # another area's ticket: as if it did not exist
    return checkin


def _link(checkin: CheckIn, person: Person) -> None:
    checkin.person_id = person.id
    if person.first_visit is None or checkin.day < person.first_visit:
        person.first_visit = checkin.day
    audit("checkin_linked", object_type="checkin", object_id=checkin.id, person=person.id)
    db.session.commit()
    flash(_("%(ticket)s is now linked to %(code)s.", ticket=checkin.ticket, code=person.code),
          "success")


@bp.route("/link/<int:checkin_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def link_checkin(checkin_id: int) -> Any:
    checkin = _checkin_or_404(checkin_id)
    default_next = url_for("main.index")
    if request.method == "POST":
        form = LinkForm()
        if not form.validate_on_submit():
            abort(400)
        person = person_or_404(form.person.data)
        _link(checkin, person)
        return redirect(safe_next(form.next.data, default_next))
    query = request.args.get("q", checkin.first_name or "").strip()[:80]
    people = db.session.scalars(search(query).order_by(Person.code).limit(PER_PAGE)).all() \
        if query else []
    new_form = NewFromTicketForm(formdata=None, nickname=checkin.first_name or "",
                                 next=safe_next(request.args.get("next"), default_next))
    context = {"checkin": checkin, "people": people, "q": query, "new_form": new_form,
               "next": safe_next(request.args.get("next"), default_next),
               "purposes": purpose_labels(), "linked": checkin.person}
    partial = request.headers.get("HX-Request") and \
        not request.headers.get("HX-History-Restore-Request")
    response = Response(render_template("people/_link_results.html" if partial
                                        else "people/link.html", **context))
    response.vary.add("HX-Request")
    return response


@bp.route("/link/<int:checkin_id>/new", methods=["POST"])
@permission_required(EDIT)
def link_new_person(checkin_id: int) -> Any:
    checkin = _checkin_or_404(checkin_id)
    form = NewFromTicketForm()
    if not form.validate_on_submit():
        context = {"checkin": checkin, "people": [], "q": "", "new_form": form,
                   "next": safe_next(form.next.data, url_for("main.index")),
                   "purposes": purpose_labels(), "linked": checkin.person}
        return render_template("people/link.html", **context), 400
    person = Person(nickname=form.nickname.data, first_visit=checkin.day,
                    languages=[checkin.language] if checkin.language else [])
    db.session.add(person)
    db.session.flush()
    audit("person_created", object_type="person", object_id=person.id, checkin=checkin.id)
    _link(checkin, person)
    return redirect(safe_next(form.next.data, url_for("main.index")))


@bp.route("/unlink/<int:checkin_id>", methods=["POST"])
@permission_required(EDIT)
def unlink_checkin(checkin_id: int) -> Any:
    checkin = _checkin_or_404(checkin_id)
    form = LinkForm()
    person = checkin.person
    if not form.validate_on_submit() or person is None or form.person.data != person.code:
        abort(400)
    checkin.person_id = None
    audit("checkin_unlinked", object_type="checkin", object_id=checkin.id, person=person.id)
    db.session.commit()
    flash(_("%(ticket)s is no longer linked to %(code)s.", ticket=checkin.ticket,
            code=person.code), "success")
    return redirect(safe_next(form.next.data, url_for("people.show", code=person.code)))

