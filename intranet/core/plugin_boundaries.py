"""What a plugin may not take from the core or from another plugin, checked at load.

A plugin's name is its URL prefix (``/<name>/``), the prefix of its blueprints'
names and of its tables (``<name>_...``) and the name of its migration track. So the
name must be a plain identifier the core does not use already, and the plugin's
tables must carry it. Which tables are a plugin's is read off the metadata by the
module each model class is defined in, not guessed from the name: a table only
looked like a plugin's until now, it did not have to be one.

A plugin that breaks a rule is refused (see :class:`Refusal`): not loaded, shown as
failing, and the application starts all the same.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, cast

from flask import Blueprint, Flask
from flask_babel import gettext
from sqlalchemy import orm

from intranet.core.extensions import db

# 2–40 lowercase letters, digits and _: a Python package, a URL segment, a table prefix.
NAME = re.compile(r"[a-z][a-z0-9_]{1,39}")
CORE_PACKAGE = "intranet"
CORE_NAME = "core"
VERSION_TABLES = "alembic_version"


def N_(msgid: str) -> str:  # noqa: N802  (Babel's marker for strings translated later)
    """Marks a message for extraction; it is translated where it is shown."""
    return msgid


@dataclass(frozen=True)
class Refusal:
    """Why the host refused a plugin.

    ``str()`` is English, for the log, the database and ``plugins list``;
    :meth:`translated` is for the admin page, in the reader's language.
    """

    msgid: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.msgid % dict(self.params)

    def translated(self) -> str:
        return gettext(self.msgid, **dict(self.params))


def refusal(msgid: str, **params: Any) -> Refusal:
    return Refusal(msgid, tuple((key, str(value)) for key, value in params.items()))


@dataclass(frozen=True)
class CoreNames:
    """The names the core uses, read from the application before any plugin is mounted."""

    blueprints: frozenset[str]
    url_segments: frozenset[str]
    tables: frozenset[str]


def core_names(app: Flask) -> CoreNames:
    """The core's blueprint names, first URL segments and tables, computed from ``app``.

    Call it after the core's blueprints are registered and before the plugins' are.
    """
    segments = {rule.rule.lstrip("/").split("/", 1)[0] for rule in app.url_map.iter_rules()}
    segments.discard("")
    tables = {name for name, owner in table_modules().items() if _is_core(owner)}
    return CoreNames(blueprints=frozenset({*app.blueprints, CORE_NAME}),
                     url_segments=frozenset(segments), tables=frozenset(tables))


def name_problem(name: str, core: CoreNames) -> Refusal | None:
    """Why ``name`` cannot be a plugin's name in this application (``None``: it can)."""
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        return refusal(N_("%(name)s is not a valid plugin name: use 2 to 40 lowercase letters, "
                          "digits and _, starting with a letter"), name=name)
    if name in core.blueprints:
        return refusal(N_("the name %(name)s is taken by a part of the core "
                          "(blueprint %(name)s)"), name=name)
    if name in core.url_segments:
        return refusal(N_("the URL prefix /%(name)s/ belongs to the core"), name=name)
    clash = sorted(t for t in core.tables if t == name or t.startswith(f"{name}_"))
    if clash:
        return refusal(N_("the name %(name)s collides with the core's table %(table)s: "
                          "a plugin's tables are named %(name)s_..."), name=name, table=clash[0])
    return None


def blueprint_problem(plugin: str, blueprint: Blueprint, taken: Iterable[str]) -> Refusal | None:
    """Why ``plugin`` may not mount ``blueprint`` (``None``: it may).

    A plugin's blueprints are named ``<plugin>`` or ``<plugin>_...`` (so no two plugins
    can want the same name, whatever their load order) and live below ``/<plugin>``.
    """
    name = blueprint.name
    if name != plugin and not name.startswith(f"{plugin}_"):
        return refusal(N_("its blueprint %(blueprint)s must be named %(name)s or "
                          "%(name)s_..."), blueprint=name, name=plugin)
    if name in set(taken):
        return refusal(N_("its blueprint %(blueprint)s collides with a blueprint of "
                          "that name"), blueprint=name, name=plugin)
    if blueprint.url_prefix is not None and url_prefix(plugin, blueprint) != \
            blueprint.url_prefix.rstrip("/"):
        return refusal(N_("its blueprint %(blueprint)s asks for the URL prefix %(prefix)s: "
                          "a plugin's pages live below /%(name)s/"),
                       blueprint=name, name=plugin, prefix=blueprint.url_prefix)
    return None


def url_prefix(plugin: str, blueprint: Blueprint) -> str:
    """Where a plugin's blueprint is mounted: its own prefix if below ``/<plugin>``."""
    own = (blueprint.url_prefix or "").rstrip("/")
    if own == f"/{plugin}" or own.startswith(f"/{plugin}/"):
        return own
    return f"/{plugin}"


