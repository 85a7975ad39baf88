"""The service-area base: the hooks every service-area plugin has, from a few declarations.

A plugin declares who it is once and hands the usual hooks to pluggy from its module::

    area = ServiceArea(name=NAME, title=_l("Garden"), ticket_letter="G", ...)

    plugin_info = area.plugin_info
    register_blueprints = area.register_blueprints
    ...

pluggy reads the ``@hookimpl`` marker of a bound method as it reads that of a function, so
the module stays the registered plugin and keeps its own hooks as plain ``@hookimpl``
functions beside these. Registering a ``ServiceArea`` object itself works as well.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext

from intranet.core.i18n import current_locale, translated_in

# pluggy tells markers apart by project name: this is the one of ``intranet.plugin``.
from intranet.hookspecs import hookimpl  # noqa: E402
from intranet.hooktypes import Metric, NavItem, Permission, PluginInfo, Purpose, Widget
from intranet.offers.occurrences import (
    OfferLink,
    checkin_count,
    offer_counts,
    render_area_overview,
    todays_offers_widget,
)

NAME = re.compile(r"[a-z][a-z0-9_]*")
LETTER = re.compile(r"[A-Z]")
# Rights are listed in the order declared, from this number on.
FIRST_RIGHT_ORDER = 10
DEFAULT_ORDER = 100

# Something imported only when it is needed, "package.module:attribute": lazy, so the
# module it names may import the plugin's own module.
Reference = str


@dataclass(frozen=True, kw_only=True, eq=False)
class ServiceArea:
    """A service area declared once; its methods are the usual hook implementations.

    ``title``, ``description`` and the labels of purposes and rights are lazy strings of
    the plugin's domain (``_l("...")``), translated whenever they are read.

    - ``purposes``: the kiosk tiles, ``Purpose("key", _l("label"), "pictogram")``; a tile
      without an ``order`` of its own follows the area's (``order``, ``order`` + 1, …).
    - ``rights``: short code → label (``{"view": ..., "edit": ...}``), each becoming the
      permission ``<name>.<code>``; ``view`` (seeing the area) is required.
      ``confidential_rights`` the same for rights to confidential data (never granted to
      volunteers, a second factor by default). Listed in that order.
    - ``blueprint``: the area's pages, named ``f"{__name__}.views:bp"`` (imported when the
      app mounts them) or a function returning the blueprint(s); ``overview`` is the view
      of it the navigation and the start-page box link to.
    - ``demo``: the function adding the demo week (called with ``week_start``), or its
      name, e.g. ``f"{__name__}.demo:add_demo_data"``.
    - ``today_title``, ``today_empty``: heading and empty text of the start-page box of
      today's offers.
    """

    name: str
    title: Any
    description: Any = ""
    colour: str = "#44546a"
    pictogram: str = "point"
    ticket_letter: str = "A"
    order: int = DEFAULT_ORDER
    purposes: Sequence[Purpose] = ()
    rights: Mapping[str, Any] = field(default_factory=dict)
    confidential_rights: Mapping[str, Any] = field(default_factory=dict)
    blueprint: Reference | Callable[[], Any] | None = None
    overview: str = "overview"
    demo: Reference | Callable[[date], None] | None = None
    today_title: Any = None
    today_empty: Any = None

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ValueError(f"service area name {self.name!r}: lowercase letters, digits "
                             "and _, starting with a letter")
        if not LETTER.fullmatch(self.ticket_letter):
            raise ValueError(f"{self.name}: the ticket letter must be one letter A–Z, "
                             f"not {self.ticket_letter!r}")
        keys = [purpose.key for purpose in self.purposes]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: two kiosk purposes share a key ({keys})")
        if "view" not in self.rights:
            raise ValueError(f"{self.name}: declare the right 'view' (seeing the area)")
        both = set(self.rights) & set(self.confidential_rights)
        if both:
            raise ValueError(f"{self.name}: {sorted(both)} declared twice")
        # Frozen values: the declaration cannot change after the plugin is loaded.
        object.__setattr__(self, "purposes", tuple(self.purposes))
        object.__setattr__(self, "rights", dict(self.rights))
        object.__setattr__(self, "confidential_rights", dict(self.confidential_rights))

    # -- names the plugin's own code uses --------------------------------------------

    @property
    def view_right(self) -> str:
        return f"{self.name}.view"

    @property
    def edit_right(self) -> str:
        return f"{self.name}.edit"

    @property
    def overview_endpoint(self) -> str:
        return f"{self.name}.{self.overview}"

    # -- the usual hooks ---------------------------------------------------------------

    @hookimpl
    def plugin_info(self) -> PluginInfo:
        return PluginInfo(name=self.name, title=self.title, pictogram=self.pictogram,
                          colour=self.colour, ticket_letter=self.ticket_letter,
                          description=self.description, order=self.order)

    @hookimpl
    def register_blueprints(self) -> list[Any]:
        if self.blueprint is None:
            return []
        found = (_resolve(self.blueprint) if isinstance(self.blueprint, str)
                 else self.blueprint())
        return list(found) if isinstance(found, list | tuple) else [found]

    @hookimpl
    def navigation(self) -> list[NavItem]:
        return [NavItem(label=self.title, endpoint=self.overview_endpoint,
                        pictogram=self.pictogram, order=self.order,
                        permission=self.view_right)]

    @hookimpl
    def kiosk_purposes(self, locale: str) -> list[Purpose]:
        """The tiles, their texts translated into the visitor's ``locale``."""
        with translated_in(locale):
            return [dataclasses.replace(
                purpose, label=str(purpose.label), description=str(purpose.description),
                order=self.order + n if purpose.order == DEFAULT_ORDER else purpose.order)
                for n, purpose in enumerate(self.purposes)]

    @hookimpl
    def permissions(self) -> list[Permission]:
        declared = [(code, label, False) for code, label in self.rights.items()]
        declared += [(code, label, True) for code, label in self.confidential_rights.items()]
        return [Permission(code=f"{self.name}.{code}", label=label,
                           order=FIRST_RIGHT_ORDER + n, confidential=confidential)
                for n, (code, label, confidential) in enumerate(declared)]

    @hookimpl
    def dashboard_widgets(self, today: date) -> list[Widget]:
        """Only the usual box; a plugin with boxes of its own writes this hook itself and
        puts :meth:`todays_offers_widget` among them."""
        return [self.todays_offers_widget(today)]

    @hookimpl
    def load_demo_data(self, week_start: date) -> None:
        if self.demo is not None:
            add = _resolve(self.demo) if isinstance(self.demo, str) else self.demo
            add(week_start)

    # -- building blocks for the plugin's own hooks and pages -------------------------

    def todays_offers_widget(self, today: date, *, link: OfferLink | None = None) -> Widget:
        """The start-page box of the area's offers today, for holders of its view right.

        A line leads to the area's overview, or where ``link(offer)`` says:
        ``(endpoint, url_values)``.
        """
        title = (gettext("%(area)s today", area=str(self.title)) if self.today_title is None
                 else self.today_title)
        empty = gettext("No offers today.") if self.today_empty is None else self.today_empty
        return todays_offers_widget(self.name, title=str(title), empty_text=str(empty),
                                    endpoint=self.overview_endpoint, today=today,
                                    order=self.order, permission=self.view_right, link=link)

    def offer_metrics(self, start: date, end: date, *, offered: Any, cancelled: Any,
                      checkins: Any) -> list[Metric]:
        """The first three numbers of the area's report, under its own labels: dates of
        its offers held (passed) and cancelled — counts of no person, never masked — and
        kiosk check-ins for it (orders 10–12)."""
        held, called_off = offer_counts(self.name, start, end)
        return [
            Metric(key=f"{self.name}.offer_dates", label=offered, value=held, order=10,
                   about_people=False),
            Metric(key=f"{self.name}.offer_dates_cancelled", label=cancelled,
                   value=called_off, order=11, about_people=False),
            Metric(key=f"{self.name}.checkins", label=checkins,
                   value=checkin_count(self.name, start, end), order=12),
        ]

    def render_overview(self, template: str, **context: Any) -> str:
        """Render the area's overview page (a template extending ``area_overview.html``)
        with its tiles in the current language."""
        return render_area_overview(template, info=self.plugin_info(),
                                    purposes=self.kiosk_purposes(current_locale()),
                                    **context)


def _resolve(reference: Reference) -> Any:
    module, _colon, attribute = reference.partition(":")
    if not attribute:
        raise ValueError(f"{reference!r}: write it as 'package.module:attribute'")
    return getattr(importlib.import_module(module), attribute)
