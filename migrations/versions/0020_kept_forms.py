"""kept forms: a form refused by a conflict, kept between its POST and the GET it is sent to

Post/redirect/get for conflicts (a stale claim edit, verdict or source edit): the input and
what clashed wait here, read once, so a reload of the page shown never posts again.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_kept_forms_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_forms")),
        sa.UniqueConstraint("key", name=op.f("uq_kept_forms_key")),
    )
    op.create_index(op.f("ix_kept_forms_created_at"), "kept_forms", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kept_forms_created_at"), table_name="kept_forms")
    op.drop_table("kept_forms")
