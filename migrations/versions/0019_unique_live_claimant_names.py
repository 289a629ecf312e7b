"""one live claimant record per name (merged records aside)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 13:15:00

Two editors creating the same claimant at once both passed the "is a claimant already?" check
and made two records. A unique index over the name key of records not merged away makes the
second insert fail, which the service turns into the same refusal as the check.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("merged_into_id IS NULL")


def upgrade() -> None:
    op.create_index(
        "uq_claimants_name_key",
        "claimants",
        ["name_key"],
        unique=True,
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_claimants_name_key", table_name="claimants")
