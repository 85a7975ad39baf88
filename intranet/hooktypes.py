"""The small typed objects that hooks return.

Hooks hand data to the core, never HTML: the core renders these objects with
its own escaped templates, so a plugin can never inject markup into a page.
Every object has an ``order``: the core sorts by it (then by label), never by
the order in which plugins happened to load.

The ``plugin`` field is filled in by the core with the name of the plugin whose
hook returned the object; plugins leave it empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

AUDIENCES = ("everyone", "women", "parents", "youth", "children", "seniors")


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is: shown in navigation, on the lobby screens and on the admin page.

    ``name`` is the plugin's URL prefix, table prefix and translation domain;
    ``pictogram`` names a Tabler icon (e.g. ``"messages"``); ``ticket_letter``
    prefixes the plugin's waiting numbers (``B-17``).
    """

    name: str
    title: str
    pictogram: str = "point"
    colour: str = "#44546a"
    ticket_letter: str = "A"
    description: str = ""
    order: int = 100
    # False for plugins that are no service area of their own (the lobby screens, say):
    # they get no tile on the start page and no place in the queue's area filter.
    service_area: bool = True


@dataclass(frozen=True)
class NavItem:
    """A link in the staff navigation. ``endpoint`` is a Flask endpoint name."""

    label: str
    endpoint: str
    pictogram: str = "point"
    order: int = 100
    permission: str | None = None
    url_values: dict[str, Any] = field(default_factory=dict)
    plugin: str = ""


@dataclass(frozen=True)
class Purpose:
    """Something a visitor can come for, offered as a tile on the check-in screen.

    ``key`` must be unique within the plugin; the core stores ``plugin`` and
    ``key`` on each check-in. ``ticket_letter`` defaults to the plugin's.
    """

    key: str
    label: str
    pictogram: str = "point"
    order: int = 100
    ticket_letter: str | None = None
    description: str = ""
    plugin: str = ""
    # Filled in by the core for the kiosk (``intranet.plugin.purposes_on``): a purpose that
    # offers open (``Offer.kiosk_purpose``) is available only on their days; ``next_date``
    # is the next day it runs. Purposes no offer opens, such as the café, are always open.
    available: bool = True
    next_date: date | None = None


@dataclass(frozen=True)
class OfferView:
    """One occurrence of an offer (a course session, consultation hours, an event)."""

    key: str
    title: str
    start: datetime
    end: datetime
    room: str = ""
    description: str = ""
    # The language title and description are written in: the visitor's, or
    # German where no translation exists (screens mark it with lang="..").
    text_language: str = "de"
    languages: tuple[str, ...] = ()
    audience: str = "everyone"
    childcare: bool = False
    registration_needed: bool = False
    cancelled: bool = False
    # The core's Offer id, when the occurrence comes from a stored offer: its
    # public phone page is /o/<offer_id>.
    offer_id: int | None = None
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class WidgetItem:
    """One line of a dashboard widget: a label, an optional value and link."""

    label: str
    value: str = ""
    endpoint: str | None = None
    url_values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Widget:
    """A box on the staff start page."""

    title: str
    items: tuple[WidgetItem, ...] = ()
    empty_text: str = ""
    order: int = 100
    permission: str | None = None
    plugin: str = ""


@dataclass(frozen=True)
class Metric:
    """One number for a report period, e.g. consultations by topic.

    Metrics with the same ``group`` are shown together as a breakdown.
    ``about_people`` says the value counts people or their visits: such counts from 1 to 2
    are masked as ``<3``. Counts that describe no person (dates offered, rooms) set it to
    ``False`` and are always shown as they are.
    """

    key: str
    label: str
    value: int | float
    group: str = ""
    unit: str = ""
    order: int = 100
    plugin: str = ""
    about_people: bool = True


@dataclass(frozen=True)
class Permission:
    """A right a plugin defines, e.g. ``consultations.read_notes``.

    Codes start with the plugin name and a dot; admins hold every permission.
    """

    code: str
    label: str
    order: int = 100
    # A right to read confidential data (e.g. counselling notes): never granted to
    # volunteers, and whoever holds it needs a second factor by default.
    confidential: bool = False
    plugin: str = ""


