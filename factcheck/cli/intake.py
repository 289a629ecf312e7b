"""`flask intake ...`: polling feeds by hand (without a worker), thin like the views.

A group of the same module-level commands as the other CLI modules (`common.command`)."""

from __future__ import annotations

import click
from flask import current_app

from factcheck.intake import runs
from factcheck.limits import MAX_ID

from .common import command

intake_cli = click.Group("intake", help="Articles from the web and feeds.")


def _context() -> runs.Context:
    return runs.Context.from_config(
        current_app.extensions["factcheck_sessions"][True], current_app.config
    )


@command("poll")
@click.option(
    "--feed",
    "feed_ids",
    type=click.IntRange(1, MAX_ID),
    multiple=True,
    help="Poll this feed (repeatable).",
)
def poll_command(feed_ids: tuple[int, ...]) -> None:
    """Poll the feeds that are due now (or the ones named), here, without a worker."""
    ctx = _context()
    targets = list(feed_ids) or runs.sweep(ctx)[0]
    for feed_id in targets:
        new = runs.run_poll(ctx, feed_id)
        outcome = "failed (see its last error)" if new is None else f"{new} new article(s)"
        click.echo(f"feed {feed_id}: {outcome}")
    if not targets:
        click.echo("No feed is due.")


intake_cli.add_command(poll_command)

COMMANDS = (intake_cli,)
