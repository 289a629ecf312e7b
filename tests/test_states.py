"""The status machine, table-driven: every (status, action) pair is either allowed, with the
expected target, or refused. Written out apart from TRANSITIONS so a change there fails here."""

from __future__ import annotations

import itertools

import pytest

from factcheck.workflow.states import Action, ClaimStatus, next_status

S = ClaimStatus
EXPECTED = {
    (S.UNREVIEWED, Action.ASSIGN): S.RESEARCHING,
    (S.UNREVIEWED, Action.TAKE): S.RESEARCHING,
    (S.UNREVIEWED, Action.MARK_NOT_CHECKABLE): S.NOT_CHECKABLE,
    (S.RESEARCHING, Action.ASSIGN): S.RESEARCHING,
    (S.RESEARCHING, Action.SUBMIT_VERDICT): S.IN_REVIEW,
    (S.IN_REVIEW, Action.ASSIGN): S.IN_REVIEW,
    (S.IN_REVIEW, Action.APPROVE): S.PUBLISHED,
    (S.IN_REVIEW, Action.RETURN): S.RESEARCHING,
    (S.PUBLISHED, Action.REOPEN): S.RESEARCHING,
    (S.NOT_CHECKABLE, Action.RESTORE): S.UNREVIEWED,
}
ALL_PAIRS = list(itertools.product(ClaimStatus, Action))


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=lambda v: str(v))
def test_every_transition(status, action):
    assert next_status(status, action) == EXPECTED.get((status, action))


def test_published_is_reached_only_by_approval():
    into_published = [pair for pair, target in EXPECTED.items() if target == S.PUBLISHED]
    assert into_published == [(S.IN_REVIEW, Action.APPROVE)]
