"""``flask --app intranet plugins new NAME``: write a working plugin skeleton.

The skeleton is a package of its own (pyproject with the entry point, the area's
declaration and hooks, one table with its first migration, demo data, a German catalog,
one page, one check-in purpose, the contract test) that loads once installed with pip,
without touching the core. Its files are made from the templates in ``skeleton/``.

Titles: ``title`` is the German one staff and visitors see, ``title_en`` the English
message id the code carries (the name in words unless given); the German catalog
translates one into the other.
"""

from __future__ import annotations

import importlib.util
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from string import Template

from intranet.core.plugin_boundaries import CORE_PACKAGE, CoreNames, name_problem
from intranet.core.plugin_host import LOAD_TIME_NAMES

SKELETON = Path(__file__).resolve().parent / "skeleton"
# Characters a title cannot hold: it is written into Python, TOML and .po string literals,
# and a % would be read as a placeholder by gettext.
TITLE_FORBIDDEN = re.compile(r'["\\%\x00-\x1f]')
# (file in the new package, template) — the package folder is the plugin's name.
FILES = [
    ("pyproject.toml", "pyproject.toml.tmpl"),
    ("README.md", "README.md.tmpl"),
    ("{name}/__init__.py", "__init__.py.tmpl"),
    ("{name}/models.py", "models.py.tmpl"),
    ("{name}/views.py", "views.py.tmpl"),
    ("{name}/demo.py", "demo.py.tmpl"),
    ("{name}/migrations/versions/0001_visits.py", "migration.py.tmpl"),
    ("{name}/templates/{name}/overview.html", "overview.html.tmpl"),
    ("{name}/translations/de/LC_MESSAGES/{name}.po", "catalog_de.po.tmpl"),
    ("{name}/tests/test_{name}.py", "test_plugin.py.tmpl"),
]


class GeneratorError(ValueError):
    """The name, a title or the target folder does not allow a new plugin."""


def check_name(name: str, reserved: CoreNames, taken: Iterable[str] = ()) -> None:
    """Refuse a name the host would refuse at load (``reserved``: the core's names), one an
    installed plugin has or whose package it is (``taken``), or one already importable as
    a Python module (the new package would shadow it, or be shadowed)."""
    problem = name_problem(name, reserved)
    if problem is not None:
        raise GeneratorError(str(problem))
    if name in set(taken) or name == CORE_PACKAGE:
        raise GeneratorError(f"the name {name!r} is already taken")
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.origin is not None:  # a plain folder (namespace) is none
        raise GeneratorError(f"the name {name!r} is already taken by the Python module "
                             f"{name} installed here")


def words(name: str) -> str:
    """The name in words, as an English title: ``repair_cafe`` → ``Repair cafe``."""
    return name.replace("_", " ").capitalize()


def check_title(title: str, what: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise GeneratorError(f"the {what} is empty")
    if TITLE_FORBIDDEN.search(title):
        raise GeneratorError(f"the {what} {title!r} may not hold \", \\ or %")
    return title


def generate(name: str, target: Path, *, title: str = "", title_en: str = "", letter: str,
             reserved: CoreNames = LOAD_TIME_NAMES, taken: Iterable[str] = ()) -> Path:
    """Write the skeleton of plugin ``name`` into ``target/mittelpunkt-<name>``; return it.

    ``title`` is the German title, ``title_en`` the English message id (both default to
    the name in words); ``reserved`` are the core's names (``host().reserved``).
    """
    check_name(name, reserved, taken)
    title_en = check_title(title_en or words(name), "English title")
    title = check_title(title or title_en, "title")
    letter = letter.upper()
    if not re.fullmatch(r"[A-Z]", letter):
        raise GeneratorError("the ticket letter must be one letter A–Z")
    dist_name = f"mittelpunkt-{name.replace('_', '-')}"
    folder = target / dist_name
    if folder.exists():
        raise GeneratorError(f"{folder} exists already; nothing was written")
    values = {
        "name": name,
        "dist_name": dist_name,
        "title": title,
        "title_en": title_en,
        "letter": letter,
        "pictogram": "point",
        "colour": "#44546a",
        "revision": uuid.uuid4().hex[:12],
        "create_date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000"),
    }
    for relative, template in FILES:
        path = folder / relative.format(name=name)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = Template((SKELETON / template).read_text(encoding="utf-8"))
        path.write_text(text.substitute(values), encoding="utf-8")
    return folder
