"""``flask --app intranet translations ...``: extract, update and compile catalogs.

The core's catalog (domain ``messages``) covers ``intranet/`` and lives in
``translations/``; each plugin (the kiosk included) has its own domain, named after it, in
its own ``translations/`` folder, found through the plugin host — so a plugin
installed with pip is handled the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask.cli import AppGroup

from intranet.core.i18n import CORE_TRANSLATIONS, ROOT
from intranet.core.plugin_host import host

translations_cli = AppGroup("translations", help="Message catalogs of the core and plugins.")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2"]
# Every catalog has German and the languages of the lobby screens.
CATALOG_LANGUAGES = ("de", "en", "tr", "ru", "ar", "fa", "uk")
BABEL_CONFIG = Path(__file__).resolve().parents[1] / "babel.cfg"


@dataclass(frozen=True)
class Catalog:
    """One translation domain: what to scan, where its catalogs live."""

    domain: str
    sources: tuple[Path, ...]
    folder: Path

    @property
    def template(self) -> Path:
        return self.folder / f"{self.domain}.pot"


def catalogs(plugin: str | None = None) -> list[Catalog]:
    """The core's catalog, then one per loaded plugin; only ``plugin``'s when it is named."""
    found = [] if plugin else [Catalog("messages", (ROOT / "intranet",), CORE_TRANSLATIONS)]
    for record in host().plugins():
        if record.loaded and record.folder and plugin in (None, record.name):
            found.append(Catalog(record.name, (record.folder,), record.folder / "translations"))
    if plugin and not found:
        known = ", ".join(r.name for r in host().plugins() if r.loaded)
        raise click.ClickException(f"no plugin named {plugin!r} is loaded (loaded: {known})")
    return found


PLUGIN_OPTION = click.option("--plugin", default=None, metavar="NAME",
                             help="only this plugin's catalogs (not the core's)")


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def _languages(catalog: Catalog) -> list[str]:
    if not catalog.folder.is_dir():
        return []
    return sorted(p.name for p in catalog.folder.iterdir()
                  if (p / "LC_MESSAGES" / f"{catalog.domain}.po").exists())


@translations_cli.command("update")
@PLUGIN_OPTION
def update(plugin: str | None) -> None:
    """Extract every string and merge it into each language's catalog.

    A catalog missing for German or one of the lobby screens' languages is created.
    """
    for catalog in catalogs(plugin):
        catalog.folder.mkdir(parents=True, exist_ok=True)
        sources = [str(s) for s in catalog.sources if s.exists()]
        pybabel("extract", "-F", str(BABEL_CONFIG), *KEYWORDS, "--no-location",
                "--sort-output", "--ignore-dirs", ".* _* node_modules vendor",
                "-o", str(catalog.template), *sources)
        for lang in CATALOG_LANGUAGES:
            if not (catalog.folder / lang / "LC_MESSAGES" / f"{catalog.domain}.po").exists():
                pybabel("init", "-i", str(catalog.template), "-d", str(catalog.folder),
                        "-D", catalog.domain, "-l", lang)
        pybabel("update", "-i", str(catalog.template), "-d", str(catalog.folder),
                "-D", catalog.domain, "--no-fuzzy-matching", "--ignore-obsolete",
                "--ignore-pot-creation-date")
        click.echo(f"{catalog.domain}: {', '.join(_languages(catalog))}")


@translations_cli.command("compile")
@PLUGIN_OPTION
def compile_catalogs(plugin: str | None) -> None:
    """Compile every ``.po`` catalog into the ``.mo`` file the app reads."""
    for catalog in catalogs(plugin):
        if _languages(catalog):
            pybabel("compile", "-d", str(catalog.folder), "-D", catalog.domain)
    click.echo("catalogs compiled")
