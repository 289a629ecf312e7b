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

import functools
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.columns import CLAIM_COLUMNS
from factcheck.csv_io import CsvFileError, CsvProblem, decode_upload, read_rows
from factcheck.db import NewIds, insert_many, search_indexed_in_bulk
from factcheck.models import Article, Claim, ClaimStatusCount, Source, User, utcnow
from factcheck.vocabulary import HistoryAction

from . import permissions as can
from .articles import ArticleInput, create_article, record_article_added
from .claims import new_claim_columns
from .errors import PermissionDenied, WorkflowError
from .events import claim_created_details, import_extra, source_added_details
from .history import canonical_json, insert_events, jsonable, new_event
from .import_rows import ClaimPlan, _plan_row

REQUIRED_COLUMNS = ("text",)
MAX_ROWS = 20_000


@dataclass
class ImportResult:
    filename: str
    created: list[int] = field(default_factory=list)
    skipped: int = 0
    articles_created: int = 0
    sources_created: int = 0


def json_template(details: dict[str, Any]) -> str:
    """The canonical JSON of an events.py builder's `details` as a `str.format` template: each
    value "@name@" becomes the slot {name}, to be filled with JSON already encoded. An import
    fills thousands of events this way (as fast as hand-built JSON) while their shape stays the
    builder's."""
    text = canonical_json(details).replace("{", "{{").replace("}", "}}")
    return re.sub(r'"@(\w+)@"', r"{\1}", text)


# claim_created and source_added as the services record them, for the bulk insert.
CLAIM_CREATED_JSON = json_template(
    claim_created_details("import", "@fields@", import_extra("@file@", "@line@"))
)
SOURCE_ADDED_JSON = json_template(source_added_details("@source_id@", "@fields@"))


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
    """Finds an import row's article by its URL when the row has one, else by its title (all
    of a file's, in a few chunked queries); creates a bare one (no text) when there is none."""

    def __init__(
        self, session: Session, actor: User | None, result: ImportResult, plans: list[ClaimPlan]
    ) -> None:
        self.session, self.actor, self.result = session, actor, result
        self.cache: dict[tuple[str | None, str | None], Article] = {}
        self.created: list[Article] = []
        urls = sorted({p.article_url for p in plans if p.article_url})
        titles = sorted({p.article_title for p in plans if p.article_title and not p.article_url})
        self.by_url = self._first(Article.url, urls)
        self.by_title = self._first(Article.title, titles)

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
        article = create_article(
            self.session,
            self.actor,
            ArticleInput(text="", title=title, url=url),
            require_text=False,
            origin="import",
            recorded=False,  # recorded last, see record_created
        )
        self.result.articles_created += 1
        self.created.append(article)
        return article

    def record_created(self) -> None:
        for article in self.created:
            record_article_added(self.session, self.actor, article, "import")


_CHUNK = 500


class _Existing:
    """The claims a file may repeat, read in a few chunked queries before the rows are written
    (not two queries per row): by external key, and by (article, text). Claims this import
    creates are added, so a file repeating itself is skipped the same way."""

    def __init__(self, session: Session, plans: list[ClaimPlan]) -> None:
        keys = sorted({p.external_key for p in plans if p.external_key is not None})
        texts = sorted({p.data.text.strip() for p in plans})
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


@dataclass
class _NewClaim:
    plan: ClaimPlan
    fields: dict[str, Any]  # as the history records them
    columns: dict[str, Any]