# -- which tables are whose ---------------------------------------------------

def table_modules() -> dict[str, str]:
    """Each table of the metadata → the module its model class is defined in.

    A table without a class of its own (an association table) goes with the tables
    its foreign keys point to: the core when they are all the core's, else the
    common module of the others (``plugins.x.models`` and ``plugins.x.rules`` give
    ``plugins.x``). One pointing nowhere is left out here.
    """
    modules: dict[str, str] = {}
    tables = db.metadata.tables
    registry: orm.registry = cast(Any, db.Model).registry
    for mapper in registry.mappers:
        for mapped in mapper.tables:
            if tables.get(mapped.name) is mapped:  # a table taken out of the metadata is gone
                modules.setdefault(mapped.name, mapper.class_.__module__)
    for table in tables.values():
        if table.name in modules:
            continue
        # by name: the column of a key to a table not (yet) defined cannot be resolved
        referenced = {fk.target_fullname.rsplit(".", 1)[0].rsplit(".", 1)[-1]
                      for fk in table.foreign_keys}
        targets = {modules[name] for name in referenced if name in modules}
        outside = sorted(m for m in targets if not _is_core(m))
        if outside:
            modules[table.name] = _common_module(outside)
        elif targets:
            modules[table.name] = CORE_PACKAGE
    return modules


def package_of(plugin: Any) -> str:
    """The module path whose models belong to ``plugin``: the plugin's module (for a
    package: everything below it), or for an object the module its class is defined in."""
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    return type(plugin).__module__


class TableOwners:
    """Who owns each table: ``"core"``, a plugin's name, or ``None`` (somebody else).

    ``packages`` maps each loaded plugin to its package (see :func:`package_of`);
    ``known`` names every plugin installed here, loaded or not. A table in the
    metadata belongs to the plugin whose package defines its model; one defined by
    an installed plugin this application did not load belongs to nobody here (so
    the core's migration track leaves it alone). A table only in the database
    (reflected, no model) belongs to the known plugin its name starts with, else to
    the core; version tables belong to nobody.
    """

    def __init__(self, packages: Mapping[str, str], known: Iterable[str]) -> None:
        self.packages = dict(packages)
        self.known = sorted(set(known) | set(packages), key=len, reverse=True)
        self.modules = table_modules()

    def owner(self, table: str) -> str | None:
        if table.startswith(VERSION_TABLES):
            return None
        module = self.modules.get(table)
        if module is not None:
            if _is_core(module):
                return CORE_NAME
            by_module = self._plugin_of_module(module, table)
            if by_module is not None:
                return by_module
            # Defined outside every loaded plugin's package: a plugin laid out in
            # several top-level modules still owns the tables carrying its prefix.
            prefixed = self._by_prefix(table)
            return prefixed if prefixed in self.packages else None
        prefixed = self._by_prefix(table)
        return prefixed if prefixed is not None else CORE_NAME

    def owned_by_module(self, plugin: str) -> list[str]:
        """The tables whose models ``plugin``'s own package defines."""
        return sorted(t for t, m in self.modules.items()
                      if not _is_core(m) and self._plugin_of_module(m, t) == plugin)

    def tables_of(self, plugin: str) -> list[str]:
        """Every table of the metadata ``plugin`` owns."""
        return sorted(t for t in self.modules if self.owner(t) == plugin)

    def _plugin_of_module(self, module: str, table: str) -> str | None:
        matches = [(len(package), name) for name, package in self.packages.items()
                   if module == package or module.startswith(f"{package}.")]
        if not matches:
            return None
        longest = max(length for length, _ in matches)
        candidates = [name for length, name in matches if length == longest]
        if len(candidates) == 1:
            return candidates[0]
        # several plugins defined in one module (tests do that): the name decides
        prefixed = [name for name in candidates if table.startswith(f"{name}_")]
        return prefixed[0] if len(prefixed) == 1 else None

    def _by_prefix(self, table: str) -> str | None:
        for name in self.known:  # longest first: school_guidance before school
            if table.startswith(f"{name}_"):
                return name
        return None


def table_problem(plugin: str, owners: TableOwners) -> Refusal | None:
    """Why ``plugin``'s tables are not acceptable (``None``: they are)."""
    wrong = [t for t in owners.owned_by_module(plugin) if not t.startswith(f"{plugin}_")]
    if wrong:
        return refusal(N_("its table %(table)s must be named %(name)s_..."),
                       table=wrong[0], name=plugin)
    return None


def _is_core(module: str) -> bool:
    return module == CORE_PACKAGE or module.startswith(f"{CORE_PACKAGE}.")


def _common_module(modules: list[str]) -> str:
    """The longest dotted prefix of ``modules``: ``a.b.models`` and ``a.b.rules`` → ``a.b``."""
    parts = [m.split(".") for m in modules]
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    return ".".join(common)
