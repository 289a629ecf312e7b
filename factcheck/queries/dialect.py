"""The few SQL expressions SQLite and PostgreSQL spell differently, in one place, so report and
export queries stay portable."""

from __future__ import annotations

from sqlalchemy import Text, func, literal
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session


class SqlDialect:
    def __init__(self, session: Session) -> None:
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def unindexed(self, column):
        """The text column as an expression SQLite serves from no index (`|| ''`), so its
        planner keeps the index an ORDER BY ... LIMIT reads instead of sorting what a low-
        selectivity index finds; PostgreSQL's planner weighs that itself."""
        if self.postgres:
            return column
        return column.concat("")

    def seconds_between(self, start, end):
        if self.postgres:
            return func.extract("epoch", end - start)
        return (func.julianday(end) - func.julianday(start)) * 86400.0

    def week_start(self, column):
        """The Monday of the column's week, as an ISO date string."""
        if self.postgres:
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.date(column, "weekday 0", "-6 days")

    def joined(self, column, separator: str, order_by):
        """The group's values joined by `separator`, in `order_by` order."""
        if self.postgres:
            return func.string_agg(column, aggregate_order_by(separator, order_by))
        return func.group_concat(column, separator)

    def utc_iso_seconds(self, column):
        """A UTC timestamp as `2017-05-23T14:05:00+00:00` (what Python's isoformat writes)."""
        if self.postgres:
            text = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS')
        else:
            text = func.strftime("%Y-%m-%dT%H:%M:%S", column)
        return text + literal("+00:00", Text)