def _insert_with_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` in batches, with ids drawn first (no RETURNING, which SQLite can only
    honour in order one row at a time); their ids, in the same order."""
    ids = NewIds(session.connection()).take(table, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    insert_many(session, table, rows)
    return ids


_COUNT_TRIGGER = "claims_count_insert"  # SQLite's, one UPDATE per inserted claim (0004)
_COUNTS = ClaimStatusCount.__table__
_ADD_TO_COUNT = (
    update(_COUNTS)
    .where(_COUNTS.c.status == bindparam("counted_status"))
    .values(claims=_COUNTS.c.claims + bindparam("added"))
)


@contextmanager
def _counted_in_bulk(session: Session, statuses: Counter[str]) -> Iterator[None]:
    """Insert claims with `statuses` inside, counting them per status once, not per row.

    On SQLite the per-row count trigger (a third of a bulk insert's time) is dropped for the
    insert and created again from its own stored SQL, all in this write transaction: no other
    writer runs meanwhile and readers see none of it, since the schema change commits or rolls
    back with the rows. PostgreSQL's trigger already counts once per statement."""
    conn = session.connection()
    trigger = None
    if conn.dialect.name == "sqlite":
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_COUNT_TRIGGER,)
        ).scalar()
    if trigger is None:
        yield
        return
    conn.exec_driver_sql(f"DROP TRIGGER {_COUNT_TRIGGER}")
    try:
        yield
        if statuses:
            conn.execute(
                _ADD_TO_COUNT,
                [{"counted_status": s, "added": n} for s, n in sorted(statuses.items())],
            )
    finally:
        # IF NOT EXISTS: should SQLite itself have rolled the transaction back (an I/O error,
        # a full disk), the trigger is back already and that original error must surface.
        conn.exec_driver_sql(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def import_plans(
    session: Session, actor: User | None, plans: list[ClaimPlan], filename: str
) -> ImportResult:
    """Create the claims of a file `plan_import` validated; the caller commits (one
    transaction). The rows are written in batches (claims, sources, then every claim's history
    at once), so a big file keeps SQLite's write lock for a short time: validate the file
    (`plan_import`) before the transaction starts."""
    if actor is not None and not can.can_import(actor):
        raise PermissionDenied("Only editors import claims.")
    name = PurePath(filename or "upload.csv").name[: limits.FILENAME]
    result = ImportResult(filename=name)
    articles = _Articles(session, actor, result, plans)
    existing = _Existing(session, plans)
    problems: list[CsvProblem] = []
    new: list[_NewClaim] = []
    for plan in plans:
        article = articles.get(plan.article_title, plan.article_url)
        if existing.holds(plan, article):
            result.skipped += 1
            continue
        try:
            fields, columns = new_claim_columns(
                actor,
                plan.data,
                article,
                _span_hint(article, plan.data.quote, plan.span),
                "import",
                plan.external_key,
                plan.fields or None,
            )
        except WorkflowError as exc:  # a rule the row breaks (a quote not in its article, say)
            problems.append(CsvProblem(plan.line, exc.field, exc.message))
            continue
        columns["article_id"] = article.id if article is not None else None
        existing.add(columns)
        new.append(_NewClaim(plan, fields, columns))
    if problems:
        raise CsvFileError(problems)  # the caller rolls back: nothing of the file is kept
    _write_claims(session, actor, new, name, result)
    articles.record_created()
    return result


def _write_claims(
    session: Session, actor: User | None, new: list[_NewClaim], name: str, result: ImportResult
) -> None:
    """Insert the claims, their sources and the history `create_claim` and `add_source`
    would have recorded, a batch at a time."""
    now = utcnow()
    timestamps = {"created_at": now, "updated_at": now, "last_activity_at": now}
    statuses = Counter(row.columns["status"] for row in new)
    with _counted_in_bulk(session, statuses), search_indexed_in_bulk(session.connection()):
        claim_ids = _insert_with_ids(
            session, Claim.__table__, [{**row.columns, **timestamps} for row in new]
        )
    added_by = actor.id if actor is not None else None
    source_rows = [
        {**fields, "claim_id": claim_id, "added_by_id": added_by}
        for row, claim_id in zip(new, claim_ids, strict=True)
        for fields in row.plan.sources
    ]
    source_ids = iter(_insert_with_ids(session, Source.__table__, source_rows))
    file_json = canonical_json(name)
    events = []
    for row, claim_id in zip(new, claim_ids, strict=True):
        plan = row.plan
        event = functools.partial(
            new_event,
            actor=actor,
            claim_id=claim_id,
            article_id=row.columns["article_id"],
            claim_version=1,
            created_at=now,
        )
        fields_json = (
            plan.fields_json if row.fields == plan.fields else canonical_json(jsonable(row.fields))
        )
        events.append(
            event(
                action=HistoryAction.CLAIM_CREATED,
                details_json=CLAIM_CREATED_JSON.format(
                    fields=fields_json, file=file_json, line=int(plan.line)
                ),
            )
        )
        for source_json in plan.sources_json:
            events.append(
                event(
                    action=HistoryAction.SOURCE_ADDED,
                    details_json=SOURCE_ADDED_JSON.format(
                        fields=source_json, source_id=next(source_ids)
                    ),
                )
            )
    insert_events(session, events)
    result.created = claim_ids
    result.sources_created = len(source_rows)
