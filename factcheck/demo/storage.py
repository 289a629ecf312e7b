"""How the demo rows reach the database: ids drawn before the insert (`Ids`), values converted
to their stored form while planning (`Formats`), and bulk inserts (SQLite: one DBAPI
`executemany` with the columns' own conversions; PostgreSQL: `COPY ... FROM STDIN`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Connection, Date, Table, insert

from factcheck.db import NewIds, copy_rows
from factcheck.models import Article, Claim, Comment, Correction, HistoryEvent, Source, Verdict
from factcheck.models.base import UTCDateTime
from factcheck.workflow.hashing import canonical_json, json_template, slot
from factcheck.workflow.history import NewEvent

from .simulation import Batch, Refs

BATCH_SIZE = 5000


class Ids(NewIds):
    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert `rows` with new ids; returns the ids, in the same order."""
        ids = self.take(table, len(rows))
        for row, row_id in zip(rows, ids, strict=True):
            row["id"] = row_id
        _insert(self.conn, table, rows)
        return ids


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _iso_text(value: date | datetime | None) -> str | None:
    """ISO text for PostgreSQL's COPY (UTC datetimes keep their "+00:00")."""
    return None if value is None else value.isoformat()


def _json_text(value: Any) -> str | None:
    """A JSON column's value as text for PostgreSQL's COPY."""
    return None if value is None else json.dumps(value)


