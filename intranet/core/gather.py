"""What all enabled plugins contribute, gathered through the hooks.

The kiosk and the core's pages ask here instead of talking to the plugin host.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar

from intranet.core.plugin_host import CORE_NAME, host
from intranet.hooktypes import OfferView, Purpose

T = TypeVar("T")


def all_purposes(locale: str) -> list[Purpose]:
    """Every kiosk purpose of the core and the enabled plugins, by ``order``."""
    return host().collect("kiosk_purposes", Purpose, locale=locale)


def area_info(name: str) -> Any:
    """The ``PluginInfo`` of a plugin (``None`` for the core or an unknown name)."""
    return host().info(name)


def offer_areas(area: str | None = None) -> set[str]:
    """The areas whose stored offers are shown: the core's own and every enabled plugin's.

    With ``area``, just that one (none if it is switched off or unknown).
    """
    known = {CORE_NAME} | {record.name for record in host().plugins()}
    names = known if area is None else {area} & known
    return {name for name in names if host().is_enabled(name)}


def computed_offers(start: date, end: date, locale: str,
                    area: str | None = None) -> list[OfferView]:
    """Occurrences the enabled plugins compute themselves (the ``offers`` hook), in time
    order; with ``area``, only that plugin is asked."""
    if area is None:
        return host().collect("offers", OfferView, start=start, end=end, locale=locale)
    if area not in offer_areas(area):
        return []
    return collect_from(area, "offers", OfferView, start=start, end=end, locale=locale)


def collect_from(plugin: str, hook_name: str, kind: type[T], **kwargs: Any) -> list[T]:
    """Like :meth:`PluginHost.collect`, but asking one plugin only (e.g. the plugin of a
    ticket for its queue actions): its answers checked to be ``kind``, stamped with its
    name and sorted by ``order``. A switched-off plugin is not asked.

    The host's per-plugin call keeps the isolation of every other hook call: an exception,
    or an answer of the wrong type, is recorded as the plugin's failure (raised with
    ``PLUGINS_STRICT``).
    """
    pm_host = host()
    result = pm_host.call_one(plugin, hook_name, **kwargs)
    if result is None:
        return []
    answers = result if isinstance(result, list | tuple) else [result]
    wrong = [answer for answer in answers if not isinstance(answer, kind)]
    if wrong:
        pm_host._fail(plugin, hook_name,  # the same verdict collect() gives
                      f"returned {type(wrong[0]).__name__}, expected {kind.__name__}")
        return []
    stamped = [dataclasses.replace(answer, plugin=plugin)
               if hasattr(answer, "plugin") and not answer.plugin else answer
               for answer in answers]
    return sorted(stamped, key=_order)


def _order(item: Any) -> tuple[Any, ...]:
    label = getattr(item, "label", None) or getattr(item, "title", "")
    start = getattr(item, "start", None)
    return (start or datetime.min, getattr(item, "order", 100), str(label))
