"""The read-side queries behind the claim pages (queries/queue.py, claim_page.py, staff.py)."""

from __future__ import annotations

from datetime import date, timedelta

from factcheck.queries.claim_page import changes_since, claim_page
from factcheck.queries.queue import assigned_open, awaiting_decision, my_queue
from factcheck.queries.staff import active_staff
from factcheck.workflow import accounts
from factcheck.workflow import claims as wf
from tests.factories import make_claim, submit

TODAY = date(2026, 3, 1)


def test_awaiting_decision_leaves_out_my_own_drafts_oldest_first(db_session, users):
    editor = users["editor"]
    mine = [
        submit(db_session, editor, make_claim(db_session, editor, text=f"M{i}")) for i in range(3)
    ]
    theirs = [
        submit(db_session, users["reviewer"], make_claim(db_session, editor, text=f"T{i}"))
        for i in range(2)
    ]
    db_session.commit()
    # The two-person rule: my drafts are skipped, and the limit still finds the others.
    assert [c.id for c in awaiting_decision(db_session, editor, limit=2)] == [c.id for c in theirs]
    everyone = [c.id for c in mine + theirs]
    assert [c.id for c in awaiting_decision(db_session, users["editor2"], limit=4)] == everyone[:4]
    assert awaiting_decision(db_session, users["reviewer2"], limit=10) == []  # not an editor
    queue = my_queue(db_session, users["editor2"], TODAY, shown=3)
    assert len(queue.awaiting) == 3 and queue.more_awaiting


def test_assigned_open_puts_overdue_first_then_by_due_date(db_session, users):
    editor, rita = users["editor"], users["reviewer"]
    due = {"late": TODAY - timedelta(days=1), "soon": TODAY + timedelta(days=1), "none": None}
    made = {}
    for name in ("none", "soon", "late"):
        claim = make_claim(db_session, editor, text=name)
        wf.assign(db_session, editor, claim, rita, due_date=due[name], expected_version=1)
        made[name] = claim.id
    closed = make_claim(db_session, editor, text="closed")
    wf.mark_not_checkable(db_session, editor, closed, reason="r", expected_version=1)
    db_session.commit()
    shown = [c.id for c in assigned_open(db_session, rita, TODAY, limit=10)]
    assert shown == [made["late"], made["soon"], made["none"]]


def test_claim_page_sets_decided_verdicts_apart(db_session, users):
    editor, rita = users["editor"], users["reviewer"]
    claim = submit(db_session, rita, make_claim(db_session, editor))
    wf.return_verdict(db_session, editor, claim, reason="More sources.", expected_version=None)
    wf.draft_verdict(
        db_session, rita, claim, rating="true", summary="s", rationale="r", expected_version=None
    )
    db_session.commit()
    page = claim_page(db_session, claim.id)
    assert page.pending is not None and page.pending.rating == "true"
    assert page.current_verdict is None
    assert [v.state for v in page.earlier_verdicts] == ["returned"]
    assert [len(page.sources_by_stance[k]) for k in ("supports", "refutes", "context")] == [1, 0, 0]
    assert page.history and page.history[0].seq > page.history[-1].seq  # newest first


def test_changes_since_lists_later_events_oldest_first(db_session, users):
    editor = users["editor"]
    claim = make_claim(db_session, editor)
    wf.assign(db_session, editor, claim, users["reviewer"], expected_version=1)
    wf.add_comment(db_session, editor, claim, "a note")
    db_session.commit()
    later = changes_since(db_session, claim.id, 1)
    assert later and all(e.claim_version > 1 for e in later)
    assert [e.seq for e in later] == sorted(e.seq for e in later)
    assert changes_since(db_session, claim.id, None) == []


def test_active_staff_leaves_out_deactivated_accounts(db_session, users):
    accounts.set_active(db_session, users["admin"], users["reviewer2"], False)
    db_session.commit()
    names = [u.username for u in active_staff(db_session)]
    assert "rob" not in names and names == sorted(names, key=lambda n: n.title())


def test_assigned_open_merges_statuses_and_undated_in_one_order(db_session, users):
    """More claims than the limit, in both working statuses, dated and not: the first of the
    whole desk in the queue's order, the same as sorting them all."""
    editor, rita = users["editor"], users["reviewer"]
    made = []
    for n in range(12):
        claim = make_claim(db_session, editor, text=f"Queue claim {n}.", priority=1 + n % 3)
        due = None if n % 4 == 0 else TODAY + timedelta(days=(n * 5) % 9 - 4)
        if n % 3 == 0:  # in review: taken by rita, a verdict drafted
            submit(db_session, rita, claim)
            claim.due_date = due
        else:
            wf.assign(db_session, editor, claim, rita, due_date=due, expected_version=1)
        made.append(claim)
    db_session.commit()

    def order(c):
        overdue = c.due_date is not None and c.due_date < TODAY
        return (not overdue, c.due_date is None, c.due_date or TODAY, c.priority, c.id)

    expected = [c.id for c in sorted(made, key=order)]
    for limit in (1, 5, 12):
        assert [c.id for c in assigned_open(db_session, rita, TODAY, limit=limit)] == (
            expected[:limit]
        )
