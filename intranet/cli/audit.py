"""``flask --app intranet audit verify``: check the tamper-evident audit chain."""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The tamper-evident audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute every hash from the anchor on; exit non-zero at the first broken link."""
    from intranet.audit.chain import verify_chain
    from intranet.core.extensions import db

    status = verify_chain(db.session)
    if not status.intact:
        where = f"seq {status.broken_seq}" if status.broken_seq is not None else "seq ?"
        entry = f"entry id {status.broken_entry_id}" if status.broken_entry_id else "no entry"
        raise click.ClickException(
            f"audit chain BROKEN at {where} ({entry}): {status.reason}; "
            f"{status.checked} entries verified before it")
    anchor = f", from anchor seq {status.anchor_seq}" if status.anchor_seq else ""
    click.echo(f"audit chain intact: {status.checked} entries checked{anchor}")
    if status.unchained:
        click.echo(f"{status.unchained} older entries predate the chain (not verifiable)")
