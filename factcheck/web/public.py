"""Public, read-only fact-check pages with embedded ClaimReview JSON-LD; no sign-in needed.

Everything here reads through `queries.public`, which only ever returns published claims and their
approved verdicts.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    stream_with_context,
    url_for,
)

from factcheck.claimreview import CONTEXT, claim_review, document
from factcheck.queries.public import (
    corrections_log,
    fact_check_page,
    iter_fact_checks,
    published_fact_checks,
)
from factcheck.workflow.states import Rating

from .database import closing_session, db
from .paging import PAGE_SIZE, before_arg, split_page

bp = Blueprint("public", __name__)


def absolute_url(endpoint: str, **values) -> str:
    """Public URLs use the configured base (the site's public address) when there is one."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _review(check) -> dict:
    return claim_review(
        check,
        url=absolute_url("public.show", claim_id=check.claim_id),
        organisation=current_app.config["ORGANISATION_NAME"],
        organisation_url=current_app.config["ORGANISATION_URL"],
    )


@bp.get("/fact-checks")
def index():
    checks, older = split_page(
        published_fact_checks(db(), before=before_arg(), limit=PAGE_SIZE + 1),
        PAGE_SIZE,
        lambda check: check.claim_id,
    )
    return render_template("public/index.html", checks=checks, older=older, ratings=Rating)


@bp.get("/fact-checks/<int:claim_id>")
def show(claim_id: int):
    page = fact_check_page(db(), claim_id)
    if page is None:
        abort(404)
    return render_template(
        "public/show.html",
        page=page,
        rating=Rating(page.check.rating),
        jsonld=document([_review(page.check)]),
    )


@bp.get("/fact-checks.jsonld")
def jsonld():
    """All published fact-checks as one JSON-LD graph, for aggregators."""

    checks = iter_fact_checks(db())

    def body():
        # `claimreview.document()` built as a stream: a graph of every fact-check.
        yield '{"@context": ' + json.dumps(CONTEXT) + ', "@graph": ['
        for i, check in enumerate(checks):
            yield ("," if i else "") + json.dumps(_review(check), ensure_ascii=False)
        yield "]}"

    stream = stream_with_context(closing_session(body()))
    return Response(stream, mimetype="application/ld+json")


@bp.get("/fact-checks/corrections")
def corrections():
    entries, older = split_page(
        corrections_log(db(), before=before_arg(), limit=PAGE_SIZE + 1),
        PAGE_SIZE,
        lambda entry: entry.id,
    )
    return render_template(
        "public/corrections.html", entries=entries, older=older, page_size=PAGE_SIZE
    )
