"""Full-text search over claims (their text, quote and claimant) through the index migration 0009
builds: SQLite's FTS5 table `claims_search`, PostgreSQL's `claims.search_vector` with its GIN
index. Both are kept in step by the database itself (triggers, a generated column), so every
way a claim is written (the app, CSV import, demo data, a restore) is searchable at once.

What a user types never reaches the database's query syntax as such: it is cut into words
(letters and digits only; quotes, `*`, `-`, `NEAR`, `:` and the like are separators), and each
word is matched as a word prefix ("vacc" finds "vaccines"). The claims list asks for every word;
the near-duplicate pre-filter for any of them, best ranked first (bm25 on SQLite, ts_rank on
PostgreSQL). Here in the workflow layer, as the pre-filter is a service; the list's query
reads it from `queries/claims.py`."""

from __future__ import annotations

import re

from sqlalchemy import Integer, Select, String, TextClause, bindparam, column, select, text
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType

MAX_TERMS = 12  # words a search keeps: more narrow nothing a reader would notice
_MAX_TERM = 60  # characters of one word
_MAX_INPUT = 2000  # characters of input looked at
_WORD = re.compile(r"[^\W_]+")  # as both tokenizers see words: "_" separates too


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def search_terms(query: str, limit: int = MAX_TERMS) -> list[str]:
    """The distinct words of `query`, lower-cased, in order, at most `limit` of them."""
    words = (w.lower()[:_MAX_TERM] for w in _WORD.findall(query[:_MAX_INPUT]))
    return list(dict.fromkeys(words))[:limit]


def fts5_query(terms: list[str], operator: str = " ") -> str:
    """An FTS5 query with each term a quoted prefix: `"word"*` (space: all of them; " OR ")."""
    return operator.join(f'"{t}"*' for t in terms)


def tsquery(terms: list[str], operator: str = " & ") -> str:
    """A PostgreSQL tsquery with each term a quoted prefix: `'word':*` ("&": all; " | ")."""
    return operator.join(f"'{t}':*" for t in terms)


class claim_matches(FunctionElement):
    """True for a claim (of the `claims` table in the statement) whose text, quote or claimant
    holds every term as a word prefix; built with `matching`."""

    type = NullType()  # not Boolean: SQLite would compare the test with 1 and lose its index
    inherit_cache = True
    name = "claim_matches"


class claim_matches_scanned(claim_matches):
    """The same test, for a query that reads claims in the order of one of their indexes (a
    sorted list page) and stops early: SQLite then checks each claim against the matches
    (collected once) instead of fetching every match to sort them, which is much faster when
    many claims match (see `is_broad`). PostgreSQL's planner makes that choice itself."""

    inherit_cache = True
    name = "claim_matches_scanned"


class claim_matches_first(claim_matches):
    """The same test, true for only the first `first` matches on SQLite (by rowid, as FTS5
    yields them), so a count under it stops reading the index there (the status tabs of a broad
    search). PostgreSQL's planner stops by itself under the count's LIMIT."""

    inherit_cache = True
    name = "claim_matches_first"


def matching(terms: list[str], *, scanned: bool = False, first: int | None = None) -> claim_matches:
    fts, ts = bindparam(None, fts5_query(terms), String), bindparam(None, tsquery(terms), String)
    if first is not None:
        return claim_matches_first(fts, ts, bindparam(None, first, Integer))
    kind = claim_matches_scanned if scanned else claim_matches
    return kind(fts, ts)


BROAD = 1000  # matches from which a sorted SQLite page is read by scanning, not by matches


def is_broad(session: Session, terms: list[str]) -> bool:
    """Whether at least BROAD claims hold every term (counted on SQLite only, at most BROAD)."""
    if _postgres(session) or not terms:
        return False
    found = session.execute(_COUNT_SQLITE, {"query": fts5_query(terms), "limit": BROAD})
    return found.scalar_one() >= BROAD


_COUNT_SQLITE = text(
    "SELECT count(*) FROM (SELECT rowid FROM claims_search WHERE claims_search MATCH :query "
    "LIMIT :limit)"
)


@compiles(claim_matches, "sqlite")
def _match_sqlite(element: claim_matches, compiler, **kw) -> str:
    query = compiler.process(element.clauses.clauses[0], **kw)
    # "+": not by the primary key, so the statement keeps the index its sort reads.
    claim_id = "+claims.id" if isinstance(element, claim_matches_scanned) else "claims.id"
    limit = ""
    if isinstance(element, claim_matches_first):
        limit = " LIMIT " + compiler.process(element.clauses.clauses[2], **kw)
    matches = f"SELECT rowid FROM claims_search WHERE claims_search MATCH {query}{limit}"
    return f"({claim_id} IN ({matches}))"


