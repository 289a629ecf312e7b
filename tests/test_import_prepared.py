"""A CSV import built before SQLite's write lock (`prepare_import`) and written under it: as
built, or with its ids moved past rows created meanwhile; built again under the lock, with the
same outcome, only when a row created meanwhile is one the file would have matched."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from factcheck.db import session_factory, transaction
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Article, Claim, HistoryChainHead, HistoryEvent, Source, User
from factcheck.queries.claims import ClaimFilters, list_claims
from factcheck.queries.desk_search import find_sources
from factcheck.workflow.history import verify_chains
from factcheck.workflow.imports import import_plans, plan_import, prepare_import
from tests.factories import attach_source, make_claim, make_user
from tests.test_status_counts import counted_statuses, kept_status_counts


def _prepare(engine, plans, username: str):
    with session_factory(engine, write=False)() as session:
        actor = session.scalar(select(User).filter_by(username=username))
        return prepare_import(session, actor, plans, "file.csv")


def _import(engine, plans, username: str, prepared):
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    with transaction(engine) as session:
        actor = session.scalar(select(User).filter_by(username=username))
        event.listen(engine, "before_cursor_execute", seen)
        try:
            result = import_plans(session, actor, plans, "file.csv", prepared)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    return result, statements


def _counts(engine) -> tuple[int, int, int, int]:
    with session_factory(engine, write=False)() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Claim, Source, Article, HistoryEvent)
        )


@pytest.fixture
def editor(engine):
    with transaction(engine) as session:
        return make_user(session, "editor").username


def test_a_prepared_import_only_writes_under_the_lock(engine, editor, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers do not exclude each other: nothing is prepared")
    plans = plan_import(claims_csv(300, articles=3))
    prepared = _prepare(engine, plans, editor)
    assert prepared is not None
    result, statements = _import(engine, plans, editor, prepared)
    assert len(result.created) == 300 and result.articles_created == 3
    assert result.sources_created == 300
    lookups = [s for s in statements if s.lstrip().upper().startswith("SELECT") and " IN " in s]
    # No claim or article looked up again under the lock; the system chain's head only, once
    # per new article (its event), not the new claims' chains.
    assert len(lookups) == 3 and all("FROM history_chain_heads" in s for s in lookups), lookups
    assert _counts(engine) == (300, 300, 3, 1 + 300 + 300 + 3)  # the account, then the file
    # Each full-text index takes the new rows in one statement, not a trigger call per row.
    for index in ("claims_search", "sources_search"):
        assert sum(s.startswith(f"INSERT INTO {index}(") for s in statements) == 1, index
    with session_factory(engine, write=False)() as session:
        assert verify_chains(session)[1] == []
        titles = session.scalars(select(Claim.article_id).distinct()).all()
        assert len(titles) == 3


def test_a_write_since_preparing_builds_the_rows_again_under_the_lock(engine, editor, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers do not exclude each other: nothing is prepared")
    plans = plan_import(claims_csv(50, articles=2))
    prepared = _prepare(engine, plans, editor)
    # Meanwhile another writer adds a claim (taking the first id the plan counted on) and
    # imports half of the same file (its articles, and 25 of its claims, now exist).
    with transaction(engine) as session:
        make_claim(session)
    half = plan_import(claims_csv(25, articles=2))
    _import(engine, half, editor, None)
    result, _ = _import(engine, plans, editor, prepared)
    assert len(result.created) == 25 and result.skipped == 25 and result.articles_created == 0
    assert _counts(engine)[:3] == (51, 50, 2)
    with session_factory(engine, write=False)() as session:
        assert verify_chains(session)[1] == []
        assert session.scalar(select(func.count(func.distinct(Claim.external_key)))) == 50


def test_unrelated_writes_since_preparing_move_the_prepared_ids(
    engine, editor, backend, monkeypatch
):
    """A claim, an article and a comment written since preparing: the prepared rows are
    written all the same, their ids moved past the new rows and their history hashed again,
    not built again under the lock."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers do not exclude each other: nothing is prepared")
    from factcheck.workflow import imports
    from factcheck.workflow.claims import add_comment
    from tests.factories import make_article

    plans = plan_import(claims_csv(40, articles=2))
    prepared = _prepare(engine, plans, editor)
    assert prepared is not None
    with transaction(engine) as session:
        actor = session.scalar(select(User).filter_by(username=editor))
        other = make_claim(session, actor, text="Written while the file was being read.")
        attach_source(session, actor, other, title="Meanwhile")
        add_comment(session, actor, other, "A comment meanwhile.")
        article = make_article(session, title="An unrelated article")
        other_id, article_id = other.id, article.id
    rebuilds: list[bool] = []
    rebuild = imports._rebuild
    monkeypatch.setattr(imports, "_rebuild", lambda *args: rebuilds.append(True) or rebuild(*args))
    result, _ = _import(engine, plans, editor, prepared)
    assert rebuilds == []
    assert result.created == list(range(other_id + 1, other_id + 41))
    assert result.articles_created == 2 and result.skipped == 0
    assert _counts(engine)[:3] == (41, 41, 3)
    with session_factory(engine, write=False)() as session:
        assert verify_chains(session)[1] == []
        linked = session.scalars(
            select(Claim.article_id).where(Claim.id > other_id).distinct()
        ).all()
        assert sorted(linked) == [article_id + 1, article_id + 2]
        titles = session.scalars(select(Article.title).where(Article.id > article_id)).all()
        assert sorted(titles) == ["Imported article 0", "Imported article 1"]
        sources = session.scalars(select(Source.claim_id).where(Source.claim_id > other_id)).all()
        assert sorted(sources) == result.created
        assert kept_status_counts(session) == counted_statuses(session)


