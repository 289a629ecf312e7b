"""CSV exports (claims, sources, history) and the CSV import, through the app and the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select, text

from config import TestingConfig
from factcheck import create_app
from factcheck.csv_io import neutralise
from factcheck.db import session_factory, upgrade_database
from factcheck.models import Article, Claim, HistoryEvent, Source
from factcheck.queries.exports import CLAIM_COLUMNS, HISTORY_COLUMNS, SOURCE_COLUMNS
from tests.conftest import login
from tests.factories import make_article, make_claim, make_user, publish


def rows_of(response_or_text) -> list[dict[str, str]]:
    text = (
        response_or_text
        if isinstance(response_or_text, str)
        else response_or_text.get_data(as_text=True)
    )
    # The download links start with a UTF-8 byte-order mark (for Excel); csv reads it as text.
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def upload(client, content: bytes | str, filename: str = "claims.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/imports/claims",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def count(session, model) -> int:
    session.commit()
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def desk(db_session, users):
    article = make_article(db_session, title="Detentions", url="https://news.example/a")
    first = make_claim(db_session, article=article, quote="12 people were detained on Monday")
    publish(
        db_session,
        users["reviewer"],
        users["editor"],
        first,
        rating="mostly_true",
        summary="Twelve, per court records.",
        more_sources=["https://court.example/list"],
    )
    evil = make_claim(
        db_session, text='=HYPERLINK("http://evil","x")', claim_type="denial", claimant="@attacker"
    )
    db_session.commit()
    return {"first": first.id, "evil": evil.id, "article": article.id}


# ---------------------------------------------------------------- export


def test_claims_export_has_the_documented_columns_and_figures(client, as_user, desk):
    as_user("editor")
    response = client.get("/exports/claims.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == "\ufeff" + ",".join(CLAIM_COLUMNS)  # BOM, for Excel
    assert "\r\n" in text
    first, evil = rows_of(text)
    assert first["id"] == str(desk["first"]) and first["article_title"] == "Detentions"
    assert first["status"] == "published" and first["rating"] == "mostly_true"
    assert first["verdict_summary"] == "Twelve, per court records."
    assert first["approver"] == "eddie" and first["assignee"] == "rita"
    assert first["source_count"] == "2"
    assert first["source_urls"] == "https://example.org/report https://court.example/list"
    assert first["published_at"] and first["span_start"] == "15"


def test_database_rendered_cells_match_the_python_renderer(client, as_user, desk, db_session):
    """The claims export is rendered by the database; every cell must read back exactly as
    csv_io.neutralise would have written it, on SQLite and PostgreSQL alike."""
    tricky = make_claim(
        db_session,
        text='He said "no", then\nleft; -5 is a number, +1 too',
        claimant="-minus",
        due_date=date(2026, 2, 28),
    )
    db_session.commit()
    as_user("editor")
    exported = {r["id"]: r for r in rows_of(client.get("/exports/claims.csv"))}
    db_session.expire_all()
    for claim in db_session.scalars(select(Claim)):
        row = exported[str(claim.id)]
        expected = {
            "text": claim.text,
            "claimant": claim.claimant,
            "priority": claim.priority,
            "due_date": claim.due_date,
            "created_at": claim.created_at,
            "last_activity_at": claim.last_activity_at,
            "published_at": claim.published_at,
            "span_start": claim.span_start,
        }
        for column, value in expected.items():
            assert row[column] == neutralise(value), (column, row[column], value)
    assert exported[str(tricky.id)]["text"].startswith('He said "no", then\nleft')
    assert exported[str(tricky.id)]["claimant"] == "'-minus"


def test_the_export_is_streamed_chunk_by_chunk(client, as_user, desk):
    as_user("editor")
    response = client.get("/exports/claims.csv", buffered=False)
    try:
        assert response.is_streamed
        first_chunk = next(iter(response.response))
        assert first_chunk.decode().startswith("\ufeffid,external_key,")
    finally:
        response.close()


def test_formula_injection_comes_out_inert(client, as_user, desk):
    as_user("editor")
    evil = rows_of(client.get("/exports/claims.csv"))[1]
    assert evil["text"] == '\'=HYPERLINK("http://evil","x")'
    assert evil["claimant"] == "'@attacker"


def test_export_keeps_the_claims_list_filters(client, as_user, desk):
    as_user("editor")
    listing = client.get("/?claim_type=denial").get_data(as_text=True)
    assert "/exports/claims.csv?claim_type=denial" in listing
    rows = rows_of(client.get("/exports/claims.csv?claim_type=denial"))
    assert [r["id"] for r in rows] == [str(desk["evil"])]
    rows = rows_of(client.get("/exports/claims.csv?status=published"))
    assert [r["id"] for r in rows] == [str(desk["first"])]


def test_sources_and_history_exports(client, as_user, desk, db_session):
    as_user("editor")
    sources = rows_of(client.get("/exports/sources.csv"))
    assert list(sources[0]) == list(SOURCE_COLUMNS)
    assert {s["url"] for s in sources} == {
        "https://example.org/report",
        "https://court.example/list",
    }
    history = client.get(f"/exports/history.csv?article_id={desk['article']}")
    events = rows_of(history)
    assert list(events[0]) == list(HISTORY_COLUMNS)
    assert {e["claim_id"] for e in events} == {str(desk["first"])}
    assert [e["action"] for e in events][:2] == ["claim_created", "taken"]
    everything = rows_of(client.get("/exports/history.csv"))
    # Every claim's events; the system chain's (accounts, the rating scale) belong to none.
    claim_events = db_session.scalar(
        select(func.count()).select_from(HistoryEvent).where(HistoryEvent.claim_id.is_not(None))
    )
    assert len(everything) == claim_events < count(db_session, HistoryEvent)
    assert all(e["claim_id"].isdigit() for e in everything)  # an integer column, no blanks


def test_download_links_write_a_bom_unless_asked_not_to(client, as_user, desk):
    as_user("editor")
    for kind in ("claims", "sources", "history"):
        body = client.get(f"/exports/{kind}.csv").get_data()
        assert body.startswith(b"\xef\xbb\xbfid,"), kind
        assert client.get(f"/exports/{kind}.csv?bom=0").get_data().startswith(b"id,"), kind
    page = client.get("/").get_data(as_text=True)
    for kind in ("claims", "sources", "history"):
        assert f'href="/exports/{kind}.csv' in page, kind


def test_reviewers_cannot_export_or_import(client, as_user, desk):
    as_user("reviewer")
    assert client.get("/exports/claims.csv").status_code == 403
    assert client.get("/imports/claims").status_code == 403
    assert "Download CSV" not in client.get("/").get_data(as_text=True)


def test_cli_export_writes_the_same_rows(runner, desk, tmp_path, client, as_user):
    out = tmp_path / "claims.csv"
    result = runner.invoke(args=["export", "claims", "--out", str(out), "--type", "denial"])
    assert result.exit_code == 0, result.output
    rows = rows_of(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [str(desk["evil"])]
    assert rows[0]["text"].startswith("'=")


def test_cli_export_refuses_a_filter_it_does_not_know(runner, desk, tmp_path):
    """A typo must not export every claim instead of the ones asked for."""
    out = tmp_path / "claims.csv"
    for option, value in [
        ("--status", "pubished"),
        ("--type", "weather"),
        ("--rating", "sorta"),
        ("--article", "abc"),
        ("--assignee", "-1"),
    ]:
        result = runner.invoke(args=["export", "claims", "--out", str(out), option, value])
        assert result.exit_code == 2 and option in result.output, (option, result.output)
    assert not out.exists()


# ---------------------------------------------------------------- import

VALID = (
    "text,claim_type,claimant,quote,article_title,article_url,priority,due_date,source_urls\r\n"
    "Twenty were arrested in May.,arrest,Police,,May raids,https://news.example/may,2,2026-12-01,"
    "https://a.example/1 https://a.example/2\r\n"
    '"The ministry denied it, saying ""no arrests"".",denial,Ministry,,May raids,'
    "https://news.example/may,,,\r\n"
)


def test_a_valid_file_imports_in_one_go_with_history_naming_the_file(client, as_user, db_session):
    as_user("editor")
    response = upload(client, VALID, "may-raids.csv")
    assert response.status_code == 302
    db_session.commit()
    claims = db_session.scalars(select(Claim).order_by(Claim.id)).all()
    assert [c.text for c in claims] == [
        "Twenty were arrested in May.",
        'The ministry denied it, saying "no arrests".',
    ]
    assert claims[0].priority == 2 and str(claims[0].due_date) == "2026-12-01"
    assert claims[0].origin == "import" and claims[0].status == "unreviewed"
    assert [s.url for s in claims[0].sources] == ["https://a.example/1", "https://a.example/2"]
    assert count(db_session, Article) == 1
    created = db_session.scalars(
        select(HistoryEvent).where(HistoryEvent.action == "claim_created")
    ).all()
    assert [e.details["import"] for e in created] == [
        {"file": "may-raids.csv", "line": 2},
        {"file": "may-raids.csv", "line": 3},
    ]


def test_reimporting_the_same_file_creates_no_duplicates(client, as_user, db_session):
    as_user("editor")
    upload(client, VALID)
    before = (count(db_session, Claim), count(db_session, Source), count(db_session, Article))
    response = upload(client, VALID)
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 0 claim(s)" in follow and "2 already present" in follow
    assert (
        count(db_session, Claim),
        count(db_session, Source),
        count(db_session, Article),
    ) == before


def test_every_problem_is_reported_by_line_and_column_and_nothing_is_written(
    client, as_user, db_session
):
    as_user("editor")
    bad = (
        "text,claim_type,priority,due_date,article_url,source_urls\n"
        "Fine row.,arrest,1,,,\n"
        ",death,9,2026-02-30,javascript:alert(1),ftp://x\n"
        "Another fine row.,weather,,,,\n"
    )
    response = upload(client, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    for expected in (
        "<td>3</td><td>priority</td>",
        "<td>3</td><td>due_date</td>",
        "<td>3</td><td>article_url</td>",
        "<td>3</td><td>source_urls</td>",
        "<td>4</td><td>claim_type</td>",
    ):
        assert expected in page
    assert count(db_session, Claim) == 0 and count(db_session, Article) == 0


def test_quotes_are_placed_in_their_article_or_refused_at_their_line(client, as_user, db_session):
    """As on the claim form: a quote must occur in its article's text. One whose spacing or
    quote marks differ is placed where it occurs; one that is not there is refused at its line,
    and the rest of the file with it."""
    make_article(
        db_session,
        text="The minister said \u201cno one was detained\u201d in the raid.",
        url="https://news.example/raid",
    )
    db_session.commit()
    as_user("editor")
    header = "text,quote,article_url\n"
    loose = 'Nobody detained.,"said  ""no one was detained""",https://news.example/raid\n'
    missing = "Ten detained.,ten people were detained,https://news.example/raid\n"
    response = upload(client, header + loose + missing)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<td>3</td><td>quote</td>" in page and "Nothing was imported" in page
    assert count(db_session, Claim) == 0
    assert upload(client, header + loose).status_code == 302
    db_session.commit()
    claim = db_session.scalars(select(Claim)).one()
    assert claim.span_start is not None
    assert claim.quote == "said \u201cno one was detained\u201d"


