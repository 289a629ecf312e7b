"""sign-in throttle counts its locks (each one longer) and sweeps quiet counters; users may be
told to change their password

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 05:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_throttles") as batch:
        batch.add_column(sa.Column("locks", sa.Integer(), nullable=False, server_default="0"))
        batch.create_index(batch.f("ix_login_throttles_updated_at"), ["updated_at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
    with op.batch_alter_table("login_throttles") as batch:
        batch.drop_index(batch.f("ix_login_throttles_updated_at"))
        batch.drop_column("locks")
