"""The claim area's pages (GET): the list, my queue, the claim page, and the create and edit
forms, whose POSTs go to `actions.py` under the same endpoint."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.queries.articles import article_titles
from factcheck.queries.claimants import proposed_claimant
from factcheck.queries.claims import (
    DIRECTIONS,
    SORTS,
    ClaimFilters,
    article_choices,
    count_labels,
    filter_problems,
    list_claims,
    parse_filters,
    status_counts,
)
from factcheck.queries.queue import my_queue
from factcheck.queries.staff import active_staff
from factcheck.workflow import permissions as can
from factcheck.workflow.claimants import is_claimant_name
from factcheck.workflow.states import ClaimStatus, ClaimType, Stance

from ..actions import take_conflict
from ..auth import EmptyForm, editor_required
from ..cache import COUNTS, LIST, cached
from ..database import db
from ..ratings import current_scale
from ..templating import render_fragment
from . import actions, bp
from .forms import (
    NEW_CLAIMANT,
    ClaimForm,
    NewClaimForm,
    SourceEditForm,
    new_claim_article_choices,
)
from .page import kept_form, load_claim, rerender_claim_page, show_claim_page


@bp.get("/")
def index():
    s = db()
    filters = parse_filters(request.args)
    cursor = request.args.get("after")
    before = None if cursor else request.args.get("before")
    is_editor = current_user.is_editor
    problems = filter_problems(request.args, current_scale().slugs)
    if problems:  # said at each filter, over the list without them; not cached
        known = parse_filters({k: v for k, v in request.args.items() if k not in problems})
        body = _list_body(s, known, cursor, before, is_editor, problems)
        return render_template("claims/list.html", body=body), 400
    body = cached(
        s,
        LIST,
        (filters, cursor, before, is_editor),
        lambda: _list_body(s, filters, cursor, before, is_editor),
    )
    return render_template("claims/list.html", body=body)


def _list_body(
    s: Session,
    filters: ClaimFilters,
    cursor: str | None,
    before: str | None,
    is_editor: bool,
    problems: dict[str, str] | None = None,
) -> Markup:
    """The list page below the top bar: the same for every user of one role, so it is cached
    (but for a request with filters it does not know: `problems`, shown at each)."""
    html = render_fragment(
        "claims/_list_body.html",
        page=list_claims(s, filters, cursor=cursor, before=before, rows=True),
        filters=filters,
        counts=count_labels(
            cached(
                s,
                COUNTS,
                (filters.without(status=None, sort="priority", direction=None),),
                lambda: status_counts(s, filters),
            )
        ),
        statuses=list(ClaimStatus),
        types=list(ClaimType),
        ratings=list(current_scale()),
        sorts=SORTS,
        directions=DIRECTIONS,
        articles=article_choices(s, filters.article_id),
        assignees=active_staff(s),
        first_page=not cursor and not before,
        problems=problems or {},
        # The exports of the claims in view: the claims, their sources, their history.
        csv_urls=(
            {
                kind: url_for("exports.export_csv", kind=kind, **filters.as_args())
                for kind in ("claims", "sources", "history")
            }
            if is_editor
            else None
        ),
    )
    return Markup(html)  # noqa: S704 -- Jinja's autoescaped output, not user input


@bp.get("/queue")
def queue():
    today = date.today()
    mine = my_queue(db(), current_user, today)
    return render_template(
        "claims/queue.html",
        mine=mine.mine,
        awaiting=mine.awaiting,
        more_mine=mine.more_mine,
        more_awaiting=mine.more_awaiting,
        returned=mine.returned,
        today=today,
        in_review=ClaimStatus.IN_REVIEW.value,
    )


@bp.get("/claims/<int:claim_id>")
def show(claim_id: int):
    if kept := take_conflict():  # a claim page form a conflict refused (`?kept=`)
        return rerender_claim_page(claim_id, kept.name, kept_form(kept), kept.error, 409)
    return show_claim_page(db(), claim_id)


def _version_arg(claim) -> int:
    """The version the claim page was showing (its link carries it), else the current one."""
    raw = request.args.get("version", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= limits.MAX_ID else claim.version


@bp.get("/claims/<int:claim_id>/approve/confirm")
@editor_required
def confirm_approve(claim_id: int):
    """Approving publishes at once: a page of its own names what will happen (no JavaScript)."""
    claim = load_claim(db(), claim_id)
    verdict = claim.pending_verdict
    if verdict is None or "approve" not in can.allowed_actions(current_user, claim):
        flash("There is no verdict on this claim that you may approve now.", "error")
        return redirect(url_for(".show", claim_id=claim.id), 303)
    label = current_scale().label_of(verdict.rating)
    return render_template(
        "confirm.html",
        title=f"Approve and publish claim #{claim.id}?",
        consequences=[
            f"The verdict “{label}: {verdict.summary}”, drafted by "
            f"{verdict.drafted_by.display_name}, becomes the claim's published verdict.",
            "The fact-check appears at once on the public site and in its ClaimReview data.",
            "Changing it afterwards takes a public correction.",
        ],
        action=url_for(".approve", claim_id=claim.id),
        button="Approve and publish",
        form=EmptyForm(),
        version=_version_arg(claim),
        cancel=url_for(".show", claim_id=claim.id),
    )


@bp.get("/claims/<int:claim_id>/sources/<int:source_id>/delete/confirm")
def confirm_delete_source(claim_id: int, source_id: int):
    """Removing a source asks first, on a page of its own (no JavaScript)."""
    claim = load_claim(db(), claim_id)
    source = actions.source_of(claim, source_id)
    return render_template(
        "confirm.html",
        title=f"Remove the source “{source.title}”?",
        consequences=[
            f"It is taken off claim #{claim.id} ({Stance(source.stance).label.lower()}): "
            f"{source.url}",
            "The removal, and the source as it was, stay in the claim's history.",
        ],
        action=url_for(".delete_source", claim_id=claim.id, source_id=source.id),
        button="Remove the source",
        danger=True,
        form=EmptyForm(),
        cancel=url_for(".show", claim_id=claim.id) + "#sources",
    )


@bp.route("/claims/new", methods=["GET", "POST"])
def new():
    form = NewClaimForm()
    form.article_id.choices = new_claim_article_choices(article_titles(db()))
    if request.method == "POST":
        return actions.create(form)
    if request.args.get("article_id"):
        form.article_id.data = parse_filters(request.args).article_id or 0
    return render_template("claims/edit.html", form=form, claim=None)


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def edit(claim_id: int):
    if request.method == "POST":
        return actions.update(claim_id)
    if kept := take_conflict():
        return actions.show_edit_conflict(claim_id, kept)
    claim = load_claim(db(), claim_id)
    if not can.can_edit_claim(current_user, claim):
        abort(403)
    form = ClaimForm(obj=claim)
    form.show_as_loaded(claim)
    actions.offer_claimants(form, claim.claimant)
    proposal = None
    if claim.claimant_id is None and is_claimant_name(claim.claimant):
        # The text names someone: their record, chosen until the reviewer saves (confirms)
        # or picks another; else a new record is offered, never forced on an unrelated edit.
        match = proposed_claimant(db(), claim.claimant)
        if match is not None:
            form.claimant_id.data, proposal = match.id, "match"
        else:
            proposal = NEW_CLAIMANT
    return render_template(
        "claims/edit.html", form=form, claim=claim, conflict_events=[], proposal=proposal
    )


@bp.route("/claims/<int:claim_id>/sources/<int:source_id>/edit", methods=["GET", "POST"])
def edit_source(claim_id: int, source_id: int):
    if request.method == "POST":
        return actions.update_source_view(claim_id, source_id)
    if kept := take_conflict():
        return actions.show_source_conflict(claim_id, source_id, kept)
    claim = load_claim(db(), claim_id)
    source = actions.source_of(claim, source_id)
    form = SourceEditForm(obj=source)
    form.show_as_loaded(source)
    return render_template("claims/source_edit.html", form=form, claim=claim, source=source)