def test_a_repeated_external_key_in_one_file_is_a_problem_at_its_line(client, as_user, db_session):
    as_user("editor")
    content = "external_key,text\nk-1,First claim.\nk-2,Second claim.\nk-1,Third claim.\n"
    response = upload(client, content)
    assert response.status_code == 400
    assert (
        "<td>4</td><td>external_key</td><td>the same external_key as line 2</td>"
        in response.get_data(as_text=True)
    )
    assert count(db_session, Claim) == 0


def test_a_missing_text_is_reported_at_its_cell(client, as_user, db_session):
    as_user("editor")
    response = upload(client, "text,claimant\nok,someone\n ,nobody\n")
    assert response.status_code == 400
    assert "<td>3</td><td>text</td><td>this field is required</td>" in response.get_data(
        as_text=True
    )
    assert count(db_session, Claim) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte"),
        ("text\nCaf\xe9 claim\n".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"colour,size\nred,9\n", "unknown column"),
    ],
)
def test_files_that_are_not_our_csv_get_a_clear_400(client, as_user, db_session, content, message):
    as_user("editor")
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db_session, Claim) == 0


def test_bom_and_mixed_line_endings_are_fine(client, as_user, db_session):
    as_user("editor")
    content = "\ufefftext,claim_type\r\nOne.,arrest\nTwo.,death\rThree.,other\r\n".encode()
    assert upload(client, content).status_code == 302
    db_session.commit()
    assert db_session.scalars(select(Claim.text).order_by(Claim.id)).all() == [
        "One.",
        "Two.",
        "Three.",
    ]


