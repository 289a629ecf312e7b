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
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.columns import CLAIM_COLUMNS
from factcheck.csv_io import CsvFileError, CsvProblem, decode_upload, read_rows
from factcheck.db import BulkInsert, NewIds, serialised
from factcheck.models import Article, Claim, HistoryChainHead, Source, User
from factcheck.vocabulary import ClaimOrigin

from . import permissions as can
from .articles import ArticleInput, create_article, record_article_added
from .claims import new_claim_columns
from .errors import PermissionDenied, WorkflowError
from .history import (
    NewEvent,
    event_insert,
    insert_events,
)
from .import_rows import ClaimPlan, _plan_row
from .import_writes import (
    NewClaim,
    build_rows,
    insert_linked,
    link_new_chains,
    shift_rows,
    write_claims,
)

REQUIRED_COLUMNS = ("text",)
_IMPORT_LOCK = 0x1A5_0001  # PostgreSQL's advisory lock key of the import (any fixed number)
MAX_ROWS = 20_000


@dataclass
class ImportResult:
    filename: str
    created: list[int] = field(default_factory=list)
    skipped: int = 0
    articles_created: int = 0
    sources_created: int = 0


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


@dataclass(frozen=True)
class _Finds:
    """What a file's rows find on the desk: claims by external key or text, articles by URL,
    or by title when a row names no URL. One reading of the rows for the look-ups before
    building (`_Existing`, `_Articles`) and the check under the lock (`_matched_since`)."""

    keys: frozenset[str]
    texts: frozenset[str]
    urls: frozenset[str]
    titles: frozenset[str]

    @classmethod
    def of(cls, plans: list[ClaimPlan]) -> _Finds:
        return cls(
            keys=frozenset(p.external_key for p in plans if p.external_key is not None),
            texts=frozenset(p.data.text.strip() for p in plans),
            urls=frozenset(p.article_url for p in plans if p.article_url),
            titles=frozenset(
                p.article_title for p in plans if p.article_title and not p.article_url
            ),
        )


class _Articles:
    """Finds an import row's article by its URL when the row has one, else by its title (all
    of a file's, in a few chunked queries); creates a bare one (no text) when there is none."""

    def __init__(
        self,
        session: Session,
        actor: User | None,
        result: ImportResult,
        plans: list[ClaimPlan],
        predict: NewIds | None = None,
    ) -> None:
        self.session, self.actor, self.result, self.predict = session, actor, result, predict
        self.cache: dict[tuple[str | None, str | None], Article] = {}
        self.created: list[Article] = []
        finds = _Finds.of(plans)
        self.by_url = self._first(Article.url, sorted(finds.urls))
        self.by_title = self._first(Article.title, sorted(finds.titles))

    def _first(self, column, values: list[str]) -> dict[str, Article]:
        """The oldest article with each value in `column`."""
        found: dict[str, Article] = {}
        for chunk in _chunks(values, _CHUNK):
            rows = self.session.scalars(
                select(Article).where(column.in_(chunk)).order_by(Article.id.desc())
            )
            found.update((getattr(article, column.key), article) for article in rows)
        return found

    def get(self, title: str | None, url: str | None) -> Article | None:
        if not title and not url:
            return None
        key = (title, url)
        if key not in self.cache:
            found = self.by_url.get(url) if url else self.by_title.get(title)
            self.cache[key] = found or self._create(title, url)
        return self.cache[key]

    def _create(self, title: str | None, url: str | None) -> Article:
        if self.predict is not None:  # before the lock: the row the ORM will insert, unsaved
            (article_id,) = self.predict.take(Article.__table__, 1)
            article = Article(id=article_id, title=title, url=url, text="")
            self.result.articles_created += 1
            self.created.append(article)
            return article
        article = create_article(
            self.session,
            self.actor,
            ArticleInput(text="", title=title, url=url),
            require_text=False,
            origin=ClaimOrigin.IMPORT,
            recorded=False,  # recorded last, see record_created
        )
        self.result.articles_created += 1
        self.created.append(article)
        return article

    def record_created(self) -> None:
        for article in self.created:
            record_article_added(self.session, self.actor, article, ClaimOrigin.IMPORT)


_CHUNK = 500


