"""Data commands: seed, ingest, report, export, import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from factcheck.columns import EXPORTS
from factcheck.csv_io import CsvFileError, csv_chunks
from factcheck.db import session_factory, transaction
from factcheck.limits import MAX_ID
from factcheck.queries.claims import count_claims, parse_filters
from factcheck.queries.exports import export_rows
from factcheck.queries.ratings import rating_scale
from factcheck.queries.reports import ReportFilters, build_report
from factcheck.seeding import SEEDS_DIR, load_seeds
from factcheck.vocabulary import ClaimStatus, ClaimType
from factcheck.workflow.accounts import find_user
from factcheck.workflow.articles import (
    MAX_ARTICLE_FILE_BYTES,
    ArticleInput,
    create_article,
    read_file,
)
from factcheck.workflow.candidates import suggest
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.imports import import_plans, plan_import, prepare_import

from .common import command, engine, fail, on_terminal
from .report_text import print_report

_CLAIM_TYPES = click.Choice([t.value for t in ClaimType])


@command("seed")
@click.option(
    "--dir",
    "seeds_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Another folder laid out like seeds/ (default: the project's seeds/).",
)
def seed_command(seeds_dir: str | None) -> None:
    """Load the articles and claims in seeds/ (safe to run again), in one transaction."""
    with transaction(engine()) as session:
        report = load_seeds(session, Path(seeds_dir) if seeds_dir else SEEDS_DIR)
    click.echo(
        f"Seeds: {report.articles_created} article(s) and {report.claims_created} claim(s) "
        f"created, {report.claims_present} claim(s) already present."
    )


@command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--title", default=None, help="Title (default: a web page's headline, or the file name)."
)
@click.option("--publisher", default=None)
@click.option("--url", default=None)
def ingest_command(path: str, title: str | None, publisher: str | None, url: str | None):
    """Add an article from a .txt or .html file and list the claims the extractor suggests."""
    file = Path(path)
    with file.open("rb") as handle:
        raw = handle.read(MAX_ARTICLE_FILE_BYTES + 1)
    try:
        page = read_file(file.name, raw)
    except WorkflowError as exc:
        raise click.ClickException(f"{path}: {exc.message}") from exc
    try:
        with transaction(engine()) as session:
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
        raise fail(exc, "article") from exc
    click.echo(f"Article #{article_id} added; {len(suggestions)} suggested claim(s):")
    for item in suggestions:
        c = item.candidate
        click.echo(f"  [{c.score:.2f}] {c.claim_type:<15} {c.claimant[:30]:<30} {c.quote[:70]}")
    click.echo(f"Confirm them on the article page: /articles/{article_id}")


@command("report")
@click.option("--article", "article_id", type=click.IntRange(1, MAX_ID), default=None)
@click.option("--type", "claim_type", type=_CLAIM_TYPES, default=None)
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text")
def report_command(article_id, claim_type, date_from, date_to, fmt) -> None:
    """The claim status report (the same figures as /reports)."""
    if date_from and date_to and date_to < date_from:
        raise click.BadParameter("the end of the period is before its start", param_hint="--to")
    filters = ReportFilters(
        article_id=article_id,
        claim_type=claim_type,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    with session_factory(engine(), write=False)() as session:
        report = build_report(session, filters)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    elif fmt == "csv":
        header = ("section", "row", "column", "value")
        for chunk in csv_chunks(header, report.figures()):
            click.echo(chunk, nl=False)
    else:
        print_report(report)


@command("export")
@click.argument("kind", type=click.Choice(list(EXPORTS)))
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--status", type=click.Choice([s.value for s in ClaimStatus]), default=None)
@click.option("--type", "claim_type", type=_CLAIM_TYPES, default=None)
@click.option("--article", "article_id", type=click.IntRange(1, MAX_ID), default=None)
@click.option(
    "--assignee",
    "assignee_id",
    type=click.IntRange(0, MAX_ID),
    default=None,
    help="User id; 0 = unassigned.",
)
@click.option("--rating", default=None, help="A rating's key (as in the admins' scale).")
@click.option("--q", default=None, help="Text search, as in the claims list.")
def export_command(kind: str, out: str, **args) -> None:
    """Write claims, sources or history as CSV (the same filters as the claims list)."""
    filters = parse_filters({k: v for k, v in args.items() if v is not None})
    with session_factory(engine(), write=False)() as session:
        if args["rating"] is not None and args["rating"] not in rating_scale(session):
            raise click.BadParameter(
                f"not a rating of the scale ({', '.join(rating_scale(session).slugs)})",
                param_hint="'--rating'",
            )
        rows = export_rows(session, kind, filters)
        if on_terminal():
            # sources and history have no cheap total
            total = count_claims(session, filters) if kind == "claims" else None
            rows = _with_progress(rows, total, kind)
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for chunk in csv_chunks(EXPORTS[kind], rows):
                handle.write(chunk)
    click.echo(f"Wrote {kind} to {out}.", err=True)


@command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", default=None, help="Record the import as this user.")
def import_command(path: str, username: str | None) -> None:
    """Import claims from CSV: all rows are checked first; any problem, nothing is written."""
    data = Path(path).read_bytes()
    limit = current_app.config["MAX_CSV_UPLOAD_BYTES"]
    if len(data) > limit:
        raise click.ClickException(f"{path}: larger than {limit} bytes")
    try:
        plans = plan_import(data)  # before the write transaction: no lock held meanwhile
        with session_factory(engine(), write=False)() as session:  # rows built, no lock held
            actor = find_user(session, username) if username else None
            prepared = prepare_import(session, actor, plans, Path(path).name)
        with transaction(engine()) as session:
            actor = None
            if username:
                actor = find_user(session, username)
                if actor is None:
                    raise click.ClickException(f"No user named {username!r}.")
            result = import_plans(session, actor, plans, Path(path).name, prepared)
    except CsvFileError as exc:
        for problem in exc.problems:
            click.echo(f"{path}: {problem}", err=True)
        raise click.ClickException(
            f"{len(exc.problems)} problem(s); nothing was imported."
        ) from exc
    except WorkflowError as exc:
        raise click.ClickException(f"{exc.message} Nothing was imported.") from exc
    click.echo(
        f"Imported {len(result.created)} claim(s) from {result.filename}: "
        f"{result.skipped} already present, {result.articles_created} article(s) and "
        f"{result.sources_created} source(s) created."
    )


def _with_progress(rows, total: int | None, label: str):
    with click.progressbar(length=total, label=f"Exporting {label}", file=sys.stderr) as bar:
        for row in rows:
            yield row
            bar.update(1)


COMMANDS = (seed_command, ingest_command, report_command, export_command, import_command)