def test_the_same_keys_imported_since_preparing_build_the_rows_again(
    engine, editor, backend, monkeypatch
):
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers do not exclude each other: nothing is prepared")
    from factcheck.workflow import imports

    plans = plan_import(claims_csv(30, articles=3))
    prepared = _prepare(engine, plans, editor)
    with transaction(engine) as session:  # the same keys, other texts and articles
        rows = [f"row-{i},Elsewhere,Another text {i},other,3," for i in range(0, 30, 3)]
        header = "external_key,article_title,text,claim_type,priority,source_urls"
        imports.import_plans(
            session, None, plan_import("\r\n".join([header, *rows]).encode()), "other.csv"
        )
    rebuilds: list[bool] = []
    rebuild = imports._rebuild
    monkeypatch.setattr(imports, "_rebuild", lambda *args: rebuilds.append(True) or rebuild(*args))
    result, _ = _import(engine, plans, editor, prepared)
    assert rebuilds == [True]
    assert len(result.created) == 20 and result.skipped == 10
    with session_factory(engine, write=False)() as session:
        assert session.scalar(select(func.count(func.distinct(Claim.external_key)))) == 30
        assert session.scalar(select(func.count()).select_from(Claim)) == 30
        assert verify_chains(session)[1] == []


def test_an_article_the_file_names_created_since_preparing_is_linked_to(
    engine, editor, backend, monkeypatch
):
    """An article with a title the file's rows name, created meanwhile: built again, the rows
    find it as a repeated import would, and no second article of that title is created."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers do not exclude each other: nothing is prepared")
    from factcheck.workflow import imports
    from tests.factories import make_article

    plans = plan_import(claims_csv(20, articles=2))
    prepared = _prepare(engine, plans, editor)
    with transaction(engine) as session:
        article_id = make_article(session, title="Imported article 0").id
    rebuilds: list[bool] = []
    rebuild = imports._rebuild
    monkeypatch.setattr(imports, "_rebuild", lambda *args: rebuilds.append(True) or rebuild(*args))
    result, _ = _import(engine, plans, editor, prepared)
    assert rebuilds == [True] and result.articles_created == 1 and len(result.created) == 20
    with session_factory(engine, write=False)() as session:
        titles = session.scalars(select(Article.title).order_by(Article.id)).all()
        assert titles == ["Imported article 0", "Imported article 1"]
        linked = session.scalar(select(func.count()).where(Claim.article_id == article_id))
        assert linked == 10
        assert verify_chains(session)[1] == []


def test_the_upload_builds_its_rows_without_holding_the_write_lock(
    client, as_user, backend, database_url, monkeypatch
):
    """While the rows' history is linked (the last of the building) another writer can take
    SQLite's write lock at once: only the inserts wait for it."""
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    import io
    import sqlite3

    from factcheck.workflow import imports

    as_user("editor")
    takes: list[bool] = []
    link = imports.link_new_chains

    def link_while_writing(*args, **kwargs):
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            takes.append(True)
        except sqlite3.OperationalError:  # "database is locked"
            takes.append(False)
        finally:
            other.close()
        return link(*args, **kwargs)

    monkeypatch.setattr(imports, "link_new_chains", link_while_writing)
    response = client.post(
        "/imports/claims",
        data={"file": (io.BytesIO(claims_csv(3)), "three.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert takes == [True]


def test_a_failure_while_inserting_leaves_nothing(engine, editor, monkeypatch):
    """Claims, sources, their search rows and the new chains' heads are in when the events'
    insert fails: the transaction rolls back whole, and the row triggers set aside for the
    bulk insert (status counts, full-text indexes) are there again for the next writer."""
    from factcheck.db import BulkInsert

    rows = [
        f"halfway-{i},Paper {i % 2},Halfway case {i},https://halfway.example/{i}" for i in range(40)
    ]
    plans = plan_import(
        "\r\n".join(["external_key,article_title,text,source_urls", *rows]).encode()
    )
    prepared = _prepare(engine, plans, editor)  # SQLite: built ahead; PostgreSQL: None
    before = _counts(engine)
    run = BulkInsert.run

    def fail_at_events(self, bind, **kwargs):
        if self.table.name == "history_events":
            raise RuntimeError("disk gone")
        return run(self, bind, **kwargs)

    monkeypatch.setattr(BulkInsert, "run", fail_at_events)
    with pytest.raises(RuntimeError, match="disk gone"):
        _import(engine, plans, editor, prepared)
    monkeypatch.setattr(BulkInsert, "run", run)
    assert _counts(engine) == before
    with session_factory(engine, write=False)() as session:
        assert session.scalar(select(func.count()).select_from(HistoryChainHead)) == 1  # system
        assert find_sources(session, "halfway", before=None, limit=5) == []
        assert list_claims(session, ClaimFilters(q="halfway")).claims == []
        assert kept_status_counts(session) == counted_statuses(session)
    # The same file again, now whole: counted, searchable, its history intact.
    result, _ = _import(engine, plans, editor, _prepare(engine, plans, editor))
    with transaction(engine) as session:
        actor = session.scalar(select(User).filter_by(username=editor))
        later = make_claim(session, actor, text="Written after the halfway import.")
        attach_source(session, actor, later, title="Afterward")
    with session_factory(engine, write=False)() as session:
        found = {c.id for c in list_claims(session, ClaimFilters(q="halfway")).claims}
        assert found == {*result.created, later.id} and len(result.created) == 40
        assert len(find_sources(session, "halfway", before=None, limit=50)) == 40
        assert len(find_sources(session, "afterward", before=None, limit=5)) == 1
        assert kept_status_counts(session) == counted_statuses(session)
        assert kept_status_counts(session)["unreviewed"] == 41
        assert verify_chains(session)[1] == []


def test_a_chain_started_since_preparing_is_not_overwritten(engine, backend):
    """The prepared heads go in with one statement that leaves a taken chain alone and counts
    what it inserted: a chain started since the import was built makes it build again."""
    if backend != "sqlite":
        pytest.skip("prepared imports (and this statement) are SQLite's")
    from factcheck.db import BulkInsert
    from factcheck.workflow.history import event_insert, head_row
    from factcheck.workflow.import_writes import insert_linked

    dialect = engine.dialect
    taken, fresh = (
        head_row("claim:900001", 1, "a" * 64, None),
        head_row("claim:900002", 1, "b" * 64, None),
    )
    with transaction(engine) as session:
        assert BulkInsert(dialect, HistoryChainHead.__table__, [taken]).run(session) == 1
    with session_factory(engine, write=True)() as session:  # not committed: the caller's
        heads = BulkInsert(dialect, HistoryChainHead.__table__, [{**taken, "seq": 7}, fresh])
        assert not insert_linked(session, event_insert(dialect, []), heads)
        stored = session.get(HistoryChainHead, "claim:900001")
        assert stored is not None and stored.seq == 1  # left as it was
