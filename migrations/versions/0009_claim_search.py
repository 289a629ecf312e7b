"""a full-text index on claims (text, quote, claimant): SQLite FTS5 kept in step by triggers,
PostgreSQL a generated tsvector column with a GIN index

Neither is in the models' metadata: env.py leaves these names out of `alembic check` (see
`factcheck.workflow.search`, which queries them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 08:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an external-content FTS5 table (it stores the index only and reads the text from
# `claims` by rowid), so the claims' text is not stored twice. Diacritics are folded ("cafe"
# finds "café"); prefix indexes of 2 and 3 characters keep short prefix searches cheap.
_SQLITE_TABLE = """CREATE VIRTUAL TABLE claims_search USING fts5(
    text, quote, claimant, content='claims', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3')"""
_ADD = (
    "INSERT INTO claims_search(rowid, text, quote, claimant) "
    "VALUES (new.id, new.text, new.quote, new.claimant);"
)
# An external-content table forgets a row by being told the values it indexed.
_REMOVE = (
    "INSERT INTO claims_search(claims_search, rowid, text, quote, claimant) "
    "VALUES ('delete', old.id, old.text, old.quote, old.claimant);"
)
_SQLITE_TRIGGERS = {
    "claims_search_insert": f"AFTER INSERT ON claims BEGIN {_ADD} END",
    "claims_search_delete": f"AFTER DELETE ON claims BEGIN {_REMOVE} END",
    "claims_search_update": f"AFTER UPDATE OF text, quote, claimant ON claims BEGIN {_REMOVE} {_ADD} END",
}

# PostgreSQL: computed by the database on every insert and update (COPY and pg_restore
# included), weighted so a match in the claim's own words ranks above one in its claimant or quote.
# 'simple': no stemming and no stop words, as SQLite's tokenizer.
_POSTGRES_VECTOR = """ALTER TABLE claims ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(text, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(claimant, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(quote, '')), 'C')
    ) STORED"""
_POSTGRES_INDEX = "CREATE INDEX ix_claims_search_vector ON claims USING gin (search_vector)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_VECTOR)
        op.execute(_POSTGRES_INDEX)
        return
    op.execute(_SQLITE_TABLE)
    op.execute("INSERT INTO claims_search(claims_search) VALUES ('rebuild')")
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_search_vector")
        op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS search_vector")
        return
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS claims_search")
