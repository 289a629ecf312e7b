"""Database commands: migrate, backup, verify-history."""

from __future__ import annotations

import click
from flask import current_app

from factcheck.backup import backup_sqlite
from factcheck.db import refresh_statistics, session_factory, upgrade_database
from factcheck.workflow.history import verify_chains

from .common import command, engine


@command("migrate")
def migrate_command() -> None:
    """Upgrade the database schema to the newest revision."""
    upgrade_database(current_app.config["DATABASE_URL"])
    refresh_statistics(engine())
    click.echo("Database is at the newest revision.")


@command("verify-history")
def verify_history_command() -> None:
    """Check every history hash chain; name the first broken event of each chain."""
    with session_factory(engine(), write=False)() as session:
        count, broken = verify_chains(session)
    if broken:
        for link in broken:
            click.echo(f"BROKEN {link}", err=True)
        raise click.ClickException(f"{len(broken)} problem(s) in {count} events.")
    click.echo(f"History intact: {count} events verified.")


@command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, writable=True))
def backup_command(destination: str) -> None:
    """Consistent online copy of the SQLite database (PostgreSQL: use pg_dump)."""
    try:
        pages = backup_sqlite(engine(), destination)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {pages} pages to {destination}.")


COMMANDS = (migrate_command, verify_history_command, backup_command)
