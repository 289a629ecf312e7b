"""intake: articles by URL and from feeds, their addresses, feeds, URL requests, failed jobs

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 08:24:18
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "failed_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=200), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(error) <= 2000", name=op.f("ck_failed_jobs_error_length")),
        sa.CheckConstraint("length(task) <= 200", name=op.f("ck_failed_jobs_task_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_jobs")),
    )
    op.create_index(op.f("ix_failed_jobs_failed_at"), "failed_jobs", ["failed_at"])
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_new_count", sa.Integer(), nullable=False),
        sa.Column("articles_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(last_error) <= 1000", name=op.f("ck_feeds_last_error_length")),
        sa.CheckConstraint("length(title) <= 300", name=op.f("ck_feeds_title_length")),
        sa.CheckConstraint("length(url) <= 2000", name=op.f("ck_feeds_url_length")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_feeds_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_feeds_url")),
    )
    op.create_index(op.f("ix_feeds_next_poll_at"), "feeds", ["next_poll_at"])
    op.create_table(
        "intake_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'done', 'failed')",
            name=op.f("ck_intake_requests_status_valid"),
        ),
        sa.CheckConstraint("length(error) <= 1000", name=op.f("ck_intake_requests_error_length")),
        sa.CheckConstraint("length(url) <= 2000", name=op.f("ck_intake_requests_url_length")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_intake_requests_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_intake_requests_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_requests")),
    )
    op.create_index(op.f("ix_intake_requests_status"), "intake_requests", ["status"])

    # Plain ADD COLUMNs: a batch rebuild of `articles` on SQLite would DROP TABLE a table that
    # claims point at. SQLite takes the foreign key inline (it has no ADD CONSTRAINT).
    for name, length in (("canonical_url", 2000), ("content_hash", 64)):
        op.add_column("articles", sa.Column(name, sa.String(length=length), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE articles ADD COLUMN feed_id INTEGER REFERENCES feeds (id)")
    else:
        op.add_column("articles", sa.Column("feed_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_articles_feed_id_feeds"), "articles", "feeds", ["feed_id"], ["id"]
        )
    op.create_index(op.f("ix_articles_content_hash"), "articles", ["content_hash"], unique=True)
    op.create_index(op.f("ix_articles_feed_id"), "articles", ["feed_id"])
    op.create_table(
        "article_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_addresses_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_addresses")),
        sa.UniqueConstraint("url_hash", name=op.f("uq_article_addresses_url_hash")),
    )
    op.create_index(op.f("ix_article_addresses_article_id"), "article_addresses", ["article_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_article_addresses_article_id"), table_name="article_addresses")
    op.drop_table("article_addresses")
    op.drop_index(op.f("ix_articles_feed_id"), table_name="articles")
    op.drop_index(op.f("ix_articles_content_hash"), table_name="articles")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_articles_feed_id_feeds"), "articles", type_="foreignkey")
    # Plain DROP COLUMNs (SQLite 3.35+), for the same reason as above.
    for name in ("feed_id", "content_hash", "canonical_url"):
        op.drop_column("articles", name)
    op.drop_index(op.f("ix_intake_requests_status"), table_name="intake_requests")
    op.drop_table("intake_requests")
    op.drop_index(op.f("ix_feeds_next_poll_at"), table_name="feeds")
    op.drop_table("feeds")
    op.drop_index(op.f("ix_failed_jobs_failed_at"), table_name="failed_jobs")
    op.drop_table("failed_jobs")
