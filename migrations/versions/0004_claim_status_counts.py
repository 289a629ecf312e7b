"""claims per status, kept by triggers, so the list's status tabs read five rows instead of
counting every claim

Revision ID: 3b8d6a1f0e52
Revises: 9e4f0c3d2a71
Create Date: 2026-11-25 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b8d6a1f0e52"
down_revision: str | None = "9e4f0c3d2a71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The statuses as of this revision (the claims.status CHECK constraint); a migration that adds
# a status adds its row here too.
STATUSES = ["unreviewed", "researching", "in_review", "published", "not_checkable"]

_ADD = "UPDATE claim_status_counts SET claims = claims + 1 WHERE status = NEW.status;"
_REMOVE = "UPDATE claim_status_counts SET claims = claims - 1 WHERE status = OLD.status;"

_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER claims_count_insert AFTER INSERT ON claims BEGIN {_ADD} END",
    f"CREATE TRIGGER claims_count_delete AFTER DELETE ON claims BEGIN {_REMOVE} END",
    f"""CREATE TRIGGER claims_count_status AFTER UPDATE OF status ON claims
        WHEN OLD.status <> NEW.status BEGIN {_REMOVE} {_ADD} END""",
]
# PostgreSQL: once per statement, over the statement's rows (a bulk insert or COPY of 100,000
# claims updates each total once, not 100,000 times in one transaction). Totals are updated one
# at a time in status order, so two transactions never take their row locks in opposite orders.
_APPLY = """DECLARE change record;
    BEGIN
      FOR change IN
        SELECT status, sum(delta) AS delta FROM ({rows}) AS moved
        GROUP BY status HAVING sum(delta) <> 0 ORDER BY status
      LOOP
        UPDATE claim_status_counts SET claims = claims + change.delta
        WHERE status = change.status;
      END LOOP;
      RETURN NULL;
    END"""
_POSTGRES_FUNCTIONS = {
    "insert": _APPLY.format(rows="SELECT status, 1 AS delta FROM new_rows"),
    "delete": _APPLY.format(rows="SELECT status, -1 AS delta FROM old_rows"),
    "update": _APPLY.format(
        rows="SELECT status, -1 AS delta FROM old_rows "
        "UNION ALL SELECT status, 1 AS delta FROM new_rows"
    ),
}
_TRANSITIONS = {
    "insert": "NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}
_POSTGRES_TRIGGERS = [
    statement
    for op_name, body in _POSTGRES_FUNCTIONS.items()
    for statement in (
        f"""CREATE FUNCTION claims_count_{op_name}() RETURNS trigger LANGUAGE plpgsql AS $$
            {body} $$""",
        f"""CREATE TRIGGER claims_count_{op_name} AFTER {op_name.upper()} ON claims
            REFERENCING {_TRANSITIONS[op_name]}
            FOR EACH STATEMENT EXECUTE FUNCTION claims_count_{op_name}()""",
    )
] + [
    # TRUNCATE fires no row triggers: start again from zero.
    """CREATE FUNCTION claims_count_reset() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN UPDATE claim_status_counts SET claims = 0; RETURN NULL; END $$""",
    """CREATE TRIGGER claims_count_reset AFTER TRUNCATE ON claims
       FOR EACH STATEMENT EXECUTE FUNCTION claims_count_reset()""",
]


def upgrade() -> None:
    counts = op.create_table(
        "claim_status_counts",
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", name=op.f("pk_claim_status_counts")),
    )
    op.bulk_insert(counts, [{"status": status, "claims": 0} for status in STATUSES])
    op.execute(
        "UPDATE claim_status_counts SET claims = "
        "(SELECT count(*) FROM claims WHERE claims.status = claim_status_counts.status)"
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRES_TRIGGERS if postgres else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in [*_POSTGRES_FUNCTIONS, "reset"]:
            op.execute(f"DROP TRIGGER IF EXISTS claims_count_{name} ON claims")
            op.execute(f"DROP FUNCTION IF EXISTS claims_count_{name}()")
    else:
        for name in ("claims_count_insert", "claims_count_delete", "claims_count_status"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("claim_status_counts")
