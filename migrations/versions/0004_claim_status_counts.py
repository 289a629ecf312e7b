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
_POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION claims_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN {_REMOVE} END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD} END IF;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER claims_count_status AFTER INSERT OR DELETE OR UPDATE OF status ON claims
       FOR EACH ROW EXECUTE FUNCTION claims_count_status()""",
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
        op.execute("DROP TRIGGER IF EXISTS claims_count_reset ON claims")
        op.execute("DROP TRIGGER IF EXISTS claims_count_status ON claims")
        op.execute("DROP FUNCTION IF EXISTS claims_count_reset()")
        op.execute("DROP FUNCTION IF EXISTS claims_count_status()")
    else:
        for name in ("claims_count_insert", "claims_count_delete", "claims_count_status"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("claim_status_counts")
