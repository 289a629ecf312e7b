"""Articles: the list (newest first, a page at a time, each with its number of claims), one
article, its claims, and the titles a claim's article is chosen from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, raiseload

from factcheck.models import Article, Claim


def article_page(
    session: Session,
    *,
    before: int | None,
    limit: int,
    after: int | None = None,
    ascending: bool = False,
) -> list[tuple[Any, int]]:
    """(article, claims) for the `limit` newest articles with an id below `before` (or above
    `after`; `ascending`: the oldest such articles, oldest first).

    Claims are counted per shown article through the (article_id, span_start) index, not for
    every article; the article's text, which may be long, is not loaded."""
    claims = (
        select(func.count())
        .where(Claim.article_id == Article.id)
        .correlate(Article)
        .scalar_subquery()
    )
    stmt = (
        select(Article, claims)
        .options(
            load_only(Article.id, Article.title, Article.publisher, Article.published_on),
            raiseload("*"),
        )
        .order_by(Article.id if ascending else Article.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Article.id < before)
    if after is not None:
        stmt = stmt.where(Article.id > after)
    return [(article, n) for article, n in session.execute(stmt)]


def count_articles(session: Session) -> int:
    """Every article: a count over the primary key's index (no kept total; cheap at the
    desk's sizes, one statement whatever the page)."""
    return session.scalar(select(func.count(Article.id))) or 0


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def article_titles(session: Session) -> list[tuple[int, str | None]]:
    """(id, title) of every article, newest first, for choosing a claim's article."""
    return [
        (i, t)
        for i, t in session.execute(select(Article.id, Article.title).order_by(Article.id.desc()))
    ]


def claims_in(session: Session, article_id: int) -> list[Claim]:
    """The article's claims in the order they appear in its text."""
    return list(
        session.scalars(
            select(Claim).where(Claim.article_id == article_id).order_by(Claim.span_start)
        )
    )
