"""Declarative base with a constraint naming convention, and shared column helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_FIXED_NOW: ContextVar[datetime | None] = ContextVar("factcheck_fixed_now", default=None)


def utcnow() -> datetime:
    """The current time in UTC, or the time `fixed_now` set for this context."""
    fixed = _FIXED_NOW.get()
    return datetime.now(UTC) if fixed is None else fixed


@contextmanager
def fixed_now(moment: datetime) -> Iterator[None]:
    """Within the block, `utcnow()` (services, column defaults) returns `moment`: the demo
    generator's reference mode replays a plan at its planned times through the services."""
    if moment.tzinfo is None:
        raise ValueError("fixed_now needs a timezone-aware datetime")
    token = _FIXED_NOW.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _FIXED_NOW.reset(token)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use factcheck.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_check(column: str, values: Iterable[str], name: str | None = None) -> CheckConstraint:
    """A named CHECK that keeps a string column within an enumeration."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or f"{column}_valid")


def length_check(column: str, limit: int) -> CheckConstraint:
    """Lengths enforced by the database too (SQLite ignores VARCHAR sizes; TEXT has none)."""
    return CheckConstraint(f"length({column}) <= {limit}", name=f"{column}_length")
