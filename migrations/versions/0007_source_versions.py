"""integrity of the record: source versions, one-time form tokens, the published snapshot

Sources get an optimistic-lock version like claims; `form_submissions` keeps each create form's
one-time token; corrections keep the sources as published and claims the date of a corrected
re-publication (`revised_at`), so a fact-check under revision stays public as it was.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 05:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild on SQLite, which would drop the claims triggers).
    op.add_column("sources", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("corrections", sa.Column("published_sources", sa.JSON(), nullable=True))
    op.add_column("claims", sa.Column("revised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("result_path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_form_submissions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_form_submissions_token")),
    )


def downgrade() -> None:
    op.drop_table("form_submissions")
    # Plain DROP COLUMNs (SQLite 3.35+): a rebuilt claims table would lose its triggers.
    op.drop_column("claims", "revised_at")
    op.drop_column("corrections", "published_sources")
    op.drop_column("sources", "version")
