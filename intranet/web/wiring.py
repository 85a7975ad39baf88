"""Wires the web side together: blueprints, login guard, plugin switches, layout data,
security headers and error pages.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, SecurityError

from intranet.core import input_hygiene, opening_hours
from intranet.core.extensions import db, login_manager
from intranet.core.i18n import (
    CORE_TRANSLATIONS,
    available_languages,
    current_locale,
    language_name,
    local_date,
    local_time,
    plugin_domain,
    text_direction,
)
from intranet.core.icons import icon
from intranet.core.pagination import page_url
from intranet.core.plugin_host import PluginHost, host
from intranet.core.site_settings import setting
from intranet.hooktypes import NavItem
from intranet.web import compression, static_files

__all__ = ["CORE_TRANSLATIONS", "init_app"]

log = logging.getLogger(__name__)

# Strict: no inline scripts, no inline styles, nothing from other hosts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ALWAYS_PUBLIC = {"static", "auth.login", "auth.login_code", "main.healthz"}


def init_app(app: Flask, plugin_host: PluginHost) -> None:
    from intranet.account import views as account
    from intranet.admin import views as admin
    from intranet.auth import views as auth
    from intranet.checkins import views as queue
    from intranet.offers import views as offer_pages
    from intranet.people import views as people_pages
    from intranet.reports import views as reports
    from intranet.web import views

    input_hygiene.init_app(app)  # before any route: it replaces the URL converters
    for blueprint in (auth.bp, account.bp, views.bp, admin.bp, queue.bp, offer_pages.bp,
                      offer_pages.public_bp, people_pages.bp, reports.bp):
        app.register_blueprint(blueprint)
    _mount_plugin_blueprints(app, plugin_host)
    static_files.init_app(app)
    compression.init_app(app)  # its after_request first: so it runs last

    app.before_request(_refuse_disabled_plugin)
    app.before_request(_require_login)
    app.after_request(_security_headers)
    app.context_processor(_layout_context)
    app.add_template_global(icon)
    app.add_template_global(language_name)
    app.add_template_global(current_locale)
    app.add_template_global(page_url)
    # Globals, not context: macros imported without context (macros/opening_hours.html)
    # see them too, and a page's own variables cannot hide them.
    app.add_template_global(setting)
    app.add_template_global(_opening_hours, "opening_hours")
    app.add_template_filter(local_date)
    app.add_template_filter(local_time)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(DataError, _out_of_range)
    app.register_error_handler(OverflowError, _out_of_range)
    app.register_error_handler(Exception, _unexpected_error)


def _mount_plugin_blueprints(app: Flask, plugin_host: PluginHost) -> None:
    """Mount each plugin's blueprints under ``/<plugin-name>/`` with its translations.

    The host first refuses plugins named like a part of the core (read from the
    blueprints and URLs registered so far), hands out only blueprints that keep to
    their plugin's names, and afterwards refuses plugins whose tables do not.
    """
    plugin_host.refuse_core_names(app)
    for plugin_name, mounts in plugin_host.plugin_blueprints(taken=app.blueprints):
        record = plugin_host.records[plugin_name]
        domain = plugin_domain(plugin_name, str(record.folder / "__init__.py")) \
            if record.folder else None
        if domain is not None:
            app.extensions.setdefault("mittelpunkt_domains", {})[plugin_name] = domain
        for blueprint, url_prefix in mounts:
            app.register_blueprint(blueprint, url_prefix=url_prefix)
            plugin_host.blueprint_owner[blueprint.name] = plugin_name
            if domain is not None:
                app.template_context_processors.setdefault(blueprint.name, []).append(
                    _translations_of(domain))
    plugin_host.refuse_foreign_tables()


def _translations_of(domain: Any) -> Any:
    """Inside a plugin's pages, ``_()`` in templates uses the plugin's own catalog."""

    def context() -> dict[str, Any]:
        return {"_": domain.gettext, "gettext": domain.gettext,
                "ngettext": domain.ngettext, "pgettext": domain.pgettext}

    return context


def _refuse_disabled_plugin() -> None:
    if not request.blueprints:
        return
    owner = host().blueprint_owner.get(request.blueprints[-1])
    if owner and not host().is_enabled(owner):
        abort(404)


def _require_login() -> Any:
    """Every page needs a staff login unless its view is marked ``@public``.

    A session ends when its token no longer matches the user's (logout, password
    change, an admin's reset elsewhere: ``load_user`` then finds nobody), after
    ``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_ABSOLUTE_HOURS`` after login.
    """
    from intranet.auth import sessions

    endpoint = request.endpoint
    if endpoint is None:
        return None  # unknown URL: the 404 handler answers
    view = current_app.view_functions.get(endpoint)
    if endpoint in ALWAYS_PUBLIC or endpoint.endswith(".static") \
            or getattr(view, "_mittelpunkt_public", False):
        return None
    if not current_user.is_authenticated:
        if "_user_id" in session:  # a session the server ended (or a copied cookie)
            _end_session(_("Your session was ended. Please log in again."))
        return login_manager.unauthorized()
    now = datetime.now(UTC).timestamp()
    idle_limit = current_app.permanent_session_lifetime.total_seconds()
    if now - session.get(sessions.SEEN_KEY, now) > idle_limit:
        _end_session(_("Your session ended after a while without activity. "
                       "Please log in again."))
        return login_manager.unauthorized()
    if sessions.too_old():
        _end_session(_("Your session has reached its maximum length. Please log in again."))
        return login_manager.unauthorized()
    session[sessions.SEEN_KEY] = now
    return None


def _end_session(message: str) -> None:
    """Forget the user of this session (keeping only its language) and say why."""
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(message, "info")


def _security_headers(response: Any) -> Any:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def navigation() -> list[NavItem]:
    """The navigation of the current user: core and enabled plugins, by ``order``."""
    if not current_user.is_authenticated:
        return []
    items = host().collect("navigation", NavItem, user=current_user._get_current_object())
    return [item for item in items
            if current_user.has_permission(item.permission) and _endpoint_exists(item.endpoint)]


def _endpoint_exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def _layout_context() -> dict[str, Any]:
    locale = current_locale()
    return {
        "site_name": setting("SITE_NAME"),
        "locale": locale,
        "text_direction": text_direction(locale),
        "languages": [(code, language_name(code), text_direction(code))
                      for code in available_languages()],
        "nav_items": navigation,
        "lang_url": _lang_url,
    }


def _opening_hours(locale: str | None = None) -> list[tuple[str, str]] | None:
    """The opening hours in ``locale`` (default: the page's) as ``(days, times)`` rows;
    ``None`` when the setting cannot be read, so a template shows it as written."""
    return opening_hours.localized(str(setting("OPENING_HOURS") or ""),
                                   locale or current_locale())


def _lang_url(code: str) -> str:
    """The current page in another language (``?lang=xx`` replaces any earlier one)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["lang"] = [code]
    if request.endpoint is None or request.method != "GET":
        return url_for("main.index", lang=code)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _http_error(error: HTTPException) -> Any:
    code = error.code or 500
    if code in (301, 302, 303, 307, 308) or code < 400:
        return error
    if isinstance(error, input_hygiene.UnstorableInput):
        return _out_of_range(error)
    titles = {
        400: _("The request could not be understood."),
        403: _("You are not allowed to open this page."),
        404: _("This page does not exist."),
        405: _("This action is not possible here."),
        413: _("The file is too large."),
        429: _("Too many requests. Please wait a moment."),
    }
    message = titles.get(code, _("Something went wrong. Please try again."))
    return error_response(code, message)


def error_response(code: int, message: str) -> Any:
    """The error page: JSON for JSON callers, a plugin's own page under its URL prefix
    (hook ``error_template``), else the staff layout's."""
    if request.accept_mimetypes.best == "application/json" or request.path == "/healthz":
        return {"error": message}, code
    try:
        answers = host().call("error_template", code=code, path=request.path)
    except Exception:  # e.g. the database is down: the plain error page still works
        log.exception("error_template failed on %s", request.path)
        answers = []
    for plugin_name, template in answers:
        if isinstance(template, str) and template:
            domain = current_app.extensions.get("mittelpunkt_domains", {}).get(plugin_name)
            extra = _translations_of(domain)() if domain is not None else {}
            return render_template(template, code=code, message=message, **extra), code
    return render_template("error.html", code=code, message=message), code


def _csrf_error(_error: CSRFError) -> Any:
    message = _("The form had expired or was sent twice. Nothing was saved — "
                "please fill it in again.")
    return error_response(400, message)


def _untrusted_host(_error: SecurityError) -> Any:
    """A Host header outside ``TRUSTED_HOSTS``: plain text, since no URL can be built."""
    log.warning("refused a request for an untrusted host on %s", request.path)
    body = _("This address is not served here. Please use the meeting point's usual address.")
    return body, 400, {"Content-Type": "text/plain; charset=utf-8"}


def _out_of_range(_error: Exception) -> Any:
    """Input the database cannot hold (too long, a number too large, a date too far):
    nothing is written, the user hears what to change."""
    db.session.rollback()
    message = _("Some of the input is too long or out of range, so nothing was saved. "
                "Please shorten it or check the numbers and dates.")
    return error_response(400, message)


def _unexpected_error(error: Exception) -> Any:
    if isinstance(error, HTTPException):
        return _http_error(error)
    propagate = current_app.config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:  # Flask's own rule: testing and debug mode propagate
        propagate = current_app.testing or current_app.debug
    if propagate:
        raise error  # tests see the real exception unless they ask for the page
    log.exception("unexpected error on %s", request.path)
    db.session.rollback()
    message = _("Something went wrong on our side. Nothing was lost — please try again, "
                "or ask a colleague if it happens again.")
    return error_response(500, message)
