"""Rows for the CSV exports: claims, sources and history, under the claims list's filters.

Each export is one SQL statement streamed with `yield_per`, so memory stays flat however many
rows there are; aggregates per claim (source count, URLs) are computed by the database. The column
order is part of the contract (documented in the README): add new columns at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, Text, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from factcheck.columns import (  # noqa: F401  (re-exported for the exports' callers)
    CLAIM_COLUMNS,
    EXPORTS,
    HISTORY_COLUMNS,
    SOURCE_COLUMNS,
)
from factcheck.csv_io import FORMULA_TRIGGERS, CsvLine
from factcheck.models import Article, Claim, Claimant, HistoryEvent, Source, User, Verdict
from factcheck.vocabulary import VerdictState

from .claims import ClaimFilters, apply_claim_filters
from .dialect import SqlDialect

STREAM_ROWS = 1000


def _joined_urls(session: Session):
    """A claim's source URLs in the order they were added, space-separated (URLs hold none)."""
    aggregate = SqlDialect(session).joined(Source.url, " ", Source.id)
    return select(aggregate).where(Source.claim_id == Claim.id).scalar_subquery()


def _stream(session: Session, stmt: Select) -> Iterator[Any]:
    """Rows in batches through a server-side cursor where the driver has one; Core execution
    on the session's connection, since these rows are tuples, not ORM objects."""
    result = session.connection().execute(stmt.execution_options(yield_per=STREAM_ROWS))
    for batch in result.partitions():
        yield from batch


def _claim_fields(session: Session) -> tuple[list[tuple[Any, str]], Select]:
    """The claims export's fields in CLAIM_COLUMNS order, each with how its cell is rendered,
    and the joined rows they come from."""
    assignee = aliased(User)
    approver = aliased(User)
    source_count = (
        select(func.count(Source.id)).where(Source.claim_id == Claim.id).scalar_subquery()
    )
    fields = [
        (Claim.id, "number"),
        (Claim.external_key, "text"),
        (Article.title, "text"),
        (Article.url, "url"),
        (Claim.text, "text"),
        (Claim.quote, "text"),
        (Claim.claimant, "text"),
        (Claim.claim_type, "plain"),
        (Claim.status, "plain"),
        (assignee.username, "text"),
        (Claim.priority, "number"),
        (Claim.due_date, "date"),
        (Claim.published_rating, "plain"),
        (Verdict.summary, "text"),
        (approver.username, "text"),
        (Claim.published_at, "timestamp"),
        (source_count, "number"),
        (_joined_urls(session), "url"),
        (Claim.created_at, "timestamp"),
        (Claim.last_activity_at, "timestamp"),
        (Claim.span_start, "number"),
        (Claim.span_end, "number"),
        (Claim.short_text, "text"),
        (Claimant.name, "text"),
        (Claimant.kind, "plain"),
    ]
    joined = (
        select(Claim.id)
        .outerjoin(Article, Article.id == Claim.article_id)
        .outerjoin(assignee, assignee.id == Claim.assignee_id)
        .outerjoin(
            Verdict, and_(Verdict.claim_id == Claim.id, Verdict.state == VerdictState.APPROVED)
        )
        .outerjoin(approver, approver.id == Verdict.decided_by_id)
        .outerjoin(Claimant, Claimant.id == Claim.claimant_id)
        .order_by(Claim.id)
    )
    return fields, joined


def claim_table(session: Session, filters: ClaimFilters) -> Select:
    """The claims export's rows as plain columns (what a database's own CSV dump would
    read; the benchmark compares against it)."""
    fields, joined = _claim_fields(session)
    return apply_claim_filters(joined.with_only_columns(*(f for f, _ in fields)), filters)


def claim_rows(session: Session, filters: ClaimFilters) -> Iterator[CsvLine]:
    """One CSV line per claim, in id order, in CLAIM_COLUMNS order, rendered by the database
    (the largest export: formatting 22 cells per row in Python dominated its time)."""
    fields, joined = _claim_fields(session)
    cells = _CsvCells(session)
    line = cells.line(*(cells.render(kind, field) for field, kind in fields))
    stmt = apply_claim_filters(joined.with_only_columns(line), filters)
    for (text,) in _stream(session, stmt):
        yield CsvLine(text)


