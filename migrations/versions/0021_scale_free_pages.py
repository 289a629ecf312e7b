"""report tallies kept by triggers; indexes for the list by type or assignee and the queue

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 14:40:00

Issue 16: every page's cost at 100,000 claims within 1.5 times its cost at 1,000.

`claim_tallies` holds the report's per-claim figures as counts, kept by triggers on `claims`
in the writing transaction (as `claim_status_counts`, migration 0004): claims per (type,
status); published claims per (type, day, rating); open claims per (type, assignee), per
(type, due date) and per (type, day of last activity). The report sums a few hundred rows
instead of grouping every claim. The backfill counts the claims already there.

The list filtered by claim type or by assignee sorted every matching claim to show the first
50 by priority; the queue sorted every claim on a person's desk. Each now reads an index in
its order and stops after a page.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_claims_type_priority": ["claim_type", "priority", "id"],
    "ix_claims_assignee_priority": ["assignee_id", "priority", "id"],
    "ix_claims_assignee_due": ["assignee_id", "status", "due_date", "priority", "id"],
}
OPEN = "('unreviewed', 'researching', 'in_review')"  # the open statuses as of this revision
# The columns a figure reads: an update of any other column leaves the tallies alone.
READ = (
    "status, claim_type, published_at, published_rating, assignee_id, due_date, "
    "last_activity_at, article_id, claimant_id"
)


def _day(column: str, postgres: bool) -> str:
    """A timestamp's UTC day as 'YYYY-MM-DD' text."""
    return f"to_char(timezone('UTC', {column}), 'YYYY-MM-DD')" if postgres else f"date({column})"


def _padded(column: str, postgres: bool) -> str:
    """An id as 12-digit text, so keys sort as the ids do."""
    return f"lpad(CAST({column} AS text), 12, '0')" if postgres else f"printf('%012d', {column})"


def _figures(r: str, sign: int, postgres: bool, source: str = "") -> str:
    """(figure, claim_type, key, detail, claims) rows for the row `r` (NEW / OLD on SQLite, a
    transition table's alias on PostgreSQL, named by `source`), counted `sign`."""
    due = f"to_char({r}.due_date, 'YYYY-MM-DD')" if postgres else f"{r}.due_date"
    assignee = f"CAST({r}.assignee_id AS {'text' if postgres else 'TEXT'})"
    article, claimant = _padded(f"{r}.article_id", postgres), _padded(f"{r}.claimant_id", postgres)
    published = f"{r}.status = 'published'"
    in_article = f"{r}.article_id IS NOT NULL"
    by_claimant = f"{published} AND {r}.claimant_id IS NOT NULL"
    all_types = "''"  # a total over every type, for the report's top lists
    rows = [
        ("status", f"{r}.status", "''", None, None),
        ("published", _day(f"{r}.published_at", postgres), f"{r}.published_rating", published,
         None),
        ("assigned", assignee, "''", f"{r}.status IN {OPEN} AND {r}.assignee_id IS NOT NULL",
         None),
        ("due", due, "''", f"{r}.status IN {OPEN} AND {r}.due_date IS NOT NULL", None),
        ("activity", _day(f"{r}.last_activity_at", postgres), "''", f"{r}.status IN {OPEN}", None),
        ("article", article, f"{r}.status", in_article, None),
        ("article_all", article, "''", in_article, None),
        ("article_all", article, "''", in_article, all_types),
        ("claimant", claimant, f"{r}.published_rating", by_claimant, None),
        ("claimant_all", claimant, "''", by_claimant, None),
        ("claimant_all", claimant, "''", by_claimant, all_types),
    ]  # fmt: skip
    return " UNION ALL ".join(
        f"SELECT '{name}' AS figure, {kind or f'{r}.claim_type'} AS claim_type, "
        f"coalesce({key}, '') AS key, coalesce({detail}, '') AS detail, {sign} AS n {source}"
        + (f" WHERE {cond}" if cond else "")
        for name, key, detail, cond, kind in rows
    )


_UPSERT = (
    "INSERT INTO claim_tallies (figure, claim_type, key, detail, claims) "
    "SELECT figure, claim_type, key, detail, sum(n) FROM ({rows}) AS moved "
    "WHERE true GROUP BY figure, claim_type, key, detail HAVING sum(n) <> 0 "
    "ORDER BY figure, claim_type, key, detail "
    "ON CONFLICT (figure, claim_type, key, detail) "
    "DO UPDATE SET claims = claim_tallies.claims + excluded.claims"
)


def sqlite_triggers() -> list[str]:
    add, remove = _figures("NEW", 1, False), _figures("OLD", -1, False)
    return [
        f"CREATE TRIGGER claims_tally_insert AFTER INSERT ON claims "
        f"BEGIN {_UPSERT.format(rows=add)}; END",
        f"CREATE TRIGGER claims_tally_delete AFTER DELETE ON claims "
        f"BEGIN {_UPSERT.format(rows=remove)}; END",
        f"CREATE TRIGGER claims_tally_update AFTER UPDATE OF {READ} ON claims "
        f"BEGIN {_UPSERT.format(rows=remove + ' UNION ALL ' + add)}; END",
    ]


def postgres_triggers() -> list[str]:
    """Once per statement over its rows, as claims_count_* (a COPY of 100,000 claims updates
    each tally once); tallies are upserted in key order, so two writers lock alike."""
    new = _figures("r", 1, True, "FROM new_rows AS r")
    old = _figures("r", -1, True, "FROM old_rows AS r")
    bodies = {
        "insert": (new, "NEW TABLE AS new_rows"),
        "delete": (old, "OLD TABLE AS old_rows"),
        "update": (old + " UNION ALL " + new, "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    }
    out = []
    for name, (rows, transitions) in bodies.items():
        out += [
            f"CREATE FUNCTION claims_tally_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_UPSERT.format(rows=rows)}; RETURN NULL; END $$",
            f"CREATE TRIGGER claims_tally_{name} AFTER {name.upper()} ON claims "
            f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION claims_tally_{name}()",
        ]
    return out + [
        "CREATE FUNCTION claims_tally_reset() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM claim_tallies; RETURN NULL; END $$",
        "CREATE TRIGGER claims_tally_reset AFTER TRUNCATE ON claims "
        "FOR EACH STATEMENT EXECUTE FUNCTION claims_tally_reset()",
    ]


def backfill(postgres: bool) -> str:
    """Counts every claim there: what the triggers would have counted."""
    rows = _figures("c", 1, postgres, "FROM claims AS c")
    return _UPSERT.format(rows=rows)


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "claims", columns)
    op.create_table(
        "claim_tallies",
        sa.Column("figure", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("claim_type", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=40), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        # Key before type: the top lists read their ids' rows over every type.
        sa.PrimaryKeyConstraint(
            "figure", "key", "claim_type", "detail", name=op.f("pk_claim_tallies")
        ),
    )
    # The report's top lists (articles, claimants): the largest totals first.
    op.create_index("ix_claim_tallies_largest", "claim_tallies", ["figure", "claim_type", "claims"])
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(backfill(postgres))
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("insert", "delete", "update", "reset"):
            op.execute(f"DROP TRIGGER IF EXISTS claims_tally_{name} ON claims")
            op.execute(f"DROP FUNCTION IF EXISTS claims_tally_{name}()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS claims_tally_{name}")
    op.drop_table("claim_tallies")
    for name in INDEXES:
        op.drop_index(name, table_name="claims")