class _Existing:
    """The claims a file may repeat, read in a few chunked queries before the rows are written
    (not two queries per row): by external key, and by (article, text). Claims this import
    creates are added, so a file repeating itself is skipped the same way."""

    def __init__(self, session: Session, plans: list[ClaimPlan]) -> None:
        finds = _Finds.of(plans)
        keys, texts = sorted(finds.keys), sorted(finds.texts)
        self.keys: set[str] = set()
        self.texts: set[tuple[int | None, str]] = set()
        for chunk in _chunks(keys, _CHUNK):
            found = session.scalars(select(Claim.external_key).where(Claim.external_key.in_(chunk)))
            self.keys.update(k for k in found if k is not None)
        for chunk in _chunks(texts, _CHUNK):
            stmt = select(Claim.article_id, Claim.text).where(Claim.text.in_(chunk))
            self.texts.update((article_id, text) for article_id, text in session.execute(stmt))

    def holds(self, plan: ClaimPlan, article: Article | None) -> bool:
        text_key = (article.id if article is not None else None, plan.data.text.strip())
        return plan.external_key in self.keys or text_key in self.texts

    def add(self, columns: dict[str, Any]) -> None:
        if columns["external_key"] is not None:
            self.keys.add(columns["external_key"])
        self.texts.add((columns["article_id"], columns["text"]))


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _span_hint(article: Article | None, quote: str | None, span: tuple[int, int] | None):
    """The file's span, when it still marks the quote in the article's text; otherwise
    `create_claim` looks for the quote itself."""
    if article is None or not quote or span is None:
        return None
    return span if article.text[span[0] : span[1]] == quote.strip() else None


def _build(
    session: Session, actor: User | None, plans: list[ClaimPlan], articles: _Articles
) -> list[NewClaim]:
    """The claims to create: each row's article found (or planned), repeats skipped, its
    columns built; every rule a row breaks, raised at once (CsvFileError)."""
    existing = _Existing(session, plans)
    problems: list[CsvProblem] = []
    new: list[NewClaim] = []
    for plan in plans:
        article = articles.get(plan.article_title, plan.article_url)
        if existing.holds(plan, article):
            articles.result.skipped += 1
            continue
        try:
            fields, columns = new_claim_columns(
                actor,
                plan.data,
                article,
                _span_hint(article, plan.data.quote, plan.span),
                ClaimOrigin.IMPORT,
                plan.external_key,
                plan.fields or None,
            )
        except WorkflowError as exc:  # a rule the row breaks (a quote not in its article, say)
            problems.append(CsvProblem(plan.line, exc.field, exc.message))
            continue
        columns["article_id"] = article.id if article is not None else None
        existing.add(columns)
        new.append(NewClaim(plan, fields, columns))
    if problems:
        raise CsvFileError(problems)  # the caller rolls back: nothing of the file is kept
    return new


def _name(filename: str) -> str:
    return PurePath(filename or "upload.csv").name[: limits.FILENAME]


def import_plans(
    session: Session,
    actor: User | None,
    plans: list[ClaimPlan],
    filename: str,
    prepared: PreparedImport | None = None,
) -> ImportResult:
    """Create the claims of a file `plan_import` validated; the caller commits (one
    transaction). The rows are written in batches (claims, sources, then every claim's history
    at once), so a big file keeps SQLite's write lock for a short time: validate the file
    (`plan_import`) before the transaction starts, and build its rows (`prepare_import`)."""
    if actor is not None and not can.can_import(actor):
        raise PermissionDenied("Only editors import claims.")
    # Two imports at once on PostgreSQL: the second waits, then skips what the first wrote
    # (reading it), instead of failing on a unique key.
    serialised(session.connection(), _IMPORT_LOCK)
    if prepared is not None:
        try:
            with session.begin_nested():
                return _apply(session, actor, prepared)
        except (_Stale, IntegrityError):
            # Rows the file's depend on changed since (a unique key taken meanwhile, say):
            # build them again, now under the lock.
            pass
    return _rebuild(session, actor, plans, filename)


def _rebuild(
    session: Session, actor: User | None, plans: list[ClaimPlan], filename: str
) -> ImportResult:
    """Find, check, build and write the file's rows, all under the write lock."""
    result = ImportResult(filename=_name(filename))
    articles = _Articles(session, actor, result, plans)
    new = _build(session, actor, plans, articles)
    ids = NewIds(session.connection())
    claim_ids = ids.take(Claim.__table__, len(new))
    claim_rows, source_rows, events = build_rows(actor, new, result.filename, claim_ids, ids)
    dialect = session.connection().dialect
    write_claims(
        session,
        BulkInsert(dialect, Claim.__table__, claim_rows),
        BulkInsert(dialect, Source.__table__, source_rows),
    )
    insert_events(session, events)
    articles.record_created()
    result.created, result.sources_created = claim_ids, len(source_rows)
    return result


@dataclass
class PreparedImport:
    """An import's rows, ids and history built before the write lock (`prepare_import`), as
    they are to be written when what they depend on is unchanged: under the lock, rows other
    writers created since move the ids (`_rebase`, cheap); a claim or article created since
    that the file's rows would have matched (`_matched_since`) makes it build again."""

    bases: dict[str, int]  # the first id predicted in each table of _PREDICTED
    plans: list[ClaimPlan]
    result: ImportResult
    articles: list[Article]  # to create, with the ids the database will give them
    new: list[NewClaim]
    rows: tuple[list[dict], list[dict], list[NewEvent]]  # claims, sources, events (build_rows)
    # The rows converted for the insert, the events linked (`_linked`):
    claims: BulkInsert = field(init=False)
    sources: BulkInsert = field(init=False)
    events: BulkInsert = field(init=False)
    heads: BulkInsert = field(init=False)  # of the new claims' chains, none with a head yet


