"""The trigger-kept claims-per-status totals agree with counting the claims, whichever way the
claims were written: workflow services, bulk demo data (COPY on PostgreSQL), plain SQL, deletes,
TRUNCATE, and the migration's backfill of an existing database."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from factcheck.demo import generate
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Claim, ClaimStatusCount
from factcheck.queries import claims as claims_query
from factcheck.queries.claims import ClaimFilters, count_labels, status_counts
from factcheck.workflow import search
from factcheck.workflow.imports import import_plans, plan_import
from factcheck.workflow.states import ClaimStatus
from tests.factories import make_claim, make_user
from tests.test_migrations import alembic_config


def kept_status_counts(session) -> dict[str, int]:
    return dict(session.execute(select(ClaimStatusCount.status, ClaimStatusCount.claims)).all())


def counted_statuses(session) -> dict[str, int]:
    counted = dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    return {status.value: counted.get(status.value, 0) for status in ClaimStatus}


def test_bulk_writes_updates_and_deletes_keep_the_totals(session, backend):
    generate(session, 300, seed=2)
    session.commit()
    kept = kept_status_counts(session)
    assert kept == counted_statuses(session)
    assert sum(kept.values()) == 300 and kept["published"] > 0 and kept["researching"] > 0
    session.execute(
        text("UPDATE claims SET status = 'researching' WHERE status = 'unreviewed'")
    )  # no status change for researching rows, a move for unreviewed ones
    session.execute(
        text(
            "UPDATE claims SET claim_type = 'other' "
            "WHERE id IN (SELECT id FROM claims WHERE status = 'researching' LIMIT 5)"
        )
    )
    session.execute(text("DELETE FROM history_events WHERE 1 = 0"))
    session.commit()
    assert kept_status_counts(session) == counted_statuses(session)
    assert kept_status_counts(session)["unreviewed"] == 0
    make_claim(session)  # through the workflow service
    session.commit()
    assert kept_status_counts(session) == counted_statuses(session)
    assert status_counts(session, ClaimFilters(status="published", sort="due")) == (
        counted_statuses(session)
    )


def test_deleting_claims_takes_them_off_the_totals(session, backend):
    # Claims with history cannot be deleted (the history keeps them); these have none.
    session.add_all([Claim(text=f"Bare claim {n}.", status="researching") for n in range(3)])
    session.commit()
    assert kept_status_counts(session)["researching"] == 3
    victim = session.scalars(select(Claim.id)).first()
    session.execute(text("DELETE FROM claims WHERE id = :id"), {"id": victim})
    session.commit()
    assert kept_status_counts(session)["researching"] == 2
    assert kept_status_counts(session) == counted_statuses(session)
    if backend == "postgresql":
        # The cascade reaches the history, whose own trigger refuses TRUNCATE: off for this test.
        session.execute(
            text("ALTER TABLE history_events DISABLE TRIGGER history_events_no_truncate")
        )
        session.execute(text("TRUNCATE claims CASCADE"))
        session.commit()
        assert set(kept_status_counts(session).values()) == {0}


def test_the_migration_counts_the_claims_already_there(database_url, session):
    cfg = alembic_config(database_url)
    for _ in range(2):
        make_claim(session)
    session.commit()
    session.close()
    command.downgrade(cfg, "9e4f0c3d2a71")  # before the totals existed
    command.upgrade(cfg, "head")
    assert kept_status_counts(session)["unreviewed"] == 2
    assert kept_status_counts(session) == counted_statuses(session)


def test_an_import_counts_its_claims_and_keeps_the_trigger(session, backend):
    """The import counts its claims once per status (on SQLite with the per-row trigger set
    aside inside its transaction); the trigger is back afterwards, committed or rolled back."""
    editor = make_user(session, "editor")
    make_claim(session)
    session.commit()
    import_plans(session, editor, plan_import(claims_csv(30, prefix="rolled")), "a.csv")
    session.rollback()
    assert kept_status_counts(session) == counted_statuses(session)
    import_plans(session, editor, plan_import(claims_csv(30)), "b.csv")
    session.commit()
    assert kept_status_counts(session) == counted_statuses(session)
    assert kept_status_counts(session)["unreviewed"] == 31
    import_plans(session, editor, plan_import(claims_csv(30)), "b.csv")  # all present already
    make_claim(session)  # counted by the trigger, which is still there
    session.commit()
    assert kept_status_counts(session) == counted_statuses(session)
    assert kept_status_counts(session)["unreviewed"] == 32


# ------------------------------------------------------------------ capped counts (issue 16)


def _capped(monkeypatch, cap: int) -> None:
    monkeypatch.setattr(claims_query, "COUNT_CAP", cap)
    monkeypatch.setattr(search, "BROAD", cap)


def test_a_broad_filter_counts_each_status_up_to_the_cap(session, backend, monkeypatch):
    _capped(monkeypatch, 3)
    rows = [("researching", "arrest")] * 5 + [("in_review", "arrest")] * 2
    rows += [("unreviewed", "death")] * 4
    session.add_all(
        [Claim(text=f"Claim {n}.", status=st, claim_type=t) for n, (st, t) in enumerate(rows)]
    )
    session.commit()
    counts = status_counts(session, ClaimFilters(claim_type="arrest"))
    assert counts == {
        "unreviewed": 0, "researching": 4, "in_review": 2, "published": 0, "not_checkable": 0,
    }  # fmt: skip
    labels = count_labels(counts)
    assert labels["researching"] == "3+" and labels["in_review"] == "2"
    assert labels["all"] == "3+"
    # Under the cap every figure is exact, the total too.
    exact = count_labels(status_counts(session, ClaimFilters(claim_type="death")))
    assert exact["unreviewed"] == "3+"  # 4 > 3
    _capped(monkeypatch, 10)
    exact = count_labels(status_counts(session, ClaimFilters(claim_type="arrest")))
    assert exact["researching"] == "5" and exact["all"] == "7"


def test_a_broad_search_counts_its_first_matches_as_lower_bounds(session, backend, monkeypatch):
    _capped(monkeypatch, 3)
    texts = [("researching", "Zebras crossed")] * 4 + [("in_review", "Zebras were seen")] * 2
    texts += [("unreviewed", "Lions roared")]
    session.add_all([Claim(text=f"{t} {n}.", status=st) for n, (st, t) in enumerate(texts)])
    session.commit()
    counts = status_counts(session, ClaimFilters(q="zebras"))
    assert sum(counts.get(s.value, 0) for s in ClaimStatus) <= 4  # no more than cap + 1 read
    labels = count_labels(counts)
    assert labels["all"] == "3+"
    assert all(labels[s.value].endswith("+") for s in ClaimStatus)
    narrow = count_labels(status_counts(session, ClaimFilters(q="lions")))
    assert narrow["unreviewed"] == "1" and narrow["all"] == "1" and narrow["in_review"] == "0"
    _capped(monkeypatch, 10)
    exact = count_labels(status_counts(session, ClaimFilters(q="zebras")))
    assert exact == {
        "unreviewed": "0", "researching": "4", "in_review": "2", "published": "0",
        "not_checkable": "0", "all": "6",
    }  # fmt: skip
