"""``flask --app intranet plugins new NAME``: write a working plugin skeleton.

The skeleton is a package of its own (pyproject with the entry point, hooks, one
page, one kiosk purpose, one test) that loads once installed with pip, without
touching the core. Its files are made from the templates in ``skeleton/``.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

SKELETON = Path(__file__).resolve().parent / "skeleton"
NAME = re.compile(r"[a-z][a-z0-9_]{1,39}")
# Names a plugin may not take: its URL prefix would shadow a page of the core.
RESERVED = {"core", "admin", "queue", "static", "login", "logout", "healthz", "o", "kiosk",
            "programme", "areas", "favicon", "intranet", "plugins", "tests"}
# (file in the new package, template) — the package folder is the plugin's name.
FILES = [
    ("pyproject.toml", "pyproject.toml.tmpl"),
    ("README.md", "README.md.tmpl"),
    ("conftest.py", "conftest.py.tmpl"),
    ("{name}/__init__.py", "__init__.py.tmpl"),
    ("{name}/views.py", "views.py.tmpl"),
    ("{name}/templates/{name}/overview.html", "overview.html.tmpl"),
    ("{name}/tests/test_{name}.py", "test_plugin.py.tmpl"),
]


class GeneratorError(ValueError):
    """The name or the target folder does not allow a new plugin."""


def check_name(name: str, taken: set[str]) -> None:
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise GeneratorError(
            f"{name!r} is not a plugin name: use 2–40 lowercase letters, digits and _, "
            "starting with a letter (e.g. neighbourhood_garden)")
    if name in RESERVED or name in taken:
        raise GeneratorError(f"the name {name!r} is already taken")


def generate(name: str, target: Path, *, title: str, letter: str,
             taken: set[str] = frozenset()) -> Path:
    """Write the skeleton of plugin ``name`` into ``target/mittelpunkt-<name>``; return it."""
    check_name(name, set(taken))
    letter = letter.upper()
    if not re.fullmatch(r"[A-Z]", letter):
        raise GeneratorError("the ticket letter must be one letter A–Z")
    folder = target / f"mittelpunkt-{name.replace('_', '-')}"
    if folder.exists():
        raise GeneratorError(f"{folder} exists already; nothing was written")
    values = {
        "name": name,
        "dist_name": f"mittelpunkt-{name.replace('_', '-')}",
        "title": title.replace('"', "'"),
        "letter": letter,
        "pictogram": "point",
        "colour": "#44546a",
    }
    for relative, template in FILES:
        path = folder / relative.format(name=name)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = Template((SKELETON / template).read_text(encoding="utf-8"))
        path.write_text(text.substitute(values), encoding="utf-8")
    (folder / name / "translations").mkdir()
    return folder
