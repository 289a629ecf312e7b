"""The claim status report: every figure is an SQL aggregate computed by the database.

Python only shapes the (small) aggregated results. The period (date_from/date_to) selects claims
captured in it for the status and per-article counts, and publications in it for the verdict,
workload, time-to-publication and weekly figures; aging and overdue are "as of today".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, User, Verdict
from factcheck.workflow.states import OPEN_STATUSES, ClaimStatus, ClaimType, Rating

OPEN = [s.value for s in OPEN_STATUSES]
# (label, idle for fewer days than this): open claims by days since their last activity.
AGING_BUCKETS = (("0-2 days", 3), ("3-7 days", 8), ("8-14 days", 15), ("15-30 days", 31))
AGING_OLDEST = "over 30 days"
OLDEST_LISTED = 10


@dataclass(frozen=True)
class ReportFilters:
    article_id: int | None = None
    claim_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass
class Report:
    filters: ReportFilters
    generated_at: datetime
    status_by_type: dict[str, dict[str, int]]
    verdicts: dict[str, int]
    workload: list[dict[str, Any]]
    aging: dict[str, int]
    overdue: int
    oldest_open: list[dict[str, Any]]
    time_to_publication: dict[str, float | int | None]
    weekly_published: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    totals: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        from factcheck.workflow.history import jsonable

        return jsonable(asdict(self))

    def figures(self) -> list[tuple[str, str, str, Any]]:
        """Every figure as (section, row, column, value): the CSV download's rows."""
        out: list[tuple[str, str, str, Any]] = []
        for status, by_type in self.status_by_type.items():
            for claim_type, n in by_type.items():
                out.append(("status_by_type", status, claim_type, n))
        out += [("verdicts", rating, "count", n) for rating, n in self.verdicts.items()]
        for row in self.workload:
            for key in ("assigned_open", "drafts_awaiting", "published_in_period"):
                out.append(("workload", row["username"], key, row[key]))
        out += [("aging", bucket, "open_claims", n) for bucket, n in self.aging.items()]
        out.append(("overdue", "open past due date", "count", self.overdue))
        for item in self.oldest_open:
            out.append(("oldest_open", str(item["id"]), "days_idle", item["days_idle"]))
        for key, value in self.time_to_publication.items():
            out.append(("time_to_publication", key, "value", value))
        for week in self.weekly_published:
            out.append(("weekly_published", week["week"], "count", week["count"]))
        for row in self.articles:
            for key in ("total", *[s.value for s in ClaimStatus]):
                out.append(("articles", str(row["article_id"]), key, row[key]))
        return out


class _Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, session: Session) -> None:
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def seconds_between(self, start, end):
        if self.postgres:
            return func.extract("epoch", end - start)
        return (func.julianday(end) - func.julianday(start)) * 86400.0

    def week_start(self, column):
        """The Monday of the column's week, as an ISO date string."""
        if self.postgres:
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.date(column, "weekday 0", "-6 days")


def _claims_in_scope(stmt: Select, filters: ReportFilters) -> Select:
    if filters.article_id is not None:
        stmt = stmt.where(Claim.article_id == filters.article_id)
    if filters.claim_type:
        stmt = stmt.where(Claim.claim_type == filters.claim_type)
    return stmt


def _in_period(stmt: Select, column, filters: ReportFilters) -> Select:
    if filters.date_from:
        stmt = stmt.where(column >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(column < _day_start(filters.date_to + timedelta(days=1)))
    return stmt


def _status_by_type(s: Session, f: ReportFilters) -> dict[str, dict[str, int]]:
    stmt = select(Claim.status, Claim.claim_type, func.count()).group_by(
        Claim.status, Claim.claim_type
    )
    stmt = _in_period(_claims_in_scope(stmt, f), Claim.created_at, f)
    table = {st.value: {t.value: 0 for t in ClaimType} for st in ClaimStatus}
    for status, claim_type, n in s.execute(stmt):
        table[status][claim_type] = n
    return table


def _published(stmt: Select, f: ReportFilters) -> Select:
    stmt = _claims_in_scope(stmt.where(Claim.status == ClaimStatus.PUBLISHED.value), f)
    return _in_period(stmt, Claim.published_at, f)


def _verdicts(s: Session, f: ReportFilters) -> dict[str, int]:
    stmt = _published(
        select(Claim.published_rating, func.count()).group_by(Claim.published_rating), f
    )
    counts = dict(s.execute(stmt).all())
    return {r.value: counts.get(r.value, 0) for r in Rating}


def _workload(s: Session, f: ReportFilters) -> list[dict[str, Any]]:
    assigned = _claims_in_scope(
        select(Claim.assignee_id, func.count())
        .where(Claim.status.in_(OPEN), Claim.assignee_id.is_not(None))
        .group_by(Claim.assignee_id),
        f,
    )
    drafts = _claims_in_scope(
        select(Verdict.drafted_by_id, func.count())
        .join(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.state == "draft")
        .group_by(Verdict.drafted_by_id),
        f,
    )
    published = _published(
        select(Verdict.drafted_by_id, func.count())
        .join(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.state == "approved")
        .group_by(Verdict.drafted_by_id),
        f,
    )
    figures: dict[int, dict[str, int]] = {}
    for key, stmt in (
        ("assigned_open", assigned),
        ("drafts_awaiting", drafts),
        ("published_in_period", published),
    ):
        for user_id, n in s.execute(stmt):
            figures.setdefault(user_id, {})[key] = n
    if not figures:
        return []
    people = s.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(figures))
    ).all()
    rows = [
        {
            "user_id": uid,
            "username": username,
            "name": name,
            "assigned_open": figures[uid].get("assigned_open", 0),
            "drafts_awaiting": figures[uid].get("drafts_awaiting", 0),
            "published_in_period": figures[uid].get("published_in_period", 0),
        }
        for uid, username, name in people
    ]
    return sorted(rows, key=lambda r: (-r["assigned_open"], -r["drafts_awaiting"], r["username"]))


