"""The `report` command's text output."""

from __future__ import annotations

import click


def print_report(report) -> None:
    """The report as aligned text, section by section."""
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
