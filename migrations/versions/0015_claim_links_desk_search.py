"""claim links ("same claim as #123"); full-text indexes on articles and sources for the desk
search page; a long article's extraction state and stored output

The articles' and sources' full-text indexes follow the claims' (migration 0009): SQLite FTS5
external-content tables kept by triggers, PostgreSQL generated tsvector columns with GIN
indexes; neither is in the models' metadata (env.py leaves them out of `alembic check`).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATE_CHECK = "extraction_state IN ('pending', 'done', 'failed')"
# table: the columns indexed, in the order of their weight on PostgreSQL (A, B, C, D)
_INDEXED = {
    "articles": ("title", "publisher", "author", "text"),
    "sources": ("title", "publisher", "excerpt", "url"),
}


def _sqlite_up(table: str, columns: tuple[str, ...]) -> None:
    listed = ", ".join(columns)
    fts = f"{table}_search"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    add = f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new});"
    remove = f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {listed} ON {table} BEGIN {remove} {add} END"
    )


def _postgres_up(table: str, columns: tuple[str, ...]) -> None:
    # An article's text is indexed up to its first 100,000 characters (a tsvector has a size
    # limit); 'simple': no stemming and no stop words, as SQLite's tokenizer.
    parts = []
    for weight, column in zip("ABCD", columns, strict=True):
        value = f"left({column}, 100000)" if column == "text" else column
        parts.append(
            f"setweight(to_tsvector('simple'::regconfig, coalesce({value}, '')), '{weight}')"
        )
    op.execute(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED"
    )
    op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")


def upgrade() -> None:
    op.create_table(
        "claim_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("claim_id < other_id", name=op.f("ck_claim_links_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_links_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["claims.id"],
            name=op.f("fk_claim_links_other_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_claim_links_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_links")),
        sa.UniqueConstraint("claim_id", "other_id", name=op.f("uq_claim_links_claim_id")),
    )
    op.create_index("ix_claim_links_other", "claim_links", ["other_id", "claim_id"])
    # Plain ADD COLUMNs, as in 0011: a batch rebuild of `articles` on SQLite would drop a table
    # claims point at; SQLite takes the CHECK inline (it has no ADD CONSTRAINT).
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("articles", sa.Column("extraction", sa.JSON(), nullable=True))
    if postgres:
        op.add_column("articles", sa.Column("extraction_state", sa.String(10), nullable=True))
        op.create_check_constraint(
            op.f("ck_articles_extraction_state_valid"), "articles", _STATE_CHECK
        )
    else:
        op.execute(
            "ALTER TABLE articles ADD COLUMN extraction_state VARCHAR(10) "
            f"CONSTRAINT ck_articles_extraction_state_valid CHECK ({_STATE_CHECK})"
        )
    op.create_index(op.f("ix_articles_extraction_state"), "articles", ["extraction_state"])
    for table, columns in _INDEXED.items():
        (_postgres_up if postgres else _sqlite_up)(table, columns)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in _INDEXED:
        if postgres:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        else:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_search")
    op.drop_index(op.f("ix_articles_extraction_state"), table_name="articles")
    if postgres:
        op.drop_constraint(op.f("ck_articles_extraction_state_valid"), "articles", type_="check")
    op.drop_column("articles", "extraction_state")
    op.drop_column("articles", "extraction")
    op.drop_index("ix_claim_links_other", table_name="claim_links")
    op.drop_table("claim_links")
