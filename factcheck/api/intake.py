"""Articles asked for by URL through the API: the same intake service as the web form (the
SSRF guard, one request row), the page fetched by the same background job; the request's
progress is a resource of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, jsonify, url_for

from factcheck import jobs
from factcheck.intake.fetch import policy_from
from factcheck.models import IntakeRequest
from factcheck.queries.intake import intake_request
from factcheck.web.database import db, end_read_phase
from factcheck.workflow import intake as wf

from . import schemas as sc
from .auth import require_write
from .problems import ApiProblem
from .views import bp, problems


def create_from_url(url: str | None, create: Callable[[Callable[[Any, Any], str]], str]):
    """Ask for the article at `url` (202 Accepted; `Location` is the request to poll)."""
    require_write()  # before the host lookup, as a create's first step
    if not url:
        raise ApiProblem(422, "Send the article's text, or its url to fetch.", field="text")
    policy = policy_from(current_app.config)
    # The address's host is looked up (the SSRF guard) before any write: not while this
    # request's transaction holds SQLite's write lock.
    end_read_phase(db())
    wf.checked_url(url, policy)

    def work(s, user) -> str:
        asked = wf.request_article(s, user, url, policy)
        return url_for(".article_request", request_id=asked.id)

    path = create(work)
    request_id = int(path.rsplit("/", 1)[1])
    jobs.fetch_article(request_id)  # after the commit: the job reads the request's row
    response = jsonify(sc.ArticleRequestSchema().dump(_request_or_404(request_id)))
    response.status_code = 202
    response.headers["Location"] = path
    return response


def _request_or_404(request_id: int) -> IntakeRequest:
    asked = intake_request(db(), request_id)
    if asked is None:
        raise ApiProblem(404, f"Article request #{request_id} does not exist.")
    return asked


@bp.route("/article-requests/<int:request_id>", methods=["GET"])
@bp.response(200, sc.ArticleRequestSchema)
@problems(401, 404)
def article_request(request_id: int):
    """An article asked for by URL: pending, done (its `article_id`) or failed (`error`)."""
    return _request_or_404(request_id)
