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
from typing import Any, TypeVar

import pluggy
from flask import abort
from flask_login import current_user

from intranet.audit.log import audit
from intranet.auth.models import User
from intranet.checkins.models import CheckIn
from intranet.checkins.numbering import NewCheckIn, create_checkin, recent_calls, waiting_before
from intranet.core.extensions import db
from intranet.core.gather import all_offers, all_purposes, area_info
from intranet.core.i18n import (
    current_locale,
    language_name,
    plugin_domain,
    text_direction,
    translated_in,
)
from intranet.core.models import Room
from intranet.core.timeutil import local_now, local_today, utcnow
from intranet.hooktypes import (
    AUDIENCES,
    ErasureReport,
    ExportSection,
    MergeReport,
    Metric,
    NavItem,
    OfferView,
    Permission,
    PluginInfo,
    Purpose,
    RetentionRule,
    Widget,
    WidgetItem,
)
from intranet.offers.models import Offer, OfferCancellation
from intranet.offers.occurrences import (
    Week,
    checkin_count,
    offer_counts,
    offer_views,
    offer_week,
    render_area_overview,
    spoken_languages,
    this_and_next_week,
    todays_offers_widget,
)
from intranet.people.models import Consent, Person
from intranet.privacy.retention import (
    anonymise_or_count,
    count_of,
    delete_or_count,
    local_day,
    local_moment,
)
from intranet.web.input_hygiene import DateInRange

__all__ = [
    "AUDIENCES",
    "DateInRange",
    "CheckIn",
    "Consent",
    "ErasureReport",
    "ExportSection",
    "MergeReport",
    "Metric",
    "NewCheckIn",
    "NavItem",
    "Offer",
    "OfferCancellation",
    "OfferView",
    "Permission",
    "Person",
    "PluginInfo",
    "Purpose",
    "RetentionRule",
    "Room",
    "User",
    "Widget",
    "Week",
    "WidgetItem",
    "all_offers",
    "anonymise_or_count",
    "all_purposes",
    "area_info",
    "audit",
    "checkin_count",
    "count_of",
    "create_checkin",
    "current_locale",
    "current_user",
    "db",
    "delete_or_count",
    "hookimpl",
    "language_name",
    "local_day",
    "local_moment",
    "local_now",
    "local_today",
    "offer_counts",
    "offer_views",
    "offer_week",
    "permission_required",
    "find_person",
    "plugin_domain",
    "public",
    "recent_calls",
    "render_area_overview",
    "spoken_languages",
    "this_and_next_week",
    "todays_offers_widget",
    "text_direction",
    "translated_in",
    "utcnow",
    "waiting_before",
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


def find_person(code: str) -> Person | None:
    """The person with reference code ``code`` (e.g. ``P-7K3MX``; case and spaces ignored)."""
    from intranet.people.data_requests import find_person as lookup

    return lookup(code)
