"""The claim area's changes (POST). Each is one workflow service run by `run_action` on the
claim loaded for update; a refusal re-renders the page it came from with the user's input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from flask import abort, current_app, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from wtforms import Field

from factcheck.models import Claim, Source
from factcheck.queries.articles import get_article
from factcheck.queries.claim_page import changes_since, history_names
from factcheck.queries.claimants import claimant_choices
from factcheck.queries.staff import account, active_staff
from factcheck.workflow import claims as wf
from factcheck.workflow import permissions as can
from factcheck.workflow.errors import ConflictError, RuleViolation, WorkflowError
from factcheck.workflow.links import link_claims, unlink_claims
from factcheck.workflow.merging import changed_fields
from factcheck.workflow.sources import SOURCE_FIELDS, add_source, remove_source, update_source

from ..actions import Kept, back_to, keep_conflict, run_action, show_conflict
from ..archiving import archiving_on, queue_archive
from ..auth import EmptyForm, editor_required
from ..database import db
from ..forms import VersionedForm
from . import bp
from .forms import (
    AssignForm,
    ClaimForm,
    CommentForm,
    CorrectionForm,
    LinkForm,
    NewClaimForm,
    NewSourceForm,
    ReasonForm,
    SourceEditForm,
    VerdictForm,
    assign_choices,
    claimant_record_choices,
)
from .page import load_claim, rerender_claim_page


def _act(
    claim_id: int,
    form,
    form_name: str,
    operation: Callable[[Session, Claim], Any],
    message: str,
    after_commit: Callable[[Any], None] | None = None,
    *,
    section: str | None = None,
    button_only: bool = False,
    error_field: Callable[[WorkflowError], Field | None] | None = None,
):
    """An action from the claim page: on the claim locked for update; back to the page, at
    the `section` acted on (its heading, a `#…-title` target the browser scrolls to and
    focuses, no script needed), or at the top when the action came from a confirmation page.
    A button (no input to show again) is sent back to the page on a refusal too, the reason at
    the top; a form with input is shown again with it and a 4xx."""
    load_claim(db(), claim_id)  # 404 before anything else
    page = url_for(".show", claim_id=claim_id)
    return run_action(
        form,
        lambda s: operation(s, load_claim(s, claim_id, for_update=True)),
        redirect_to=f"{page}#{section}-title" if section else page,
        message=message,
        after_commit=after_commit,
        rerender=(
            back_to(page, form)
            if button_only
            else lambda error, status: rerender_claim_page(claim_id, form_name, form, error, status)
        ),
        errors_on_form=not button_only,
        error_field=error_field,
    )


@bp.post("/claims/<int:claim_id>/assign")
@editor_required
def assign(claim_id: int):
    form = AssignForm()
    form.assignee.choices = assign_choices(active_staff(db()))

    def op(s, claim):
        assignee = account(s, form.assignee.data)
        if assignee is None:
            raise wf.ValidationFailed("Choose someone to assign.", field="assignee")
        wf.assign(
            s,
            current_user,
            claim,
            assignee,
            due_date=form.due_date.data,
            expected_version=form.expected_version(),
        )

    return _act(claim_id, form, "assign_form", op, "Claim assigned.", section="actions")


@bp.post("/claims/<int:claim_id>/take")
def take(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "take_form",
        lambda s, c: wf.take(s, current_user, c, expected_version=form.expected_version()),
        "The claim is yours.",
        section="actions",
        button_only=True,
    )


@bp.post("/claims/<int:claim_id>/sources")
def add_source_view(claim_id: int):
    form = NewSourceForm()
    return _act(
        claim_id,
        form,
        "source_form",
        lambda s, c: add_source(
            s, current_user, c, form.source_input(), archive=archiving_on(current_app.config)
        ),
        "Source added.",
        after_commit=queue_archive,
        section="sources",
    )


@bp.post("/claims/<int:claim_id>/sources/<int:source_id>/delete")
def delete_source(claim_id: int, source_id: int):
    form = EmptyForm()
    return _act(
        claim_id,
        form,
        "delete_form",
        lambda s, c: remove_source(s, current_user, c, source_id),
        "Source removed (it stays in the history).",
        button_only=True,
    )


@bp.post("/claims/<int:claim_id>/verdict")
def draft_verdict(claim_id: int):
    form = VerdictForm()
    return _act(
        claim_id,
        form,
        "verdict_form",
        lambda s, c: wf.draft_verdict(
            s,
            current_user,
            c,
            rating=form.rating.data,
            summary=form.summary.data,
            rationale=form.rationale.data,
            expected_version=form.expected_version(),
        ),
        "Verdict submitted for an editor's approval.",
        section="verdict",
        # The evidence it lacks (`states.evidence_problem`): at the form, in the page's error
        # summary, not only flashed.
        error_field=lambda error: form.rating if isinstance(error, RuleViolation) else None,
    )


@bp.post("/claims/<int:claim_id>/approve")
@editor_required
def approve(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "approve_form",
        lambda s, c: wf.approve(s, current_user, c, expected_version=form.expected_version()),
        "Verdict approved: the fact-check is published.",
        button_only=True,
    )


@bp.post("/claims/<int:claim_id>/return")
@editor_required
def return_verdict(claim_id: int):
    form = ReasonForm()
    return _act(
        claim_id,
        form,
        "return_form",
        lambda s, c: wf.return_verdict(
            s, current_user, c, reason=form.reason.data, expected_version=form.expected_version()
        ),
        "Verdict returned to the reviewer.",
        section="verdict",
    )


@bp.post("/claims/<int:claim_id>/not-checkable")
def not_checkable(claim_id: int):
    form = ReasonForm()
    return _act(
        claim_id,
        form,
        "not_checkable_form",
        lambda s, c: wf.mark_not_checkable(
            s, current_user, c, reason=form.reason.data, expected_version=form.expected_version()
        ),
        "Marked not checkable.",
        section="actions",
    )


@bp.post("/claims/<int:claim_id>/restore")
@editor_required
def restore(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "restore_form",
        lambda s, c: wf.restore(s, current_user, c, expected_version=form.expected_version()),
        "Claim restored to unreviewed.",
        section="actions",
        button_only=True,
    )


@bp.post("/claims/<int:claim_id>/reopen")
@editor_required
def reopen(claim_id: int):
    form = CorrectionForm()
    return _act(
        claim_id,
        form,
        "reopen_form",
        lambda s, c: wf.reopen(
            s, current_user, c, note=form.note.data, expected_version=form.expected_version()
        ),
        "Reopened for a correction; the note is on the public record.",
        section="verdict",
    )


@bp.post("/claims/<int:claim_id>/comments")
def comment(claim_id: int):
    form = CommentForm()
    return _act(
        claim_id,
        form,
        "comment_form",
        lambda s, c: wf.add_comment(s, current_user, c, form.body.data),
        "Comment added.",
        section="comments",
    )


@bp.post("/claims/<int:claim_id>/links")
def link(claim_id: int):
    """ "Same claim as #…": link this claim and another."""
    form = LinkForm()
    return _act(
        claim_id,
        form,
        "link_form",
        lambda s, c: link_claims(s, current_user, c.id, form.other_id.data),
        "Claims linked: each now shows the other.",
        section="matches",
    )


@bp.post("/claims/<int:claim_id>/links/<int:other_id>/delete")
def unlink(claim_id: int, other_id: int):
    return _act(
        claim_id,
        EmptyForm(),
        "delete_form",
        lambda s, c: unlink_claims(s, current_user, c.id, other_id),
        "Link removed.",
        section="matches",
    )


# ---------------------------------------------------------------- create and edit
# (the POST halves of views.new, views.edit and views.edit_source)


def create(form: NewClaimForm):
    def op(s):
        article = get_article(s, form.article_id.data) if form.article_id.data else None
        return wf.create_claim(s, current_user, form.claim_input(), article=article)

    return run_action(
        form,
        op,
        redirect_to=lambda claim: url_for(".show", claim_id=claim.id),
        fallback=url_for(".index"),
        message="Claim created.",
        rerender=lambda _error, status: (
            render_template("claims/edit.html", form=form, claim=None),
            status,
        ),
    )


def offer_claimants(form: ClaimForm, claimant_text: str | None) -> None:
    """The claimant records a claim's form offers (and a new one named by the text)."""
    form.claimant_id.choices = claimant_record_choices(claimant_choices(db()), claimant_text)


