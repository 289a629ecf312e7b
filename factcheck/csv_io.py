"""CSV in and out, the spreadsheet-safe way. No Flask and no database here.

Writing: RFC 4180 (comma, double quotes, CRLF), UTF-8, streamed in chunks so an export of any size
holds only one chunk in memory. Cells a spreadsheet would run as a formula get a leading `'`
(OWASP's CSV-injection mitigation); reading strips that quote again, so export -> import
round-trips.

Reading: decode an upload (UTF-8, optional BOM), and hand out rows with the line number each starts
on, so every error can name its line and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500
BOM = "\ufeff"


def neutralise(value: Any) -> str:
    """A cell's text, with a leading `'` if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


_TRIGGER_CHARS = frozenset("".join(FORMULA_TRIGGERS))


def neutralise_row(row: Sequence[Any]) -> list[str]:
    """`neutralise` over a row, with fast paths for the common cell types (exports call this
    millions of times)."""
    cells = []
    for value in row:
        kind = value.__class__
        if value is None:
            cells.append("")
        elif kind is str:
            cells.append("'" + value if value and value[0] in _TRIGGER_CHARS else value)
        elif kind is int:
            cells.append(str(value) if value >= 0 else "'" + str(value))
        else:
            cells.append(neutralise(value))
    return cells


def restore(cell: str) -> str:
    """Undo `neutralise` on a cell read back from one of our exports."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _TRIGGER_CHARS:
        return cell[1:]
    return cell


class CsvLine(str):
    """A row already rendered as one CSV line (e.g. by the database), written as it is."""


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> Iterator[str]:
    """The CSV text in chunks of CHUNK_ROWS rows: header first, every cell neutralised. With
    `bom`, a UTF-8 byte-order mark first, by which Excel (on Windows) knows the file is UTF-8
    and shows non-Latin text as written; reading strips it again (`decode_upload`)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    rows = iter(rows)
    while True:
        chunk = list(islice(rows, CHUNK_ROWS))
        if chunk and isinstance(chunk[0], CsvLine):
            buffer.write("\r\n".join(chunk))
            buffer.write("\r\n")
        else:
            writer.writerows(map(neutralise_row, chunk))
        if text := buffer.getvalue():
            yield text
        if len(chunk) < CHUNK_ROWS:
            return
        buffer.seek(0)
        buffer.truncate()


@dataclass(frozen=True)
class CsvProblem:
    """One thing wrong with an uploaded file, located as precisely as we can."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CsvFileError(Exception):
    """The file cannot be imported: its encoding, structure or header, or rows that break a
    rule; every problem is listed by line and column."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def decode_upload(data: bytes) -> str:
    """UTF-8 text of an upload (a BOM is allowed); anything else names the line that broke."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CsvFileError([CsvProblem(line, None, "contains a NUL byte: not a text CSV file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(
            [CsvProblem(line, None, "is not UTF-8 text (save the file as CSV UTF-8)")]
        ) from None


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def _header_problems(
    header: list[str], known_columns: Sequence[str], required: Sequence[str]
) -> list[CsvProblem]:
    """Every problem of the header row at once: unnamed, unknown (with the known name it
    resembles), missing and repeated columns."""
    problems = []
    by_loose = {name.lower().replace(" ", "_"): name for name in known_columns}
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(CsvProblem(1, None, f"column {position} has no name"))
        elif name not in known_columns:
            like = by_loose.get(name.lower().replace(" ", "_").replace("-", "_"))
            hint = f" (did you mean {like}?)" if like else ""
            problems.append(CsvProblem(1, name, f"unknown column{hint}"))
    for name in required:
        if name not in header:
            problems.append(CsvProblem(1, name, "required column is missing"))
    for name in sorted({h for h in header if h and header.count(h) > 1}):
        problems.append(CsvProblem(1, name, "column appears more than once"))
    return problems


def read_rows(text: str, *, known_columns: Sequence[str], required: Sequence[str]) -> list[CsvRow]:
    """Rows as dicts keyed by header name, each with the line it starts on.

    Structural problems (unknown or missing columns, ragged rows, broken quoting) are collected
    for the whole file and raised together, so the user fixes everything in one go.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[CsvProblem] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CsvFileError([CsvProblem(1, None, f"not a readable CSV header ({exc})")]) from None
    if header is None or not any(h.strip() for h in header):
        raise CsvFileError([CsvProblem(1, None, "the file is empty: a header row is needed")])
    header = [h.strip() for h in header]
    problems.extend(_header_problems(header, known_columns, required))
    # Then the rows' structure, problems in the header or not: everything is said in one go.
    rows: list[CsvRow] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(CsvProblem(line, None, f"broken CSV quoting ({exc})"))
            break
        if cells and any(c.strip() for c in cells):
            if len(cells) != len(header):
                problems.append(
                    CsvProblem(line, None, f"has {len(cells)} cells; the header has {len(header)}")
                )
            else:
                values = {h: restore(c) for h, c in zip(header, cells, strict=True)}
                rows.append(CsvRow(line, values))
        line = reader.line_num + 1
    if problems:
        raise CsvFileError(problems)
    return rows
