"""The claim status report: every figure is an SQL aggregate computed by the database.

Python only shapes the (small) aggregated results. The period (date_from/date_to) selects claims
captured in it for the status and per-article counts, and publications in it for the verdict,
workload, time-to-publication and weekly figures; aging and overdue are "as of today".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, Claimant, User, Verdict
from factcheck.vocabulary import OPEN_STATUSES, ClaimStatus, ClaimType, VerdictState

from . import report_tallies as tallies
from .dialect import SqlDialect
from .ratings import rating_scale

OPEN = [s.value for s in OPEN_STATUSES]
# (label, idle for fewer days than this): open claims by days since their last activity.
AGING_BUCKETS = (("0-2 days", 3), ("3-7 days", 8), ("8-14 days", 15), ("15-30 days", 31))
AGING_OLDEST = "over 30 days"
OLDEST_LISTED = 10
ARTICLES_LISTED = 50  # the per-article breakdown lists the articles with the most claims
CLAIMANTS_LISTED = 50  # the verdicts-by-claimant table: the claimants most often checked


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
    # Verdicts published in the period per claimant record (IFCN's nonpartisanship question).
    claimants: list[dict[str, Any]] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Claims per status: the rows of `status_by_type` summed."""
        return {status: sum(by_type.values()) for status, by_type in self.status_by_type.items()}

    def as_dict(self) -> dict[str, Any]:
        from factcheck.workflow.history import jsonable

        return jsonable({**asdict(self), "totals": self.totals})

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
        for row in self.claimants:
            for key in ("total", *self.verdicts):
                out.append(("claimants", str(row["claimant_id"]), key, row.get(key, 0)))
        return out


def _claims_in_scope(stmt: Select, filters: ReportFilters) -> Select:
    if filters.article_id is not None:
        stmt = stmt.where(Claim.article_id == filters.article_id)
    if filters.claim_type:
        stmt = stmt.where(Claim.claim_type == filters.claim_type)
    return stmt


def _in_period(stmt: Select, column, filters: ReportFilters) -> Select:
    if filters.date_from:
        stmt = stmt.where(column >= _day_start(filters.date_from))
    if filters.date_to and filters.date_to < date.max:  # the last date has no day after it
        stmt = stmt.where(column < _day_start(filters.date_to + timedelta(days=1)))
    return stmt


def _tallied(f: ReportFilters) -> bool:
    """Whether the kept tallies answer (`report_tallies`): a report over all articles."""
    return f.article_id is None


def _status_by_type(s: Session, f: ReportFilters) -> dict[str, dict[str, int]]:
    table = {st.value: {t.value: 0 for t in ClaimType} for st in ClaimStatus}
    if _tallied(f) and not (f.date_from or f.date_to):
        tallies.status_by_type(s, table)
        if f.claim_type:  # the other types' columns stay, at 0
            table = {st: {t: n if t == f.claim_type else 0 for t, n in row.items()}
                     for st, row in table.items()}  # fmt: skip
        return table
    stmt = select(Claim.status, Claim.claim_type, func.count()).group_by(
        Claim.status, Claim.claim_type
    )
    stmt = _in_period(_claims_in_scope(stmt, f), Claim.created_at, f)
    for status, claim_type, n in s.execute(stmt):
        table[status][claim_type] = n
    return table


def _published(stmt: Select, f: ReportFilters) -> Select:
    stmt = _claims_in_scope(stmt.where(Claim.status == ClaimStatus.PUBLISHED.value), f)
    return _in_period(stmt, Claim.published_at, f)


def _publications(s: Session, f: ReportFilters, d: SqlDialect) -> tuple[dict, list]:
    """Verdict distribution and weekly publications, from one count per (week, rating)."""
    if _tallied(f):
        return tallies.publications(s, f.claim_type, f.date_from, f.date_to)
    week = d.week_start(Claim.published_at).label("week")
    sub = _published(select(week, Claim.published_rating.label("rating")), f).subquery()
    stmt = select(sub.c.week, sub.c.rating, func.count()).group_by(sub.c.week, sub.c.rating)
    verdicts: dict[str, int] = {}  # by rating; a label with none is 0 where it is shown
    weekly: dict[str, int] = {}
    for week_start, rating, n in s.execute(stmt):
        verdicts[rating] = verdicts.get(rating, 0) + n
        weekly[str(week_start)] = weekly.get(str(week_start), 0) + n
    return verdicts, [{"week": w, "count": n} for w, n in sorted(weekly.items())]


