"""The public face of the core: everything a plugin author needs, in one module.

A plugin imports from here and from nowhere else in ``intranet``::

    from intranet.plugin import hookimpl, PluginInfo, Purpose, plugin_domain

    domain = plugin_domain("my_area", __file__)
    _ = domain.lazy_gettext

    @hookimpl
    def plugin_info():
        return PluginInfo(name="my_area", title=_("My area"), ticket_letter="M")

See ``docs/plugins.md`` for every hook with an example.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import pluggy
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from intranet.audit import audit
from intranet.extensions import db
from intranet.hooktypes import (
    AUDIENCES,
    ErasureReport,
    ExportSection,
    Metric,
    NavItem,
    OfferView,
    Permission,
    PluginInfo,
    Purpose,
    Widget,
    WidgetItem,
)
from intranet.i18n import plugin_domain
from intranet.models import CheckIn, Offer, Person, User, utcnow

__all__ = [
    "AUDIENCES",
    "CheckIn",
    "ErasureReport",
    "ExportSection",
    "Metric",
    "NavItem",
    "Offer",
    "OfferView",
    "Permission",
    "Person",
    "PluginInfo",
    "Purpose",
    "User",
    "Widget",
    "WidgetItem",
    "audit",
    "current_user",
    "db",
    "hookimpl",
    "offer_views",
    "permission_required",
    "plugin_domain",
    "public",
    "utcnow",
]

hookimpl = pluggy.HookimplMarker("mittelpunkt")

F = TypeVar("F", bound=Callable[..., Any])


def permission_required(code: str) -> Callable[[F], F]:
    """Refuse a view (403) to a logged-in user without permission ``code``.

    Every page already needs a login; this adds the plugin's own right, e.g.
    ``@permission_required("consultations.view")``.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not current_user.has_permission(code):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as reachable without a staff login (kiosk, public programme)."""
    view._mittelpunkt_public = True  # type: ignore[attr-defined]
    return view


def offer_views(service_area: str, start: date, end: date, locale: str) -> list[OfferView]:
    """The core's stored offers of one service area as occurrences between two dates.

    Built-in plugins answer the ``offers`` hook with this; cancelled dates are
    included with ``cancelled=True`` so screens can show them struck through.
    """
    offers = db.session.scalars(
        select(Offer).where(Offer.service_area == service_area, Offer.first_date <= end)
    ).all()
    views = []
    for offer in offers:
        cancelled = offer.cancelled_dates
        for day in offer.dates_between(start, end):
            views.append(OfferView(
                key=f"offer-{offer.id}-{day.isoformat()}",
                title=offer.title(locale),
                description=offer.description(locale),
                start=datetime.combine(day, offer.start_time),
                end=datetime.combine(day, offer.end_time),
                room=offer.room,
                languages=tuple(offer.languages or ()),
                audience=offer.audience,
                childcare=offer.childcare,
                registration_needed=offer.registration_needed,
                cancelled=day in cancelled,
                plugin=service_area,
            ))
    return views