def update(claim_id: int):
    s = db()
    claim = load_claim(s, claim_id, for_update=True)
    if not can.can_edit_claim(current_user, claim):
        abort(403)
    form = ClaimForm()
    loaded = form.loaded_input()
    offer_claimants(form, form.claimant.data)

    def rerender(error, status):
        if isinstance(error, ConflictError):  # shown by the GET it is sent to
            return keep_conflict(error, url_for(".edit", claim_id=claim_id), form)
        shown = claim if error is None else load_claim(s, claim_id)
        page = render_template("claims/edit.html", form=form, claim=shown, conflict_events=[])
        return page, status

    return run_action(
        form,
        lambda s: wf.update_claim(
            s,
            current_user,
            load_claim(s, claim_id, for_update=True),
            form.claim_input(),
            expected_version=form.expected_version(),
            loaded=loaded,
            new_claimant_kind=form.new_claimant_kind(),
        ),
        redirect_to=url_for(".show", claim_id=claim_id),
        message=lambda diff: "Claim updated." if diff else "Nothing changed.",
        rerender=rerender,
    )


def show_edit_conflict(claim_id: int, kept: Kept):
    """The claim's edit form as a conflict refused it (`keep_conflict`): the user's input, the
    changes made meanwhile, their values in the fields this user left alone, both at each
    field both changed; saving again applies it on top of the current version."""
    s = db()
    shown = load_claim(s, claim_id)
    form = ClaimForm(formdata=kept.formdata)
    loaded = form.loaded_input()
    offer_claimants(form, form.claimant.data)
    conflict = changes_since(s, claim_id, form.expected_version())
    mine = wf.changed_fields(form.claim_input(), loaded) if loaded else wf.EDITABLE_FIELDS
    show_conflict(form, shown, kept.error, wf.EDITABLE_FIELDS, mine)
    form.show_as_loaded(shown)
    page = render_template(
        "claims/edit.html",
        form=form,
        claim=shown,
        conflict_events=conflict,
        conflict_names=history_names(s, conflict),
    )
    return page, kept.error.status_code


