"""The API's articles, published fact-checks and report: reads through the same queries as the
pages; an article created through the same service as the form (from a `url`, by the intake
job, `intake.create_from_url`)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from factcheck import jobs
from factcheck.models import Article
from factcheck.queries import public
from factcheck.queries.articles import article_page
from factcheck.queries.claim_record import article_record
from factcheck.queries.reports import ReportFilters, build_report
from factcheck.web.database import db
from factcheck.workflow.articles import ArticleInput, create_article
from factcheck.workflow.stored_extraction import is_pending

from . import schemas as sc
from .auth import api_user
from .intake import create_from_url
from .problems import ApiProblem
from .views import bp, problems, run_create

# ---- articles -----------------------------------------------------------------------------


@bp.route("/articles", methods=["GET"])
@bp.arguments(sc.BeforeQuerySchema, location="query", as_kwargs=True)
@bp.response(200, sc.ArticlePageSchema)
@problems(401)
def articles(before: int | None = None, limit: int = 50):
    """Articles, newest first, each with its number of claims (pass `next_before` back)."""
    rows = article_page(db(), before=before, limit=limit + 1)
    items = [
        {
            "id": a.id,
            "title": a.title,
            "publisher": a.publisher,
            "published_on": a.published_on,
            "claims": n,
        }
        for a, n in rows[:limit]
    ]
    return {"items": items, "next_before": items[-1]["id"] if len(rows) > limit else None}


@bp.route("/articles/<int:article_id>", methods=["GET"])
@bp.response(200, sc.ArticleSchema)
@problems(401, 404)
def article(article_id: int):
    """One article with its text and its claims."""
    return _article_answer(article_id)


def _article_answer(article_id: int) -> dict[str, Any]:
    found = article_record(db(), article_id)
    if found is None:
        raise ApiProblem(404, f"Article #{article_id} does not exist.")
    item, claims_of = found
    shown = ("id", "title", "publisher", "author", "url", "published_on", "created_at", "text")
    return {key: getattr(item, key) for key in shown} | {"claims": claims_of}


@bp.route("/articles", methods=["POST"])
@bp.arguments(sc.ArticleCreateSchema)
@bp.response(201, sc.ArticleSchema)
@bp.alt_response(202, schema=sc.ArticleRequestSchema, description="fetching `url`")
@problems(401, 403, 409)
def create_article_view(data: dict[str, Any]):
    """Add an article from its text (claims are then opened with POST /claims), or from its
    `url` alone: the page is fetched by a background job (202, see `Location`)."""
    if data.get("text") is None:
        return create_from_url(data.get("url"), run_create)

    def work(s, user) -> str:
        later = current_app.config["EXTRACTION_JOB_FROM_CHARS"]
        created = create_article(s, user, ArticleInput(**data), extract_later_from=later)
        return url_for(".article", article_id=created.id)

    path = run_create(work)
    article_id = int(path.rsplit("/", 1)[1])
    if is_pending(db().get(Article, article_id)):
        jobs.extract_article(article_id)  # a long article's claims: by the task queue
    return _article_answer(article_id), 201, {"Location": path}


# ---- published fact-checks and the report ---------------------------------------------------


@bp.route("/fact-checks", methods=["GET"])
@bp.arguments(sc.BeforeQuerySchema, location="query", as_kwargs=True)
@bp.response(200, sc.FactCheckPageSchema)
@problems(401)
def fact_checks(before: int | None = None, limit: int = 50):
    """Published fact-checks, newest claim first (pass `next_before` back)."""
    rows = public.published_fact_checks(db(), before=before, limit=limit + 1)
    items = rows[:limit]
    return {"items": items, "next_before": items[-1].claim_id if len(rows) > limit else None}


@bp.route("/report", methods=["GET"])
@bp.arguments(sc.ReportQuerySchema, location="query", as_kwargs=True)
@bp.response(200, sc.ReportSchema)
@problems(401, 403)
def report(**filters: Any):
    """The claim status report (editors and admins), as `/reports.json`."""
    if not api_user().is_editor:
        raise ApiProblem(403, "The report is for editors and admins.")
    return build_report(db(), ReportFilters(**filters)).as_dict()
