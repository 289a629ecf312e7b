"""claims by rating in priority order (the list's rating filter, default sort)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 12:15:00

The index on `published_rating` alone made a rating-filtered list page sort every claim of that
rating; with `(published_rating, priority, id)` the page reads 51 index entries in order.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_rating_priority", "claims", ["published_rating", "priority", "id"])
    op.drop_index("ix_claims_rating", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims_rating", "claims", ["published_rating"])
    op.drop_index("ix_claims_rating_priority", table_name="claims")
