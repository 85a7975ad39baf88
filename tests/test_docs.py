"""docs/plugins.md documents every hook of intranet/hookspecs.py with its exact arguments,
every public name of ``intranet.plugin`` and the fields of the core's records a plugin
reads (``Person``, ``CheckIn``, ``Offer``)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect

from intranet import hookspecs, plugin
from intranet.checkins.models import CheckIn
from intranet.offers.models import Offer
from intranet.people.models import Person

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
PUBLIC_NAMES = "## Everything in `intranet.plugin`"
RECORDS = "## Records of the core a plugin may read"


def guide() -> str:
    return DOC.read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text below ``heading`` up to the next heading of its level."""
    text = guide()
    assert heading in text, f"the guide has no section {heading!r}"
    rest = text.split(heading, 1)[1]
    return re.split(r"^## ", rest, maxsplit=1, flags=re.M)[0]


def first_cells(text: str) -> set[str]:
    """The names in the first cell of every table row: ``| `a`, `b` | ...`` gives a, b."""
    names: set[str] = set()
    for row in re.findall(r"^\|([^|\n]+)\|", text, re.M):
        names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", row))
    return names


def hook_names() -> list[str]:
    return [name for name, value in vars(hookspecs).items()
            if callable(value) and hasattr(value, "mittelpunkt_spec")]


def test_every_hook_has_a_section_with_its_exact_arguments():
    headed = {name: [a.strip() for a in args.split(",") if a.strip()] for name, args in
              re.findall(r"^###\s+`?([a-z_]+)\(([^)]*)\)", guide(), re.M)}
    names = hook_names()
    assert len(names) >= 13
    assert [name for name in names if name not in headed] == []
    wrong = {name: headed[name] for name in names
             if headed[name] != list(inspect.signature(getattr(hookspecs, name)).parameters)}
    assert wrong == {}


def test_every_hook_has_a_docstring():
    assert [n for n in hook_names() if not (getattr(hookspecs, n).__doc__ or "").strip()] == []


def test_every_public_name_of_the_plugin_module_is_in_the_guide():
    listed = first_cells(section(PUBLIC_NAMES))
    assert len(plugin.__all__) >= 60
    assert [name for name in plugin.__all__ if name not in listed] == []
    # and nothing listed there that the module does not export
    assert sorted(listed - set(plugin.__all__)) == []


@pytest.mark.parametrize("model", [Person, CheckIn, Offer], ids=lambda m: m.__name__)
def test_every_field_of_a_core_record_is_in_the_guide(model):
    text = section(RECORDS)
    heading = f"**`{model.__name__}`**"
    assert heading in text, f"no table of {model.__name__}"
    table = re.split(r"^\*\*`", text.split(heading, 1)[1], maxsplit=1, flags=re.M)[0]
    fields = set(sa_inspect(model).attrs.keys())  # columns and relationships
    assert fields >= {"id", "created_at"}
    assert sorted(fields - first_cells(table)) == []