@compiles(claim_matches, "postgresql")
def _match_postgres(element: claim_matches, compiler, **kw) -> str:
    query = compiler.process(element.clauses.clauses[1], **kw)
    return f"(claims.search_vector @@ to_tsquery('simple', {query}))"


@compiles(claim_matches)
def _match_other(element: claim_matches, compiler, **kw) -> str:
    raise CompileError("claim search needs SQLite's FTS5 or PostgreSQL")


COMMON = 1000  # claims holding a word from which it no longer narrows the ranked pool

# The words searched for, chosen in the statement itself: each word (:q0, :q1...) counted up
# to :cap claims (SQLite), or as many as PostgreSQL's statistics of the column say hold a word
# it begins (the most common lexemes, kept by ANALYZE: counting in the index itself reads every
# holder of a common word); those held by fewer than :cap are searched for, any of them, and
# when there are none, all the words (:every). Then the index ranks what that finds.
_WORD_SQLITE = (
    "SELECT :q{i} AS q, (SELECT count(*) FROM (SELECT rowid FROM claims_search "
    "WHERE claims_search MATCH :q{i} LIMIT :cap)) AS n"
)
_WORD_POSTGRES = (
    "SELECT CAST(:q{i} AS text) AS q, (SELECT coalesce(sum(freq), 0) FROM lexemes "
    "WHERE starts_with(lexeme, :t{i})) * (SELECT max(reltuples) FROM pg_class "
    "WHERE oid = 'claims'::regclass) AS n"
)
_LEXEMES = (
    "WITH lexemes AS (SELECT unnest(most_common_elems::text::text[]) AS lexeme, "
    "unnest(most_common_elem_freqs) AS freq FROM pg_stats WHERE schemaname = current_schema() "
    "AND tablename = 'claims' AND attname = 'search_vector') "
)
_RANKED_SQLITE = (
    # Weights per column (text, quote, claimant): a claim's own words count most.
    "SELECT rowid AS id FROM claims_search WHERE claims_search MATCH "
    "(SELECT coalesce(group_concat(q, ' OR '), :every) FROM ({words}) WHERE n < :cap) "
    "ORDER BY bm25(claims_search, 4.0, 1.0, 2.0) LIMIT :limit"
)
_RANKED_POSTGRES = (
    _LEXEMES + "SELECT id FROM claims, to_tsquery('simple', "
    "(SELECT coalesce(string_agg(q, ' | '), :every) FROM ({words}) AS words WHERE n < :cap)"
    ") AS query WHERE search_vector @@ query ORDER BY ts_rank(search_vector, query) DESC, "
    "id DESC LIMIT :limit"
)


def best_matches(session: Session, terms: list[str], limit: int) -> Select:
    """The ids of at most `limit` claims holding any of `terms`, the best ranked: a subquery
    for `Claim.id.in_(...)`, in the same statement as the page's read.

    Words COMMON claims hold are left out of the "any of" when rarer ones remain (with them
    the index ranks every claim holding a common word, a cost growing with the desk); when
    every word is common, the claims holding all of them are ranked. Either way every claim,
    old or new, may be found."""
    postgres = _postgres(session)
    one, ranked, query = (
        (_WORD_POSTGRES, _RANKED_POSTGRES, tsquery)
        if postgres
        else (_WORD_SQLITE, _RANKED_SQLITE, fts5_query)
    )
    words = " UNION ALL ".join(one.format(i=i) for i in range(len(terms)))
    params = {f"q{i}": query([t]) for i, t in enumerate(terms)}
    if postgres:
        params |= {f"t{i}": t for i, t in enumerate(terms)}
    statement = text(ranked.format(words=words)).bindparams(
        every=query(terms), cap=COMMON, limit=limit, **params
    )
    found = statement.columns(column("id", Integer)).subquery("ranked")
    return select(found.c.id)


_TEXT_INDEXED = ("articles", "sources")  # migration 0017: `<table>_search` / `search_vector`


def text_matching(session: Session, table: str, terms: list[str]) -> TextClause:
    """True for a row of `table` (articles or sources, named so in the statement) holding
    every term as a word prefix, through its full-text index."""
    if table not in _TEXT_INDEXED:
        raise ValueError(f"no full-text index on {table}")
    if _postgres(session):
        clause = text(f"({table}.search_vector @@ to_tsquery('simple', :terms_{table}))")
        return clause.bindparams(**{f"terms_{table}": tsquery(terms)})
    clause = text(
        f"({table}.id IN (SELECT rowid FROM {table}_search "
        f"WHERE {table}_search MATCH :terms_{table}))"
    )
    return clause.bindparams(**{f"terms_{table}": fts5_query(terms)})
