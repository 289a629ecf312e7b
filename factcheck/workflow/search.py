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


RARE = 500  # a word in fewer claims than this tells candidates apart; one in more hardly does
BOUND = 1000  # matches ranked at most, whatever the desk's size: the newest of them

# The telling words, chosen inside the statement that ranks their matches (so a page spends
# no statement on them): `words` are the terms as queries, `counted` how many claims hold each
# (SQLite: counted, each count stopping at RARE; PostgreSQL: estimated from the statistics
# ANALYZE keeps (autovacuum, and after demo data) of the commonest words, a word they do not
# list being rarer than any they do, as counting there would read thousands of rows a word;
# counted as on SQLite while the table has never been analysed),
# `chosen` the query: the rare ones, or the rarest alone (the first of equally common ones).
_CHOSEN_SQLITE = """WITH words(i, q) AS (VALUES {values}),
counted AS (SELECT i, q, (SELECT count(*) FROM (SELECT rowid FROM claims_search
    WHERE claims_search MATCH words.q LIMIT :rare)) AS n FROM words),
chosen(query) AS (SELECT coalesce(
    (SELECT group_concat(q, ' OR ') FROM counted WHERE n < :rare),
    (SELECT q FROM counted ORDER BY n, i LIMIT 1)))
"""
_CHOSEN_POSTGRES = """WITH words(i, q, prefix) AS (VALUES {values}),
stats AS (SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs,
    c.reltuples AS claims FROM pg_class AS c LEFT JOIN pg_stats AS s
    ON s.schemaname = current_schema() AND s.tablename = 'claims' AND s.attname = 'search_vector'
    WHERE c.oid = to_regclass('claims')),
counted AS (SELECT i, q, CASE WHEN (SELECT elems FROM stats) IS NULL
    THEN (SELECT count(*) FROM (SELECT 1 FROM claims
        WHERE search_vector @@ to_tsquery('simple', words.q) LIMIT :rare) AS c)
    ELSE coalesce((SELECT max(st.claims) * sum(f.share)
        FROM stats AS st, unnest(st.elems, st.freqs) AS f(elem, share)
        WHERE f.elem LIKE words.prefix || '%'), 0) END AS n FROM words),
chosen(query) AS (SELECT coalesce(
    (SELECT string_agg(q, ' | ') FROM counted WHERE n < :rare),
    (SELECT q FROM counted ORDER BY n, i LIMIT 1)))
"""
_RANKED_SQLITE = (
    # The newest BOUND matches (FTS5 reads them in rowid order and stops), then the best of
    # them; weights per column (text, quote, claimant): a claim's own words count most.
    "SELECT id FROM (SELECT rowid AS id, bm25(claims_search, 4.0, 1.0, 2.0) AS score "
    "FROM claims_search WHERE claims_search MATCH (SELECT query FROM chosen) "
    "ORDER BY rowid DESC LIMIT :bound) ORDER BY score LIMIT :limit"
)
_RANKED_POSTGRES = (
    "SELECT id FROM (SELECT id, search_vector FROM claims WHERE search_vector @@ "
    "to_tsquery('simple', (SELECT query FROM chosen)) ORDER BY id DESC LIMIT :bound) AS newest "
    "ORDER BY ts_rank(search_vector, to_tsquery('simple', (SELECT query FROM chosen))) DESC, "
    "id DESC LIMIT :limit"
)


def _chosen(session: Session, terms: list[str]) -> tuple[str, dict, bool]:
    """The WITH clauses choosing the telling terms, their parameters, whether PostgreSQL."""
    postgres = _postgres(session)
    if postgres:
        values = ", ".join(
            f"({i}, CAST(:q{i} AS text), CAST(:p{i} AS text))" for i in range(len(terms))
        )
        params = {f"q{i}": tsquery([t]) for i, t in enumerate(terms)}
        params |= {f"p{i}": t for i, t in enumerate(terms)}
        return _CHOSEN_POSTGRES.format(values=values), params | {"rare": RARE}, True
    values = ", ".join(f"({i}, :q{i})" for i in range(len(terms)))
    params = {f"q{i}": fts5_query([t]) for i, t in enumerate(terms)}
    return _CHOSEN_SQLITE.format(values=values), params | {"rare": RARE}, False


def telling_terms(session: Session, terms: list[str]) -> list[str]:
    """Of `terms` (the longest first), those in fewer than RARE claims, or the rarest alone
    when every one is common: a word in a third of the desk's claims only makes the ranking
    read them all. (`best_matches` chooses them within its own statement; this shows which.)"""
    chosen, params, postgres = _chosen(session, terms)
    query = session.execute(text(chosen + "SELECT query FROM chosen"), params).scalar_one()
    as_query = {(tsquery if postgres else fts5_query)([t]): t for t in terms}
    return [as_query[q] for q in query.split(" | " if postgres else " OR ")]


def best_matches(session: Session, terms: list[str], limit: int) -> Select:
    """The ids of at most `limit` claims holding any of `terms`, the best ranked: a subquery
    for `Claim.id.in_(...)`. Bounded at any size: only the telling terms are searched for
    (`telling_terms`), and only the newest BOUND of their matches are ranked."""
    chosen, params, postgres = _chosen(session, terms)
    ranked = text(chosen + (_RANKED_POSTGRES if postgres else _RANKED_SQLITE))
    ranked = ranked.bindparams(**params, bound=BOUND, limit=limit).columns(column("id", Integer))
    found = ranked.subquery("ranked")
    return select(found.c.id)


_TEXT_INDEXED = ("articles", "sources")  # migration 0017: `<table>_search` / `search_vector`


def text_matching(
    session: Session, table: str, terms: list[str], *, before: int | None = None, limit: int
) -> TextClause:
    """True for the newest `limit` rows of `table` (articles or sources, named so in the
    statement) below id `before` holding every term as a word prefix, through its full-text
    index. On SQLite the index yields them newest first and stops at `limit`, so a word in
    most rows costs what a rare one does; PostgreSQL's planner reads the id index backwards
    and checks each row when a word is common."""
    if table not in _TEXT_INDEXED:
        raise ValueError(f"no full-text index on {table}")
    if _postgres(session):
        clause = text(f"({table}.search_vector @@ to_tsquery('simple', :terms_{table}))")
        return clause.bindparams(**{f"terms_{table}": tsquery(terms)})
    below = f" AND rowid < :before_{table}" if before is not None else ""
    clause = text(
        f"({table}.id IN (SELECT rowid FROM {table}_search "
        f"WHERE {table}_search MATCH :terms_{table}{below} ORDER BY rowid DESC "
        f"LIMIT :limit_{table}))"
    )
    values = {f"terms_{table}": fts5_query(terms), f"limit_{table}": limit}
    if before is not None:
        values[f"before_{table}"] = before
    return clause.bindparams(**values)
