"""Every hook a Mittelpunkt plugin can implement.

Each hook is called with keyword arguments only; an implementation may accept
just the arguments it needs, so adding an argument later never breaks an old
plugin. Hooks return the small objects of :mod:`intranet.hooktypes` (or lists
of them), never HTML. The core calls each plugin's implementation on its own:
a plugin that raises is logged, marked as failing on the admin's plugin page and
skipped for that call, and a disabled plugin is not called at all.

``docs/plugins.md`` documents every hook below with an example; a test keeps
the two in step.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("mittelpunkt")
# Plugins take it from intranet.plugin; it lives here so the core needs no public face.
hookimpl = pluggy.HookimplMarker("mittelpunkt")


@hookspec
def plugin_info():
    """Describe the plugin: name, title, pictogram, colour and ticket letter.

    Return one :class:`~intranet.hooktypes.PluginInfo`. Its ``name`` must equal
    the entry-point name the plugin is registered under.
    """


@hookspec
def register_blueprints():
    """Return Flask blueprints to mount under ``/<plugin-name>/``.

    Give each blueprint ``template_folder="templates"`` (templates go into
    ``templates/<plugin-name>/``) and, if needed, ``static_folder="static"``
    (served under ``/<plugin-name>/static/``). Pages of a disabled plugin
    answer 404.
    """


@hookspec
def navigation(user):
    """Return :class:`~intranet.hooktypes.NavItem` objects for the staff navigation.

    ``user`` is the logged-in staff member; items whose ``permission`` the user
    lacks are hidden by the core, so plugins may return them unconditionally.
    """


@hookspec
def kiosk_purposes(locale):
    """Return :class:`~intranet.hooktypes.Purpose` objects: what visitors can come for.

    ``locale`` is the language the visitor chose on the check-in screen (e.g. ``"ar"``);
    labels should already be translated into it.
    """


@hookspec
def offers(start, end, locale):
    """Return :class:`~intranet.hooktypes.OfferView` occurrences the plugin computes
    itself between two dates.

    ``start`` and ``end`` are :class:`datetime.date` objects (``end`` is
    inclusive); ``locale`` is the language to show titles in. The core lists the
    stored offers (``Offer`` rows) of every enabled area on its own: never return
    those here, or they show twice. Every page that shows offers gets both the same
    way (``intranet.plugin.all_offers``).
    """


@hookspec
def dashboard_widgets(user, today):
    """Return :class:`~intranet.hooktypes.Widget` objects for the staff start page.

    ``today`` is the local date; items the ``user`` may not see must be left
    out by the plugin (or the whole widget guarded with ``permission``).
    """


@hookspec
def report_metrics(start, end):
    """Return :class:`~intranet.hooktypes.Metric` objects for a report period.

    Only aggregate counts: a metric must never identify a person.
    """


@hookspec
def permissions():
    """Return the :class:`~intranet.hooktypes.Permission` objects the plugin defines.

    Codes are ``<plugin-name>.<right>``, e.g. ``consultations.view``.
    """


@hookspec
def checkin_created(checkin):
    """React to a visitor's new check-in (a :class:`~intranet.checkins.models.CheckIn`).

    Called after the check-in is committed; the return value is ignored.
    Do not change the check-in here.
    """


@hookspec
def queue_actions(checkin, user):
    """Return :class:`~intranet.hooktypes.NavItem` links shown beside a ticket in the
    staff live queue, e.g. "Open consultation" for a counselling ticket.

    ``checkin`` is the :class:`~intranet.checkins.models.CheckIn`; return nothing for tickets of
    other service areas. Items whose ``permission`` the ``user`` lacks are hidden.
    """


@hookspec
def load_demo_data(week_start):
    """Add the plugin's demo data for the week beginning on ``week_start`` (a Monday).

    Called by ``flask --app intranet demo load`` on an empty database, inside a
    transaction the core commits afterwards. Invent names, never use real people.
    """


@hookspec
def export_person(person):
    """Return an :class:`~intranet.hooktypes.ExportSection` with what the plugin
    holds about ``person`` (a :class:`~intranet.people.models.Person`), for a data
    subject's request for access (Art. 15 GDPR): every column, free text and
    confidential notes included.

    Every loaded plugin is asked, switched off or not; if one raises or answers
    with anything else, nothing is exported. Do not commit.
    """


@hookspec
def person_activity(person, user):
    """Return :class:`~intranet.hooktypes.Widget` boxes for a person's page: what the
    plugin knows of the person's activity (consultations, courses, appointments …).

    Show only what ``user`` may see: leave out confidential details, and set the
    widget's ``permission`` so the core hides the whole box; a box without one still
    needs ``<plugin>.view``.
    """


@hookspec
def merge_persons(source, target):
    """Move everything the plugin holds about ``source`` to ``target`` (two records of the
    same :class:`~intranet.people.models.Person`); the core deletes ``source`` afterwards.

    Return a :class:`~intranet.hooktypes.MergeReport`. Called inside the core's
    transaction: do not commit. Every loaded plugin is asked, switched off or not;
    if one fails, the whole merge is rolled back.
    """


@hookspec
def erase_person(person):
    """Erase or anonymise everything the plugin holds about ``person``.

    Return an :class:`~intranet.hooktypes.ErasureReport`. Aggregate counts
    (how many consultations took place) must stay right after erasure; every
    free-text column of a row kept for them is blanked (``NULL`` or ``""``).
    Every loaded plugin is asked, switched off or not; if one fails, the whole
    erasure is rolled back. Do not commit.
    """


@hookspec
def retention_rules():
    """Return :class:`~intranet.hooktypes.RetentionRule` objects: how long each kind of
    personal data the plugin holds is kept, and how it is removed when due.

    The core applies every rule in ``flask --app intranet privacy purge`` (and a timer runs
    that daily); plugins never delete on a schedule of their own.
    """


@hookspec
def register_commands(cli):
    """Add ``click`` commands or groups to the ``flask --app intranet`` command line.

    ``cli`` is the application's ``click`` group; call ``cli.add_command(...)``.
    """


@hookspec
def error_template(code, path):
    """Return the name of a template for the error page of a request under the plugin's
    own URL prefix, or ``None`` to leave it to the core's staff layout.

    ``code`` is the HTTP status (400, 404, 405, 429, 500 …), ``path`` the request's
    path (e.g. ``/garden/beds/7``) — also for unknown URLs, which match no
    blueprint. The core renders the first template it gets with ``code`` and
    ``message`` (a translated sentence) and the plugin's translations, e.g. so that an
    error on a visitors' screen stays in its layout and never links to the staff login.
    """


@hookspec
def settings():
    """Return :class:`~intranet.hooktypes.Setting` declarations: values an admin may change.

    The core's settings page shows a field for each (under the plugin's title), checks the
    declared type and bounds and stores the admin's choice. Keys start with the plugin's
    name in upper case (``GARDEN_BEDS`` of a plugin ``garden``); the configuration sets the
    same name in ``instance/config.py`` or as ``MITTELPUNKT_<KEY>`` in the environment.
    Read a value with :func:`intranet.plugin.setting`: the admin's choice, else the
    configuration, else the declared default. Settings of a switched-off plugin are not
    shown.
    """


@hookspec
def admin_sections(user):
    """Return :class:`~intranet.hooktypes.AdminSection` pages for the administration's
    sub-navigation (beside Users, Rooms, Settings …), e.g. a plugin's list of devices.

    ``user`` is the logged-in admin; sections whose ``permission`` the user lacks are
    hidden. A plugin's own admin page shows the sub-navigation with
    ``{% include "admin/_subnav.html" %}``; sections of a switched-off plugin vanish.
    """
