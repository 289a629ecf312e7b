"""One row of a claims import file, validated: the columns a row may carry, each checked and
turned into what the import writes (`ClaimPlan`). `imports.plan_import` reads the whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from factcheck import limits
from factcheck.csv_io import CsvProblem, CsvRow

from .claims import ClaimInput, _validate_claim_input
from .cleaning import has_control
from .errors import ValidationFailed
from .history import canonical_json, jsonable
from .sources import SourceInput, check_web_url  # noqa: I001
from .sources import _validate as validate_source
from .states import ClaimType, Stance


@dataclass
class ClaimPlan:
    """A validated row, ready to be written."""

    line: int
    data: ClaimInput
    external_key: str | None
    article_title: str | None
    article_url: str | None
    span: tuple[int, int] | None
    sources: list[dict[str, Any]] = field(default_factory=list)  # validated, as inserted
    # Built before the write transaction: the fields the history records, and the canonical
    # JSON of those and of each source's fields, for the events' details.
    fields: dict[str, Any] = field(default_factory=dict)
    fields_json: str = ""
    sources_json: list[str] = field(default_factory=list)


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
        raise ValidationFailed(
            f"{value!r} is not a whole number from {limits.SCALE_MIN} to {limits.SCALE_MAX}"
        ) from None
    if not limits.SCALE_MIN <= number <= limits.SCALE_MAX:
        raise ValidationFailed(f"priority must be from {limits.SCALE_MIN} to {limits.SCALE_MAX}")
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
    if not 0 <= span[0] < span[1] <= limits.MAX_ID:
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
    take("external_key", lambda: _optional(values, "external_key", limits.EXTERNAL_KEY))
    take("article_title", lambda: _optional(values, "article_title", limits.TITLE))
    take(
        "article_url",
        lambda: check_web_url(values.get("article_url"), "article_url", required=False),
    )
    take(
        "source_urls",
        lambda: [
            validate_source(
                SourceInput(url=url, title=url[: limits.TITLE], stance=Stance.CONTEXT.value)
            )
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
        fields = _validate_claim_input(data)
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
        sources=parsed["source_urls"],
        fields=fields,
        fields_json=canonical_json(jsonable(fields)),
        sources_json=[canonical_json(jsonable(source)) for source in parsed["source_urls"]],
    )
