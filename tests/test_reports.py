"""The claim status report: figures from SQL aggregates, the page with SVG charts, CSV/JSON/CLI."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from factcheck.models import Claim
from factcheck.queries.reports import ReportFilters, build_report
from factcheck.workflow import claims as wf
from tests.factories import make_article, make_claim, publish, research, submit

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def backdate(
    session,
    claim,
    *,
    created_days: float,
    published_days: float | None = None,
    idle_days: float | None = None,
):
    values = {"created_at": NOW - timedelta(days=created_days)}
    if published_days is not None:
        values["published_at"] = NOW - timedelta(days=published_days)
    if idle_days is not None:
        values["last_activity_at"] = NOW - timedelta(days=idle_days)
    session.execute(update(Claim).where(Claim.id == claim.id).values(**values))


@pytest.fixture
def desk(db_session, users):
    rita, rob, eddie = users["reviewer"], users["reviewer2"], users["editor"]
    article = make_article(db_session, title="Raids")
    other_article = make_article(db_session, title="Budget")
    # Three published: capture -> publication of 10, 2 and 4 days.
    published = []
    for days, rating, ctype in (
        (10, "false", "death"),
        (2, "false", "arrest"),
        (4, "true", "death"),
    ):
        claim = make_claim(db_session, article=article, claim_type=ctype)
        publish(db_session, rita, eddie, claim, rating=rating)
        published.append((claim, days))
    in_review = submit(db_session, rob, make_claim(db_session, article=article), rating="mixed")
    overdue = research(
        db_session, rita, make_claim(db_session, article=other_article, claim_type="denial")
    )
    overdue.due_date = date(2026, 11, 1)
    idle = make_claim(db_session, article=other_article, claim_type="denial")
    wf.mark_not_checkable(
        db_session,
        eddie,
        make_claim(db_session, claim_type="other"),
        reason="Opinion.",
        expected_version=None,
    )
    db_session.flush()
    for i, (claim, days) in enumerate(published):
        backdate(db_session, claim, created_days=30 + days + i * 7, published_days=30 + i * 7)
    backdate(db_session, in_review, created_days=5, idle_days=1)
    backdate(db_session, overdue, created_days=40, idle_days=9)
    backdate(db_session, idle, created_days=60, idle_days=45)
    db_session.commit()
    return {"article": article.id, "idle": idle.id, "overdue": overdue.id}


def test_figures(db_session, desk, users):
    report = build_report(db_session, ReportFilters(), now=NOW)
    assert report.totals == {
        "unreviewed": 1,
        "researching": 1,
        "in_review": 1,
        "published": 3,
        "not_checkable": 1,
    }
    assert report.status_by_type["published"]["death"] == 2
    assert report.status_by_type["researching"]["denial"] == 1
    assert report.verdicts["false"] == 2 and report.verdicts["true"] == 1
    assert report.verdicts["mixed"] == 0  # a draft is not a published verdict
    assert report.time_to_publication == {"published": 3, "median_days": 4.0, "p90_days": 10.0}
    assert report.aging == {
        "0-2 days": 1,
        "3-7 days": 0,
        "8-14 days": 1,
        "15-30 days": 0,
        "over 30 days": 1,
    }
    assert report.overdue == 1
    assert [c["id"] for c in report.oldest_open][:2] == [desk["idle"], desk["overdue"]]
    assert report.oldest_open[0]["days_idle"] == 45
    workload = {w["username"]: w for w in report.workload}
    assert workload["rita"]["assigned_open"] == 1 and workload["rita"]["published_in_period"] == 3
    assert workload["rob"]["drafts_awaiting"] == 1 and workload["rob"]["assigned_open"] == 1
    weeks = report.weekly_published
    assert sum(w["count"] for w in weeks) == 3 and len(weeks) == 3
    assert all(date.fromisoformat(w["week"]).weekday() == 0 for w in weeks)  # Mondays
    by_article = {a["title"]: a for a in report.articles}
    assert by_article["Raids"]["total"] == 4 and by_article["Raids"]["published"] == 3
    assert by_article["Budget"]["researching"] == 1 and by_article["Budget"]["unreviewed"] == 1


def test_filters_narrow_every_figure(db_session, desk):
    deaths = build_report(db_session, ReportFilters(claim_type="death"), now=NOW)
    assert sum(deaths.totals.values()) == 2 and deaths.time_to_publication["published"] == 2
    raids = build_report(db_session, ReportFilters(article_id=desk["article"]), now=NOW)
    assert raids.overdue == 0 and raids.totals["published"] == 3
    recent = build_report(
        db_session, ReportFilters(date_from=(NOW - timedelta(days=33)).date()), now=NOW
    )
    assert recent.time_to_publication["published"] == 1  # only the one published 30 days ago
    assert recent.verdicts["false"] == 1


def test_report_page_has_svg_charts_and_the_same_figures_as_tables(client, as_user, desk):
    as_user("editor")
    page = client.get("/reports").get_data(as_text=True)
    assert page.count("<svg") == 3 and "<script" not in page
    assert "<title>Claims by status</title>" in page
    assert "Published: 3" in page or "Published</td><td>3" in page
    assert "<td>Median</td><td>4.0 days</td>" in page


def test_csv_and_json_downloads_carry_the_same_figures(client, as_user, desk):
    as_user("editor")
    data = client.get("/reports.json").get_json()
    text = client.get("/reports.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")  # the download link's byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["section", "row", "column", "value"]
    figures = {(s, r, c): v for s, r, c, v in rows[1:]}
    assert figures[("status_by_type", "published", "death")] == "2"
    assert data["status_by_type"]["published"]["death"] == 2
    assert figures[("time_to_publication", "median_days", "value")] == "4.0"
    assert data["time_to_publication"]["median_days"] == 4.0
    for bucket, n in data["aging"].items():
        assert figures[("aging", bucket, "open_claims")] == str(n)


def test_filters_in_the_query_string_and_bad_values_get_a_400(client, as_user, desk):
    as_user("editor")
    data = client.get("/reports.json?claim_type=death").get_json()
    assert sum(data["totals"].values()) == 2
    response = client.get("/reports?date_from=2026-02-30")
    assert response.status_code == 400 and "Not a valid date value" in response.get_data(
        as_text=True
    )
    response = client.get("/reports?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 400
    assert "before its start" in response.get_data(as_text=True)
    assert client.get("/reports?claim_type=weather").status_code == 400
    for bad_id in ("\u00b2", "abc", "99999999999"):  # a superscript two passes str.isdigit()
        response = client.get(f"/reports?article_id={bad_id}")
        assert response.status_code == 400, bad_id
        assert "Choose an article from the list." in response.get_data(as_text=True)
    # The last date a form accepts has no day after it: still a period, not a crash.
    data = client.get("/reports.json?date_from=2026-01-01&date_to=9999-12-31").get_json()
    assert sum(data["totals"].values()) == sum(
        client.get("/reports.json?date_from=2026-01-01").get_json()["totals"].values()
    )


def test_cli_report(runner, desk):
    result = runner.invoke(args=["report"])
    assert result.exit_code == 0, result.output
    assert "published" in result.output and "overdue" in result.output
    result = runner.invoke(args=["report", "--format", "json", "--type", "death"])
    assert '"published": 2' in result.output


def test_cli_report_refuses_bad_filters(runner, desk):
    result = runner.invoke(args=["report", "--type", "weather"])
    assert result.exit_code == 2 and "--type" in result.output
    result = runner.invoke(args=["report", "--from", "2026-05-01", "--to", "2026-04-01"])
    assert result.exit_code == 2 and "before its start" in result.output
    result = runner.invoke(args=["report", "--to", "9999-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
