"""indexes for the claims list's status tabs, the default sort, the report's publications and
the editors' queue of drafts

Revision ID: 5c2e1b7a9d40
Revises: 18a7f20f5d18
Create Date: 2026-11-25 14:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c2e1b7a9d40"
down_revision: str | None = "18a7f20f5d18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_claims_status_activity": ("claims", ["status", "last_activity_at", "id"]),
    "ix_claims_priority": ("claims", ["priority", "id"]),
    "ix_claims_published": ("claims", ["status", "published_at", "published_rating", "created_at"]),
    "ix_verdicts_state_drafted": ("verdicts", ["state", "drafted_at", "claim_id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
