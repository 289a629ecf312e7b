"""The report's trigger-kept tallies (migration 0021) agree with counting the claims, whichever
way the claims were written (services, bulk demo data, a CSV import, plain SQL updates and
deletes) and after the migration's backfill; and the report read from them is the report
counted from the claims, figure for figure."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from factcheck.demo import generate
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Claim, ClaimTally
from factcheck.queries import reports
from factcheck.queries.reports import ReportFilters, build_report
from factcheck.vocabulary import OPEN_STATUSES
from factcheck.workflow.imports import import_plans, plan_import
from tests.factories import make_claim, make_user, publish, research
from tests.test_migrations import alembic_config

OPEN = {s.value for s in OPEN_STATUSES}


def kept(session) -> Counter:
    rows = session.execute(
        select(ClaimTally.figure, ClaimTally.claim_type, ClaimTally.key, ClaimTally.detail,
               ClaimTally.claims)
    )  # fmt: skip
    return Counter({tuple(row[:4]): row[4] for row in rows if row[4]})


def _day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo is None else moment.astimezone(UTC)).date().isoformat()


def recounted(session) -> Counter:
    """Every claim counted as migration 0021 says, here in Python."""
    counts: Counter = Counter()
    columns = (Claim.claim_type, Claim.status, Claim.published_at, Claim.published_rating,
               Claim.last_activity_at, Claim.assignee_id, Claim.due_date, Claim.article_id,
               Claim.claimant_id)  # fmt: skip
    for c in session.execute(select(*columns)):
        t = c.claim_type
        counts["status", t, c.status, ""] += 1
        if c.status == "published":
            counts["published", t, _day(c.published_at), c.published_rating] += 1
        if c.status in OPEN:
            counts["activity", t, _day(c.last_activity_at), ""] += 1
            if c.assignee_id is not None:
                counts["assigned", t, str(c.assignee_id), ""] += 1
            if c.due_date is not None:
                counts["due", t, c.due_date.isoformat(), ""] += 1
        if c.article_id is not None:
            counts["article", t, f"{c.article_id:012d}", c.status] += 1
            for kind in (t, ""):  # per type, and over all types
                counts["article_all", kind, f"{c.article_id:012d}", ""] += 1
        if c.status == "published" and c.claimant_id is not None:
            counts["claimant", t, f"{c.claimant_id:012d}", c.published_rating] += 1
            for kind in (t, ""):
                counts["claimant_all", kind, f"{c.claimant_id:012d}", ""] += 1
    return counts


def counted_report(session, filters: ReportFilters, now: datetime, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(reports, "_tallied", lambda f: False)
        return build_report(session, filters, now=now).as_dict()


def test_mixed_writes_keep_the_tallies_and_the_report(session, backend, monkeypatch):
    generate(session, 300, seed=3)
    session.commit()
    assert kept(session) == recounted(session)
    editor, reviewer = make_user(session, "editor"), make_user(session, "reviewer")
    made = make_claim(session, editor)  # a create through the service
    research(session, reviewer, made)  # a transition (and an assignment)
    publish(session, reviewer, editor, make_claim(session, editor))
    session.commit()
    import_plans(session, editor, plan_import(claims_csv(5, prefix="undone")), "undone.csv")
    session.rollback()  # on SQLite the import sets the tally trigger aside: back, rolled back
    import_plans(session, editor, plan_import(claims_csv(20)), "tallied.csv")
    session.commit()  # the import's claims tallied in one statement, the trigger back again
    assert kept(session) == recounted(session)
    session.execute(text("UPDATE claims SET claim_type = 'other' WHERE id % 7 = 0"))
    session.execute(text("UPDATE claims SET due_date = NULL, assignee_id = NULL WHERE id % 5 = 0"))
    session.execute(text("UPDATE claims SET status = 'researching' WHERE status = 'unreviewed'"))
    session.execute(
        text("UPDATE claims SET article_id = (SELECT min(id) FROM articles) WHERE id % 11 = 0")
    )
    session.execute(
        text("UPDATE claims SET claimant_id = (SELECT max(id) FROM claimants) WHERE id % 4 = 0")
    )
    session.add_all([Claim(text=f"Bare claim {n}.", status="researching") for n in range(3)])
    session.flush()
    session.execute(text("DELETE FROM claims WHERE text = 'Bare claim 1.'"))  # no history
    session.commit()
    assert kept(session) == recounted(session)
    now = datetime.now(UTC) + timedelta(hours=1)
    first = date.today() - timedelta(days=60)
    for filters in (
        ReportFilters(),
        ReportFilters(claim_type="arrest"),
        ReportFilters(date_from=first),
        ReportFilters(claim_type="other", date_from=first, date_to=date.today()),
    ):
        assert build_report(session, filters, now=now).as_dict() == counted_report(
            session, filters, now, monkeypatch
        ), filters


@pytest.mark.parametrize("hours", [0.5, 24 * 3 + 0.2])
def test_aging_counts_the_bound_day_to_the_moment(session, backend, monkeypatch, hours):
    """A claim active a moment before or after a bucket's bound, on the bound's own day."""
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    for offset in (-1, 1):
        claim = make_claim(session)
        moment = now - timedelta(days=3, seconds=offset) - timedelta(hours=hours - 0.5)
        session.execute(
            text("UPDATE claims SET last_activity_at = :m WHERE id = :id"),
            {"m": moment, "id": claim.id},
        )
    session.commit()
    report = build_report(session, ReportFilters(), now=now).as_dict()
    assert report == counted_report(session, ReportFilters(), now, monkeypatch)
    assert sum(report["aging"].values()) == 2


def test_the_migration_counts_the_claims_already_there(database_url, session):
    generate(session, 60, seed=4)
    session.commit()
    session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0020")  # before the tallies existed
    command.upgrade(cfg, "head")
    assert kept(session) == recounted(session)
    assert sum(n for key, n in kept(session).items() if key[0] == "status") == 60
