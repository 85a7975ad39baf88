"""A lending library: an outside plugin with a table and a migration of its own.

Not part of the project's distribution: ``tests/test_outside_plugin.py`` builds it
with pip into a folder of its own, proving that the core's own tests stay green with
such a plugin installed.
"""

from __future__ import annotations

from intranet.plugin import PluginInfo, hookimpl

from . import models  # noqa: F401  (puts mittelpunkt_library_loan into the metadata)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(name="mittelpunkt_library", title="Leihbücherei", pictogram="books",
                      ticket_letter="L", service_area=False)
