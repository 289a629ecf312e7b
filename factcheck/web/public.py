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
    request,
    stream_with_context,
    url_for,
)

from factcheck.claimreview import claim_review, document
from factcheck.queries.public import (
    corrections_log,
    fact_check_page,
    iter_fact_checks,
    published_fact_checks,
)
from factcheck.workflow.states import Rating

from .database import closing_session, db

bp = Blueprint("public", __name__)
PAGE_SIZE = 50


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
    checks = published_fact_checks(db(), before=_before_arg(), limit=PAGE_SIZE + 1)
    older = checks[PAGE_SIZE].claim_id + 1 if len(checks) > PAGE_SIZE else None
    return render_template(
        "public/index.html", checks=checks[:PAGE_SIZE], older=older, ratings=Rating
    )


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
        yield '{"@context": "https://schema.org", "@graph": ['
        for i, check in enumerate(checks):
            yield ("," if i else "") + json.dumps(_review(check), ensure_ascii=False)
        yield "]}"

    stream = stream_with_context(closing_session(body()))
    return Response(stream, mimetype="application/ld+json")


@bp.get("/fact-checks/corrections")
def corrections():
    before = _before_arg()
    entries = corrections_log(db(), before=before, limit=PAGE_SIZE + 1)
    older = entries[PAGE_SIZE].id + 1 if len(entries) > PAGE_SIZE else None
    return render_template(
        "public/corrections.html", entries=entries[:PAGE_SIZE], older=older, page_size=PAGE_SIZE
    )


def _before_arg() -> int | None:
    """`?before=<id>`: where an older page starts; anything else means the newest page."""
    before = request.args.get("before", type=int)
    return before if before is not None and 0 < before < 2**31 else None
