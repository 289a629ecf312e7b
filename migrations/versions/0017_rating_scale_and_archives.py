"""the admins' rating scale (`ratings`, seeded from the fixed scale it replaces) and the
archive service's answer for each source

Verdicts and published claims keep their rating slugs; the CHECK listing the fixed slugs gives
way to a foreign key to `ratings.slug`, so a label the admins add is valid and a label in use
cannot be deleted. The seeded numbers fix the old mapping: "Unproven" and "Misleading" are off
the numeric scale (ClaimReview sends no ratingValue for them) instead of 3 and 2.

SQLite changes a table's constraints by rebuilding it (sqlite.org/lang_altertable.html, "other
kinds of table schema changes"): the table's own SQL is edited, the rows copied, and its indexes
and triggers (claims: the status counts and the full-text index) created again from their saved
SQL. env.py runs migrations with foreign keys off, so dropping the old table cascades nothing;
`PRAGMA foreign_key_check` then proves every reference still holds.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 11:40:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The scale as it was fixed in code (factcheck.vocabulary before 0016), best first.
SEEDED = [
    ("true", "True", "The claim is accurate; the evidence confirms it.", "#2e7d32", 5),
    (
        "mostly_true",
        "Mostly true",
        "The claim is accurate in its main point but needs a clarification or misses a detail.",
        "#7cb342",
        4,
    ),
    (
        "mixed",
        "Mixed",
        "The claim is partly accurate and partly not; key details are disputed or wrong.",
        "#f9a825",
        3,
    ),
    (
        "mostly_false",
        "Mostly false",
        "The claim contains an element of truth but its main point is wrong.",
        "#ef6c00",
        2,
    ),
    ("false", "False", "The claim is not accurate; the evidence contradicts it.", "#c62828", 1),
    (
        "misleading",
        "Misleading",
        "The facts may be accurate but are presented so as to give a false impression "
        "(left out context, a wrong comparison). Off the true-false scale.",
        "#8e24aa",
        None,
    ),
    (
        "unproven",
        "Unproven",
        "There is not enough evidence to confirm or refute the claim. Off the true-false scale.",
        "#757575",
        None,
    ),
]
_OLD_SLUGS = ", ".join(f"'{slug}'" for slug, *_ in SEEDED)
# (table, column, old CHECK's name, new foreign key's name)
_RATED = [
    ("verdicts", "rating", "ck_verdicts_rating_valid", "fk_verdicts_rating_ratings"),
    (
        "claims",
        "published_rating",
        "ck_claims_published_rating_valid",
        "fk_claims_published_rating_ratings",
    ),
]
_ARCHIVE_STATUSES = "'pending', 'archived', 'failed'"


def _rebuild_sqlite(table: str, edit) -> None:
    """Rebuild `table` from its own CREATE statement as `edit` changes it, keeping its rows,
    indexes and triggers."""
    conn = op.get_bind()
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0016 rebuilds tables on SQLite: run it with foreign keys off (env.py)")
    create = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    others = (
        conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        )
        .scalars()
        .all()
    )
    new_sql, count = re.subn(
        rf'^CREATE TABLE "?{table}"?\s*\(', f"CREATE TABLE _new_{table} (", edit(create)
    )
    assert count == 1, create
    conn.exec_driver_sql(new_sql)
    conn.exec_driver_sql(f"INSERT INTO _new_{table} SELECT * FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE _new_{table} RENAME TO {table}")
    for statement in others:
        conn.exec_driver_sql(statement)
    broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({table})").all()
    if broken:
        raise RuntimeError(f"0016: rows of {table} refer to missing rows: {broken[:5]}")


def _swap_sqlite(sql: str, remove: str, add: str) -> str:
    edited, count = re.subn(rf",\s*{remove}", "", sql, count=1)
    assert count == 1, (remove, sql)
    end = edited.rstrip().rstrip(")").rstrip()
    return f"{end}, \n\t{add}\n)"


def _check(column: str, name: str) -> str:
    return f"CONSTRAINT {name} CHECK ({column} IN ({_OLD_SLUGS}))"


def _foreign_key(column: str, name: str) -> str:
    return f"CONSTRAINT {name} FOREIGN KEY({column}) REFERENCES ratings (slug) ON DELETE RESTRICT"


def upgrade() -> None:
    ratings = op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("scale_value", sa.Integer(), nullable=True),
        sa.CheckConstraint("length(label) <= 40", name=op.f("ck_ratings_label_length")),
        sa.CheckConstraint("length(meaning) <= 1000", name=op.f("ck_ratings_meaning_length")),
        sa.CheckConstraint("length(slug) BETWEEN 1 AND 20", name=op.f("ck_ratings_slug_length")),
        sa.CheckConstraint(
            "length(colour) = 7 AND substr(colour, 1, 1) = '#'",
            name=op.f("ck_ratings_colour_is_hex"),
        ),
        sa.CheckConstraint(
            "scale_value IS NULL OR scale_value BETWEEN 1 AND 10",
            name=op.f("ck_ratings_scale_value_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("slug", name=op.f("uq_ratings_slug")),
        sa.UniqueConstraint("label", name=op.f("uq_ratings_label")),
    )
    op.bulk_insert(
        ratings,
        [
            {
                "slug": slug,
                "label": label,
                "meaning": meaning,
                "position": position,
                "colour": colour,
                "scale_value": value,
            }
            for position, (slug, label, meaning, colour, value) in enumerate(SEEDED, start=1)
        ],
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, check, fk in _RATED:
        if sqlite:
            _rebuild_sqlite(
                table,
                lambda sql, c=column, ck=check, f=fk: _swap_sqlite(
                    sql, re.escape(_check(c, ck)), _foreign_key(c, f)
                ),
            )
        else:
            op.drop_constraint(op.f(check), table, type_="check")
            op.create_foreign_key(
                op.f(fk), table, "ratings", [column], ["slug"], ondelete="RESTRICT"
            )
    # Plain ADD COLUMNs with their CHECKs (SQLite takes a column CHECK in ADD COLUMN).
    op.add_column(
        "sources",
        sa.Column(
            "archive_status",
            sa.String(length=10),
            sa.CheckConstraint(
                f"archive_status IN ({_ARCHIVE_STATUSES})",
                name=op.f("ck_sources_archive_status_valid"),
            ),
            nullable=True,
        ),
    )
    op.add_column(
        "sources",
        sa.Column(
            "archive_error",
            sa.String(length=500),
            sa.CheckConstraint(
                "length(archive_error) <= 500", name=op.f("ck_sources_archive_error_length")
            ),
            nullable=True,
        ),
    )
    op.add_column(
        "sources", sa.Column("archive_checked_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    """Back to the fixed scale: refused while a verdict uses a label the admins added."""
    op.drop_column("sources", "archive_checked_at")
    op.drop_column("sources", "archive_error")
    op.drop_column("sources", "archive_status")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, check, fk in _RATED:
        if sqlite:
            _rebuild_sqlite(
                table,
                lambda sql, c=column, ck=check, f=fk: _swap_sqlite(
                    sql, re.escape(_foreign_key(c, f)), _check(c, ck)
                ),
            )
        else:
            op.drop_constraint(op.f(fk), table, type_="foreignkey")
            op.create_check_constraint(op.f(check), table, f"{column} IN ({_OLD_SLUGS})")
    op.drop_table("ratings")