def _bind_processor(type_: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's own bind processor; for UTC datetimes and dates a faster equivalent,
    used only when it gives exactly the same text as the real one."""
    processor = type_.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return None
    if isinstance(type_, UTCDateTime):
        samples: tuple[Any, ...] = (
            datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
            datetime(1999, 12, 31, tzinfo=UTC),
            None,
        )
        if all(processor(v) == _utc_text(v) for v in samples):
            return _utc_text
    elif isinstance(type_, Date):
        samples = (date(2001, 2, 3), date(1999, 12, 31), None)
        if all(processor(v) == _date_text(v) for v in samples):
            return _date_text
    return processor


def _copies(conn: Connection) -> bool:
    """Whether rows go in by COPY: PostgreSQL through psycopg 3 (the only driver configured)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert; every row has the same keys."""
    if not rows:
        return
    names = list(rows[0])
    if _copies(conn):
        # psycopg adapts the Python values itself (dates, aware datetimes, ...).
        copy_rows(
            conn, table, names, list(zip(*[[r[n] for r in rows] for n in names], strict=True))
        )
        return
    if conn.dialect.paramstyle != "qmark":
        for i in range(0, len(rows), BATCH_SIZE):
            conn.execute(insert(table), rows[i : i + BATCH_SIZE])
        return
    # SQLite: the statement compiled once and the values converted by the columns' own bind
    # processors (the same conversions SQLAlchemy applies), a column at a time, then one DBAPI
    # executemany: several times faster than SQLAlchemy's per-row parameter handling.
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    positions = list(compiled.positiontup or [])
    dialect = conn.dialect
    columns = []
    for name in positions:
        proc = _bind_processor(table.c[name].type, dialect)
        values = [r[name] for r in rows]
        columns.append(values if proc is None else [proc(v) for v in values])
    conn.exec_driver_sql(compiled.string, list(zip(*columns, strict=True)))


# The history columns in the order the event rows below are built.
EVENT_COLUMNS = (
    "id",
    "claim_id",
    "article_id",
    "actor_id",
    "action",
    "claim_version",
    "details",
    "created_at",
    "chain",
    "seq",
    "prev_hash",
    "hash",
)


_NEW_EVENT_FIELDS = ("actor_id", "action", "claim_version", "details", "created_at")


class Formats:
    """How each column's values are stored. Everything that does not need the ids is done
    while planning (in the planning process): the rows' values converted, the events' details
    as JSON, their timestamps as text and the id-free parts of their canonical JSON. The writer
    fills in the ids and hashes the events."""

    TABLES = (
        ("articles", Article),
        ("claims", Claim),
        ("sources", Source),
        ("comments", Comment),
        ("verdicts", Verdict),
        ("corrections", Correction),
    )

    def __init__(self, conn: Connection) -> None:
        dialect = conn.dialect
        self.postgres = _copies(conn)
        self.sqlite = not self.postgres and dialect.paramstyle == "qmark"
        self.converters: dict[str, dict[str, Callable[[Any], Any] | None]] = {}
        for kind, model in self.TABLES:
            converters: dict[str, Callable[[Any], Any] | None] = {}
            for column in model.__table__.c:
                if self.sqlite:
                    converters[column.name] = _bind_processor(column.type, dialect)
                elif self.postgres and isinstance(column.type, JSON):
                    converters[column.name] = _json_text
                elif self.postgres and isinstance(column.type, UTCDateTime | Date):
                    # COPY sends text either way; ISO text (with its offset) is what psycopg
                    # would send, and text travels between the processes much faster.
                    converters[column.name] = _iso_text
                else:  # SQLAlchemy converts the Python values for other databases
                    converters[column.name] = None
            self.converters[kind] = converters
        created_at = _bind_processor(HistoryEvent.__table__.c.created_at.type, dialect)
        self.fast_event_time = self.sqlite and created_at is _utc_text
        self.event_time = created_at if self.sqlite else None

    def columns(self, kind: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[Any]]:
        """The planned columns' names (the id first) and `rows` column by column; the ids are
        left out until they are drawn."""
        names = ["id", *(name for name in rows[0] if name != "id")] if rows else ["id"]
        return names, [[], *([row[name] for row in rows] for name in names[1:])]

    def convert(self, kind: str, names: list[str], columns: list[list[Any]]) -> None:
        """Convert the values of `columns` to their stored form, in place."""
        converters = self.converters[kind]
        for position, name in enumerate(names):
            converter = converters[name]
            if converter is not None and name != "id":
                columns[position] = [converter(v) for v in columns[position]]

    def event(self, event: dict[str, Any] | NewEvent, refs: Refs) -> tuple[Any, ...]:
        """(actor_id, action, claim_version, ISO created_at, details JSON, stored created_at,
        refs) of a planned claim event or a `history.new_event`: the details' canonical JSON,
        with the refs' keys as slots (`workflow.hashing.json_template`) that `Chains.link`
        fills with the ids once they are drawn, before linking and hashing the event."""
        if isinstance(event, NewEvent):
            event = {name: getattr(event, name) for name in _NEW_EVENT_FIELDS}
        created = event["created_at"]
        if created.tzinfo is not UTC:
            created = created.astimezone(UTC)
        created_iso = created.isoformat()
        if self.postgres:
            stored = created_iso
        elif self.fast_event_time:  # "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" to SQLite's text
            stored = f"{created_iso[:10]} {created_iso[11:19]}.{created.microsecond:06d}"
        else:
            stored = self.event_time(created) if self.event_time is not None else created
        details = event["details"]
        if refs:
            for key, _kind, _local in refs:
                details[key] = slot(key)
            details_json = json_template(details)
        else:
            details_json = canonical_json(details)
        return (
            event["actor_id"],
            event["action"],
            event["claim_version"],
            created_iso,
            details_json,
            stored,
            refs,
        )

    def prepare(self, batch: Batch) -> Batch:
        """Turn the planned rows into converted columns and the events into tuples, in place."""
        batch.counts = {kind: len(getattr(batch, kind)) for kind, _model in self.TABLES}
        batch.tables = {kind: self.columns(kind, getattr(batch, kind)) for kind, _ in self.TABLES}
        for kind, (names, columns) in batch.tables.items():
            self.convert(kind, names, columns)
        batch.prepared_article_events = [
            self.event(event, [("article_id", "articles", event.article_id)])
            for event in batch.article_events
        ]
        batch.prepared_claim_events = [
            [self.event(event, refs) for event, refs in events] for events in batch.claim_events
        ]
        for kind, _model in self.TABLES:
            setattr(batch, kind, [])
        batch.article_events = []
        batch.claim_events = []
        return batch


def insert_rows(
    conn: Connection,
    table: Table,
    names: list[str],
    rows: list[tuple[Any, ...]],
    formats: Formats,
) -> None:
    """Insert rows already in their stored form (see `Formats`)."""
    if not rows:
        return
    if formats.postgres:
        copy_rows(conn, table, names, rows)
    elif formats.sqlite:
        # The columns in the rows' own order: no reordering of a million tuples.
        quote = conn.dialect.identifier_preparer.quote
        statement = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)})"
            f" VALUES ({', '.join('?' for _ in names)})"
        )
        for i in range(0, len(rows), 50_000):
            conn.exec_driver_sql(statement, rows[i : i + 50_000])
    else:  # any other database: through SQLAlchemy, with JSON values and datetimes again
        dicts = [dict(zip(names, row, strict=True)) for row in rows]
        if table is HistoryEvent.__table__:
            for row in dicts:
                row["details"] = json.loads(row["details"])
        for i in range(0, len(dicts), BATCH_SIZE):
            conn.execute(insert(table), dicts[i : i + BATCH_SIZE])
