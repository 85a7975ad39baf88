"""What all enabled plugins contribute, gathered through the hooks.

The kiosk and the core's pages ask here instead of talking to the plugin host.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intranet.core.plugin_host import host
from intranet.hooktypes import OfferView, Purpose


def all_purposes(locale: str) -> list[Purpose]:
    """Every kiosk purpose of the core and the enabled plugins, by ``order``."""
    return host().collect("kiosk_purposes", Purpose, locale=locale)


def all_offers(start: date, end: date, locale: str) -> list[OfferView]:
    """Every enabled plugin's offer occurrences between two dates, in time order."""
    return host().collect("offers", OfferView, start=start, end=end, locale=locale)


def area_info(name: str) -> Any:
    """The ``PluginInfo`` of a plugin (``None`` for the core or an unknown name)."""
    return host().info(name)
