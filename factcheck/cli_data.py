"""Operator commands for data in bulk: `report`, `export`, `import`, `generate-demo-data`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from .csv_io import CsvFileError, csv_chunks
from .db import session_factory, transaction
from .models import Claim, User
from .queries.claims import apply_claim_filters, parse_filters
from .queries.exports import EXPORTS, export_rows
from .queries.reports import ReportFilters, build_report
from .workflow.errors import WorkflowError
from .workflow.states import ClaimStatus, ClaimType, Rating


def _engine():
    return current_app.extensions["factcheck_engine"]


def _on_terminal() -> bool:
    return sys.stderr.isatty()


def register_data_cli(app: Flask) -> None:
    _register_demo_data(app)

    @app.cli.command("report")
    @click.option("--article", "article_id", type=int, default=None)
    @click.option(
        "--type", "claim_type", type=click.Choice([t.value for t in ClaimType]), default=None
    )
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
        with session_factory(_engine(), write=False)() as session:
            report = build_report(session, filters)
        if fmt == "json":
            click.echo(json.dumps(report.as_dict(), indent=2))
        elif fmt == "csv":
            header = ("section", "row", "column", "value")
            for chunk in csv_chunks(header, report.figures()):
                click.echo(chunk, nl=False)
        else:
            _print_report(report)

    @app.cli.command("export")
    @click.argument("kind", type=click.Choice(list(EXPORTS)))
    @click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
    @click.option("--status", type=click.Choice([s.value for s in ClaimStatus]), default=None)
    @click.option(
        "--type", "claim_type", type=click.Choice([t.value for t in ClaimType]), default=None
    )
    @click.option("--article", "article_id", type=click.IntRange(1, 2**31 - 1), default=None)
    @click.option(
        "--assignee",
        "assignee_id",
        type=click.IntRange(0, 2**31 - 1),
        default=None,
        help="User id; 0 = unassigned.",
    )
    @click.option("--rating", type=click.Choice([r.value for r in Rating]), default=None)
    @click.option("--q", default=None, help="Text search, as in the claims list.")
    def export_command(kind: str, out: str, **args) -> None:
        """Write claims, sources or history as CSV (the same filters as the claims list)."""
        filters = parse_filters({k: v for k, v in args.items() if v is not None})
        with session_factory(_engine(), write=False)() as session:
            rows = export_rows(session, kind, filters)
            if _on_terminal():
                total = None  # sources and history have no cheap total
                if kind == "claims":
                    count = apply_claim_filters(select(func.count(Claim.id)), filters)
                    total = session.scalar(count)
                rows = _with_progress(rows, total, kind)
            with open(out, "w", encoding="utf-8", newline="") as handle:
                for chunk in csv_chunks(EXPORTS[kind], rows):
                    handle.write(chunk)
        click.echo(f"Wrote {kind} to {out}.", err=True)

    @app.cli.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--as", "username", default=None, help="Record the import as this user.")
    def import_command(path: str, username: str | None) -> None:
        """Import claims from CSV: all rows are checked first; any problem, nothing is written."""
        from .workflow.imports import import_plans, plan_import

        data = Path(path).read_bytes()
        limit = current_app.config["MAX_CSV_UPLOAD_BYTES"]
        if len(data) > limit:
            raise click.ClickException(f"{path}: larger than {limit} bytes")
        try:
            plans = plan_import(data)  # before the write transaction: no lock held meanwhile
            with transaction(_engine()) as session:
                actor = None
                if username:
                    actor = session.scalars(select(User).where(User.username == username)).first()
                    if actor is None:
                        raise click.ClickException(f"No user named {username!r}.")
                result = import_plans(session, actor, plans, Path(path).name)
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


def _register_demo_data(app: Flask) -> None:
    @app.cli.command("generate-demo-data")
    @click.option("--claims", type=click.IntRange(min=1, max=5_000_000), required=True)
    @click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
    def generate_demo_data_command(claims: int, seed: int) -> None:
        """Fill the database with realistic synthetic claims, sources, verdicts, history and 30
        users (password `demo-password`), in one transaction. For benchmarks and demos."""
        from .demo import generate

        with click.progressbar(
            length=claims, label="Generating", file=sys.stderr if _on_terminal() else None
        ) as bar:
            done = 0

            def progress(n: int) -> None:
                nonlocal done
                bar.update(n - done)
                done = n

            summary = generate(_engine(), claims, seed=seed, progress=progress)
        click.echo(
            f"Generated {summary.claims} claims, {summary.articles} articles,"
            f" {summary.sources} sources, {summary.verdicts} verdicts, {summary.events} history"
            f" events and {summary.users} users in {summary.seconds:.1f} s."
        )


def _with_progress(rows, total: int | None, label: str):
    with click.progressbar(length=total, label=f"Exporting {label}", file=sys.stderr) as bar:
        for row in rows:
            yield row
            bar.update(1)


def _print_report(report) -> None:
    echo = click.echo
    echo(f"Claim status report, {report.generated_at:%Y-%m-%d %H:%M} UTC")
    echo("\nClaims by status:")
    for status, total in report.totals.items():
        by_type = ", ".join(f"{t} {n}" for t, n in report.status_by_type[status].items() if n)
        echo(f"  {status:<14} {total:>7}   {by_type}")
    echo("\nPublished verdicts:")
    for rating, n in report.verdicts.items():
        echo(f"  {rating:<14} {n:>7}")
    ttp = report.time_to_publication
    echo(
        f"\nTime to publication: {ttp['published']} published, median {ttp['median_days']} days, "
        f"90th percentile {ttp['p90_days']} days"
    )
    echo("\nOpen claims by days since last activity:")
    for bucket, n in report.aging.items():
        echo(f"  {bucket:<14} {n:>7}")
    echo(f"  overdue        {report.overdue:>7}")
    echo("\nWorkload (assigned open / drafts awaiting / published in period):")
    for row in report.workload:
        echo(
            f"  {row['username']:<24} {row['assigned_open']:>5} {row['drafts_awaiting']:>5} "
            f"{row['published_in_period']:>5}"
        )
    echo("\nOldest open claims:")
    for item in report.oldest_open:
        echo(f"  #{item['id']:<7} idle {item['days_idle']:>4} d  {item['text'][:70]}")
    echo("\nBy article:")
    for row in report.articles:
        echo(f"  {(row['title'] or '#' + str(row['article_id']))[:50]:<50} {row['total']:>6}")
