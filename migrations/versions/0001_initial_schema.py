"""initial schema

Revision ID: 18a7f20f5d18
Revises:
Create Date: 2026-11-25 04:29:40.730443
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "18a7f20f5d18"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The reviewer history is append-only: the database itself refuses UPDATE and DELETE on it.
_SQLITE_TRIGGERS = [
    """CREATE TRIGGER history_events_no_update BEFORE UPDATE ON history_events
       BEGIN SELECT RAISE(ABORT, 'history_events is append-only'); END""",
    """CREATE TRIGGER history_events_no_delete BEFORE DELETE ON history_events
       BEGIN SELECT RAISE(ABORT, 'history_events is append-only'); END""",
]
_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION history_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'history_events is append-only'; END $$""",
    """CREATE TRIGGER history_events_append_only BEFORE UPDATE OR DELETE ON history_events
       FOR EACH ROW EXECUTE FUNCTION history_events_append_only()""",
]


def _create_history_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def _drop_history_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_events_append_only ON history_events")
        op.execute("DROP FUNCTION IF EXISTS history_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS history_events_no_delete")


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_generation", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('reviewer', 'editor', 'admin')", name=op.f("ck_users_role_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("length(author) <= 200", name=op.f("ck_articles_author_length")),
        sa.CheckConstraint("length(publisher) <= 200", name=op.f("ck_articles_publisher_length")),
        sa.CheckConstraint("length(text) <= 200000", name=op.f("ck_articles_text_length")),
        sa.CheckConstraint("length(title) <= 300", name=op.f("ck_articles_title_length")),
        sa.CheckConstraint("length(url) <= 2000", name=op.f("ck_articles_url_length")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_articles_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("slug", name=op.f("uq_articles_slug")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_key", sa.String(length=120), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("claimant", sa.String(length=200), nullable=True),
        sa.Column("claim_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_note", sa.String(length=1000), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("published_rating", sa.String(length=20), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'published') = (published_rating IS NOT NULL)",
            name=op.f("ck_claims_published_has_rating"),
        ),
        sa.CheckConstraint(
            "claim_type IN ('arrest', 'abuse', 'death', 'denial', 'official_action', 'other')",
            name=op.f("ck_claims_claim_type_valid"),
        ),
        sa.CheckConstraint(
            "origin IN ('manual', 'seed', 'extraction', 'import', 'demo')",
            name=op.f("ck_claims_origin_valid"),
        ),
        sa.CheckConstraint(
            "published_rating IN ('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'misleading', 'unproven')",
            name=op.f("ck_claims_published_rating_valid"),
        ),
        sa.CheckConstraint(
            "status <> 'not_checkable' OR status_note IS NOT NULL",
            name=op.f("ck_claims_not_checkable_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('unreviewed', 'researching', 'in_review', 'published', 'not_checkable')",
            name=op.f("ck_claims_status_valid"),
        ),
        sa.CheckConstraint(
            "(span_start IS NULL AND span_end IS NULL) OR (span_start IS NOT NULL AND span_end IS NOT NULL AND span_start >= 0 AND span_end > span_start AND article_id IS NOT NULL)",
            name=op.f("ck_claims_span_consistent"),
        ),
        sa.CheckConstraint("length(claimant) <= 200", name=op.f("ck_claims_claimant_length")),
        sa.CheckConstraint("length(quote) <= 5000", name=op.f("ck_claims_quote_length")),
        sa.CheckConstraint(
            "length(status_note) <= 1000", name=op.f("ck_claims_status_note_length")
        ),
        sa.CheckConstraint("length(text) <= 1000", name=op.f("ck_claims_text_length")),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name=op.f("ck_claims_priority_range")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_claims_article_id_articles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_claims_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_claims_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_claims_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("external_key", name=op.f("uq_claims_external_key")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_article_span", ["article_id", "span_start"], unique=False)
        batch_op.create_index("ix_claims_assignee_status", ["assignee_id", "status"], unique=False)
        batch_op.create_index("ix_claims_due_date", ["due_date", "id"], unique=False)
        batch_op.create_index("ix_claims_last_activity", ["last_activity_at", "id"], unique=False)
        batch_op.create_index("ix_claims_rating", ["published_rating"], unique=False)
        batch_op.create_index(
            "ix_claims_status_priority", ["status", "priority", "id"], unique=False
        )
        batch_op.create_index("ix_claims_type_status", ["claim_type", "status"], unique=False)

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(body) <= 10000", name=op.f("ck_comments_body_length")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_comments_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "history_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("claim_version", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_history_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_history_events_article_id_articles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_history_events_claim_id_claims"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_events")),
        sa.UniqueConstraint("chain", "seq", name="uq_history_events_chain_seq"),
    )
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.create_index("ix_history_events_claim_id", ["claim_id", "id"], unique=False)
        batch_op.create_index("ix_history_events_created_at", ["created_at"], unique=False)

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("accessed_on", sa.Date(), nullable=True),
        sa.Column("archive_url", sa.String(length=2000), nullable=True),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("reliability", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('primary_document', 'official_statement', 'news_report', 'ngo_report', 'interview', 'dataset', 'other')",
            name=op.f("ck_sources_kind_valid"),
        ),
        sa.CheckConstraint(
            "stance IN ('supports', 'refutes', 'context')", name=op.f("ck_sources_stance_valid")
        ),
        sa.CheckConstraint(
            "length(archive_url) <= 2000", name=op.f("ck_sources_archive_url_length")
        ),
        sa.CheckConstraint("length(excerpt) <= 10000", name=op.f("ck_sources_excerpt_length")),
        sa.CheckConstraint("length(publisher) <= 200", name=op.f("ck_sources_publisher_length")),
        sa.CheckConstraint("length(title) <= 300", name=op.f("ck_sources_title_length")),
        sa.CheckConstraint("length(url) <= 2000", name=op.f("ck_sources_url_length")),
        sa.CheckConstraint(
            "reliability BETWEEN 1 AND 5", name=op.f("ck_sources_reliability_range")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_sources_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_sources_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        sa.Column("drafted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR state = 'returned' OR decided_by_id <> drafted_by_id",
            name=op.f("ck_verdicts_two_person_rule"),
        ),
        sa.CheckConstraint(
            "rating IN ('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'misleading', 'unproven')",
            name=op.f("ck_verdicts_rating_valid"),
        ),
        sa.CheckConstraint(
            "state <> 'returned' OR return_reason IS NOT NULL",
            name=op.f("ck_verdicts_returned_has_reason"),
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'approved', 'returned', 'superseded')",
            name=op.f("ck_verdicts_state_valid"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('approved', 'superseded') OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name=op.f("ck_verdicts_decided_has_decider"),
        ),
        sa.CheckConstraint("length(rationale) <= 20000", name=op.f("ck_verdicts_rationale_length")),
        sa.CheckConstraint(
            "length(return_reason) <= 2000", name=op.f("ck_verdicts_return_reason_length")
        ),
        sa.CheckConstraint("length(summary) <= 300", name=op.f("ck_verdicts_summary_length")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_verdicts_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_verdicts_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["drafted_by_id"], ["users.id"], name=op.f("fk_verdicts_drafted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdicts")),
    )
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verdicts_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            "uq_verdicts_one_approved",
            ["claim_id"],
            unique=True,
            sqlite_where=sa.text("state = 'approved'"),
            postgresql_where=sa.text("state = 'approved'"),
        )

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("verdict_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(note) <= 5000", name=op.f("ck_corrections_note_length")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_corrections_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_corrections_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["verdict_id"], ["verdicts.id"], name=op.f("fk_corrections_verdict_id_verdicts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrections_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_corrections_created_at"), ["created_at"], unique=False)

    _create_history_triggers()


def downgrade() -> None:
    _drop_history_triggers()
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_created_at"))
        batch_op.drop_index(batch_op.f("ix_corrections_claim_id"))

    op.drop_table("corrections")
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_verdicts_one_approved",
            sqlite_where=sa.text("state = 'approved'"),
            postgresql_where=sa.text("state = 'approved'"),
        )
        batch_op.drop_index(batch_op.f("ix_verdicts_claim_id"))

    op.drop_table("verdicts")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_claim_id"))

    op.drop_table("sources")
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.drop_index("ix_history_events_created_at")
        batch_op.drop_index("ix_history_events_claim_id")

    op.drop_table("history_events")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_claim_id"))

    op.drop_table("comments")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_type_status")
        batch_op.drop_index("ix_claims_status_priority")
        batch_op.drop_index("ix_claims_rating")
        batch_op.drop_index("ix_claims_last_activity")
        batch_op.drop_index("ix_claims_due_date")
        batch_op.drop_index("ix_claims_assignee_status")
        batch_op.drop_index("ix_claims_article_span")

    op.drop_table("claims")
    op.drop_table("articles")
    op.drop_table("users")
    op.drop_table("login_throttles")
