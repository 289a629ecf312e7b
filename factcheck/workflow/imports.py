"""Importing claims (and their source URLs) from a CSV file with the claims export's columns.

Every row is validated before anything is written; problems are reported by line and column and
then nothing is written at all. A valid file becomes claims in the caller's one transaction.
Re-importing a file creates no duplicates: a row whose external key, or whose article and claim
text, already exists is skipped.

Only a claim's own fields are imported (text, quote, claimant, type, priority, due date, article,
source URLs). Workflow state (status, assignee, verdicts) is not: an imported claim starts
unreviewed, and a published rating can only come from the two-person review, never from a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.csv_io import CsvFileError, CsvProblem, CsvRow, decode_upload, read_rows
from factcheck.models import Article, Claim, User
from factcheck.queries.exports import CLAIM_COLUMNS

from . import permissions as can
from .articles import ArticleInput, create_article
from .claims import ClaimInput, _validate_claim_input, create_claim
from .cleaning import has_control
from .errors import PermissionDenied, ValidationFailed, WorkflowError
from .sources import SourceInput, add_imported_source, check_web_url
from .states import ClaimType

REQUIRED_COLUMNS = ("text",)
MAX_ROWS = 20_000


@dataclass
class ClaimPlan:
    """A validated row, ready to be written."""

    line: int
    data: ClaimInput
    external_key: str | None
    article_title: str | None
    article_url: str | None
    span: tuple[int, int] | None
    source_urls: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    filename: str
    created: list[int] = field(default_factory=list)
    skipped: int = 0
    articles_created: int = 0
    sources_created: int = 0


def _claim_type(value: str) -> str:
    wanted = value.strip().lower().replace(" ", "_")
    if not wanted:
        return ClaimType.OTHER.value
    try:
        return ClaimType(wanted).value
    except ValueError:
        allowed = ", ".join(t.value for t in ClaimType)
        raise ValidationFailed(f"unknown claim type {value!r} (use {allowed})") from None


def _priority(value: str) -> int:
    if not value.strip():
        return 3
    try:
        number = int(value.strip())
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a whole number from 1 to 5") from None
    if not 1 <= number <= 5:
        raise ValidationFailed("priority must be from 1 to 5")
    return number


def _due_date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date like 2017-05-23") from None


def _span(row: dict[str, str]) -> tuple[int, int] | None:
    start, end = row.get("span_start", "").strip(), row.get("span_end", "").strip()
    if not start and not end:
        return None
    try:
        span = int(start), int(end)
    except ValueError:
        raise ValidationFailed("span_start and span_end must be whole numbers") from None
    if not 0 <= span[0] < span[1] < 2**31:
        raise ValidationFailed("span_start must be below span_end")
    return span


def _optional(row: dict[str, str], name: str, limit: int) -> str | None:
    value = row.get(name, "").strip()
    if has_control(value):
        raise ValidationFailed("may not contain control characters (such as NUL)")
    if len(value) > limit:
        raise ValidationFailed(f"at most {limit} characters")
    return value or None


def _plan_row(row: CsvRow, problems: list[CsvProblem]) -> ClaimPlan | None:
    values = row.values
    before = len(problems)
    parsed: dict[str, object] = {}

    def take(column: str, parse) -> None:
        try:
            parsed[column] = parse()
        except ValidationFailed as exc:
            problems.append(CsvProblem(row.line, column, exc.message))

    take("claim_type", lambda: _claim_type(values.get("claim_type", "")))
    take("priority", lambda: _priority(values.get("priority", "")))
    take("due_date", lambda: _due_date(values.get("due_date", "")))
    take("span", lambda: _span(values))
    take("external_key", lambda: _optional(values, "external_key", 120))
    take("article_title", lambda: _optional(values, "article_title", 300))
    take(
        "article_url",
        lambda: check_web_url(values.get("article_url"), "article_url", required=False),
    )
    take(
        "source_urls",
        lambda: [
            check_web_url(url, "source_urls", required=True)
            for url in values.get("source_urls", "").split()
        ],
    )
    if len(problems) > before:
        return None
    data = ClaimInput(
        text=values.get("text", ""),
        claim_type=parsed["claim_type"],
        claimant=values.get("claimant"),
        quote=values.get("quote"),
        priority=parsed["priority"],
        due_date=parsed["due_date"],
    )
    try:
        _validate_claim_input(data)
    except ValidationFailed as exc:
        problems.append(CsvProblem(row.line, exc.field, exc.message.rstrip(".").lower()))
        return None
    if data.quote and data.quote.strip() and not (parsed["article_title"] or parsed["article_url"]):
        problems.append(CsvProblem(row.line, "quote", "a quote needs its article (title or URL)"))
        return None
    return ClaimPlan(
        line=row.line,
        data=data,
        external_key=parsed["external_key"],
        article_title=parsed["article_title"],
        article_url=parsed["article_url"],
        span=parsed["span"],
        source_urls=parsed["source_urls"],
    )


def plan_import(data: bytes) -> list[ClaimPlan]:
    """Read and validate the whole file; raise CsvFileError listing every problem found."""
    text = decode_upload(data)
    rows = read_rows(text, known_columns=CLAIM_COLUMNS, required=REQUIRED_COLUMNS)
    if len(rows) > MAX_ROWS:
        raise CsvFileError([CsvProblem(1, None, f"more than {MAX_ROWS} rows: split the file")])
    problems: list[CsvProblem] = []
    plans = [plan for row in rows if (plan := _plan_row(row, problems)) is not None]
    first_line: dict[str, int] = {}
    for plan in plans:
        if plan.external_key is None:
            continue
        if plan.external_key in first_line:
            message = f"the same external_key as line {first_line[plan.external_key]}"
            problems.append(CsvProblem(plan.line, "external_key", message))
        first_line.setdefault(plan.external_key, plan.line)
    if problems:
        raise CsvFileError(problems)
    return plans


class _Articles:
    """Finds an import row's article by its URL when the row has one, else by its title;
    creates a bare one (no text) when there is none."""

    def __init__(self, session: Session, actor: User | None, result: ImportResult) -> None:
        self.session, self.actor, self.result = session, actor, result
        self.cache: dict[tuple[str | None, str | None], Article] = {}

    def get(self, title: str | None, url: str | None) -> Article | None:
        if not title and not url:
            return None
        key = (title, url)
        if key not in self.cache:
            self.cache[key] = self._find(title, url) or self._create(title, url)
        return self.cache[key]

    def _find(self, title: str | None, url: str | None) -> Article | None:
        column, value = (Article.url, url) if url else (Article.title, title)
        return self.session.scalars(
            select(Article).where(column == value).order_by(Article.id).limit(1)
        ).first()

    def _create(self, title: str | None, url: str | None) -> Article:
        article = create_article(
            self.session,
            self.actor,
            ArticleInput(text="", title=title, url=url),
            require_text=False,
            origin="import",
        )
        self.result.articles_created += 1
        return article


class _Existing:
    """The claims a file may repeat, read in a few chunked queries before the rows are written
    (not two queries per row): by external key, and by (article, text). Claims this import
    creates are added, so a file repeating itself is skipped the same way."""

    CHUNK = 500

    def __init__(self, session: Session, plans: list[ClaimPlan]) -> None:
        keys = sorted({p.external_key for p in plans if p.external_key is not None})
        texts = sorted({p.data.text.strip() for p in plans})
        self.keys: set[str] = set()
        self.texts: set[tuple[int | None, str]] = set()
        for chunk in _chunks(keys, self.CHUNK):
            found = session.scalars(select(Claim.external_key).where(Claim.external_key.in_(chunk)))
            self.keys.update(k for k in found if k is not None)
        for chunk in _chunks(texts, self.CHUNK):
            stmt = select(Claim.article_id, Claim.text).where(Claim.text.in_(chunk))
            self.texts.update((article_id, text) for article_id, text in session.execute(stmt))

    def holds(self, plan: ClaimPlan, article: Article | None) -> bool:
        text_key = (article.id if article is not None else None, plan.data.text.strip())
        return plan.external_key in self.keys or text_key in self.texts

    def add(self, claim: Claim) -> None:
        if claim.external_key is not None:
            self.keys.add(claim.external_key)
        self.texts.add((claim.article_id, claim.text))


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _span_hint(article: Article | None, quote: str | None, span: tuple[int, int] | None):
    """The file's span, when it still marks the quote in the article's text; otherwise
    `create_claim` looks for the quote itself."""
    if article is None or not quote or span is None:
        return None
    return span if article.text[span[0] : span[1]] == quote.strip() else None


def import_claims(session: Session, actor: User | None, data: bytes, filename: str) -> ImportResult:
    """Validate the whole file, then create its claims; the caller commits (one transaction).
    `actor` None is the operator's own import (the CLI without --as)."""
    if actor is not None and not can.can_import(actor):
        raise PermissionDenied("Only editors import claims.")
    plans = plan_import(data)
    name = PurePath(filename or "upload.csv").name[:200]
    result = ImportResult(filename=name)
    articles = _Articles(session, actor, result)
    existing = _Existing(session, plans)
    problems: list[CsvProblem] = []
    for plan in plans:
        article = articles.get(plan.article_title, plan.article_url)
        if existing.holds(plan, article):
            result.skipped += 1
            continue
        try:
            claim = create_claim(
                session,
                actor,
                plan.data,
                article=article,
                span=_span_hint(article, plan.data.quote, plan.span),
                origin="import",
                external_key=plan.external_key,
                history_details={"import": {"file": name, "line": plan.line}},
            )
        except WorkflowError as exc:  # a rule the row breaks (a quote not in its article, say)
            problems.append(CsvProblem(plan.line, exc.field, exc.message))
            continue
        for url in plan.source_urls:
            add_imported_source(
                session, actor, claim, SourceInput(url=url, title=url[:300], stance="context")
            )
            result.sources_created += 1
        existing.add(claim)
        result.created.append(claim.id)
    if problems:
        raise CsvFileError(problems)  # the caller rolls back: nothing of the file is kept
    return result
