"""The Berufsorientierung overview: kiosk tiles, what to bring and the next two weeks."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale

from intranet.plugin import permission_required, render_area_overview

from . import NAME, _, kiosk_purposes, plugin_info

bp = Blueprint(NAME, __name__, template_folder="templates", static_folder="static")


@bp.route("/")
@permission_required(f"{NAME}.view")
def overview() -> str:
    return render_area_overview(f"{NAME}/overview.html", info=plugin_info(),
                                purposes=kiosk_purposes(str(get_locale())),
                                bring=what_to_bring())


def what_to_bring() -> list[str]:
    """What makes application help quick: staff read it out or point at it."""
    return [
        _("CV, if there is one"),
        _("School and work certificates, with translations"),
        _("Letters from the job centre or the employment agency"),
        _("The job advert for the application"),
        _("Access to your own e-mail account"),
    ]
