"""A long article's extraction, in process: the unit of work stores the suggestions once, a
lost job is found by the sweep after the lease, and the page reads what was stored."""

from __future__ import annotations

from datetime import timedelta

from factcheck.intake import runs
from factcheck.intake.fetch import policy_from
from factcheck.models import Article, utcnow
from factcheck.workflow import candidates
from factcheck.workflow.articles import ArticleInput, create_article
from tests.factories import ARTICLE_TEXT


def test_a_lost_extraction_is_found_and_stored_once(app, db_session):
    article = create_article(
        db_session, None, ArticleInput(text=ARTICLE_TEXT), extract_later_from=10
    )
    short = create_article(db_session, None, ArticleInput(text="Short."), extract_later_from=10)
    db_session.commit()
    assert (article.extraction_state, short.extraction_state) == ("pending", None)
    assert candidates.candidates_for(article) == []  # none while the job is at work

    sessions = app.extensions["factcheck_sessions"][True]
    now = utcnow()
    ctx = runs.Context(sessions=sessions, policy=policy_from(app.config), clock=lambda: now)
    assert runs.stalled_extractions(ctx) == []  # within its lease
    later = runs.Context(
        sessions=sessions, policy=ctx.policy, clock=lambda: now + ctx.lease + timedelta(1)
    )
    assert runs.stalled_extractions(later) == [article.id]

    assert runs.run_extraction(ctx, article.id) == "done"
    assert runs.run_extraction(ctx, article.id) == "skipped"
    assert runs.run_extraction(ctx, short.id) == "skipped"
    assert runs.stalled_extractions(later) == []
    db_session.rollback()
    stored = db_session.get(Article, article.id)
    db_session.refresh(stored)
    assert stored.extraction_state == "done"
    assert candidates.candidates_for(stored) == list(candidates.extracted(ARTICLE_TEXT).candidates)