class _Stale(Exception):
    """The database changed since `prepare_import` read it in a way the rows depend on."""


# The tables whose ids an import predicts (they continue after the maximum; none of these
# rows is ever deleted, so a moved maximum means rows were created since).
_PREDICTED = (Claim.__table__, Source.__table__, Article.__table__)


def _bases(conn) -> dict[str, int]:
    ids = NewIds(conn)
    return {table.name: ids.take(table, 1)[0] for table in _PREDICTED}


def prepare_import(
    session: Session, actor: User | None, plans: list[ClaimPlan], filename: str
) -> PreparedImport | None:
    """Everything an import writes, built in a read transaction (on SQLite, no write lock held):
    found articles, skipped repeats, rows with their ids, events with their hashes. None when
    there is no gain (PostgreSQL, whose writers do not exclude each other) or nothing to write.
    Raises the file's problems like `import_plans`."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    bases = _bases(conn)
    result = ImportResult(filename=_name(filename))
    ids = NewIds(conn)
    articles = _Articles(session, actor, result, plans, predict=ids)
    new = _build(session, actor, plans, articles)
    if not new:
        return None
    return _prepared(session, actor, ids, bases, plans, result, articles.created, new)


def _prepared(session, actor, ids, bases, plans, result, articles, new) -> PreparedImport | None:
    """The rows of `new` claims with ids from `ids`, their history hashed and linked (None
    when one of their chains has a head already)."""
    claim_ids = ids.take(Claim.__table__, len(new))
    rows = build_rows(actor, new, result.filename, claim_ids, ids)
    prepared = PreparedImport(bases, plans, result, articles, new, rows)
    return prepared if _linked(session, prepared) else None


def _linked(session: Session, prepared: PreparedImport) -> bool:
    """Link the prepared events onto their new chains and convert the rows for the insert;
    False when one of those chains has a head already."""
    claim_rows, source_rows, events = prepared.rows
    heads = link_new_chains(session, events)
    if heads is None:
        return False  # a new claim's chain has a head already: leave it to import_plans
    prepared.result.created = [row["id"] for row in claim_rows]
    prepared.result.sources_created = len(source_rows)
    dialect = session.connection().dialect
    prepared.claims = BulkInsert(dialect, Claim.__table__, claim_rows)
    prepared.sources = BulkInsert(dialect, Source.__table__, source_rows)
    prepared.events = event_insert(dialect, events)
    prepared.heads = BulkInsert(dialect, HistoryChainHead.__table__, heads)
    return True


def _matched_since(session: Session, prepared: PreparedImport) -> bool:
    """Whether a claim or article created since preparing is one the file's rows would have
    found (its external key, its text, its article's URL or title): they skip or link to it
    when built again. Reads only the rows created since."""
    finds = _Finds.of(prepared.plans)
    claims = session.execute(
        select(Claim.external_key, Claim.text).where(Claim.id >= prepared.bases["claims"])
    )
    if any(key in finds.keys or text in finds.texts for key, text in claims):
        return True
    articles = session.execute(
        select(Article.url, Article.title).where(Article.id >= prepared.bases["articles"])
    )
    return any(url in finds.urls or (title in finds.titles and not url) for url, title in articles)


def _rebase(session: Session, prepared: PreparedImport, bases: dict[str, int]) -> None:
    """Move the prepared rows' ids past the rows created since (`shift_rows`) and link their
    history again: no article or claim looked up, no row validated or built again."""
    first_article = prepared.bases["articles"]
    by = {name: bases[name] - first for name, first in prepared.bases.items()}
    for article in prepared.articles:
        article.id += by["articles"]
    shift_rows(prepared.new, prepared.rows, by, first_article)
    prepared.bases = bases
    if not _linked(session, prepared):
        raise _Stale


def _apply(session: Session, actor: User | None, prepared: PreparedImport) -> ImportResult:
    """Write a prepared import under the write lock: as it is when no claim, source or article
    was created since, moved past them (`_rebase`) when none of those is one the file's rows
    would have found; otherwise _Stale."""
    conn = session.connection()
    bases = _bases(conn)
    if bases != prepared.bases:
        if any(bases[name] < first for name, first in prepared.bases.items()):
            raise _Stale
        if _matched_since(session, prepared):
            raise _Stale
        _rebase(session, prepared, bases)
    created = []
    for planned in prepared.articles:
        article = create_article(
            session, actor, ArticleInput(text="", title=planned.title, url=planned.url),
            require_text=False, origin=ClaimOrigin.IMPORT, recorded=False,
        )  # fmt: skip
        session.flush()
        if article.id != planned.id:
            raise _Stale
        created.append(article)
    write_claims(session, prepared.claims, prepared.sources)
    if not insert_linked(session, prepared.events, prepared.heads):
        raise _Stale
    for article in created:
        record_article_added(session, actor, article, ClaimOrigin.IMPORT)
    return prepared.result