def source_of(claim: Claim, source_id: int) -> Source:
    """The claim's source, which the user may edit (404 or 403 otherwise)."""
    source = next((x for x in claim.sources if x.id == source_id), None)
    if source is None:
        abort(404)
    if not can.can_edit_sources(current_user, claim):
        abort(403)
    return source


def update_source_view(claim_id: int, source_id: int):
    s = db()
    claim = load_claim(s, claim_id, for_update=True)
    source = source_of(claim, source_id)
    form = SourceEditForm(obj=source)
    loaded = form.loaded_input()

    def rerender(error, status):
        if isinstance(error, ConflictError):  # shown by the GET it is sent to
            here = url_for(".edit_source", claim_id=claim_id, source_id=source_id)
            return keep_conflict(error, here, form)
        page = render_template("claims/source_edit.html", form=form, claim=claim, source=source)
        return page, status

    return run_action(
        form,
        lambda s: update_source(
            s,
            current_user,
            load_claim(s, claim_id, for_update=True),
            source_id,
            form.source_input(),
            expected_version=form.expected_version(),
            loaded=loaded,
        ),
        redirect_to=url_for(".show", claim_id=claim_id),
        message="Source updated.",
        rerender=rerender,
    )


def show_source_conflict(claim_id: int, source_id: int, kept: Kept):
    """The source's edit form as a conflict refused it: as `show_edit_conflict`."""
    shown = load_claim(db(), claim_id)
    now = source_of(shown, source_id)
    form = SourceEditForm(formdata=kept.formdata)
    loaded = form.loaded_input()
    sent = asdict(form.source_input())
    mine = changed_fields(sent, asdict(loaded), SOURCE_FIELDS) if loaded else SOURCE_FIELDS
    show_conflict(form, now, kept.error, SOURCE_FIELDS, mine)
    form.show_as_loaded(now)
    page = render_template("claims/source_edit.html", form=form, claim=shown, source=now)
    return page, kept.error.status_code
