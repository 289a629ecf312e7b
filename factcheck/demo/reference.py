"""The reference mode: the demo plan played through the real workflow services.

The same seed gives the same plan as the fast path (`Generator` with `script=True` notes each
claim's actions); here every account, article and action goes through its service
(`accounts.create_user`, `articles.create_article`, `claims.create_claim`, `claims.assign`,
`sources.add_source`, `review.draft_verdict`, `review.approve`, ...) at its planned time
(`models.base.fixed_now`). In a fresh database both give the same rows, ids, history details,
hashes and chain heads (tests/test_demo_reference.py), but the accounts' password hashes, which
are salted. One action at a time: for a few hundred claims.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, User
from factcheck.models.base import fixed_now
from factcheck.vocabulary import HistoryAction
from factcheck.workflow import accounts, articles, claims, review, sources

from .planning import Generator
from .simulation import Batch, DemoSummary, Person
from .vocabulary import DEMO_ROLES, FIRST_NAMES, HISTORY_SPAN_DAYS, LAST_NAMES, ORIGIN


def _people(session: Session, rng: random.Random, now: datetime, password: str) -> list[Person]:
    """The demo accounts, created by `accounts.create_user` in the order and with the names
    `writing.demo_people` gives them (this mode expects a database without them)."""
    if session.scalar(select(User.id).where(User.username.like("demo-%")).limit(1)):
        raise ValueError("the reference mode needs a database without demo accounts")
    people: list[Person] = []
    password_hash = accounts.hash_password(password)
    created = now - timedelta(days=HISTORY_SPAN_DAYS + 30)
    for role, count in DEMO_ROLES:
        for number in range(1, count + 1):
            username = f"demo-{role.value}-{number:02d}"
            display = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            with fixed_now(created):
                user = accounts.create_user(
                    session,
                    None,
                    username=username,
                    display_name=f"{display} (demo {role.value})",
                    password=secrets.token_urlsafe(24),  # replaced: demo accounts share one
                    role=role.value,
                    email=f"{username}@demo.example.org",
                    must_change_password=False,
                )
            user.password_hash = password_hash
            people.append(Person(user.id, username, role.value))
    session.flush()
    return people


class _Replay:
    """Plays one batch's claims (and their articles, on first use) through the services."""

    def __init__(self, session: Session, batch: Batch) -> None:
        self.session = session
        self.batch = batch
        self.articles: dict[int, Article] = {}

    def user(self, user_id: int | None) -> User | None:
        return None if user_id is None else self.session.get(User, user_id)

    def article(self, index: int | None) -> Article | None:
        if index is None:
            return None
        if index not in self.articles:
            row = self.batch.articles[index]
            data = articles.ArticleInput(
                text=row["text"], title=row["title"], publisher=row["publisher"],
                author=row["author"], url=row["url"], published_on=row["published_on"],
            )  # fmt: skip
            with fixed_now(row["created_at"]):
                self.articles[index] = articles.create_article(
                    self.session, self.user(row["created_by_id"]), data
                )
        return self.articles[index]

    def claim(self, script: list[tuple[str, datetime, int | None, tuple[Any, ...]]]) -> Claim:
        (action, t, actor_id, (fields, article_index, span)), *steps = script
        assert action == HistoryAction.CLAIM_CREATED, action
        article = self.article(article_index)
        with fixed_now(t):
            claim = claims.create_claim(
                self.session,
                self.user(actor_id),
                claims.ClaimInput(**fields),
                article=article,
                span=span,
                origin=ORIGIN,
            )
        for action, t, actor_id, args in steps:
            with fixed_now(t):
                self.step(claim, action, self.user(actor_id), args)
        return claim

    def step(self, claim: Claim, action: str, actor: Any, args: tuple[Any, ...]) -> None:
        session = self.session
        if action == HistoryAction.CLAIM_EDITED:
            (priority,) = args
            data = claims.ClaimInput(
                text=claim.text, claim_type=claim.claim_type, claimant=claim.claimant,
                quote=claim.quote, priority=priority, due_date=claim.due_date,
            )  # fmt: skip
            claims.update_claim(session, actor, claim, data, expected_version=None)
        elif action == HistoryAction.ASSIGNED:
            assignee_id, due_date = args
            assignee = self.user(assignee_id)
            claims.assign(session, actor, claim, assignee, expected_version=None, due_date=due_date)
        elif action == HistoryAction.TAKEN:
            claims.take(session, actor, claim, expected_version=None)
        elif action == HistoryAction.SOURCE_ADDED:
            (fields,) = args
            sources.add_source(session, actor, claim, sources.SourceInput(**fields))
        elif action == HistoryAction.COMMENTED:
            claims.add_comment(session, actor, claim, *args)
        elif action == HistoryAction.VERDICT_DRAFTED:
            rating, summary, rationale = args
            review.draft_verdict(
                session, actor, claim, rating=rating, summary=summary, rationale=rationale,
                expected_version=None,
            )  # fmt: skip
        elif action == HistoryAction.VERDICT_APPROVED:
            review.approve(session, actor, claim, expected_version=None)
        elif action == HistoryAction.VERDICT_RETURNED:
            review.return_verdict(session, actor, claim, reason=args[0], expected_version=None)
        elif action == HistoryAction.REOPENED:
            review.reopen(session, actor, claim, note=args[0], expected_version=None)
        elif action == HistoryAction.MARKED_NOT_CHECKABLE:
            review.mark_not_checkable(session, actor, claim, reason=args[0], expected_version=None)
        elif action == HistoryAction.RESTORED:
            review.restore(session, actor, claim, expected_version=None)
        else:  # pragma: no cover -- a new action in the plan must be added here
            raise AssertionError(f"reference mode: no service for {action!r}")


def generate_reference(
    session: Session,
    claims_count: int,
    seed: int,
    progress: Callable[[int], None] | None,
    now: datetime,
    password: str,
    batch_size: int,
) -> DemoSummary:
    """`demo.generate(..., reference=True)`: the plan of `generate` through the services, in
    the session's transaction (the caller commits)."""
    started = time.perf_counter()
    people = _people(session, random.Random(f"users-{seed}"), now, password)
    generator = Generator(random.Random(seed), now, people, script=True)
    summary = DemoSummary(users=len(people))
    done = 0
    while done < claims_count:
        batch = generator.plan_batch(min(batch_size, claims_count - done))
        replay = _Replay(session, batch)
        for script in batch.scripts:
            replay.claim(script)
        session.flush()
        done += len(batch.claims)
        summary.articles += len(batch.articles)
        summary.claims += len(batch.claims)
        summary.sources += len(batch.sources)
        summary.comments += len(batch.comments)
        summary.verdicts += len(batch.verdicts)
        summary.corrections += len(batch.corrections)
        summary.events += len(batch.article_events) + sum(map(len, batch.claim_events))
        if progress is not None:
            progress(done)
    summary.events += len(people)
    summary.seconds = time.perf_counter() - started
    return summary
