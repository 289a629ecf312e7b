"""CSV writing and reading helpers: RFC 4180 output, formula neutralising, located errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from factcheck.csv_io import CsvFileError, csv_chunks, decode_upload, neutralise, read_rows, restore


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_formula_triggers_get_a_leading_quote_and_come_back(dangerous):
    cell = neutralise(dangerous)
    assert cell == "'" + dangerous
    assert restore(cell) == dangerous


def test_ordinary_values_are_written_plainly():
    assert neutralise("Hundreds were detained") == "Hundreds were detained"
    assert neutralise(None) == ""
    assert neutralise(26) == "26"
    assert neutralise(date(2017, 5, 23)) == "2017-05-23"
    assert neutralise(datetime(2017, 5, 23, 9, 30, tzinfo=UTC)) == "2017-05-23T09:30:00+00:00"
    assert restore("'quoted") == "'quoted"  # a quote not guarding a formula stays


def test_chunks_are_rfc4180_with_crlf_and_quoting():
    rows = [(1, 'He said "no"', "a,b"), (2, "line\nbreak", "")] * 600
    text = "".join(csv_chunks(("id", "text", "other"), rows))
    assert text.startswith('id,text,other\r\n1,"He said ""no""","a,b"\r\n')
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == 1201 and parsed[2] == ["2", "line\nbreak", ""]


def test_chunks_stream_a_few_hundred_rows_at_a_time():
    chunks = list(csv_chunks(("n",), ((i,) for i in range(1200))))
    assert len(chunks) == 3  # 500 + 500 + 200 rows, never the whole file at once


def test_decode_accepts_a_bom_and_names_the_line_of_bad_bytes():
    assert decode_upload("\ufefftext\r\nx".encode()) == "text\r\nx"
    with pytest.raises(CsvFileError) as err:
        decode_upload(b"text\nok\n\xff\xfe bad")
    assert "line 3" in str(err.value) and "UTF-8" in str(err.value)
    with pytest.raises(CsvFileError) as err:
        decode_upload(b"text\nnul\x00here")
    assert "line 2" in str(err.value) and "NUL" in str(err.value)


def test_read_rows_reports_header_problems_together():
    with pytest.raises(CsvFileError) as err:
        read_rows("txet,colour\nx,y\n", known_columns=("text", "quote"), required=("text",))
    messages = [str(p) for p in err.value.problems]
    assert "line 1, column txet: unknown column" in messages
    assert "line 1, column text: required column is missing" in messages


def test_every_header_problem_and_the_rows_structure_are_reported_in_one_go():
    """Not one problem a try: unnamed, misspelt, repeated and missing columns, and the ragged
    rows below them, all in the first answer."""
    with pytest.raises(CsvFileError) as err:
        read_rows(
            "Text,,claim type,quote,quote\na,b,c\nd,e,f,g,h\n",
            known_columns=("text", "quote", "claim_type"),
            required=("text",),
        )
    assert [str(p) for p in err.value.problems] == [
        "line 1, column Text: unknown column (did you mean text?)",
        "line 1: column 2 has no name",
        "line 1, column claim type: unknown column (did you mean claim_type?)",
        "line 1, column text: required column is missing",
        "line 1, column quote: column appears more than once",
        "line 2: has 3 cells; the header has 5",
    ]


def test_read_rows_gives_each_row_its_starting_line():
    text = 'text,quote\r\none,\r\n"two\nlines",q\n\nthree,\r\n'
    rows = read_rows(text, known_columns=("text", "quote"), required=("text",))
    assert [(r.line, r.values["text"]) for r in rows] == [
        (2, "one"),
        (3, "two\nlines"),
        (6, "three"),
    ]


def test_ragged_rows_and_empty_files_are_refused():
    with pytest.raises(CsvFileError) as err:
        read_rows("text,quote\na,b,c\n", known_columns=("text", "quote"), required=("text",))
    assert str(err.value.problems[0]) == "line 2: has 3 cells; the header has 2"
    with pytest.raises(CsvFileError, match="empty"):
        read_rows("", known_columns=("text",), required=("text",))