class _CsvCells:
    """SQL expressions that render one CSV field each, exactly as `csv_io.neutralise` and the
    csv module would: text quoted (quotes doubled) with a leading `'` before a formula
    trigger, NULL as an empty field, timestamps as ISO 8601 UTC to the second."""

    def __init__(self, session: Session) -> None:
        self.dialect = SqlDialect(session)

    def text(self, column, *, neutralise: bool = True):
        value = column
        safe = value
        if neutralise:  # (names the value three times: keep subqueries out of it)
            safe = case(
                (func.substr(value, 1, 1).in_(FORMULA_TRIGGERS), literal("'", Text) + value),
                else_=value,
            )
        quoted = literal('"', Text) + func.replace(safe, '"', '""') + literal('"', Text)
        return func.coalesce(quoted, "")

    def render(self, kind: str, column):
        if kind == "url":  # http(s) URLs, checked on entry: quoted, never a formula
            return self.text(column, neutralise=False)
        return getattr(self, kind)(column)

    def plain(self, column):
        """Enumeration values ([a-z_]): nothing to quote or neutralise."""
        return func.coalesce(column, "")

    def number(self, column):
        return func.coalesce(cast(column, Text), "")

    def date(self, column):
        return func.coalesce(cast(column, Text), "")

    def timestamp(self, column):
        return func.coalesce(self.dialect.utc_iso_seconds(column), "")

    def line(self, *fields):
        rendered = fields[0]
        for field in fields[1:]:
            rendered = rendered + literal(",", Text) + field
        return rendered


def source_rows(session: Session, filters: ClaimFilters) -> Iterator[tuple[Any, ...]]:
    """One row per source of the claims in view, in source id order."""
    stmt = (
        select(
            Source.id,
            Source.claim_id,
            Claim.external_key,
            Source.url,
            Source.title,
            Source.publisher,
            Source.kind,
            Source.stance,
            Source.reliability,
            Source.published_on,
            Source.accessed_on,
            Source.archive_url,
            Source.excerpt,
            User.username,
            Source.added_at,
        )
        .join(Claim, Claim.id == Source.claim_id)
        .outerjoin(User, User.id == Source.added_by_id)
        .order_by(Source.id)
    )
    yield from _stream(session, apply_claim_filters(stmt, filters))


def history_rows(session: Session, filters: ClaimFilters) -> Iterator[tuple[Any, ...]]:
    """One row per history event of the claims in view (of every claim when nothing is
    filtered). The system chain's events (accounts, tokens, the rating scale) belong to no
    claim and are left out, so `claim_id` is never empty (a spreadsheet or pandas reads it as
    an integer column); `flask verify-history` checks every chain."""
    stmt = select(
        HistoryEvent.id,
        HistoryEvent.created_at,
        HistoryEvent.claim_id,
        HistoryEvent.article_id,
        User.username,
        HistoryEvent.action,
        HistoryEvent.claim_version,
        HistoryEvent.details,
        HistoryEvent.chain,
        HistoryEvent.seq,
        HistoryEvent.prev_hash,
        HistoryEvent.hash,
    ).outerjoin(User, User.id == HistoryEvent.actor_id)
    stmt = stmt.where(HistoryEvent.claim_id.is_not(None))
    # The order is not a filter.
    if filters.without(sort=ClaimFilters.sort, direction=None) != ClaimFilters():
        claim_ids = apply_claim_filters(select(Claim.id), filters)
        stmt = stmt.where(HistoryEvent.claim_id.in_(claim_ids))
    for row in _stream(session, stmt.order_by(HistoryEvent.id)):
        values = list(row)
        values[7] = json.dumps(values[7], sort_keys=True, ensure_ascii=False)
        yield tuple(values)


ROWS = {"claims": claim_rows, "sources": source_rows, "history": history_rows}


def export_rows(session: Session, kind: str, filters: ClaimFilters) -> Iterator[tuple[Any, ...]]:
    return ROWS[kind](session, filters)
