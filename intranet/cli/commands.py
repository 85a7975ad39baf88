"""``flask --app intranet ...`` commands: db, users, plugins, demo, translations."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select

from intranet.auth.models import Role, User
from intranet.auth.passwords import password_problems, site_words
from intranet.core.extensions import db
from intranet.core.plugin_host import PluginError, PluginHost, host

db_cli = AppGroup("db", help="Database migrations (the core's and every plugin's).")
users_cli = AppGroup("users", help="Staff accounts.")
plugins_cli = AppGroup("plugins", help="Installed service-area plugins.")
demo_cli = AppGroup("demo", help="Demo data for trying Mittelpunkt out.")

PASSWORD_ENV = "MITTELPUNKT_NEW_PASSWORD"


def init_app(app: Flask, plugin_host: PluginHost) -> None:
    from intranet.cli.audit import audit_cli
    from intranet.cli.backup import backup_cli
    from intranet.cli.privacy import privacy_cli
    from intranet.cli.translations import translations_cli

    for group in (db_cli, users_cli, plugins_cli, demo_cli, people_cli, translations_cli,
                  privacy_cli, backup_cli, audit_cli):
        app.cli.add_command(group)
    plugin_host.call("register_commands", cli=app.cli)


# -- db ----------------------------------------------------------------------

@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade every table: the core first, then each plugin."""
    from intranet.core.migrate import upgrade_all

    for name in upgrade_all(host()):
        click.echo(f"{name}: up to date")


@db_cli.command("current")
def db_current() -> None:
    """Show the revision of each migration track."""
    from intranet.core.migrate import current_revisions

    for name, revision in current_revisions(host()).items():
        click.echo(f"{name}: {revision or '(empty)'}")


@db_cli.command("downgrade")
@click.argument("track")
@click.argument("revision")
def db_downgrade(track: str, revision: str) -> None:
    """Take one track (core or a plugin name) back to REVISION (``base``: remove it)."""
    from intranet.core.migrate import alembic_config, find_track

    try:
        chosen = find_track(host(), track)
    except KeyError:
        raise click.UsageError(f"no migration track named {track!r}") from None
    command.downgrade(alembic_config(chosen), revision)


@db_cli.command("revision")
@click.option("--track", "track_name", default="core", show_default=True,
              help="core, or the name of the plugin the migration belongs to")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True, show_default=True)
def db_revision(track_name: str, message: str, autogenerate: bool) -> None:
    """Write a new migration script for one track."""
    from intranet.core.migrate import alembic_config, find_track

    try:
        chosen = find_track(host(), track_name)
    except KeyError:
        raise click.UsageError(
            f"no migration track {track_name!r}; a plugin needs a migrations/versions folder"
        ) from None
    command.revision(alembic_config(chosen), message=message, autogenerate=autogenerate)


# -- users -------------------------------------------------------------------

