"""Admin pages "Kiosks": create a kiosk, show its one-time pairing code, list, revoke."""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from intranet.plugin import ActionForm, audit, db, utcnow

from . import _, _l
from .models import KioskDevice
from .pairing import CODE_MINUTES, devices_changed, new_pairing_code
from .views import public_url

bp = Blueprint("kiosk_admin", __name__, template_folder="templates")


class NewKioskForm(FlaskForm):
    name = StringField(_l("Name of the kiosk"), validators=[DataRequired(), Length(max=80)],
                       render_kw={"placeholder": _l("e.g. Entrance")})


@bp.before_request
def admins_only() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


@bp.route("/admin/")
def devices() -> Any:
    kiosks = db.session.scalars(select(KioskDevice).order_by(KioskDevice.created_at.desc()))
    return render_template("kiosk/admin/devices.html", kiosks=list(kiosks),
                           form=NewKioskForm(), action=ActionForm())


@bp.route("/admin/new", methods=["POST"])
def create() -> Any:
    form = NewKioskForm()
    if not form.validate_on_submit():
        kiosks = db.session.scalars(select(KioskDevice).order_by(KioskDevice.created_at.desc()))
        return render_template("kiosk/admin/devices.html", kiosks=list(kiosks), form=form,
                               action=ActionForm()), 400
    device = KioskDevice(name=form.name.data.strip(), created_by=current_user.id)
    db.session.add(device)
    db.session.flush()
    code = new_pairing_code(device)
    audit("kiosk_created", object_type="kiosk", object_id=device.id, plugin="kiosk")
    db.session.commit()
    return show_code(device, code)


@bp.route("/admin/<int:kiosk_id>/code", methods=["POST"])
def renew_code(kiosk_id: int) -> Any:
    device = db.get_or_404(KioskDevice, kiosk_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    code = new_pairing_code(device)
    device.revoked_at = None
    audit("kiosk_code_issued", object_type="kiosk", object_id=device.id, plugin="kiosk")
    db.session.commit()
    devices_changed()
    return show_code(device, code)


@bp.route("/admin/<int:kiosk_id>/revoke", methods=["POST"])
def revoke(kiosk_id: int) -> Any:
    device = db.get_or_404(KioskDevice, kiosk_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    device.revoked_at = utcnow()
    device.secret_hash = None
    device.pairing_code_hash = None
    audit("kiosk_revoked", object_type="kiosk", object_id=device.id, plugin="kiosk")
    db.session.commit()
    devices_changed()
    flash(_("%(name)s is no longer a kiosk. The screen shows that it is not set up.",
            name=device.name), "success")
    return redirect(url_for("kiosk_admin.devices"))


def show_code(device: KioskDevice, code: str) -> str:
    """The one time the code is visible: as text, as a link and as a QR code of the link."""
    link = public_url("kiosk.pair_link", code=code)
    return render_template("kiosk/admin/code.html", device=device, code=code, link=link,
                           minutes=CODE_MINUTES,
                           qr=segno.make(link, error="m").svg_data_uri(scale=5, border=2))
