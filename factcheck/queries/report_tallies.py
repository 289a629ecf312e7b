"""The report's figures read from `claim_tallies`, which triggers on `claims` keep in the
writing transaction (migration 0021): a few hundred rows summed, whatever the number of claims.

Figures (`ClaimTally.figure`), each per claim type: "status" (key: the status), "published"
(key: the UTC day of publication, detail: the rating), "assigned" (open claims; key: the
assignee's id), "due" (open claims; key: the due date), "activity" (open claims; key: the UTC
day of the last activity). Days are ISO text, so they compare and sort as dates.

They serve a report over all articles: `reports.py` counts the claims themselves when one
article is chosen, and for the status table when a period is chosen (it selects by capture)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Integer, Select, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimTally
from factcheck.vocabulary import ClaimStatus

STATUS, ASSIGNED, DUE, ACTIVITY = "status", "assigned", "due", "activity"
PUBLISHED = ClaimStatus.PUBLISHED.value  # the figure is named after the status it counts


def _tally(figures: str | list[str], claim_type: str | None, *columns) -> Select:
    """Sum of the counts of `figures` by `columns`, without the keys whose count is back to 0."""
    total = func.sum(ClaimTally.claims)
    names = [figures] if isinstance(figures, str) else figures
    stmt = select(*columns, total).where(ClaimTally.figure.in_(names))
    if claim_type:
        stmt = stmt.where(ClaimTally.claim_type == claim_type)
    return stmt.group_by(*columns).having(total > 0)


def status_by_type(session: Session, table: dict[str, dict[str, int]]) -> None:
    """Fill `table` (status -> type -> 0) with the claims per status and type."""
    stmt = _tally(STATUS, None, ClaimTally.key, ClaimTally.claim_type)
    for status, claim_type, n in session.execute(stmt):
        table[status][claim_type] = n


def publications(
    session: Session, claim_type: str | None, first: date | None, last: date | None
) -> tuple[dict[str, int], list[dict[str, object]]]:
    """Published claims by rating, and by week (from its Monday), in the days first..last."""
    stmt = _tally(PUBLISHED, claim_type, ClaimTally.key, ClaimTally.detail)
    if first:
        stmt = stmt.where(ClaimTally.key >= first.isoformat())
    if last and last < date.max:
        stmt = stmt.where(ClaimTally.key <= last.isoformat())
    verdicts: dict[str, int] = {}
    weekly: dict[str, int] = {}
    for day, rating, n in session.execute(stmt):
        verdicts[rating] = verdicts.get(rating, 0) + n
        monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
        weekly[monday.isoformat()] = weekly.get(monday.isoformat(), 0) + n
    return verdicts, [{"week": w, "count": n} for w, n in sorted(weekly.items())]


def assigned_open(claim_type: str | None) -> Select:
    """(user id, open claims assigned), for the workload's UNION."""
    return _tally(ASSIGNED, claim_type, cast(ClaimTally.key, Integer).label("user_id"))


def open_claims(
    session: Session,
    claim_type: str | None,
    open_statuses: list[str],
    today: date,
    since: list[datetime],
) -> tuple[int, list[int], int]:
    """Open claims in all; for each moment of `since`, those active after it; and those due
    before `today`. Whole days come from the tally, each moment's own day is counted from the
    claims (an `ix_claims_status_activity` range): one statement."""
    figures = _tally([ACTIVITY, DUE], claim_type, ClaimTally.figure, ClaimTally.key)
    moments = []
    for i, moment in enumerate(since):
        next_day = datetime.combine(
            moment.astimezone(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC
        )
        same_day = select(literal(f"since {i}"), literal(""), func.count()).where(
            Claim.status.in_(open_statuses),
            Claim.last_activity_at > moment,
            Claim.last_activity_at < next_day,
        )
        if claim_type:
            same_day = same_day.where(Claim.claim_type == claim_type)
        moments.append(same_day)
    days: dict[str, int] = {}
    exact: dict[str, int] = {}
    overdue = 0
    for figure, key, n in session.execute(union_all(figures, *moments)):
        if figure == ACTIVITY:
            days[key] = n
        elif figure == DUE:
            overdue += n if key < today.isoformat() else 0
        else:
            exact[figure] = n
    active = []
    for i, moment in enumerate(since):
        day = moment.astimezone(UTC).date().isoformat()
        active.append(exact[f"since {i}"] + sum(n for key, n in days.items() if key > day))
    return sum(days.values()), active, overdue


def _top(figure: str, claim_type: str | None, shown: int):
    """The `shown` keys of `figure` (an "_all" total, over every type when `claim_type` is None)
    with the largest counts, then by key (the id, zero-padded): an index range, read from the
    top, of `ix_claim_tallies_largest`."""
    return (
        select(ClaimTally.key, ClaimTally.claims.label("total"))
        .where(
            ClaimTally.figure == figure,
            ClaimTally.claim_type == (claim_type or ""),
            ClaimTally.claims > 0,
        )
        .order_by(ClaimTally.claims.desc(), ClaimTally.key)
        .limit(shown)
        .subquery()
    )


def top_breakdown(
    session: Session, figure: str, claim_type: str | None, shown: int, *named
) -> list[tuple[int, int, dict[str, int], tuple]]:
    """(id, total, counts by detail, the `named` columns of the id's row) of the `shown` ids
    with the most claims of `figure` ("article": by status, "claimant": by rating), the most
    first; `named` are columns of one table, whose first is its id."""
    top = _top(f"{figure}_all", claim_type, shown)
    parts = select(ClaimTally.key, ClaimTally.detail, func.sum(ClaimTally.claims).label("n"))
    parts = parts.where(ClaimTally.figure == figure, ClaimTally.key.in_(select(top.c.key)))
    if claim_type:
        parts = parts.where(ClaimTally.claim_type == claim_type)
    parts = parts.group_by(ClaimTally.key, ClaimTally.detail).subquery()
    id_column = named[0]
    stmt = (
        select(top.c.key, top.c.total, parts.c.detail, parts.c.n, *named)
        .join(parts, parts.c.key == top.c.key)
        .join(id_column.table, id_column == cast(top.c.key, Integer))
    )
    found: dict[int, tuple[int, dict[str, int], tuple]] = {}
    for key, total, detail, n, *row in session.execute(stmt):
        entry = found.setdefault(int(key), (total, {}, tuple(row)))
        entry[1][detail] = int(n)
    ordered = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    return [(key, total, counts, row) for key, (total, counts, row) in ordered]