def test_an_oversized_upload_is_refused(client, as_user, app, db_session):
    app.config["MAX_CSV_UPLOAD_BYTES"] = 100
    as_user("editor")
    response = upload(client, "text\n" + "x" * 200 + "\n")
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)
    assert count(db_session, Claim) == 0


def test_cli_import_reports_problems_by_line(runner, tmp_path, db_session):
    path = tmp_path / "bad.csv"
    path.write_text("text,priority\nok,1\nnot ok,high\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "bad.csv: line 3, column priority: 'high' is not a whole number" in result.output
    assert "nothing was imported" in result.output
    assert count(db_session, Claim) == 0
    path.write_text("text,priority\nok,1\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0 and "Imported 1 claim(s)" in result.output


# ---------------------------------------------------------------- round trip


def test_export_import_into_an_empty_database_export_gives_the_same_claims(
    client, as_user, desk, tmp_path
):
    """Claims' own fields survive the trip; workflow state (status, verdicts) deliberately not.
    The empty database is a fresh SQLite file, whichever backend the export came from."""
    as_user("editor")
    exported = client.get("/exports/claims.csv").get_data()

    empty_url = "sqlite:///" + str(tmp_path / "empty.db")
    upgrade_database(empty_url)
    other = create_app(TestingConfig, DATABASE_URL=empty_url)
    with session_factory(other.extensions["factcheck_engine"], write=True)() as s:
        make_user(s, "editor", "importer")
        s.commit()
    other_client = other.test_client()
    login(other_client, "importer")
    assert upload(other_client, exported, "export.csv").status_code == 302
    again = rows_of(other_client.get("/exports/claims.csv"))
    original = rows_of(exported.decode())
    same = (
        "external_key",
        "article_title",
        "article_url",
        "text",
        "quote",
        "claimant",
        "claim_type",
        "priority",
        "due_date",
        "source_urls",
    )
    assert [{k: r[k] for k in same} for r in again] == [{k: r[k] for k in same} for r in original]
    assert again[1]["text"] == '\'=HYPERLINK("http://evil","x")'  # still neutralised
    other.extensions["factcheck_engine"].dispose()


@pytest.mark.parametrize("path", ["/exports/claims.csv", "/exports/history.csv", "/reports.csv"])
def test_a_streamed_download_gives_its_connection_back(client, as_user, desk, app, path):
    as_user("editor")
    pool = app.extensions["factcheck_engine"].pool
    assert client.get(path).status_code == 200
    assert pool.checkedout() == 0


def test_the_public_feed_gives_its_connection_back(client, desk, app):
    assert client.get("/fact-checks.jsonld").status_code == 200
    assert app.extensions["factcheck_engine"].pool.checkedout() == 0


def test_the_import_looks_for_repeated_claims_once_per_file_not_per_row(
    app, client, as_user, db_session
):
    from tests.test_query_counts import counting

    as_user("editor")
    content = "external_key,text\n" + "".join(f"k-{n},Claim number {n}.\n" for n in range(60))
    with counting(app.extensions["factcheck_engine"]) as statements:
        assert upload(client, content).status_code == 302
    lookups = [
        s for s in statements if s.startswith("SELECT") and "FROM claims" in s and "max(" not in s
    ]  # (the new claims' ids are drawn after max(id) on SQLite)
    assert len(lookups) == 2, lookups  # one by key, one by text, for the whole file
    assert upload(client, content).status_code == 302  # again: every row already there
    db_session.commit()
    assert count(db_session, Claim) == 60


def test_imported_rows_store_times_as_the_orm_does(client, as_user, db_session):
    """The bulk insert converts datetimes with the dialect's own processor: on SQLite the same
    text as the ORM writes (no "+00:00"), so they sort and compare with the other rows'."""
    as_user("editor")
    assert upload(client, VALID).status_code == 302
    db_session.commit()
    make_claim(db_session)
    db_session.commit()
    if db_session.get_bind().dialect.name != "sqlite":
        return
    stored = db_session.execute(text("SELECT created_at FROM claims ORDER BY id")).scalars().all()
    assert len(stored) == 3 and len({len(value) for value in stored}) == 1, stored
