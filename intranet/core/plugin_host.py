"""The plugin host: finds, loads, checks, enables and safely calls plugins.

One host (and one ``pluggy.PluginManager``) per application, kept in
``app.extensions["mittelpunkt"]``, so tests never leak plugins into each other.

Loading checks each plugin's boundaries (:mod:`intranet.core.plugin_boundaries`): a
plugin whose name the core uses, whose blueprints or tables are not named after it,
that implements an unknown hook or declares a hook wrapper is *refused*: not loaded,
shown as failing, and the application starts all the same (with ``PLUGINS_STRICT``
the refusal raises :class:`PluginRefused` instead, like a failed import).

Each plugin is called on its own: an exception in one is logged, stored as that
plugin's failure and skipped, and the other plugins' answers still arrive. With
``PLUGINS_STRICT`` the exception is raised instead. Failures live in the database
(``plugin_state.last_error``), so every worker, ``plugins list`` and ``/healthz``
see the same, until an admin clears them.

Data-protection work (export, erasure, merge) must never skip anyone: for it,
:meth:`PluginHost.call_all` asks every loaded plugin, switched off or not, and
raises :class:`PluginCallFailed` naming every plugin that failed.
"""

from __future__ import annotations

import dataclasses
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pluggy
from flask import Blueprint, Flask, current_app, g, has_app_context
from sqlalchemy import Table, select

from intranet import hookspecs
from intranet.core.brief_cache import forget, remembered
from intranet.core.extensions import db
from intranet.core.plugin_boundaries import (
    CORE_NAME,
    N_,
    CoreNames,
    Refusal,
    TableOwners,
    blueprint_problem,
    core_names,
    name_problem,
    package_of,
    refusal,
    table_problem,
    url_prefix,
)

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mittelpunkt.plugins"
FAILURE_STORE_WAIT_MS = 250
# What the database keeps of a plugin's failures: the latest line of each failing hook
# ("<hook>: <message>", "load: ..." for a failed import or a refusal), newest last.
LOAD = "load"
STORED_LINES = 10
STORED_CHARS = 2000
# The names of switched-off plugins in intranet.core.brief_cache.
DISABLED_CACHE_NAME = "disabled_plugins"
LOAD_TIME_NAMES = CoreNames(blueprints=frozenset({CORE_NAME}), url_segments=frozenset(),
                            tables=frozenset())

T = TypeVar("T")
Mount = tuple[Blueprint, str]  # a plugin's blueprint and the URL prefix it is mounted at


@dataclass
class PluginRecord:
    """What the host knows about one plugin, loaded, refused or failed to import."""

    name: str
    module: Any = None
    version: str = ""
    source: str = "entry point"
    import_error: str = ""
    refusal: Refusal | None = None
    failures: list[str] = field(default_factory=list)  # this process's recent ones: a cache
    info: Any = None
    package: str = ""

    @property
    def loaded(self) -> bool:
        return self.module is not None and self.refusal is None

    @property
    def load_problem(self) -> str:
        """Why the plugin is not loaded (English), or ``""``."""
        return self.import_error or (str(self.refusal) if self.refusal else "")

    @property
    def folder(self) -> Path | None:
        """The plugin's package folder (where templates, migrations, translations live)."""
        file = getattr(self.module, "__file__", None)
        return Path(file).parent if file else None


@dataclass(frozen=True)
class StoredFailure:
    """A plugin's last failure as the database holds it, for every worker alike."""

    text: str
    at: datetime | None


class PluginError(RuntimeError):
    """A plugin misbehaved while ``PLUGINS_STRICT`` is on."""


class PluginRefused(PluginError):
    """A plugin broke a boundary at load while ``PLUGINS_STRICT`` is on."""


class PluginCallFailed(PluginError):
    """One or more plugins failed in an all-or-nothing call; ``plugins`` names them.

    Raised in strict and lenient mode alike: the caller rolls back and reports.
    """

    def __init__(self, plugins: Iterable[str], hook_name: str = "",
                 messages: Iterable[str] = ()) -> None:
        self.plugins = sorted(set(plugins))
        self.hook_name = hook_name
        self.messages = list(messages)
        super().__init__(f"{hook_name or 'call'} failed in: {', '.join(self.plugins)}"
                         + (f" ({'; '.join(self.messages)})" if self.messages else ""))


