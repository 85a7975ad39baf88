"""An example plugin from "elsewhere": a neighbourhood garden service area.

It is not part of the project's distribution: ``tests/test_entry_points.py``
installs it for one test through a real entry point, proving that a new
service area needs no change to the core.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template

from intranet.plugin import NavItem, OfferView, PluginInfo, Purpose, hookimpl

bp = Blueprint("mittelpunkt_garden", __name__, template_folder="templates")


@bp.route("/")
def overview() -> str:
    return render_template("mittelpunkt_garden/overview.html")


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(name="mittelpunkt_garden", title="Nachbarschaftsgarten",
                      pictogram="plant", colour="#2f6f3e", ticket_letter="G")


@hookimpl
def register_blueprints() -> list[Blueprint]:
    return [bp]


@hookimpl
def navigation() -> list[NavItem]:
    return [NavItem(label="Garten", endpoint="mittelpunkt_garden.overview", pictogram="plant")]


@hookimpl
def kiosk_purposes() -> list[Purpose]:
    return [Purpose(key="garden", label="Gemeinschaftsgarten", pictogram="plant", order=50)]


@hookimpl
def offers(start: date, end: date) -> list[OfferView]:
    # Every Saturday, 10:00-13:00, without any table of its own.
    saturday = start + timedelta(days=(5 - start.weekday()) % 7)
    views = []
    while saturday <= end:
        views.append(OfferView(key=f"garden-{saturday}", title="Gartentreff",
                               start=datetime.combine(saturday, time(10)),
                               end=datetime.combine(saturday, time(13)), room="Hof"))
        saturday += timedelta(days=7)
    return views
