"""``flask --app intranet privacy purge``: apply every retention rule (run daily by a timer)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

privacy_cli = AppGroup("privacy", help="Retention of personal data.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="only count what is due; change nothing")
def privacy_purge(dry_run: bool) -> None:
    """Remove or anonymise personal data whose retention period is over."""
    from intranet.privacy.retention import purge

    result = purge(dry_run=dry_run)
    verb = "due" if dry_run else "removed or anonymised"
    for rule in result.results:
        if rule.error:
            click.echo(f"{rule.key}: FAILED ({rule.error})", err=True)
        else:
            click.echo(f"{rule.key}: {rule.count} {verb} (older than {rule.days} days)")
    if not result.ok:
        raise click.ClickException("some retention rules failed; the others were applied")
    if not result.chain_intact:
        raise click.ClickException("the audit chain is broken: see 'flask --app intranet "
                                   "audit verify'")
    click.echo("audit chain intact")
    click.echo("dry run: nothing changed" if dry_run else "privacy purge done")


@privacy_cli.command("rules")
def privacy_rules() -> None:
    """List every retention rule with its period in days."""
    from intranet.privacy.retention import all_rules, retention_days

    rules, failed = all_rules()
    overrides = retention_days()
    for rule in rules:
        click.echo(f"{rule.key}\t{overrides.get(rule.key, rule.days)}\t{rule.label}")
    for result in failed:
        click.echo(f"{result.key}\tFAILED ({result.error})", err=True)
