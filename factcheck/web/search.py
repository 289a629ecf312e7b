"""The desk's search page: claims, articles and sources by text; claims with the claims list's
filters and sort, every kind a page at a time."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from factcheck.queries.claims import SORTS, list_claims, parse_filters
from factcheck.queries.desk_search import KINDS, find_articles, find_sources
from factcheck.queries.staff import active_staff
from factcheck.workflow.states import ClaimStatus, ClaimType

from .database import db
from .paging import PAGE_SIZE, before_arg, split_page
from .ratings import current_scale

bp = Blueprint("search", __name__)


@bp.get("/search")
def index():
    s = db()
    filters = parse_filters(request.args)
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else "claims"
    q = filters.q or ""
    context = {"kind": kind, "kinds": KINDS, "filters": filters, "q": q, "rows": [], "older": None}
    unfiltered = filters.without(sort="priority", direction=None) == type(filters)()
    if kind == "claims" and (q or not unfiltered):
        page = list_claims(s, filters, cursor=request.args.get("after"), page_size=PAGE_SIZE)
        context.update(rows=page.claims, next_cursor=page.next_cursor)
    elif kind != "claims" and q:
        find = find_articles if kind == "articles" else find_sources
        rows = find(s, q, before=before_arg(), limit=PAGE_SIZE + 1)
        context["rows"], context["older"] = split_page(rows, PAGE_SIZE, lambda row: row[0])
    return render_template(
        "search.html",
        statuses=list(ClaimStatus),
        types=list(ClaimType),
        ratings=list(current_scale()),
        sorts=SORTS,
        assignees=active_staff(s) if kind == "claims" else [],
        **context,
    )
