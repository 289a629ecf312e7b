"""Public, read-only fact-check pages with embedded ClaimReview JSON-LD; no sign-in needed.

Everything here reads through `queries.public`, which only ever returns published claims and their
approved verdicts.

The pages are cacheable: anonymous views set no cookie and say `Cache-Control: public` with a
short max-age for shared caches only (browsers revalidate); every page carries an ETag made of
the database's change counter (any commit moves it), the URL and the viewer, and a request
whose If-None-Match holds it gets a 304 before any page query runs.
"""

from __future__ import annotations

import hashlib
import json
import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wsgi import wrap_file

from factcheck.claimreview import CONTEXT, claim_review, document, short_claim
from factcheck.data_version import current_version
from factcheck.queries.public import (
    corrections_log,
    count_corrections,
    count_fact_checks,
    fact_check_page,
    iter_fact_checks,
    published_fact_checks,
)
from factcheck.rating_scale import RatingScale

from .database import db
from .paging import PAGE_SIZE, IdPage, id_page
from .ratings import current_scale

bp = Blueprint("public", __name__)
# Seconds a shared cache (a reverse proxy, a CDN) may serve an anonymous public page unasked:
# it absorbs a spike. A browser asks every time (a 304 costs one counter read), so a reader who
# comes back after a correction sees it at once.
PUBLIC_SHARED_MAX_AGE = 60
# The JSON-LD graph is built before it is sent; past this size it is built on disk.
JSONLD_MEMORY_BYTES = 4 << 20


@bp.before_request
def _not_modified():
    """Answer a conditional request for an unchanged page with a 304 (one counter read)."""
    viewer = current_user.get_id() if current_user.is_authenticated else "anonymous"
    key = f"{current_version(db())}|{viewer}|{request.full_path}|{absolute_url('public.index')}"
    g.public_etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if g.public_etag in request.if_none_match:
        response = Response(status=304)
        return _cache_headers(response)
    return None


@bp.after_request
def _cache_headers(response: Response) -> Response:
    if response.status_code in (200, 304) and "public_etag" in g:
        response.set_etag(g.public_etag)
        if current_user.is_authenticated:  # the layout names the user: never in a shared cache
            response.headers["Cache-Control"] = "private, no-cache"
        else:
            response.headers["Cache-Control"] = (
                f"public, max-age=0, s-maxage={PUBLIC_SHARED_MAX_AGE}, must-revalidate"
            )
        response.vary.add("Cookie")
    return response


def absolute_url(endpoint: str, **values) -> str:
    """Public URLs use the configured base (the site's public address) when there is one."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def site_root() -> str:
    """The site's public address: the configured base, else the request's."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


def page_meta(title: str, description: str, kind: str = "website", **values) -> dict[str, str]:
    """A public page's canonical address (the configured base, this endpoint, its paging
    argument) and its Open Graph description."""
    url = absolute_url(request.endpoint, **(request.view_args or {}), **values)
    return {
        "url": url,
        "title": title,
        "description": short_claim(description, 200),
        "type": kind,
        "site_name": current_app.config["ORGANISATION_NAME"],
    }


def _paging(page: IdPage) -> dict[str, int | str]:
    """The page's own address, for its canonical link: where it starts, in its order."""
    return {
        key: value
        for key in ("before", "after")
        if (value := request.args.get(key, type=int)) is not None and value > 0
    } | page.order_args


def _review(check, scale: RatingScale) -> dict:
    return claim_review(
        check,
        url=absolute_url("public.show", claim_id=check.claim_id),
        organisation=current_app.config["ORGANISATION_NAME"],
        organisation_url=current_app.config["ORGANISATION_URL"] or site_root(),
        scale=scale,
    )


@bp.get("/fact-checks")
def index():
    s = db()
    page = id_page(
        lambda before, after, ascending, limit: published_fact_checks(
            s, before=before, after=after, ascending=ascending, limit=limit
        ),
        lambda check: check.claim_id,
        PAGE_SIZE,
    )
    organisation = current_app.config["ORGANISATION_NAME"]
    meta = page_meta(
        f"Fact-checks · {organisation}",
        f"Claims checked by {organisation}, with the evidence and the verdict.",
        **_paging(page),
    )
    return render_template("public/index.html", page=page, total=count_fact_checks(s), meta=meta)


@bp.get("/fact-checks/<int:claim_id>")
def show(claim_id: int):
    page = fact_check_page(db(), claim_id)
    if page is None:
        abort(404)
    scale = current_scale()
    meta = page_meta(
        page.check.claim_reviewed,
        f"{scale.label_of(page.check.rating)}: {page.check.summary}",
        "article",
    )
    return render_template(
        "public/show.html",
        page=page,
        jsonld=document([_review(page.check, scale)]),
        meta=meta,
    )


@bp.get("/fact-checks.jsonld")
def jsonld():
    """All published fact-checks as one JSON-LD graph, for aggregators."""

    scale = current_scale()
    # The whole document is built before the 200 is sent: a database that fails at any row is
    # a 503, never a 200 with a cut-off body. Built into a spooled file (memory up to
    # JSONLD_MEMORY_BYTES, disk beyond), so however many fact-checks there are, memory holds.
    spool = tempfile.SpooledTemporaryFile(max_size=JSONLD_MEMORY_BYTES)  # noqa: SIM115
    try:
        # `claimreview.document()` written row by row: a graph of every fact-check.
        spool.write(b'{"@context": ' + json.dumps(CONTEXT).encode() + b', "@graph": [')
        for number, check in enumerate(iter_fact_checks(db())):
            review = json.dumps(_review(check, scale), ensure_ascii=False)
            spool.write(((", " if number else "") + review).encode())
        spool.write(b"]}")
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    response = Response(
        wrap_file(request.environ, spool), mimetype="application/ld+json", direct_passthrough=True
    )
    response.content_length = size
    return response


@bp.get("/fact-checks/corrections")
def corrections():
    s = db()
    page = id_page(
        lambda before, after, ascending, limit: corrections_log(
            s, before=before, after=after, ascending=ascending, limit=limit
        ),
        lambda entry: entry.id,
        PAGE_SIZE,
    )
    meta = page_meta(
        "Corrections log",
        "Every correction to a published fact-check, newest first.",
        **_paging(page),
    )
    return render_template(
        "public/corrections.html",
        page=page,
        total=count_corrections(s),
        page_size=PAGE_SIZE,
        meta=meta,
    )


@bp.get("/methodology")
def methodology():
    """The ratings and methodology page: each label's meaning, the numbers ClaimReview sends
    for it, and how a fact-check is made and corrected."""
    scale = current_scale()
    return render_template("public/methodology.html", scale=scale)


@bp.get("/ratings.css")
def ratings_css():
    """The labels' colours, one rule each (the CSP allows no inline style)."""
    rules = "".join(
        f".rating-{label.slug} {{ background: {label.colour}; color: {label.text_colour}; }}\n"
        for label in current_scale()
    )
    return Response(rules, mimetype="text/css")
