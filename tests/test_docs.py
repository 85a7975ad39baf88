"""docs/plugins.md documents every hook of intranet/hookspecs.py."""

from __future__ import annotations

import re
from pathlib import Path

from intranet import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def hook_names() -> list[str]:
    return [name for name, value in vars(hookspecs).items()
            if callable(value) and hasattr(value, "mittelpunkt_spec")]


def test_every_hook_has_a_section_in_the_plugin_guide():
    text = DOC.read_text(encoding="utf-8")
    headed = set(re.findall(r"^###\s+`?([a-z_]+)\(", text, re.M))
    names = hook_names()
    assert len(names) >= 13
    assert [name for name in names if name not in headed] == []


def test_every_hook_has_a_docstring():
    assert [n for n in hook_names() if not (getattr(hookspecs, n).__doc__ or "").strip()] == []
