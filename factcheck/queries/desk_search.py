"""The desk's search page: claims (the claims list's query, filters and keyset pages),
articles and sources by text, each through its full-text index, newest first, paged by id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, Source
from factcheck.workflow.search import search_terms, text_matching

KINDS = {"claims": "Claims", "articles": "Articles", "sources": "Sources"}


def find_articles(session: Session, q: str, *, before: int | None, limit: int) -> list[Any]:
    """(id, title, publisher, author, published_on) of articles holding every word of `q`."""
    terms = search_terms(q)
    stmt = (
        select(Article.id, Article.title, Article.publisher, Article.author, Article.published_on)
        .where(
            text_matching(session, "articles", terms, before=before, limit=limit)
            if terms
            else false()
        )
        .order_by(Article.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Article.id < before)
    return list(session.execute(stmt))


def find_sources(session: Session, q: str, *, before: int | None, limit: int) -> list[Any]:
    """(id, title, publisher, url, stance, claim id, claim text) of sources holding every word
    of `q` in their title, publisher, excerpt or address."""
    terms = search_terms(q)
    stmt = (
        select(
            Source.id,
            Source.title,
            Source.publisher,
            Source.url,
            Source.stance,
            Source.claim_id,
            Claim.text,
        )
        .join(Claim, Claim.id == Source.claim_id)
        .where(
            text_matching(session, "sources", terms, before=before, limit=limit)
            if terms
            else false()
        )
        .order_by(Source.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Source.id < before)
    return list(session.execute(stmt))