class PluginHost:
    """Loads plugins into one ``PluginManager`` and calls them one by one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.strict: bool = bool(app.config["PLUGINS_STRICT"])
        self.pm = pluggy.PluginManager("mittelpunkt")
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self.blueprint_owner: dict[str, str] = {}
        # The core's own names, as refuse_core_names read them (the generator refuses them too).
        self.reserved: CoreNames = LOAD_TIME_NAMES
        # Failures the database could not take yet (locked, not migrated): kept until it can.
        self._unstored: dict[str, list[str]] = {}

    # -- loading -----------------------------------------------------------

    def load(
        self,
        core: ModuleType,
        selected: Iterable[str] | None,
        extra: Iterable[Any] = (),
    ) -> None:
        """Register the core's own hooks, the entry-point plugins and ``extra`` ones.

        ``selected`` limits the entry-point plugins to those names (``None``:
        all). ``extra`` holds modules or objects to register directly, named by
        their ``plugin_info().name``; tests use it for plugins they define.
        """
        self.pm.register(core, name=CORE_NAME)
        wanted = None if selected is None else set(selected)
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            if ep.name in self.records:
                continue  # the same distribution seen twice on sys.path
            record = PluginRecord(name=ep.name, version=_version_of(ep))
            self.records[ep.name] = record
            try:
                module = ep.load()
            except Exception as exc:  # a broken plugin must not stop the app
                record.import_error = _describe(exc)
                log.error("plugin %s failed to import: %s", ep.name, record.import_error)
                self._remember_failure(ep.name, f"{LOAD}: {record.import_error}")
                if self.strict:
                    raise PluginError(f"plugin {ep.name!r} failed to import") from exc
                continue
            self._register(record, module)
        for obj in extra:
            name = self._name_of_extra(obj)
            if name in self.records:
                raise PluginError(f"two plugins are named {name!r}")
            record = PluginRecord(name=name, version=str(getattr(obj, "__version__", "")),
                                  source="registered by the application")
            self.records[name] = record
            self._register(record, obj)
        for record in self.records.values():
            if record.loaded:
                record.info = self._call_one(record.name, "plugin_info", {})

    def _register(self, record: PluginRecord, module: Any) -> None:
        record.module = module
        record.package = package_of(module)
        # Refused before pluggy sees it: a name that is no identifier, or "core" (the
        # core's own registration). The rest of the core's names are checked once its
        # blueprints are in the app (refuse_core_names).
        problem = name_problem(record.name, LOAD_TIME_NAMES)
        if problem is not None:
            self._refuse(record, problem)
            return
        try:
            self.pm.register(module, name=record.name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            self._refuse(record, refusal(N_("it cannot be registered: %(error)s"),
                                         error=_first_line(exc)))
            return
        problem = self._hook_problem(record.name, module)
        if problem is not None:
            self._refuse(record, problem)

    def _hook_problem(self, name: str, module: Any) -> Refusal | None:
        """Unknown hooks and hook wrappers are refused, never silently ignored.

        The host calls each plugin on its own (that is what keeps one plugin's
        exception from the others), so a wrapper, which pluggy runs around all
        implementations of one call, would wrap nothing: it is refused instead.
        """
        for caller in self.pm.get_hookcallers(module) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is not module:
                    continue
                if impl.wrapper or impl.hookwrapper:
                    return refusal(N_("it declares a hook wrapper for %(hook)s; the host calls "
                                      "each plugin on its own, so wrappers are not "
                                      "supported"), hook=caller.name)
                if not caller.has_spec() and not impl.optionalhook:
                    return refusal(N_("it implements %(hook)s, which is not a hook (a misspelt "
                                      "name?)"), hook=caller.name)
        return None

    def _refuse(self, record: PluginRecord, problem: Refusal) -> None:
        """Take a plugin out: its hooks are never called, it shows as failing."""
        record.refusal = problem
        if self.pm.get_plugin(record.name) is record.module:
            self.pm.unregister(name=record.name)
        log.error("plugin %s refused: %s", record.name, problem)
        self._remember_failure(record.name, f"{LOAD}: {problem}")
        if self.strict:
            raise PluginRefused(f"plugin {record.name!r} refused: {problem}")

    def _name_of_extra(self, obj: Any) -> str:
        info_fn = getattr(obj, "plugin_info", None)
        info = info_fn() if callable(info_fn) else None
        name = getattr(info, "name", None) or getattr(obj, "__name__", None)
        if not name:
            raise PluginError(f"cannot tell the name of plugin {obj!r}")
        return str(name).rsplit(".", 1)[-1]

    # -- boundaries (checked once the core's own blueprints are in the app) ----

    def refuse_core_names(self, app: Flask) -> None:
        """Refuse every plugin named like a blueprint, URL prefix or table of the core.

        Call before mounting the plugins' blueprints: the core's names are read
        from what ``app`` has registered so far.
        """
        self.reserved = reserved = core_names(app)
        for record in self.plugins():
            if record.loaded:
                problem = name_problem(record.name, reserved)
                if problem is not None:
                    self._refuse(record, problem)

    def plugin_blueprints(self, taken: Iterable[str]) -> list[tuple[str, list[Mount]]]:
        """Each enabled plugin's blueprints with the URL prefix to mount them at.

        ``register_blueprints`` is isolated like every hook: one that raises or
        answers something else than blueprints is that plugin's failure, and none
        of its blueprints is mounted. A blueprint named against the rules or after
        one that exists (``taken`` and the plugins' before it) gets its plugin refused.
        """
        names = set(taken)
        mounted = []
        for plugin_name, answer in self.call("register_blueprints"):
            blueprints = list(answer) if isinstance(answer, list | tuple) else [answer]
            wrong = [b for b in blueprints if not isinstance(b, Blueprint)]
            if wrong:
                self._fail(plugin_name, "register_blueprints",
                           f"returned {type(wrong[0]).__name__}, expected Blueprint")
                continue
            problem = None
            for blueprint in blueprints:
                problem = blueprint_problem(plugin_name, blueprint,
                                            names | {b.name for b in blueprints
                                                     if b is not blueprint})
                if problem is not None:
                    break
            if problem is not None:
                self._refuse(self.records[plugin_name], problem)
                continue
            names |= {b.name for b in blueprints}
            mounted.append((plugin_name, [(b, url_prefix(plugin_name, b)) for b in blueprints]))
        return mounted

    def refuse_foreign_tables(self) -> None:
        """Refuse every plugin whose models define tables not named ``<plugin>_...``.

        Call after the blueprints are mounted: a plugin's views may import its models.
        """
        owners = self.table_owners()
        for record in self.plugins():
            if record.loaded:
                problem = table_problem(record.name, owners)
                if problem is not None:
                    self._refuse(record, problem)

    def table_owners(self) -> TableOwners:
        """Who owns which table, from the models' modules (see :class:`TableOwners`)."""
        installed = {ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
        return TableOwners({r.name: r.package for r in self.records.values() if r.loaded},
                           known=installed | set(self.records))

    def tables_of(self, name: str) -> list[str]:
        """The names of the tables plugin ``name`` owns (its models' tables)."""
        return self.table_owners().tables_of(name)

    def app_tables(self) -> list[Table]:
        """The tables of this application, the core's and its loaded plugins', in
        dependency order: what its database holds. (The metadata is shared by the whole
        process and may hold tables of a plugin only another application loaded.)"""
        owners = self.table_owners()
        return [t for t in db.metadata.sorted_tables if owners.owner(t.name) is not None]

    # -- enabling ------------------------------------------------------------

    def disabled_names(self) -> set[str]:
        """Names of plugins an admin switched off (read from the database).

        Read once per request and kept a moment for the next ones (see
        :mod:`intranet.core.brief_cache`): a change takes effect without a restart, in
        this process on the next request, in others within ``SHARED_STATE_SECONDS``.
        """
        cached = g.get("_mittelpunkt_disabled") if has_app_context() else None
        if cached is not None:
            return cached
        try:
            disabled = set(remembered(DISABLED_CACHE_NAME, _read_disabled))
        except Exception:  # no tables yet (before `db upgrade`): nothing is disabled
            disabled = set()
        if has_app_context():
            g._mittelpunkt_disabled = disabled
        return disabled

    def is_enabled(self, name: str) -> bool:
        if name == CORE_NAME:
            return True
        record = self.records.get(name)
        return bool(record and record.loaded) and name not in self.disabled_names()

    def set_enabled(self, name: str, enabled: bool) -> None:
        from intranet.core.models import PluginState

        state = db.session.get(PluginState, name) or PluginState(name=name)
        state.enabled = enabled
        if enabled:  # switching on again is the admin's "try again": forget old failures
            state.last_error = None
            state.last_error_at = None
            self._forget_failures(name)
        db.session.add(state)
        db.session.commit()
        g.pop("_mittelpunkt_disabled", None)
        forget(DISABLED_CACHE_NAME)

    def plugins(self) -> list[PluginRecord]:
        """Every plugin the host knows, in name order (failed imports included)."""
        return sorted(self.records.values(), key=lambda r: r.name)

    def service_areas(self) -> list[Any]:
        """``PluginInfo`` of every enabled service-area plugin, sorted by ``order``."""
        infos = [r.info for r in self.records.values()
                 if r.info and r.info.service_area and self.is_enabled(r.name)]
        return sorted(infos, key=lambda i: (i.order, str(i.title)))

    def info(self, name: str) -> Any:
        record = self.records.get(name)
        return record.info if record else None

    # -- calling ---------------------------------------------------------------
    #
    # Every call goes through pluggy, one plugin at a time: a *subset hook caller*
    # (``pm.subset_hook_caller``, public API) holding just that plugin's
    # implementations. So pluggy's own machinery runs each call — hook-call
    # monitors and tracing (``pm.add_hookcall_monitoring``, ``pm.enable_tracing``)
    # see one call per plugin, with that plugin's implementations and outcome;
    # ``firstresult`` specs and default arguments apply — while an exception stays
    # the one plugin's. The plugins are asked in pluggy's order (``tryfirst`` first,
    # ``trylast`` last, otherwise the last registered first), read off
    # ``get_hookimpls()`` backwards as pluggy's own call loop does.

    def call(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every enabled plugin's implementation of a hook; return ``(plugin, result)``
        pairs in pluggy's order. A ``firstresult`` hook stops at the first answer."""
        results = []
        first_only = self._is_firstresult(hook_name)
        for name in self._plugins_in_call_order(hook_name):
            if not self.is_enabled(name):
                continue
            for answer in self._answers(name, hook_name, kwargs) or ():
                results.append((name, answer))
            if first_only and results:
                break
        return results

    def call_one(self, plugin_name: str, hook_name: str, **kwargs: Any) -> Any:
        """Ask one plugin (if it is switched on), isolated like :meth:`call`.

        Returns its answer, ``None`` when it gave none, failed or is switched off (a
        plugin implementing the hook more than once: the list of its answers).
        """
        if not self.is_enabled(plugin_name):
            return None
        return self._call_one(plugin_name, hook_name, kwargs)

    def _call_one(self, plugin_name: str, hook_name: str, kwargs: dict[str, Any]) -> Any:
        answers = self._answers(plugin_name, hook_name, kwargs) or []
        if not answers:
            return None
        return answers[0] if len(answers) == 1 else answers

    def collect(self, hook_name: str, kind: type[T], *, only: str | None = None,
                **kwargs: Any) -> list[T]:
        """Call a hook, flatten the answers, stamp each with its plugin and sort by ``order``.

        An answer that is not a ``kind`` (or a list of them) counts as the
        plugin's failure and is dropped. With ``only``, just that plugin is asked (e.g. the
        plugin of a ticket for its queue actions), if it is switched on.
        """
        if only is None:
            pairs = self.call(hook_name, **kwargs)
        else:
            answer = self.call_one(only, hook_name, **kwargs)
            pairs = [] if answer is None else [(only, answer)]
        items: list[T] = []
        for plugin_name, result in pairs:
            answers = result if isinstance(result, list | tuple) else [result]
            wrong = [a for a in answers if not isinstance(a, kind)]
            if wrong:
                self._fail(plugin_name, hook_name,
                           f"returned {type(wrong[0]).__name__}, expected {kind.__name__}")
                continue
            for answer in answers:
                if hasattr(answer, "plugin") and not answer.plugin:
                    answer = dataclasses.replace(answer, plugin=plugin_name)
                items.append(answer)
        return sorted(items, key=_sort_key)

    def call_all(self, hook_name: str, kind: type[Any] | None = None,
                 **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook in EVERY loaded plugin, switched off or not; all or nothing.

        For export, erasure and merge: a switched-off plugin still holds its data.
        Exceptions and answers that are not a ``kind`` (or a list of them; ``None``
        counts as wrong when a ``kind`` is asked for) are collected, never skipped;
        if any plugin failed, :class:`PluginCallFailed` names them all (in strict
        mode too). Answers are stamped with their plugin's name.
        """
        results: list[tuple[str, Any]] = []
        # A plugin that failed to import or was refused may hold data nobody can reach
        # now: that fails too.
        failed = [r.name for r in self.records.values() if r.load_problem]
        messages = [f"{name}: not loaded" for name in failed]
        for name in self._plugins_in_call_order(hook_name):
            try:
                answers = self._through_pluggy(name, hook_name, kwargs)
            except Exception as exc:
                self._note_failure(name, hook_name, _describe(exc), exc)
                failed.append(name)
                messages.append(f"{name}: {_describe(exc)}")
                if has_app_context() and not db.session.is_active:
                    break  # a failed flush: the others would only fail on the dead transaction
                continue
            for result in answers or [None]:
                if kind is not None:
                    items = result if isinstance(result, list | tuple) else [result]
                    wrong = [a for a in items if not isinstance(a, kind)]
                    if wrong:
                        text = f"returned {type(wrong[0]).__name__}, expected {kind.__name__}"
                        self._note_failure(name, hook_name, text)
                        failed.append(name)
                        messages.append(f"{name}: {text}")
                        continue
                    stamped = [dataclasses.replace(a, plugin=name)
                               if hasattr(a, "plugin") and not a.plugin else a for a in items]
                    result = stamped if isinstance(result, list | tuple) else stamped[0]
                results.append((name, result))
        if failed:
            raise PluginCallFailed(failed, hook_name, messages)
        return results

    def titles(self, names: Iterable[str]) -> list[str]:
        """The plugins' titles in the current language (their names if they have none)."""
        titles = []
        for name in names:
            info = self.info(name)
            titles.append(str(getattr(info, "title", "") or name))
        return titles

    def _plugins_in_call_order(self, hook_name: str) -> list[str]:
        """The registered plugins implementing ``hook_name``, in the order pluggy calls them."""
        caller = getattr(self.pm.hook, hook_name)
        return list(dict.fromkeys(impl.plugin_name for impl in reversed(caller.get_hookimpls())))

    def _is_firstresult(self, hook_name: str) -> bool:
        spec = getattr(self.pm.hook, hook_name).spec
        return bool(spec and spec.opts.get("firstresult"))

    def _through_pluggy(self, plugin_name: str, hook_name: str,
                        kwargs: dict[str, Any]) -> list[Any]:
        """One plugin's non-``None`` answers, by a real pluggy call of just that plugin."""
        caller = getattr(self.pm.hook, hook_name)
        others = [impl.plugin for impl in caller.get_hookimpls()
                  if impl.plugin_name != plugin_name]
        result = self.pm.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)
        if self._is_firstresult(hook_name):
            return [] if result is None else [result]
        return list(result)

    def _answers(self, plugin_name: str, hook_name: str,
                 kwargs: dict[str, Any]) -> list[Any] | None:
        """One plugin's answers; ``None`` when it failed (raised in strict mode)."""
        try:
            return self._through_pluggy(plugin_name, hook_name, kwargs)
        except Exception as exc:
            if self.strict:
                raise
            self._fail(plugin_name, hook_name, _describe(exc), exc)
            return None

    # -- failures ----------------------------------------------------------------

    def _fail(self, plugin_name: str, hook_name: str, message: str,
              exc: BaseException | None = None) -> None:
        text = f"{hook_name}: {message}"
        log.error("plugin %s failed in %s: %s", plugin_name, hook_name, message,
                  exc_info=exc)
        if self.strict:
            raise PluginError(f"plugin {plugin_name!r} {text}")
        self._remember_failure(plugin_name, text)

    def _note_failure(self, plugin_name: str, hook_name: str, message: str,
                      exc: BaseException | None = None) -> None:
        """Log and store a failure without raising (the caller raises once, for all)."""
        log.error("plugin %s failed in %s: %s", plugin_name, hook_name, message, exc_info=exc)
        self._remember_failure(plugin_name, f"{hook_name}: {message}")

    def _remember_failure(self, plugin_name: str, text: str) -> None:
        record = self.records.get(plugin_name)
        if record is not None:
            record.failures = [*record.failures[-9:], text]
        self._unstored.setdefault(plugin_name, []).append(text)
        self._store_unstored()

    def _store_unstored(self) -> None:
        """Write the failures not yet in the database; keep those it cannot take yet."""
        if not self._unstored:
            return
        if not has_app_context():  # at load, inside create_app
            with self.app.app_context():
                self._store_unstored()
            return
        for name, lines in list(self._unstored.items()):
            if _store_failure(name, lines):
                self._unstored.pop(name, None)

    def _forget_failures(self, name: str) -> None:
        self._unstored.pop(name, None)
        if name in self.records:
            self.records[name].failures.clear()

    def stored_failure(self, name: str) -> StoredFailure | None:
        """The plugin's stored failures as every worker sees them (from the database)."""
        from intranet.core.models import PluginState

        self._store_unstored()
        row = None
        try:
            with db.engine.connect() as conn:
                row = conn.execute(select(PluginState.last_error, PluginState.last_error_at)
                                   .where(PluginState.name == name)).first()
        except Exception:  # no database (yet)
            log.warning("could not read the failures of plugin %s", name, exc_info=True)
        text, at = (row[0] or "", row[1]) if row else ("", None)
        for line in self._unstored.get(name, []):  # what the database could not take yet
            text = _merged(text, line)
        return StoredFailure(text, at) if text else None

    def failures_of(self, name: str) -> list[str]:
        """What is wrong with a plugin, the same in every worker: why it is not loaded
        (failed import, refusal), then each stored failure until an admin clears it."""
        record = self.records.get(name)
        problem = record.load_problem if record else ""
        stored = self.stored_failure(name)
        lines = stored.text.splitlines() if stored else []
        return ([problem] if problem else []) + [
            line for line in lines if line != f"{LOAD}: {problem}"]

    def clear_failures(self, name: str) -> None:
        """Forget a plugin's stored failure (the admin's "clear"); a load problem stays
        as long as it is true. Commits."""
        from intranet.core.models import PluginState

        state = db.session.get(PluginState, name)
        if state is not None:
            state.last_error = None
            state.last_error_at = None
            db.session.commit()
        self._forget_failures(name)


def host() -> PluginHost:
    """The plugin host of the current application."""
    return current_app.extensions["mittelpunkt"]


def _store_failure(plugin_name: str, lines: list[str]) -> bool:
    """Add failures to the plugin's row so every worker sees them; ``False`` if not now.

    Uses its own connection so the request's transaction is left untouched. On
    SQLite that request may hold the write lock itself (a merge, an erasure): wait
    only briefly, and try again later (the host keeps what could not be stored).
    """
    from intranet.core.models import PluginState

    table = PluginState.__table__
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        conn = db.engine.connect()
    except Exception:
        log.warning("could not store the failure of plugin %s: no database", plugin_name)
        return False
    try:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {FAILURE_STORE_WAIT_MS}")
            conn.commit()  # end the transaction the PRAGMA began, so the write gets its own
        with conn.begin():
            now = datetime.now(UTC).replace(tzinfo=None)
            row = conn.execute(select(table.c.last_error)
                               .where(table.c.name == plugin_name)).first()
            text = (row[0] or "") if row else ""
            for line in lines:
                text = _merged(text, line)
            if row is not None:
                conn.execute(table.update().where(table.c.name == plugin_name)
                             .values(last_error=text, last_error_at=now))
            else:
                conn.execute(table.insert().values(
                    name=plugin_name, enabled=True, last_error=text, last_error_at=now))
        return True
    except Exception as exc:
        log.warning("could not store the failure of plugin %s yet: %s", plugin_name,
                    _first_line(exc))
        return False
    finally:
        if sqlite:  # the connection goes back to the pool: the usual patience again
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {_configured_wait_ms()}")
            conn.commit()
        conn.close()


def _merged(stored: str, line: str) -> str:
    """``stored`` with ``line`` as its newest line, replacing the older line of the same
    hook, within :data:`STORED_LINES` lines and :data:`STORED_CHARS` characters."""
    line = " ".join(line.split())[:STORED_CHARS // 4]  # one line, whatever the message held
    key = line.split(": ", 1)[0]
    lines = [old for old in stored.splitlines() if old.split(": ", 1)[0] != key]
    lines = [*lines, line][-STORED_LINES:]
    while len("\n".join(lines)) > STORED_CHARS and len(lines) > 1:
        lines.pop(0)
    return "\n".join(lines)


def _configured_wait_ms() -> int:
    return int(float(current_app.config["SQLITE_BUSY_TIMEOUT"]) * 1000)


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _version_of(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return dist.version if dist is not None else ""


def _sort_key(item: Any) -> tuple[Any, ...]:
    label = getattr(item, "label", None) or getattr(item, "title", "")
    start = getattr(item, "start", None)
    return (start or datetime.min, getattr(item, "order", 100), str(label))


def _read_disabled() -> frozenset[str]:
    from intranet.core.models import PluginState

    with db.engine.connect() as conn:
        rows = conn.execute(select(PluginState.name).where(PluginState.enabled.is_(False)))
        return frozenset(row[0] for row in rows)
