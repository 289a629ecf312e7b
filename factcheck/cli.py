"""Operator commands: `flask --app factcheck <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from .db import transaction
from .models import User
from .workflow import accounts
from .workflow.errors import WorkflowError
from .workflow.states import Role


def _engine():
    return current_app.extensions["factcheck_engine"]


def upgrade_database(url: str, revision: str = "head") -> None:
    """Run Alembic migrations against `url` (used by the CLI and the tests)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from config import BASE_DIR

    cfg = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(BASE_DIR / "migrations"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, revision)


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate_command() -> None:
        """Upgrade the database schema to the newest revision."""
        upgrade_database(current_app.config["DATABASE_URL"])
        click.echo("Database is at the newest revision.")

    @app.cli.command("seed")
    @click.option(
        "--dir",
        "seeds_dir",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        help="Another folder laid out like seeds/ (default: the project's seeds/).",
    )
    def seed_command(seeds_dir: str | None) -> None:
        """Load the articles and claims in seeds/ (safe to run again), in one transaction."""
        from pathlib import Path

        from .seeding import SEEDS_DIR, load_seeds

        with transaction(_engine()) as session:
            report = load_seeds(session, Path(seeds_dir) if seeds_dir else SEEDS_DIR)
        click.echo(
            f"Seeds: {report.articles_created} article(s) and {report.claims_created} claim(s) "
            f"created, {report.claims_present} claim(s) already present."
        )

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", "display_name", default="", help="Display name.")
    @click.option("--email", default=None)
    @click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.REVIEWER.value)
    @click.password_option(help="Asked for at the prompt unless given (avoid: shell history).")
    def create_user_command(username, display_name, email, role, password) -> None:
        """Create an account; the password is asked for at the prompt."""
        try:
            with transaction(_engine()) as session:
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
            raise click.ClickException(f"{exc.field or 'error'}: {exc.message}") from exc

    @app.cli.command("verify-history")
    def verify_history_command() -> None:
        """Check every history hash chain; name the first broken event of each chain."""
        from .db import session_factory
        from .workflow.history import verify_chains

        with session_factory(_engine(), write=False)() as session:
            count, broken = verify_chains(session)
        if broken:
            for link in broken:
                click.echo(f"BROKEN {link}", err=True)
            raise click.ClickException(f"{len(broken)} problem(s) in {count} events.")
        click.echo(f"History intact: {count} events verified.")

    @app.cli.command("backup")
    @click.argument("destination", type=click.Path(dir_okay=False, writable=True))
    def backup_command(destination: str) -> None:
        """Consistent online copy of the SQLite database (PostgreSQL: use pg_dump)."""
        from .backup import backup_sqlite

        try:
            pages = backup_sqlite(_engine(), destination)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Backed up {pages} pages to {destination}.")

    @app.cli.command("ingest")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--title", default=None, help="Title (default: a web page's headline, or the file name)."
    )
    @click.option("--publisher", default=None)
    @click.option("--url", default=None)
    def ingest_command(path: str, title: str | None, publisher: str | None, url: str | None):
        """Add an article from a .txt or .html file and list the claims the extractor suggests."""
        from pathlib import Path

        from .workflow.articles import (
            MAX_ARTICLE_FILE_BYTES,
            ArticleInput,
            create_article,
            read_file,
        )
        from .workflow.candidates import suggest

        file = Path(path)
        with file.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_FILE_BYTES + 1)
        try:
            page = read_file(file.name, raw)
        except WorkflowError as exc:
            raise click.ClickException(f"{path}: {exc.message}") from exc
        try:
            with transaction(_engine()) as session:
                article = create_article(
                    session,
                    None,
                    ArticleInput(
                        text=page.text,
                        title=title or page.title or file.stem,
                        publisher=publisher,
                        url=url,
                    ),
                )
                suggestions = suggest(session, article)
                article_id = article.id
        except WorkflowError as exc:
            raise click.ClickException(f"{exc.field or 'article'}: {exc.message}") from exc
        click.echo(f"Article #{article_id} added; {len(suggestions)} suggested claim(s):")
        for item in suggestions:
            c = item.candidate
            click.echo(f"  [{c.score:.2f}] {c.claim_type:<15} {c.claimant[:30]:<30} {c.quote[:70]}")
        click.echo(f"Confirm them on the article page: /articles/{article_id}")

    @app.cli.command("ensure-admin")
    @click.option("--username", default="admin", show_default=True)
    def ensure_admin_command(username: str) -> None:
        """Make sure an admin exists; print a generated password the first time only."""
        with transaction(_engine()) as session:
            exists = session.scalars(
                select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
            ).first()
            if exists is not None:
                click.echo("An admin account exists already.")
                return
            password = accounts.generate_password()
            accounts.create_user(
                session,
                None,
                username=username,
                display_name="Administrator",
                password=password,
                role=Role.ADMIN.value,
                must_change_password=True,  # the printed password is changed at first sign-in
            )
        click.echo("=" * 60)
        click.echo(f"First admin account created.  username: {username}  password: {password}")
        click.echo("It is shown this once; signing in with it asks for a new password.")
        click.echo("=" * 60)
