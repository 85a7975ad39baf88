"""The plugin host: finds, loads, enables and safely calls plugins.

One host (and one ``pluggy.PluginManager``) per application, kept in
``app.extensions["mittelpunkt"]``, so tests never leak plugins into each other.
Each hook implementation is called on its own: an exception in one plugin is
logged, recorded as that plugin's failure and skipped, and the other plugins'
answers still arrive. With ``PLUGINS_STRICT`` the exception is raised instead.

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
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import select

from intranet import hookspecs
from intranet.core.extensions import db

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mittelpunkt.plugins"
FAILURE_STORE_WAIT_MS = 250
CORE_NAME = "core"

T = TypeVar("T")


@dataclass
class PluginRecord:
    """What the host knows about one plugin, loaded or not."""

    name: str
    module: Any = None
    version: str = ""
    source: str = "entry point"
    import_error: str = ""
    failures: list[str] = field(default_factory=list)
    info: Any = None

    @property
    def loaded(self) -> bool:
        return self.module is not None

    @property
    def folder(self) -> Path | None:
        """The plugin's package folder (where templates, migrations, translations live)."""
        file = getattr(self.module, "__file__", None)
        return Path(file).parent if file else None


class PluginError(RuntimeError):
    """A plugin misbehaved while ``PLUGINS_STRICT`` is on."""


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
                if self.strict:
                    raise PluginError(f"plugin {ep.name!r} failed to import") from exc
                continue
            self._register(record, module)
        for obj in extra:
            name = self._name_of_extra(obj)
            record = PluginRecord(name=name, version=str(getattr(obj, "__version__", "")),
                                  source="registered by the application")
            self.records[name] = record
            self._register(record, obj)
        self.pm.check_pending()
        for record in self.records.values():
            if record.loaded:
                record.info = self._call_one(record.name, "plugin_info", {})

    def _register(self, record: PluginRecord, module: Any) -> None:
        self.pm.register(module, name=record.name)
        record.module = module

    def _name_of_extra(self, obj: Any) -> str:
        info_fn = getattr(obj, "plugin_info", None)
        info = info_fn() if callable(info_fn) else None
        name = getattr(info, "name", None) or getattr(obj, "__name__", None)
        if not name:
            raise PluginError(f"cannot tell the name of plugin {obj!r}")
        return str(name).rsplit(".", 1)[-1]

    # -- enabling ------------------------------------------------------------

    def disabled_names(self) -> set[str]:
        """Names of plugins an admin switched off (read from the database).

        Cached for the current request only, so a change takes effect on the
        next request without a restart.
        """
        cached = g.get("_mittelpunkt_disabled") if has_app_context() else None
        if cached is not None:
            return cached
        from intranet.core.models import PluginState

        try:
            with db.engine.connect() as conn:
                rows = conn.execute(
                    select(PluginState.name).where(PluginState.enabled.is_(False))
                )
                disabled = {row[0] for row in rows}
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
            if name in self.records:
                self.records[name].failures.clear()
        db.session.add(state)
        db.session.commit()
        g.pop("_mittelpunkt_disabled", None)

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

    def call(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every enabled implementation of a hook; return ``(plugin, result)`` pairs."""
        results = []
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if not self.is_enabled(impl.plugin_name):
                continue
            result = self._invoke(impl.plugin_name, hook_name, impl, kwargs)
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def collect(self, hook_name: str, kind: type[T], **kwargs: Any) -> list[T]:
        """Call a hook, flatten the answers, stamp each with its plugin and sort by ``order``.

        An answer that is not a ``kind`` (or a list of them) counts as the
        plugin's failure and is dropped.
        """
        items: list[T] = []
        for plugin_name, result in self.call(hook_name, **kwargs):
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
        # A plugin that failed to import may hold data nobody can reach now: that fails too.
        failed = [r.name for r in self.records.values() if r.import_error]
        messages = [f"{name}: not loaded" for name in failed]
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            name = impl.plugin_name
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                self._note_failure(name, hook_name, _describe(exc), exc)
                failed.append(name)
                messages.append(f"{name}: {_describe(exc)}")
                if has_app_context() and not db.session.is_active:
                    break  # a failed flush: the others would only fail on the dead transaction
                continue
            if kind is not None:
                answers = result if isinstance(result, list | tuple) else [result]
                wrong = [a for a in answers if not isinstance(a, kind)]
                if wrong:
                    text = f"returned {type(wrong[0]).__name__}, expected {kind.__name__}"
                    self._note_failure(name, hook_name, text)
                    failed.append(name)
                    messages.append(f"{name}: {text}")
                    continue
                stamped = [dataclasses.replace(a, plugin=name)
                           if hasattr(a, "plugin") and not a.plugin else a for a in answers]
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

    def _note_failure(self, plugin_name: str, hook_name: str, message: str,
                      exc: BaseException | None = None) -> None:
        """Log and remember a failure without raising (the caller raises once, for all)."""
        text = f"{hook_name}: {message}"
        log.error("plugin %s failed in %s: %s", plugin_name, hook_name, message, exc_info=exc)
        record = self.records.get(plugin_name)
        if record is not None:
            record.failures = [*record.failures[-9:], text]
        _store_failure(plugin_name, text)

    def _call_one(self, plugin_name: str, hook_name: str, kwargs: dict[str, Any]) -> Any:
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name == plugin_name:
                return self._invoke(plugin_name, hook_name, impl, kwargs)
        return None

    def _invoke(self, plugin_name: str, hook_name: str, impl: Any, kwargs: dict[str, Any]) -> Any:
        try:
            return impl.function(*[kwargs[name] for name in impl.argnames])
        except Exception as exc:
            if self.strict:
                raise
            self._fail(plugin_name, hook_name, _describe(exc), exc)
            return None

    def _fail(self, plugin_name: str, hook_name: str, message: str,
              exc: BaseException | None = None) -> None:
        text = f"{hook_name}: {message}"
        log.error("plugin %s failed in %s: %s", plugin_name, hook_name, message,
                  exc_info=exc)
        if self.strict:
            raise PluginError(f"plugin {plugin_name!r} {text}")
        record = self.records.get(plugin_name)
        if record is not None:
            record.failures = [*record.failures[-9:], text]
        _store_failure(plugin_name, text)

    def failures_of(self, name: str) -> list[str]:
        """What went wrong with a plugin: its import error, or its recent hook failures
        (from this process, else the last one any worker stored in the database)."""
        record = self.records.get(name)
        if record and record.import_error:
            return [record.import_error]
        if record and record.failures:
            return list(dict.fromkeys(record.failures))  # distinct, oldest first
        from intranet.core.models import PluginState

        try:
            with db.engine.connect() as conn:
                row = conn.execute(
                    select(PluginState.last_error).where(PluginState.name == name)
                ).first()
        except Exception:
            return []
        return [row[0]] if row and row[0] else []


def host() -> PluginHost:
    """The plugin host of the current application."""
    return current_app.extensions["mittelpunkt"]


def _store_failure(plugin_name: str, text: str) -> None:
    """Remember a failure in the database so every worker's admin page shows it.

    Uses its own connection so the request's transaction is left untouched. On
    SQLite that request may hold the write lock itself (a merge, an erasure): wait
    only briefly, then leave the failure to the log rather than stall the request.
    """
    from intranet.core.models import PluginState

    sqlite = db.engine.dialect.name == "sqlite"
    conn = db.engine.connect()
    try:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {FAILURE_STORE_WAIT_MS}")
        with conn.begin():
            table = PluginState.__table__
            now = datetime.now(UTC).replace(tzinfo=None)
            updated = conn.execute(
                table.update().where(table.c.name == plugin_name)
                .values(last_error=text[:2000], last_error_at=now)
            ).rowcount
            if not updated:
                conn.execute(table.insert().values(
                    name=plugin_name, enabled=True, last_error=text[:2000], last_error_at=now))
    except Exception:
        log.warning("could not store the failure of plugin %s", plugin_name, exc_info=True)
    finally:
        if sqlite:  # the connection goes back to the pool: the usual patience again
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {_configured_wait_ms()}")
        conn.close()


def _configured_wait_ms() -> int:
    return int(float(current_app.config["SQLITE_BUSY_TIMEOUT"]) * 1000)


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _version_of(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return dist.version if dist is not None else ""


def _sort_key(item: Any) -> tuple[Any, ...]:
    label = getattr(item, "label", None) or getattr(item, "title", "")
    start = getattr(item, "start", None)
    return (start or datetime.min, getattr(item, "order", 100), str(label))
