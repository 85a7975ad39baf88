"""The report's statements run side by side (intranet.reports.side_by_side): each gives its
own rows, sees only committed data, and an error comes out where its rows are asked for."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select, text
from sqlalchemy.exc import OperationalError

from intranet.core.extensions import db
from intranet.core.models import Room
from intranet.reports.side_by_side import Reads


def test_each_statement_gives_its_own_rows(app):
    with app.app_context():
        reads = Reads({f"n{n}": select(literal(n)) for n in range(6)})
        assert [reads.rows(f"n{n}")[0][0] for n in range(6)] == list(range(6))


def test_the_readers_see_what_is_committed_only(app):
    with app.app_context():
        db.session.add(Room(name="Werkstatt", position=1))
        db.session.flush()  # in this request's transaction, not committed
        unseen = Reads({"rooms": select(Room.name)}).rows("rooms")
        db.session.commit()
        seen = Reads({"rooms": select(Room.name)}).rows("rooms")
    assert ("Werkstatt",) not in [tuple(r) for r in unseen]
    assert ("Werkstatt",) in [tuple(r) for r in seen]


def test_an_error_comes_out_where_its_rows_are_asked_for(app):
    with app.app_context():
        reads = Reads({"fine": select(literal(1)), "broken": text("SELECT * FROM no_such_table")})
        assert reads.rows("fine")[0][0] == 1
        with pytest.raises(OperationalError):
            reads.rows("broken")
        reads.wait()  # everything finished, nothing left running
