"""Alembic environment: reads the models' metadata without starting the Flask app.

The URL comes from `config.attributes["database_url"]` (set by `flask migrate` and the tests) or
else `FACTCHECK_DATABASE_URL` / the default SQLite file, as the app itself would use.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import Config  # noqa: E402
from factcheck.db import make_engine, normalise_url  # noqa: E402
from factcheck.models import Base  # noqa: E402
from factcheck.models.base import UTCDateTime  # noqa: E402

target_metadata = Base.metadata


def database_url() -> str:
    return context.config.attributes.get("database_url") or Config.DATABASE_URL


def render_item(type_: str, obj, autogen_context):
    """Write the app's UTCDateTime as a plain timezone-aware DateTime in migration scripts."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# The full-text indexes (claims: migration 0009; articles and sources: 0017) are raw DDL
# outside the models: SQLite's FTS5 tables with their shadow tables, PostgreSQL's generated
# columns and their GIN indexes.
SEARCH_INDEX_NAMES = {
    "search_vector",
    "ix_claims_search_vector",
    "ix_articles_search_vector",
    "ix_sources_search_vector",
}
SEARCH_TABLES = ("claims_search", "articles_search", "sources_search")


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """Leave the full-text index out of the comparison with the models."""
    if type_ == "table" and name is not None and name.startswith(SEARCH_TABLES):
        return False
    return name not in SEARCH_INDEX_NAMES


VERSIONS_DIR = Path(__file__).resolve().parent / "versions"


def next_revision_number(versions_dir: Path = VERSIONS_DIR) -> str:
    """The next four-digit number after the highest `NNNN_*.py` file, as a revision id."""
    numbers = [int(p.name[:4]) for p in versions_dir.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"


def number_new_revisions(_context, _revision, directives) -> None:
    """`alembic revision` names files and ids 0006, 0007, ... rather than random hex ids, so the
    directory reads in order; an explicit four-digit `--rev-id` is kept."""
    for script in directives:
        if not (script.rev_id or "").isdigit():
            script.rev_id = next_revision_number()


def run_migrations_offline() -> None:
    context.configure(
        url=normalise_url(database_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        process_revision_directives=number_new_revisions,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url(), track_writes=False)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite's way to change a table's constraints is to rebuild it (0016), which
            # must not cascade the old table's DROP to the rows that refer to it; the pragma
            # is a no-op inside a transaction, so it is set on the raw connection before one.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            _run(conn)
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        render_item=render_item,
        process_revision_directives=number_new_revisions,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
