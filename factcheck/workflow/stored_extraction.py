"""A long article's suggestions, extracted by a background job and kept with the article.

An article from `EXTRACTION_JOB_FROM_CHARS` characters is saved at once with its extraction
state pending (`articles.create_article`); the job (`intake.runs.run_extraction`) extracts
outside any transaction and stores the extractor's output here, once: the state says what is
left to do, so a job run twice stores nothing twice. The article page then reads the stored
output instead of extracting again (`candidates.extracted_for`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.extraction import Candidate, Extraction
from factcheck.models import Article
from factcheck.vocabulary import ExtractionState

_FIELDS = (
    "quote",
    "span_start",
    "span_end",
    "score",
    "reasons",
    "claim_type",
    "claimant",
    "sentence_start",
    "sentence_end",
)


def encode(found: Extraction) -> dict[str, Any]:
    rows = [[getattr(c, f) for f in _FIELDS] for c in found.candidates]
    for row in rows:
        row[4] = list(row[4])  # reasons: a tuple, kept as a list
    return {"read_to": found.read_to, "length": found.length, "candidates": rows}


def decode(stored: dict[str, Any]) -> Extraction:
    candidates = []
    for row in stored["candidates"]:
        values = dict(zip(_FIELDS, row, strict=True))
        values["reasons"] = tuple(values["reasons"])
        candidates.append(Candidate(**values))
    return Extraction(tuple(candidates), stored["read_to"], stored["length"])


def is_pending(article: Article) -> bool:
    return article.extraction_state == ExtractionState.PENDING


def pending_text(session: Session, article_id: int) -> str | None:
    """The text a job is to extract from, or None when there is nothing to do (gone, done)."""
    found = session.execute(
        select(Article.text, Article.extraction_state).where(Article.id == article_id)
    ).first()
    if found is None or found.extraction_state != ExtractionState.PENDING:
        return None
    return found.text


def stalled(session: Session, before: datetime) -> list[int]:
    """Articles still pending that were saved before `before`: their job was lost (a worker
    killed, a message never sent), so the periodic sweep sends it out again."""
    return list(
        session.scalars(
            select(Article.id).where(
                Article.extraction_state == ExtractionState.PENDING, Article.created_at < before
            )
        )
    )


def store(session: Session, article_id: int, found: Extraction | None) -> bool:
    """Keep the job's output (None: extraction failed; the page then extracts within its own
    budget) unless another run did first; whether this one did."""
    article = session.get(Article, article_id, with_for_update=True)
    if article is None or not is_pending(article):
        return False
    if found is None:
        article.extraction_state = ExtractionState.FAILED.value
    else:
        article.extraction = encode(found)
        article.extraction_state = ExtractionState.DONE.value
    session.flush()
    return True