def _grouped_counts(s: Session, labelled: Select) -> dict[Any, int]:
    """Counts per value of `labelled`'s one column named "key". Grouping over a subquery keeps
    PostgreSQL from seeing the select's and the GROUP BY's bound parameters as two expressions."""
    sub = labelled.subquery()
    return dict(s.execute(select(sub.c.key, func.count()).group_by(sub.c.key)).all())


def _aging(s: Session, f: ReportFilters, now: datetime) -> dict[str, int]:
    bucket = case(
        *[
            (Claim.last_activity_at > now - timedelta(days=below), label)
            for label, below in AGING_BUCKETS
        ],
        else_=literal(AGING_OLDEST),
    )
    counts = _grouped_counts(
        s, _claims_in_scope(select(bucket.label("key")).where(Claim.status.in_(OPEN)), f)
    )
    labels = [label for label, _ in AGING_BUCKETS] + [AGING_OLDEST]
    return {label: counts.get(label, 0) for label in labels}


def _overdue(s: Session, f: ReportFilters, today: date) -> int:
    stmt = _claims_in_scope(
        select(func.count()).where(Claim.status.in_(OPEN), Claim.due_date < today), f
    )
    return s.scalar(stmt) or 0


def _oldest_open(s: Session, f: ReportFilters, now: datetime) -> list[dict[str, Any]]:
    stmt = _claims_in_scope(
        select(Claim.id, Claim.text, Claim.status, Claim.last_activity_at, Claim.due_date)
        .where(Claim.status.in_(OPEN))
        .order_by(Claim.last_activity_at, Claim.id)
        .limit(OLDEST_LISTED),
        f,
    )
    return [
        {
            "id": cid,
            "text": text,
            "status": status,
            "last_activity_at": last,
            "days_idle": (now - last).days,
            "due_date": due,
        }
        for cid, text, status, last, due in s.execute(stmt)
    ]


def _time_to_publication(s: Session, f: ReportFilters, d: _Dialect) -> dict[str, Any]:
    """Median and 90th percentile (nearest rank) of capture -> publication, in days."""
    seconds = d.seconds_between(Claim.created_at, Claim.published_at)
    count = s.scalar(_published(select(func.count()), f)) or 0
    result: dict[str, Any] = {"published": count, "median_days": None, "p90_days": None}
    if count == 0:
        return result
    ordered = _published(select(seconds).order_by(seconds), f)
    for key, rank in (("median_days", (count + 1) // 2), ("p90_days", -(-9 * count // 10))):
        value = s.scalar(ordered.offset(rank - 1).limit(1))
        result[key] = round(float(value) / 86400, 2)
    return result


def _weekly_published(s: Session, f: ReportFilters, d: _Dialect) -> list[dict[str, Any]]:
    week = d.week_start(Claim.published_at).label("key")
    counts = _grouped_counts(s, _published(select(week), f))
    return [{"week": str(week), "count": n} for week, n in sorted(counts.items())]


def _articles(s: Session, f: ReportFilters) -> list[dict[str, Any]]:
    per_status = [
        func.sum(case((Claim.status == st.value, 1), else_=0)).label(st.value) for st in ClaimStatus
    ]
    stmt = (
        select(Article.id, Article.title, func.count(Claim.id).label("total"), *per_status)
        .join(Claim, Claim.article_id == Article.id)
        .group_by(Article.id, Article.title)
        .order_by(func.count(Claim.id).desc(), Article.id)
    )
    stmt = _in_period(_claims_in_scope(stmt, f), Claim.created_at, f)
    return [
        {"article_id": row.id, "title": row.title, "total": row.total}
        | {st.value: int(getattr(row, st.value) or 0) for st in ClaimStatus}
        for row in s.execute(stmt)
    ]


def build_report(
    session: Session, filters: ReportFilters, *, now: datetime | None = None
) -> Report:
    now = now or datetime.now(UTC)
    dialect = _Dialect(session)
    status_by_type = _status_by_type(session, filters)
    totals = {status: sum(by_type.values()) for status, by_type in status_by_type.items()}
    return Report(
        filters=filters,
        generated_at=now,
        status_by_type=status_by_type,
        verdicts=_verdicts(session, filters),
        workload=_workload(session, filters),
        aging=_aging(session, filters, now),
        overdue=_overdue(session, filters, now.date()),
        oldest_open=_oldest_open(session, filters, now),
        time_to_publication=_time_to_publication(session, filters, dialect),
        weekly_published=_weekly_published(session, filters, dialect),
        articles=_articles(session, filters),
        totals=totals,
    )