@users_cli.command("create")
@click.argument("username")
@click.option("--admin", "role", flag_value=Role.ADMIN.value, help="an administrator")
@click.option("--volunteer", "role", flag_value=Role.VOLUNTEER.value, help="a volunteer")
@click.option("--staff", "role", flag_value=Role.STAFF.value, default=True, help="staff (default)")
@click.option("--name", "display_name", default="", help="name shown in the intranet")
def users_create(username: str, role: str, display_name: str) -> None:
    """Create a staff account; the password is asked for, or read from $MITTELPUNKT_NEW_PASSWORD."""
    username = username.strip()
    exists = db.session.scalar(
        select(func.count()).select_from(User).where(func.lower(User.username) == username.lower()))
    if exists:
        raise click.ClickException(f"a user named {username!r} already exists")
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):  # the commands speak English
        problems = password_problems(password, [username, display_name, *site_words()])
    if problems:
        raise click.ClickException("the password is refused: " + " ".join(problems))
    user = User(username=username, role=role, display_name=display_name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {username}")


@users_cli.command("require-two-factor")
def users_require_two_factor() -> None:
    """End the demo data's exemption: the demo admin, too, must set up a second factor."""
    from intranet.auth.two_factor import exempt_user_ids, set_exempt

    exempt = exempt_user_ids()
    set_exempt(set())
    db.session.commit()
    click.echo(f"second factor required again for {len(exempt)} exempt account(s)")


@users_cli.command("list")
def users_list() -> None:
    """List staff accounts with role and status."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.username}\t{user.role}\t{state}")


# -- plugins -----------------------------------------------------------------

@plugins_cli.command("list")
def plugins_list() -> None:
    """Each plugin with version, enabled or disabled, failing or not, and its hooks.

    Failures come from the database: what any worker stored, until an admin clears it.
    """
    from intranet.admin.views import hooks_of

    plugin_host = host()
    for record in plugin_host.plugins():
        enabled = ("refused" if record.refusal else "not loaded" if not record.loaded else
                   "enabled" if plugin_host.is_enabled(record.name) else "disabled")
        failures = plugin_host.failures_of(record.name)
        state = f"FAILING ({'; '.join(failures)})" if failures else "ok"
        click.echo(f"{record.name} {record.version or '-'}  {enabled}  {state}")
        hooks = hooks_of(record)
        click.echo(f"    hooks: {', '.join(hooks) if hooks else '-'}")


# -- demo --------------------------------------------------------------------

@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="do nothing when there are staff accounts already")
@click.option("--plugin", "plugin_name", default=None, metavar="NAME",
              help="only this plugin's demo data, into a database that has the rest already")
def demo_load(if_empty: bool, plugin_name: str | None) -> None:
    """Load a realistic week of offers from every plugin and a demo admin."""
    from intranet.demo.banner import keep_password
    from intranet.demo.data import load_demo, load_plugin_demo

    if plugin_name is not None:
        try:
            load_plugin_demo(plugin_name)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Demo data of {plugin_name} loaded.")
        return
    if db.session.scalar(select(func.count()).select_from(User)):
        if if_empty:
            click.echo("The database already has data; no demo data loaded.")
            return
        raise click.ClickException("the database is not empty; demo data goes into an empty one")
    password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
    load_demo(password)
    keep_password(password)
    site = current_app.config["SITE_NAME"]
    click.echo(f"Demo data for {site} loaded.")
    click.echo("Log in as  admin  with the password  " + password)
    click.echo("(shown again at the end of make run's start-up while it is unchanged)")


@demo_cli.command("banner")
@click.option("--host", default="127.0.0.1", help="the address gunicorn listens on")
@click.option("--port", default=5000, type=int)
def demo_banner(host: str, port: int) -> None:
    """Print the framed start-up notice: addresses and the demo admin's password."""
    from intranet.demo.banner import banner

    click.echo(banner(host, port))


# -- people (data protection) -----------------------------------------------

people_cli = AppGroup("people", help="Data-protection requests of a person.")


@people_cli.command("export")
@click.argument("code")
def people_export(code: str) -> None:
    """Print everything stored about the person with reference CODE (e.g. P-7K3MX) as JSON."""
    import json

    from intranet.people.data_requests import export_person
    from intranet.people.models import find_person

    person = find_person(code)
    if person is None:
        raise click.ClickException(f"no person with the code {code!r}")
    try:
        data = export_person(person)
    except PluginError as failure:  # nothing exported; the attempt is audited
        raise click.ClickException(f"nothing exported: {failure}") from failure
    click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2))


@people_cli.command("erase")
@click.argument("code")
@click.confirmation_option(prompt="Erase this person's data in every service area for good?")
def people_erase(code: str) -> None:
    """Erase the person with reference CODE from the core and every plugin."""
    from intranet.people.data_requests import erase_person
    from intranet.people.models import find_person

    person = find_person(code)
    if person is None:
        raise click.ClickException(f"no person with the code {code!r}")
    try:
        reports = erase_person(person)
    except PluginError as failure:  # rolled back: nothing erased; the attempt is audited
        raise click.ClickException(f"nothing erased: {failure}") from failure
    for report in reports:
        click.echo(f"{report.plugin}: {report.records_erased} records erased")
    click.echo(f"{code} erased")


@plugins_cli.command("new")
@click.argument("name")
@click.option("--directory", "-d", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="where to put the new package")
@click.option("--title", default="",
              help="the area's German title, shown to staff and visitors (default: --title-en)")
@click.option("--title-en", "title_en", default="",
              help="its English title, the message id in the code (default: NAME in words)")
@click.option("--letter", default="X", show_default=True, help="letter of its waiting numbers")
def plugins_new(name: str, directory: Path, title: str, title_en: str, letter: str) -> None:
    """Write a working skeleton for plugin NAME (a package with its entry point)."""
    from intranet.cli.plugin_generator import GeneratorError, generate

    # Taken: every installed plugin's name and the top-level package it lives in.
    records = host().records.values()
    taken = {r.name for r in records} | {r.package.partition(".")[0] for r in records
                                         if r.package}
    letters = {r.info.ticket_letter for r in host().plugins() if r.info}
    if letter.upper() in letters:
        raise click.ClickException(
            f"the ticket letter {letter.upper()} is used by another area; choose another one "
            f"(taken: {', '.join(sorted(letters))})")
    try:
        folder = generate(name, directory, title=title, title_en=title_en, letter=letter,
                          reserved=host().reserved, taken=taken)
    except GeneratorError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Plugin {name} written to {folder}")
    click.echo(f"Install it into this environment:  pip install -e {folder}")
    click.echo("Then create its table and compile its German catalog:")
    click.echo(f"  flask --app intranet db upgrade && "
               f"flask --app intranet translations compile --plugin {name}")
    click.echo("and restart the app; `flask --app intranet plugins list` shows it.")
