"""Online backups of the embedded SQLite database through SQLite's backup API: a consistent
snapshot even while the app keeps writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine


def backup_sqlite(engine: Engine, destination: str | Path) -> int:
    """Copy the database to `destination`; returns the number of pages copied."""
    if engine.dialect.name != "sqlite":
        raise ValueError("backup works on SQLite; for PostgreSQL use pg_dump (see README).")
    destination = Path(destination)
    if destination.exists():
        raise ValueError(f"{destination} exists already; choose a new file.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        target = sqlite3.connect(destination)
        try:
            source.backup(target, pages=1024)
            pages = target.execute("PRAGMA page_count").fetchone()[0]
        finally:
            target.close()
    finally:
        raw.close()
    return pages
