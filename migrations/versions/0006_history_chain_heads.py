"""each history chain's head (event count and last hash, optionally an HMAC) in its own table,
locked by every append and compared by verify-history; TRUNCATE of the history refused

Revision ID: 0006
Revises: 6f1c2d9e4b83
Create Date: 2026-11-30 05:40:00
"""

import hashlib
import hmac
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "6f1c2d9e4b83"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE = "history_chain_heads only moves forward"
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER history_chain_heads_forward BEFORE UPDATE ON history_chain_heads
       WHEN NEW.seq <= OLD.seq OR NEW.chain <> OLD.chain
       BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END""",
    f"""CREATE TRIGGER history_chain_heads_no_delete BEFORE DELETE ON history_chain_heads
       BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END""",
]
_POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION history_chain_heads_forward() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq AND NEW.chain = OLD.chain THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION '{_REFUSE}';
       END $$""",
    """CREATE TRIGGER history_chain_heads_forward BEFORE UPDATE OR DELETE ON history_chain_heads
       FOR EACH ROW EXECUTE FUNCTION history_chain_heads_forward()""",
    # Row triggers do not see TRUNCATE: refuse it on both tables.
    """CREATE FUNCTION history_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME; END $$""",
    """CREATE TRIGGER history_events_no_truncate BEFORE TRUNCATE ON history_events
       FOR EACH STATEMENT EXECUTE FUNCTION history_no_truncate()""",
    """CREATE TRIGGER history_chain_heads_no_truncate BEFORE TRUNCATE ON history_chain_heads
       FOR EACH STATEMENT EXECUTE FUNCTION history_no_truncate()""",
]


def upgrade() -> None:
    op.create_table(
        "history_chain_heads",
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("hmac", sa.String(length=64), nullable=True),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_history_chain_heads_seq_positive")),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_history_chain_heads")),
    )
    # Anchor the history as it stands: each chain's last event.
    op.execute(
        "INSERT INTO history_chain_heads (chain, seq, hash) "
        "SELECT e.chain, e.seq, e.hash FROM history_events e "
        "WHERE e.seq = (SELECT max(l.seq) FROM history_events l WHERE l.chain = e.chain)"
    )
    key = os.environ.get("FACTCHECK_HISTORY_KEY")
    heads = []
    if key:  # sign the heads now, as workflow.history.head_hmac does on every append
        heads = (
            op.get_bind().execute(sa.text("SELECT chain, seq, hash FROM history_chain_heads")).all()
        )
    if heads:  # (an empty parameter list would be one statement with no values: an error)
        op.get_bind().execute(
            sa.text("UPDATE history_chain_heads SET hmac = :hmac WHERE chain = :chain"),
            [
                {
                    "chain": chain,
                    "hmac": hmac.new(
                        key.encode(), f"{chain}|{seq}|{hash_}".encode(), hashlib.sha256
                    ).hexdigest(),
                }
                for chain, seq, hash_ in heads
            ],
        )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRES_TRIGGERS if postgres else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_events_no_truncate ON history_events")
        op.execute("DROP TRIGGER IF EXISTS history_chain_heads_no_truncate ON history_chain_heads")
        op.execute("DROP TRIGGER IF EXISTS history_chain_heads_forward ON history_chain_heads")
        op.execute("DROP FUNCTION IF EXISTS history_no_truncate()")
        op.execute("DROP FUNCTION IF EXISTS history_chain_heads_forward()")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_chain_heads_forward")
        op.execute("DROP TRIGGER IF EXISTS history_chain_heads_no_delete")
    op.drop_table("history_chain_heads")
