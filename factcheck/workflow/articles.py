"""Articles: adding the news text claims are taken from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.extraction import Page, read_html
from factcheck.intake.page import content_hash
from factcheck.models import Article, User
from factcheck.vocabulary import ExtractionState, HistoryAction

from .claim_base import clean_text
from .errors import ConflictError, ValidationFailed, flush_unique
from .events import article_added_details
from .history import record
from .sources import check_web_url

MAX_ARTICLE_CHARS = limits.ARTICLE_TEXT
MAX_ARTICLE_FILE_BYTES = 4 * 2**20  # an HTML page around the longest article text accepted


@dataclass
class ArticleInput:
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published_on: date | None = None


def read_file(filename: str, raw: bytes) -> Page:
    """The readable text of an uploaded or ingested .txt or .html file, and the headline of a web
    page (a web page is reduced to its text, without the headline). Read one byte more than
    MAX_ARTICLE_FILE_BYTES so a larger file is told apart."""
    if len(raw) > MAX_ARTICLE_FILE_BYTES:
        raise ValidationFailed(
            f"The file is larger than {MAX_ARTICLE_FILE_BYTES // 1024} KiB.", field="file"
        )
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("The file is not UTF-8 text.", field="file") from None
    page = (
        read_html(decoded) if filename.lower().endswith((".html", ".htm")) else Page(None, decoded)
    )
    if not page.text.strip():
        raise ValidationFailed("The file holds no readable text.", field="file")
    return page


def create_article(
    session: Session,
    actor: User | None,
    data: ArticleInput,
    *,
    slug: str | None = None,
    require_text: bool = True,
    origin: str | None = None,
    recorded: bool = True,
    extract_later_from: int | None = None,
) -> Article:
    """Add an article (`recorded=False`: its caller calls `record_article_added` later).
    `extract_later_from`: from this many characters its claims are to be extracted by a
    background job (its extraction state is then pending; the caller queues the job).
    `require_text=False` is for a CSV import, whose rows name an article
    (title or URL) without carrying its text; quotes in such an article stay unplaced (nothing
    adds text to an existing article yet)."""
    actor_id = actor.id if actor else None
    article = Article(**article_columns(actor_id, data, slug=slug, require_text=require_text))
    if extract_later_from is not None and len(article.text) >= extract_later_from:
        article.extraction_state = ExtractionState.PENDING.value
    session.add(article)
    session.flush()
    if recorded:
        record_article_added(session, actor, article, origin)
    return article


def article_columns(
    actor_id: int | None, data: ArticleInput, *, slug: str | None = None, require_text: bool = True
) -> dict[str, Any]:
    """A new article's columns, checked: what `create_article` writes, and the demo generator's
    planned rows. Pure: no session."""
    text = (data.text or "").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ValidationFailed("Text may not contain NUL characters.", field="text")
    if require_text and not text.strip():
        raise ValidationFailed("Paste the article's text.", field="text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ValidationFailed(f"At most {MAX_ARTICLE_CHARS} characters.", field="text")
    fields = {}
    for name, limit in (
        ("title", limits.TITLE),
        ("publisher", limits.PUBLISHER),
        ("author", limits.AUTHOR),
    ):
        value = clean_text(getattr(data, name), name)
        if value and len(value) > limit:
            raise ValidationFailed(f"At most {limit} characters.", field=name)
        fields[name] = value
    return {
        "slug": slug,
        "text": text,
        "url": check_web_url(data.url, "url", required=False),
        "published_on": data.published_on,
        "created_by_id": actor_id,
        **fields,
    }


def add_pasted_article(
    session: Session, actor: User, data: ArticleInput, *, extract_later_from: int | None = None
) -> tuple[Article, bool]:
    """An article pasted or uploaded on the desk, unless the desk has the same text already
    (however spaced or cased: its hash, as for fetched pages): (the article, whether it is
    new). A form sent again with a fresh one-time token (the back button, then submit) lands
    on the first article instead of making a twin."""
    digest = content_hash(data.text or "")
    if (data.text or "").strip():
        found = session.scalars(select(Article).where(Article.content_hash == digest)).first()
        if found is not None:
            return found, False
    article = create_article(session, actor, data, extract_later_from=extract_later_from)
    article.content_hash = digest
    twin = ConflictError("The same text was added at this moment; find it in the articles list.")
    flush_unique(session, twin, table="articles", column="content_hash")
    return article, True


def record_article_added(
    session: Session, actor: User | None, article: Article, origin: str | None
) -> None:
    """The article's event on the system chain. A CSV import records it after its claims, so
    the system chain's head, locked until the import commits, is held for a moment only."""
    record(
        session,
        actor=actor,
        action=HistoryAction.ARTICLE_ADDED,
        article=article,
        details=article_added_details(article.id, article.title, article.url, origin),
    )
