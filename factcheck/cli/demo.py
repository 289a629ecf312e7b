"""The demo command: generate-demo-data."""

from __future__ import annotations

import sys

import click

from factcheck.db import refresh_statistics

from .common import command, engine, on_terminal


@command("generate-demo-data")
@click.option("--claims", type=click.IntRange(min=1, max=5_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
def generate_demo_data_command(claims: int, seed: int) -> None:
    """Fill the database with realistic synthetic claims, sources, verdicts, history and 30
    users (password `walnut lantern harbour`), in one transaction. For benchmarks and demos."""
    from factcheck.demo import generate  # large; loaded only for this command

    with click.progressbar(
        length=claims, label="Generating", file=sys.stderr if on_terminal() else None
    ) as bar:
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            bar.update(n - done)
            done = n

        summary = generate(engine(), claims, seed=seed, progress=progress)
    refresh_statistics(engine())  # the planner's figures for the new size
    click.echo(
        f"Generated {summary.claims} claims, {summary.articles} articles,"
        f" {summary.sources} sources, {summary.verdicts} verdicts, {summary.events} history"
        f" events and {summary.users} users in {summary.seconds:.1f} s."
    )


COMMANDS = (generate_demo_data_command,)
