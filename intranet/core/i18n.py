"""Languages: which exist, which one a request uses, writing direction, plugin domains.

German is the default. ``?lang=xx`` on any page switches the language and keeps
it in the session; a logged-in staff member's own choice comes next.
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError, dates, support
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, force_locale, get_babel, get_locale
from flask_login import current_user

# Each language named in its own script, so a visitor finds their own.
LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ru": "Русский",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "uk": "Українська",
    "ps": "پښتو",
    "sq": "Shqip",
    "sr": "Srpski",
    "bs": "Bosanski",
    "ku": "Kurmancî",
    "fr": "Français",
}
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur", "he", "ckb"})
ROOT = Path(__file__).resolve().parents[2]
# A source checkout keeps the core's catalogs at the top level; a wheel carries them as
# intranet/catalogs (see setup.py).
_PACKAGED = Path(__file__).resolve().parents[1] / "catalogs"
CORE_TRANSLATIONS = _PACKAGED if _PACKAGED.is_dir() else ROOT / "translations"


@functools.lru_cache(maxsize=1)
def _catalog_languages() -> frozenset[str]:
    """The languages with a core catalog: read from disk once per process (they change
    only with an update, which restarts the server), not on every page."""
    if not CORE_TRANSLATIONS.is_dir():
        return frozenset()
    return frozenset(p.name for p in CORE_TRANSLATIONS.iterdir()
                     if (p / "LC_MESSAGES").is_dir())


def available_languages() -> list[str]:
    """The default language first, then the configured ones and any with a core catalog."""
    found = _catalog_languages()
    default = current_app.config["DEFAULT_LOCALE"]
    configured = list(current_app.config["LANGUAGES"])
    order = configured + [code for code in LANGUAGE_NAMES if code not in configured]
    rest = sorted((found | set(configured)) - {default},
                  key=lambda c: (order.index(c) if c in order else len(order), c))
    return [default, *rest]


def language_name(code: str) -> str:
    """A language named in its own script (Türkçe, Русский, العربية), so visitors find theirs."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def translated_in(locale: str) -> AbstractContextManager[Any]:
    """Translate into ``locale`` for a moment (e.g. kiosk tiles in the visitor's language).

    An unknown code keeps the current language instead of failing.
    """
    try:
        Locale.parse(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return nullcontext()
    return force_locale(locale)


def current_locale() -> str:
    """The language of the current request (or the configured ``DEFAULT_LOCALE``), as a code."""
    locale = get_locale() if has_request_context() or has_app_context() else None
    return str(locale) if locale else current_app.config["DEFAULT_LOCALE"]


def text_direction(code: str | None = None) -> str:
    """``rtl`` for right-to-left scripts (Arabic, Persian/Dari, Pashto), else ``ltr``."""
    code = code or current_locale()
    return "rtl" if code.split("_")[0] in RTL_LANGUAGES else "ltr"


def select_locale() -> str:
    """The locale selector for Flask-Babel: URL, then session, then the user, then German."""
    if not has_request_context():  # CLI commands and background work: the default
        return current_app.config["DEFAULT_LOCALE"]
    languages = available_languages()
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in languages:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    if g.get("locale_from_browser", True):
        # A visitor's phone says which languages its owner reads; a shared screen (the
        # kiosk) opts out and starts in the default language.
        wanted = request.accept_languages.best_match(
            [code.replace("_", "-") for code in languages])
        if wanted:
            return wanted.replace("-", "_")
    return current_app.config["DEFAULT_LOCALE"]


class PluginDomain(Domain):
    """A plugin's own translation domain, falling back to the core catalog.

    Strings in the plugin's catalog never collide with another plugin's; a
    string the plugin does not translate (e.g. in the shared page layout) is
    looked up in the core catalog.
    """

    def __init__(self, name: str, folder: Path) -> None:
        super().__init__(translation_directories=[str(folder)], domain=name)
        self.name = name

    def get_translations(self) -> support.Translations | support.NullTranslations:
        own = super().get_translations()
        if not has_app_context():
            return own
        if not getattr(own, "_mittelpunkt_chained", False):
            core = get_babel().instance.domain_instance.get_translations()
            if core is not own:
                own.add_fallback(core)
            own._mittelpunkt_chained = True
        return own


def plugin_domain(name: str, package_file: str) -> PluginDomain:
    """The translation domain of a plugin whose ``__init__.py`` is ``package_file``.

    Catalogs live in ``<plugin folder>/translations/<lang>/LC_MESSAGES/<name>.mo``.
    """
    return PluginDomain(name, Path(package_file).resolve().parent / "translations")


def local_date(value: date | datetime, fmt: str = "full") -> str:
    """A date in the current language; no time-zone shift (offers use local dates).

    ``fmt`` is a Babel width (``full``, ``long``, ``medium``, ``short``) or a
    skeleton such as ``MMMMEEEEd``, which each language orders its own way.
    """
    day = value.date() if isinstance(value, datetime) else value
    return _formatted_date(day, fmt, str(get_locale()))


def local_time(value: time | datetime, fmt: str = "HH:mm") -> str:
    """A local wall-clock time (offer times) without any time-zone shift."""
    if isinstance(value, datetime):
        value = value.time()
    return _formatted_time(value, fmt, str(get_locale()))


# Pages show the same few dates and times again and again (a week of offers at whole
# hours); Babel works a skeleton out anew each time (about 1 ms), so remember them.
@functools.lru_cache(maxsize=4096)
def _formatted_date(day: date, fmt: str, locale: str) -> str:
    if fmt in ("full", "long", "medium", "short"):
        return dates.format_date(day, format=fmt, locale=locale)
    return dates.format_skeleton(fmt, day, locale=locale)


@functools.lru_cache(maxsize=4096)
def _formatted_time(value: time, fmt: str, locale: str) -> str:
    return dates.format_time(value, format=fmt, locale=locale)
