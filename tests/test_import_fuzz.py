"""Hypothesis throws random and hostile files at the CSV importer: random bytes, NUL bytes,
a BOM, mixed line endings, wrong encodings, quoting gone wrong, files that are not CSV at all.
The answer is always a success or a 4xx with a message, never a 500, and the database holds
exactly what the successful imports said they created."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from factcheck.models import Claim, HistoryEvent
from tests.test_bad_input import HOSTILE
from tests.test_exports_imports import upload

COLUMNS = ["external_key", "article_title", "text", "claimant", "claim_type", "source_urls"]

CELL = st.one_of(
    HOSTILE,
    st.sampled_from(["arrest", "death", "other", "https://example.org/a", "Officials"]),
    st.just('he said "no"'),
    st.just("line\nbreak"),
    st.just('=HYPERLINK("http://evil","x")'),
)


def quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def csv_files(draw) -> bytes:
    """Mostly CSV-shaped files, with damage: column sets, ragged rows, stray quotes, line
    endings, BOMs and encodings all drawn at random."""
    header = draw(st.lists(st.sampled_from([*COLUMNS, "bogus", "text"]), min_size=0, max_size=7))
    rows = draw(
        st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), min_size=0, max_size=6)
    )
    quote = draw(st.sampled_from([quoted, lambda c: c]))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r", None]))
    lines = [",".join(header)] + [",".join(quote(c) for c in row) for row in rows]
    if ending is None:  # mixed
        text = "".join(line + draw(st.sampled_from(["\r\n", "\n", "\r"])) for line in lines)
    else:
        text = ending.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # a little extra damage
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


@st.composite
def plausible_files(draw) -> bytes:
    """Files a newsroom would send, with awkward but legal content: most should import."""
    words = st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
    ).filter(str.strip)
    rows = draw(
        st.lists(st.tuples(words, words, st.sampled_from(["arrest", "death", ""])), max_size=5)
    )
    lines = ["text,claimant,claim_type"] + [",".join(quoted(c) for c in row) for row in rows]
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + ending.join(lines) + ending).encode("utf-8")


def totals(db_session) -> tuple[int, int]:
    db_session.commit()
    return (
        db_session.scalar(select(func.count()).select_from(Claim)),
        db_session.scalar(select(func.count()).select_from(HistoryEvent)),
    )


@pytest.fixture
def editor_client(client, as_user):
    as_user("editor")
    return client


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(csv_files(), plausible_files(), st.binary(max_size=400)))
@example(data=b"\xef\xbb\xbftext\r\nfine claim\nanother claim\rthird claim\r\n")
@example(data=b"text\r\nNUL \x00 here\r\n")
@example(data="text\r\ncaf\xe9 claim\r\n".encode("latin-1"))
@example(data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
@example(data=b"")
@example(data=b'text\r\n"unterminated\r\n')
def test_any_upload_is_a_success_or_a_clear_refusal(editor_client, db_session, data):
    before = totals(db_session)
    response = upload(editor_client, data)
    body = response.get_data(as_text=True)
    after = totals(db_session)
    assert response.status_code in (302, 400, 413), (response.status_code, data)
    event(f"status {response.status_code}")
    if response.status_code == 302:
        message = editor_client.get(response.headers["Location"]).get_data(as_text=True)
        created = int(re.search(r"Imported (\d+) claim", message).group(1))
        assert after[0] == before[0] + created
        assert after[1] >= before[1] + created  # a creation event per claim (and sources)
    else:
        assert after == before, data
        assert re.search(r'class="(error|problems)', body), body[:500]