def _workload(s: Session, f: ReportFilters) -> list[dict[str, Any]]:
    """Per person: open claims assigned, drafts awaiting approval, verdicts published in the
    period; three grouped counts in one UNION ALL statement, joined to the people."""
    if _tallied(f):
        tallied = tallies.assigned_open(f.claim_type).subquery()
        assigned = select(literal("assigned_open").label("kind"), *tallied.c)
    else:
        assigned = _claims_in_scope(
            select(literal("assigned_open").label("kind"), Claim.assignee_id, func.count())
            .where(Claim.status.in_(OPEN), Claim.assignee_id.is_not(None))
            .group_by(Claim.assignee_id),
            f,
        )
    drafts = _claims_in_scope(
        select(literal("drafts_awaiting"), Verdict.drafted_by_id, func.count())
        .join(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.state == VerdictState.DRAFT.value)
        .group_by(Verdict.drafted_by_id),
        f,
    )
    published = _published(
        select(literal("published_in_period"), Verdict.drafted_by_id, func.count())
        .join(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.state == VerdictState.APPROVED.value)
        .group_by(Verdict.drafted_by_id),
        f,
    )
    counts = union_all(assigned, drafts, published).subquery()
    kind, user_id, n = counts.c
    stmt = select(kind, User.id, User.username, User.display_name, n).join(User, User.id == user_id)
    people: dict[int, dict[str, Any]] = {}
    for key, uid, username, name, value in s.execute(stmt):
        row = people.setdefault(
            uid,
            {
                "user_id": uid,
                "username": username,
                "name": name,
                "assigned_open": 0,
                "drafts_awaiting": 0,
                "published_in_period": 0,
            },
        )
        row[key] = value
    rows = people.values()
    return sorted(rows, key=lambda r: (-r["assigned_open"], -r["drafts_awaiting"], r["username"]))


def _aging(s: Session, f: ReportFilters, now: datetime) -> tuple[dict[str, int], int]:
    """Open claims by days since their last activity, and how many are past their due date."""
    labels = [label for label, _ in AGING_BUCKETS] + [AGING_OLDEST]
    if _tallied(f):
        since = [now - timedelta(days=below) for _, below in AGING_BUCKETS]
        total, active, late = tallies.open_claims(s, f.claim_type, OPEN, now.date(), since)
        upper = [*active, total]  # claims active after each bound, then all of them
        return {
            label: n - (upper[i - 1] if i else 0)
            for i, (label, n) in enumerate(zip(labels, upper, strict=True))
        }, late
    bucket = case(
        *[
            (Claim.last_activity_at > now - timedelta(days=below), label)
            for label, below in AGING_BUCKETS
        ],
        else_=literal(AGING_OLDEST),
    )
    overdue = case((Claim.due_date < now.date(), 1), else_=0)
    sub = _claims_in_scope(
        select(bucket.label("key"), overdue.label("overdue")).where(Claim.status.in_(OPEN)), f
    ).subquery()
    stmt = select(sub.c.key, func.count(), func.sum(sub.c.overdue)).group_by(sub.c.key)
    counts, overdue_total = {}, 0
    for key, n, late in s.execute(stmt):
        counts[key] = n
        overdue_total += int(late or 0)
    return {label: counts.get(label, 0) for label in labels}, overdue_total


