"""Random workflows by random users (Hypothesis RuleBasedStateMachine) against a real database.

Invariants after every step, over the 19 seeded claims and one typed by hand: one history event
per successful operation, at most one approved verdict per claim, a published claim has an
approved verdict decided by someone who did not draft it, replaying each claim's history
reproduces its status, assignee and verdict, and every hash chain verifies.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from factcheck.db import make_engine, session_factory
from factcheck.models import Claim, HistoryEvent, Verdict
from factcheck.seeding import load_seeds
from factcheck.workflow import claims as wf
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.history import verify_chains
from factcheck.workflow.replay import current_state, replay_claim
from tests.factories import attach_source, make_claim, make_user
from tests.test_status_counts import counted_statuses, kept_status_counts

OPERATIONS = [
    "assign",
    "take",
    "source",
    "draft",
    "approve",
    "return",
    "reopen",
    "not_checkable",
    "restore",
    "comment",
]


def run_state_machine(migrated) -> None:
    class Workflow(RuleBasedStateMachine):
        @initialize()
        def setup(self):
            # Every example starts from an empty, migrated database.
            self.engine = make_engine(migrated.fresh_url())
            self.session = session_factory(self.engine, write=True)()
            self.users = [
                make_user(self.session, r)
                for r in ("reviewer", "reviewer", "editor", "editor", "admin")
            ]
            load_seeds(self.session)  # random workflows run over every seeded claim
            self.claims = list(self.session.scalars(select(Claim).order_by(Claim.id)))
            self.claims.append(make_claim(self.session, self.users[2]))
            self.session.commit()
            self.expected_events = self.session.scalar(
                select(func.count()).select_from(HistoryEvent)
            )

        def teardown(self):
            if hasattr(self, "session"):
                self.session.close()
                self.engine.dispose()

        @rule(
            op=st.sampled_from(OPERATIONS),
            who=st.integers(0, 4),
            which=st.integers(0, 19),
            whom=st.integers(0, 4),
        )
        def act(self, op, who, which, whom):
            s, user, claim = self.session, self.users[who], self.claims[which]
            v = claim.version
            calls = {
                "assign": lambda: wf.assign(s, user, claim, self.users[whom], expected_version=v),
                "take": lambda: wf.take(s, user, claim, expected_version=v),
                "source": lambda: attach_source(s, user, claim),
                "draft": lambda: wf.draft_verdict(
                    s, user, claim, rating="false", summary="s", rationale="r", expected_version=v
                ),
                "approve": lambda: wf.approve(s, user, claim, expected_version=v),
                "return": lambda: wf.return_verdict(
                    s, user, claim, reason="why", expected_version=v
                ),
                "reopen": lambda: wf.reopen(s, user, claim, note="fix", expected_version=v),
                "not_checkable": lambda: wf.mark_not_checkable(
                    s, user, claim, reason="opinion", expected_version=v
                ),
                "restore": lambda: wf.restore(s, user, claim, expected_version=v),
                "comment": lambda: wf.add_comment(s, user, claim, "note"),
            }
            before = claim.version
            try:
                calls[op]()
            except WorkflowError:
                s.rollback()
                assert claim.version == before
                return
            s.commit()
            if op == "assign" and claim.version == before:
                return  # assigning to the current assignee changes nothing and records nothing
            self.expected_events += 1

        @invariant()
        def history_matches_operations(self):
            if not hasattr(self, "session"):
                return
            count = self.session.scalar(select(func.count()).select_from(HistoryEvent))
            assert count == self.expected_events

        @invariant()
        def verdict_rules_hold(self):
            if not hasattr(self, "session"):
                return
            for claim in self.session.scalars(select(Claim)):
                approved = [v for v in claim.verdicts if v.state == "approved"]
                assert len(approved) <= 1
                drafts = [v for v in claim.verdicts if v.state == "draft"]
                assert len(drafts) <= 1
                assert (claim.status == "in_review") == bool(drafts)
                if claim.status == "published":
                    assert approved, claim
                    assert approved[0].decided_by_id != approved[0].drafted_by_id
                    assert claim.published_rating == approved[0].rating
                decided = self.session.scalars(
                    select(Verdict).where(
                        Verdict.claim_id == claim.id, Verdict.state.in_(["approved", "superseded"])
                    )
                )
                assert all(v.decided_by_id != v.drafted_by_id for v in decided)

        @invariant()
        def history_replays_to_the_current_state(self):
            if not hasattr(self, "session"):
                return
            for claim in self.claims:
                assert replay_claim(self.session, claim.id) == current_state(
                    self.session, claim.id
                ), claim.id

        @invariant()
        def status_counts_match_the_claims(self):
            if hasattr(self, "session"):
                assert kept_status_counts(self.session) == counted_statuses(self.session)

        @invariant()
        def chains_verify(self):
            if hasattr(self, "session"):
                assert verify_chains(self.session)[1] == []

    Workflow.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Workflow.TestCase().runTest()


def test_random_workflows_keep_the_invariants(migrated):
    run_state_machine(migrated)
