"""corrections keep the claim as it was published, so the public log never shows a draft

Revision ID: 6f1c2d9e4b83
Revises: 3b8d6a1f0e52
Create Date: 2026-11-25 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6f1c2d9e4b83"
down_revision: str | None = "3b8d6a1f0e52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("corrections") as batch:
        batch.add_column(sa.Column("claim_text", sa.String(length=1000), nullable=True))
    # The best that is known for notes written before: the claim's text now.
    op.execute(
        "UPDATE corrections SET claim_text = "
        "(SELECT text FROM claims WHERE claims.id = corrections.claim_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("corrections") as batch:
        batch.drop_column("claim_text")
