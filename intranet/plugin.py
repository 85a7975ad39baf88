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

from flask_login import current_user

from intranet.areas.service_area import ServiceArea
from intranet.audit.log import audit
from intranet.auth.access import permission_required, public
from intranet.auth.fields import staff_choices
from intranet.auth.models import Role, User
from intranet.checkins.models import CheckIn, CheckInStatus
from intranet.checkins.numbering import (
    NewCheckIn,
    change_status,
    create_checkin,
    mark_from_record,
    recent_calls,
    waiting_before,
)
from intranet.core.brief_cache import forget, forget_when_committed, remembered
from intranet.core.extensions import db
from intranet.core.forms import ActionForm, ConsentForm, MultiCheckboxField, choices
from intranet.core.fragments import fragment_response, keyed_fragment
from intranet.core.gather import all_purposes, area_info
from intranet.core.i18n import (
    current_locale,
    language_name,
    local_date,
    plugin_domain,
    text_direction,
    translated_in,
)
from intranet.core.input_hygiene import DateInRange
from intranet.core.models import Room
from intranet.core.pagination import page_number, paginate, paginate_list
from intranet.core.redirects import safe_next
from intranet.core.site_settings import setting
from intranet.core.timeutil import local_now, local_today, utcnow
from intranet.hookspecs import hookimpl
from intranet.hooktypes import (
    AUDIENCES,
    AdminSection,
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
    Setting,
    Widget,
    WidgetItem,
)
from intranet.offers.models import Offer, OfferCancellation
from intranet.offers.occurrences import (
    Week,
    all_offers,
    checkin_count,
    offer_counts,
    offer_views,
    offer_week,
    offers_today,
    render_area_overview,
    spoken_languages,
    this_and_next_week,
    todays_offers_widget,
)
from intranet.offers.purpose_days import purposes_on
from intranet.offers.weeks import (
    iso_week,
    monday_of,
    parse_week,
    requested_week,
    this_monday,
    week_days,
)
from intranet.people.fields import PersonCodeField
from intranet.people.models import Consent, ConsentRecord, Person, find_person, person_or_404
from intranet.privacy.retention import (
    anonymise_or_count,
    count_of,
    delete_or_count,
    local_day,
    local_moment,
)

__all__ = [
    "AUDIENCES",
    "ActionForm",
    "AdminSection",
    "DateInRange",
    "CheckIn",
    "CheckInStatus",
    "Consent",
    "ConsentForm",
    "ConsentRecord",
    "ErasureReport",
    "ExportSection",
    "MergeReport",
    "Metric",
    "MultiCheckboxField",
    "NewCheckIn",
    "NavItem",
    "Offer",
    "OfferCancellation",
    "OfferView",
    "Permission",
    "Person",
    "PersonCodeField",
    "PluginInfo",
    "Purpose",
    "RetentionRule",
    "Role",
    "Room",
    "Setting",
    "ServiceArea",
    "User",
    "Widget",
    "Week",
    "WidgetItem",
    "all_offers",
    "anonymise_or_count",
    "all_purposes",
    "area_info",
    "audit",
    "change_status",
    "checkin_count",
    "choices",
    "count_of",
    "create_checkin",
    "current_locale",
    "current_user",
    "db",
    "delete_or_count",
    "forget",
    "forget_when_committed",
    "fragment_response",
    "hookimpl",
    "iso_week",
    "keyed_fragment",
    "language_name",
    "local_date",
    "local_day",
    "local_moment",
    "local_now",
    "local_today",
    "mark_from_record",
    "monday_of",
    "offer_counts",
    "offer_views",
    "offer_week",
    "page_number",
    "paginate",
    "paginate_list",
    "parse_week",
    "permission_required",
    "person_or_404",
    "find_person",
    "offers_today",
    "plugin_domain",
    "public",
    "purposes_on",
    "recent_calls",
    "remembered",
    "render_area_overview",
    "requested_week",
    "safe_next",
    "setting",
    "spoken_languages",
    "staff_choices",
    "this_and_next_week",
    "this_monday",
    "todays_offers_widget",
    "text_direction",
    "translated_in",
    "utcnow",
    "waiting_before",
    "week_days",
]