def _oldest_open(s: Session, f: ReportFilters, now: datetime) -> list[dict[str, Any]]:
    # The first of each open status's range of `ix_claims_status_activity`, merged: an index
    # over all claims in activity order would pass every closed claim idle longer.
    firsts = [
        _claims_in_scope(
            select(Claim.id)
            .where(Claim.status == status)
            .order_by(Claim.last_activity_at, Claim.id)
            .limit(OLDEST_LISTED),
            f,
        ).subquery()
        for status in OPEN
    ]
    stmt = (
        select(Claim.id, Claim.text, Claim.status, Claim.last_activity_at, Claim.due_date)
        .where(Claim.id.in_(union_all(*(select(first.c.id) for first in firsts))))
        .order_by(Claim.last_activity_at, Claim.id)
        .limit(OLDEST_LISTED)
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


def _time_to_publication(s: Session, f: ReportFilters, d: SqlDialect) -> dict[str, Any]:
    """Median and 90th percentile (nearest rank) of capture -> publication, in days: the rows
    at those ranks picked by window functions, in one statement."""
    seconds = d.seconds_between(Claim.created_at, Claim.published_at).label("seconds")
    ranked = _published(
        select(
            seconds,
            func.row_number().over(order_by=seconds).label("rank"),
            func.count().over().label("total"),
        ),
        f,
    ).subquery()
    median_rank = (ranked.c.total + 1) // 2
    p90_rank = (ranked.c.total * 9 + 9) // 10  # ceil(0.9 n)
    stmt = select(ranked.c.seconds, ranked.c.rank, ranked.c.total, median_rank, p90_rank).where(
        or_(ranked.c.rank == median_rank, ranked.c.rank == p90_rank)
    )
    result: dict[str, Any] = {"published": 0, "median_days": None, "p90_days": None}
    for value, rank, total, at_median, at_p90 in s.execute(stmt):
        result["published"] = total
        days = round(float(value) / 86400, 2)
        if rank == at_median:
            result["median_days"] = days
        if rank == at_p90:
            result["p90_days"] = days
    return result


def _articles(s: Session, f: ReportFilters) -> list[dict[str, Any]]:
    if _tallied(f) and not (f.date_from or f.date_to):
        top = tallies.top_breakdown(
            s, "article", f.claim_type, ARTICLES_LISTED, Article.id, Article.title
        )
        return [
            {"article_id": key, "title": row[1], "total": total}
            | {st.value: counts.get(st.value, 0) for st in ClaimStatus}
            for key, total, counts, row in top
        ]
    per_status = [
        func.sum(case((Claim.status == st.value, 1), else_=0)).label(st.value) for st in ClaimStatus
    ]
    stmt = (
        select(Article.id, Article.title, func.count(Claim.id).label("total"), *per_status)
        .join(Claim, Claim.article_id == Article.id)
        .group_by(Article.id, Article.title)
        .order_by(func.count(Claim.id).desc(), Article.id)
        .limit(ARTICLES_LISTED)
    )
    stmt = _in_period(_claims_in_scope(stmt, f), Claim.created_at, f)
    return [
        {"article_id": row.id, "title": row.title, "total": row.total}
        | {st.value: int(getattr(row, st.value) or 0) for st in ClaimStatus}
        for row in s.execute(stmt)
    ]


def _claimants(s: Session, f: ReportFilters, slugs: list[str]) -> list[dict[str, Any]]:
    """Verdicts published in the period, per claimant record (most checked first), counted for
    each label of the scale (`slugs`)."""
    if _tallied(f) and not (f.date_from or f.date_to):
        top = tallies.top_breakdown(
            s, "claimant", f.claim_type, CLAIMANTS_LISTED, Claimant.id, Claimant.name, Claimant.kind
        )
        return [
            {"claimant_id": key, "name": row[1], "kind": row[2], "total": total}
            | {slug: counts.get(slug, 0) for slug in slugs}
            for key, total, counts, row in top
        ]
    per_rating = [
        func.sum(case((Claim.published_rating == slug, 1), else_=0)).label(f"rating_{i}")
        for i, slug in enumerate(slugs)
    ]
    total = func.count(Claim.id)
    stmt = (
        select(Claimant.id, Claimant.name, Claimant.kind, total.label("total"), *per_rating)
        .join(Claim, Claim.claimant_id == Claimant.id)
        .group_by(Claimant.id, Claimant.name, Claimant.kind)
        .order_by(total.desc(), Claimant.id)
        .limit(CLAIMANTS_LISTED)
    )
    return [
        {"claimant_id": row.id, "name": row.name, "kind": row.kind, "total": row.total}
        | {slug: int(getattr(row, f"rating_{i}") or 0) for i, slug in enumerate(slugs)}
        for row in s.execute(_published(stmt, f))
    ]


def build_report(
    session: Session,
    filters: ReportFilters,
    *,
    now: datetime | None = None,
    ratings: list[str] | None = None,
) -> Report:
    """`ratings`: the scale's slugs in order, when the caller has read them already (a page
    reads the scale once per request); every one is counted, with 0 for a label unused."""
    now = now or datetime.now(UTC)
    dialect = SqlDialect(session)
    status_by_type = _status_by_type(session, filters)
    published, weekly = _publications(session, filters, dialect)
    slugs = ratings if ratings is not None else rating_scale(session).slugs
    verdicts = {slug: published.get(slug, 0) for slug in slugs}
    verdicts.update(published)  # a label deleted since (none in use can be) stays counted
    aging, overdue = _aging(session, filters, now)
    return Report(
        filters=filters,
        generated_at=now,
        status_by_type=status_by_type,
        verdicts=verdicts,
        workload=_workload(session, filters),
        aging=aging,
        overdue=overdue,
        oldest_open=_oldest_open(session, filters, now),
        time_to_publication=_time_to_publication(session, filters, dialect),
        weekly_published=weekly,
        articles=_articles(session, filters),
        claimants=_claimants(session, filters, list(slugs)),
    )
