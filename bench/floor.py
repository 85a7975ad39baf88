"""The framework's floor for ``make bench``: the app plus two routes that do the least
a page and a check-in can do on the same stack (gunicorn, Flask, Jinja, SQLAlchemy,
SQLite, the app's session, CSRF and security headers).

    gunicorn --workers 2 --bind 127.0.0.1:PORT --pythonpath bench 'floor:create_app()'

- ``GET /_floor/page`` renders a template of the kiosk start page's size from 20 rows;
- ``POST /_floor/number`` takes the day's next number under the database's write lock,
  guarded by a unique constraint, and nothing else.

Only this benchmark module adds them (the production app never imports it); their
table lives in a MetaData of its own, created here, so it is in no migration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, render_template
from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.exc import IntegrityError

import intranet
from intranet.auth.access import public
from intranet.core.extensions import db
from intranet.core.timeutil import local_today

METADATA = MetaData()
ROWS = Table("bench_floor_row", METADATA, Column("id", Integer, primary_key=True),
             Column("title", String(120), nullable=False))
NUMBERS = Table("bench_floor_number", METADATA, Column("id", Integer, primary_key=True),
                Column("day", Date, nullable=False), Column("number", Integer, nullable=False),
                UniqueConstraint("day", "number", name="uq_bench_floor_day_number"))

bp = Blueprint("floor", __name__, url_prefix="/_floor",
               template_folder=str(Path(__file__).parent / "templates"))


@bp.route("/page")
@public
def page() -> Any:
    rows = db.session.execute(select(ROWS.c.id, ROWS.c.title).order_by(ROWS.c.id)
                              .limit(20)).all()
    return render_template("floor/page.html", rows=rows)


@bp.route("/number", methods=["POST"])
@public
def number() -> Any:
    day = local_today()
    for _attempt in range(50):
        try:
            with db.engine.begin() as connection:
                taken = connection.execute(insert(NUMBERS).from_select(
                    ["day", "number"],
                    select(literal(day, Date), func.coalesce(func.max(NUMBERS.c.number), 0) + 1)
                    .where(NUMBERS.c.day == day)).returning(NUMBERS.c.number)).scalar_one()
            return {"number": taken}
        except IntegrityError:
            continue  # another worker took this number between our read and write
    return {"error": "busy"}, 503


def create_app() -> Flask:
    app = intranet.create_app()
    app.register_blueprint(bp)
    with app.app_context():
        METADATA.create_all(db.engine)
        if not db.session.scalar(select(func.count()).select_from(ROWS)):
            db.session.execute(insert(ROWS), [{"title": f"Zeile {n}: Angebot im Treffpunkt"}
                                              for n in range(1, 21)])
            db.session.commit()
    return app
