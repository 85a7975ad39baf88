"""Mittelpunkt: the intranet and lobby kiosk of a neighbourhood meeting point.

``create_app`` builds the Flask application; ``flask --app intranet ...`` finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, database, plugins, pages, commands.

    ``config`` overrides every other source of settings (see the README).
    """
    from intranet.cli import commands as cli
    from intranet.core import database
    from intranet.core.extensions import babel, csrf, db, login_manager
    from intranet.core.i18n import select_locale
    from intranet.core.plugin_host import PluginHost
    from intranet.core.settings import instance_path_from, load_settings
    from intranet.core.tables import import_core_tables
    from intranet.web import hooks as core_hooks
    from intranet.web import wiring as web

    app = Flask(__name__, instance_path=instance_path_from(config),
                instance_relative_config=True)
    load_settings(app, config)

    import_core_tables()
    db.init_app(app)
    database.configure_engine(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(web.CORE_TRANSLATIONS))

    host = PluginHost(app)
    app.extensions["mittelpunkt"] = host
    host.load(core_hooks, app.config["PLUGINS"], app.config.get("EXTRA_PLUGINS", ()))

    web.init_app(app, host)
    cli.init_app(app, host)
    return app
