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
    # Plain ADD COLUMNs: a batch rebuild of `users` on SQLite would DROP TABLE a table that
    # other rows point at, which its foreign keys refuse on any database holding data.
    op.add_column(
        "login_throttles", sa.Column("locks", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_index(op.f("ix_login_throttles_updated_at"), "login_throttles", ["updated_at"])
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # Plain DROP COLUMNs (SQLite 3.35+), for the same reason.
    op.drop_column("users", "must_change_password")
    op.drop_index(op.f("ix_login_throttles_updated_at"), table_name="login_throttles")
    op.drop_column("login_throttles", "locks")
