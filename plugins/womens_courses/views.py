"""The Frauenkurse overview: kiosk tiles, languages and the next two weeks' course dates."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale

from intranet.plugin import permission_required, render_area_overview

from . import NAME, kiosk_purposes, plugin_info

bp = Blueprint(NAME, __name__, template_folder="templates")


@bp.route("/")
@permission_required(f"{NAME}.view")
def overview() -> str:
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(str(get_locale())))
