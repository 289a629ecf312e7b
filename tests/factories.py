"""Test data builders: small, explicit, and committed by the caller when it needs to be."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, Claimant, User
from factcheck.workflow import accounts
from factcheck.workflow.articles import ArticleInput, create_article
from factcheck.workflow.claimants import ClaimantInput, create_claimant
from factcheck.workflow.claims import ClaimInput, create_claim
from factcheck.workflow.sources import SourceInput, add_source

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(session: Session, role: str = "reviewer", username: str | None = None) -> User:
    name = username or f"{role}{next(_counter)}"
    return accounts.create_user(
        session, None, username=name, display_name=name.title(), password=PASSWORD, role=role
    )


ARTICLE_TEXT = (
    "Officials said 12 people were detained on Monday.\n\n"
    "The ministry denied that anyone was harmed, according to a spokesman."
)


def make_article(session: Session, text: str = ARTICLE_TEXT, **kwargs) -> Article:
    return create_article(session, None, ArticleInput(text=text, **kwargs))


def make_claim(session: Session, actor: User | None = None, **kwargs) -> Claim:
    article = kwargs.pop("article", None)
    data = ClaimInput(
        text=kwargs.pop("text", "12 people were detained on Monday."),
        claim_type=kwargs.pop("claim_type", "arrest"),
        claimant=kwargs.pop("claimant", "Officials"),
        quote=kwargs.pop("quote", None),
        priority=kwargs.pop("priority", 3),
        due_date=kwargs.pop("due_date", None),
        short_text=kwargs.pop("short_text", None),
        claimant_id=kwargs.pop("claimant_id", None),
    )
    return create_claim(session, actor, data, article=article, **kwargs)


def make_claimant(
    session: Session, actor: User, name: str, kind: str | None = "person", **kwargs
) -> Claimant:
    """A claimant record; `kind=None` makes one as migration 0015 does (kind not set)."""
    record = create_claimant(
        session, actor, ClaimantInput(name=name, kind=kind or "person", **kwargs)
    )
    if kind is None:
        record.kind = None
        session.flush()
    return record


def source_input(**kwargs) -> SourceInput:
    defaults = dict(
        url="https://example.org/report",
        title="Report on detentions",
        stance="supports",
        kind="news_report",
        reliability=4,
    )
    defaults.update(kwargs)
    return SourceInput(**defaults)


def attach_source(session: Session, actor: User, claim: Claim, **kwargs):
    return add_source(session, actor, claim, source_input(**kwargs))


def research(session: Session, reviewer: User, claim: Claim, **source) -> Claim:
    """Take the claim as `reviewer` and attach one source: ready for a verdict."""
    from factcheck.workflow import claims as wf

    wf.take(session, reviewer, claim, expected_version=None)
    attach_source(session, reviewer, claim, **source)
    return claim


def submit(session: Session, reviewer: User, claim: Claim, rating: str = "false", **kw) -> Claim:
    """Research the claim and submit a verdict for approval (status: in review)."""
    from factcheck.workflow import claims as wf

    research(session, reviewer, claim)
    for url in kw.get("more_sources", ()):
        attach_source(session, reviewer, claim, url=url)
    wf.draft_verdict(
        session,
        reviewer,
        claim,
        rating=rating,
        summary=kw.get("summary", f"Rated {rating}."),
        rationale=kw.get("rationale", "Checked against the sources."),
        expected_version=None,
    )
    return claim


def publish(
    session: Session, reviewer: User, editor: User, claim: Claim, rating: str = "false", **kw
) -> Claim:
    """The whole two-person workflow: research, verdict, approval."""
    from factcheck.workflow import claims as wf

    submit(session, reviewer, claim, rating, **kw)
    wf.approve(session, editor, claim, expected_version=None)
    return claim
