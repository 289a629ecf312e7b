"""The report's figures read from `claim_tallies`, which triggers on `claims` keep in the
writing transaction (migration 0023): a few hundred rows summed, whatever the number of claims.

Figures (`ClaimTally.figure`), each per claim type: "status" (key: the status), "published"
(key: the UTC day of publication, detail: the rating), "assigned" (open claims; key: the
assignee's id), "due" (open claims; key: the due date), "activity" (open claims; key: the UTC
day of the last activity). Days are ISO text, so they compare and sort as dates.

They serve a report over all articles: `reports.py` counts the claims themselves when one
article is chosen, and for the status table when a period is chosen (it selects by capture)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Integer, Select, cast, func, select
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
    claims (an `ix_claims_status_activity` range): two statements."""
    figures = _tally([ACTIVITY, DUE], claim_type, ClaimTally.figure, ClaimTally.key)
    days: dict[str, int] = {}
    overdue = 0
    for figure, key, n in session.execute(figures):
        if figure == ACTIVITY:
            days[key] = n
        elif key < today.isoformat():
            overdue += n
    same_days = []
    for moment in since:
        next_day = datetime.combine(
            moment.astimezone(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC
        )
        same_day = (
            select(func.count())
            .select_from(Claim)
            .where(
                Claim.status.in_(open_statuses),
                Claim.last_activity_at > moment,
                Claim.last_activity_at < next_day,
            )
        )
        if claim_type:
            same_day = same_day.where(Claim.claim_type == claim_type)
        same_days.append(same_day.scalar_subquery())
    exact = session.execute(select(*same_days)).one() if same_days else ()
    active = []
    for moment, n in zip(since, exact, strict=True):
        day = moment.astimezone(UTC).date().isoformat()
        active.append(n + sum(count for key, count in days.items() if key > day))
    return sum(days.values()), active, overdue
