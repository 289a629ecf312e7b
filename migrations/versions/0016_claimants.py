"""claimant records that claims link to, and a claim's short text for ClaimReview

Existing free-text claimants become records, one per normalised name (the most used spelling
names it); each claim keeps its text and links to its record. "the article" (the article's own
statement) is no claimant and gets none. A record's kind is left unset: the old guess from a
word list was often wrong, and an editor says which it is.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 11:40:00
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMANT = 200
ARTICLE = "the article"


def name_key(name: str) -> str:
    """A frozen copy of workflow.claimants.name_key, as it was when this ran."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())[:CLAIMANT]


def upgrade() -> None:
    op.create_table(
        "claimants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("same_as", sa.JSON(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(name) <= 200", name=op.f("ck_claimants_name_length")),
        sa.CheckConstraint(
            "length(description) <= 500", name=op.f("ck_claimants_description_length")
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'organisation')", name=op.f("ck_claimants_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["claimants.id"],
            name=op.f("fk_claimants_merged_into_id_claimants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claimants")),
    )
    op.create_index("ix_claimants_name_key", "claimants", ["name_key"])
    op.create_index("ix_claimants_merged_into_id", "claimants", ["merged_into_id"])
    if op.get_bind().dialect.name == "sqlite":
        # Plain ADD COLUMN: batch mode would copy and drop `claims`, losing its triggers and
        # (foreign keys on) cascading the drop to its sources and verdicts.
        op.execute(
            "ALTER TABLE claims ADD COLUMN claimant_id INTEGER CONSTRAINT "
            "fk_claims_claimant_id_claimants REFERENCES claimants (id)"
        )
        op.execute(
            "ALTER TABLE claims ADD COLUMN short_text VARCHAR(75) CONSTRAINT "
            "ck_claims_short_text_length CHECK (length(short_text) <= 75)"
        )
    else:
        op.add_column("claims", sa.Column("claimant_id", sa.Integer(), nullable=True))
        op.add_column("claims", sa.Column("short_text", sa.String(length=75), nullable=True))
        op.create_foreign_key(
            op.f("fk_claims_claimant_id_claimants"),
            "claims",
            "claimants",
            ["claimant_id"],
            ["id"],
        )
        op.create_check_constraint(
            op.f("ck_claims_short_text_length"), "claims", "length(short_text) <= 75"
        )
    op.create_index("ix_claims_claimant_id", "claims", ["claimant_id", "status"])
    _move_claimants()


def _move_claimants() -> None:
    """One record per normalised name; every claim naming it links to it."""
    bind = op.get_bind()
    claims = sa.table(
        "claims", sa.column("id", sa.Integer), sa.column("claimant", sa.String),
        sa.column("claimant_id", sa.Integer),
    )  # fmt: skip
    claimants = sa.table(
        "claimants", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("name_key", sa.String), sa.column("same_as", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )  # fmt: skip
    spellings: dict[str, Counter[str]] = {}
    texts: dict[str, list[str]] = {}
    rows = bind.execute(
        sa.select(claims.c.claimant, sa.func.count())
        .where(claims.c.claimant.is_not(None))
        .group_by(claims.c.claimant)
    )
    for text, count in rows:
        name = " ".join(text.split())
        key = name_key(name)
        if not key or name.casefold() == ARTICLE:
            continue
        spellings.setdefault(key, Counter())[name] += count
        texts.setdefault(key, []).append(text)
    now = datetime.now(UTC)
    for key in sorted(spellings):
        # The most used spelling, the first in order among equals.
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        new_id = bind.execute(
            claimants.insert()
            .values(name=name, name_key=key, same_as=[], created_at=now, updated_at=now)
            .returning(claimants.c.id)
        ).scalar_one()
        bind.execute(
            claims.update().where(claims.c.claimant.in_(texts[key])).values(claimant_id=new_id)
        )


def downgrade() -> None:
    op.drop_index("ix_claims_claimant_id", table_name="claims")
    if op.get_bind().dialect.name == "sqlite":  # each column takes its own constraint along
        op.execute("ALTER TABLE claims DROP COLUMN short_text")
        op.execute("ALTER TABLE claims DROP COLUMN claimant_id")
    else:
        op.drop_constraint(op.f("ck_claims_short_text_length"), "claims", type_="check")
        op.drop_constraint(op.f("fk_claims_claimant_id_claimants"), "claims", type_="foreignkey")
        op.drop_column("claims", "short_text")
        op.drop_column("claims", "claimant_id")
    op.drop_index("ix_claimants_merged_into_id", table_name="claimants")
    op.drop_index("ix_claimants_name_key", table_name="claimants")
    op.drop_table("claimants")