@dataclass(frozen=True)
class RetentionRule:
    """How long one kind of personal data a plugin holds is kept, and how it is removed.

    ``key`` is ``<plugin>.<what>``; ``days`` is the default period, which the setting
    ``RETENTION_DAYS`` (a mapping of keys to days) overrides. ``apply`` is called as
    ``apply(cutoff=<datetime>, dry_run=<bool>)`` with the naive UTC moment before which data
    is due, and returns how many records it removed or anonymised (or would have, in a dry
    run). It runs inside the core's transaction: it must not commit.
    """

    key: str
    label: str
    days: int
    apply: Callable[..., int]
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class ExportSection:
    """Part of a person's data export: what a plugin holds about them."""

    title: str
    records: tuple[dict[str, Any], ...] = ()
    plugin: str = ""


@dataclass(frozen=True)
class MergeReport:
    """What a plugin moved from one person record to another when staff merged them."""

    records_moved: int
    detail: str = ""
    plugin: str = ""


@dataclass(frozen=True)
class ErasureReport:
    """What a plugin erased for a person, for the audit log."""

    records_erased: int
    detail: str = ""
    plugin: str = ""


# The kinds of value a Setting holds: one line, several lines, a whole number, yes/no,
# one of ``choices``, some of ``choices``, some of the languages the site offers.
SETTING_TYPES = ("str", "text", "int", "bool", "choice", "choices", "languages")
_SETTING_KEY = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class Setting:
    """A value an admin may change on the settings page, declared by its plugin.

    ``key`` is the setting's name in upper case, starting with the plugin's name and an
    underscore (``GARDEN_BEDS`` of the plugin ``garden``); the same name sets it in
    ``instance/config.py`` and, as ``MITTELPUNKT_<KEY>``, in the environment. ``type`` is
    one of :data:`SETTING_TYPES`. ``minimum`` and ``maximum`` bound an ``int``'s value, the
    length of a ``str`` or ``text`` (a minimum of 1: required) and how many of a
    ``choices`` or ``languages`` list may be ticked. ``choices`` are ``(value, label)``
    pairs, or a function returning them when they are known only at request time.
    A ``languages`` setting whose value is ``None`` means every language the site offers.
    ``check`` is an optional function of the (typed) value returning a translated sentence
    saying what is wrong with it, or ``None`` when it is fine; it runs after the bounds.
    """

    key: str
    type: str
    default: Any
    label: str
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] | Callable[[], Any] = ()
    order: int = 100
    plugin: str = ""
    check: Callable[[Any], str | None] | None = None

    def __post_init__(self) -> None:
        # A wrong declaration fails inside the plugin's hook call: the plugin is shown as
        # failing instead of the settings page breaking later.
        if not _SETTING_KEY.fullmatch(self.key):
            raise ValueError(f"setting key {self.key!r}: use upper case, digits and _")
        if self.type not in SETTING_TYPES:
            raise ValueError(f"setting {self.key}: type {self.type!r} is none of "
                             f"{', '.join(SETTING_TYPES)}")
        if self.type in ("choice", "choices") and not self.choices:
            raise ValueError(f"setting {self.key}: a {self.type} setting needs choices")
        if self.minimum is not None and self.maximum is not None \
                and self.minimum > self.maximum:
            raise ValueError(f"setting {self.key}: minimum above maximum")


@dataclass(frozen=True)
class AdminSection:
    """A page in the administration's sub-navigation (Users, Rooms, … and plugins' own).

    ``endpoint`` is the page's Flask endpoint; the section is marked as the current one on
    every endpoint that starts with one of ``active_prefixes`` (default: the endpoint
    itself). Sections whose ``permission`` the user lacks are hidden.
    """

    label: str
    endpoint: str
    pictogram: str = "point"
    order: int = 100
    permission: str | None = "admin"
    active_prefixes: tuple[str, ...] = ()
    plugin: str = ""
