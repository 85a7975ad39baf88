"""What all enabled plugins contribute, gathered through the hooks.

The kiosk and the core's pages ask here instead of talking to the plugin host.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intranet.core.plugin_host import CORE_NAME, host
from intranet.hooktypes import OfferView, Purpose


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
    return host().collect("offers", OfferView, only=area, start=start, end=end, locale=locale)
