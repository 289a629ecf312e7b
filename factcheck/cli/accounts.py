"""Account commands: create-user, ensure-admin."""

from __future__ import annotations

import click

from factcheck.db import transaction
from factcheck.vocabulary import Role
from factcheck.workflow import accounts
from factcheck.workflow.errors import WorkflowError

from .common import command, engine, fail


@command("create-user")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--email", default=None)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.REVIEWER.value)
@click.password_option(help="Asked for at the prompt unless given (avoid: shell history).")
def create_user_command(username, display_name, email, role, password) -> None:
    """Create an account; the password is asked for at the prompt."""
    try:
        with transaction(engine()) as session:
            user = accounts.create_user(
                session,
                None,
                username=username,
                display_name=display_name,
                password=password,
                role=role,
                email=email,
            )
            click.echo(f"Created {user.role} '{user.username}'.")
    except WorkflowError as exc:
        raise fail(exc) from exc


@command("ensure-admin")
@click.option("--username", default="admin", show_default=True)
def ensure_admin_command(username: str) -> None:
    """Make sure an admin exists; print a generated password the first time only."""
    with transaction(engine()) as session:
        password = accounts.ensure_admin(session, username)
    if password is None:
        click.echo("An admin account exists already.")
        return
    click.echo("=" * 60)
    click.echo(f"First admin account created.  username: {username}  password: {password}")
    click.echo("It is shown this once; signing in with it asks for a new password.")
    click.echo("=" * 60)


COMMANDS = (create_user_command, ensure_admin_command)
