"""The claim page as both its GET and a refused POST show it: the page's reads, every action's
form (the posted one with the user's input), and the buttons the user may press."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from factcheck.models import Claim
from factcheck.queries.claim_page import changes_since, claim_page
from factcheck.queries.matches import desk_record
from factcheck.queries.staff import active_staff
from factcheck.workflow import claims as wf
from factcheck.workflow import permissions as can
from factcheck.workflow.errors import ConflictError, WorkflowError

from ..actions import Kept, keep_conflict
from ..auth import EmptyForm
from ..database import db
from ..forms import VersionedForm
from .forms import (
    AssignForm,
    CommentForm,
    CorrectionForm,
    LinkForm,
    NewSourceForm,
    ReasonForm,
    VerdictForm,
    assign_choices,
)


def load_claim(s: Session, claim_id: int, *, for_update: bool = False) -> Claim:
    try:
        return wf.get_claim(s, claim_id, for_update=for_update)
    except WorkflowError:
        abort(404)


def page_context(s: Session, claim: Claim, forms: dict[str, Any]) -> dict[str, Any]:
    page = claim_page(s, claim.id)
    version = page.claim.version
    defaults: dict[str, Any] = {
        "assign_form": AssignForm(version=version, formdata=None),
        "take_form": VersionedForm(version=version),
        "source_form": NewSourceForm(formdata=None),
        "verdict_form": VerdictForm(version=version, formdata=None, data=page.redraft_values),
        "approve_form": VersionedForm(version=version),
        "return_form": ReasonForm(version=version, formdata=None),
        "not_checkable_form": ReasonForm(version=version, formdata=None),
        "restore_form": VersionedForm(version=version),
        "reopen_form": CorrectionForm(version=version, formdata=None),
        "comment_form": CommentForm(formdata=None),
        "delete_form": EmptyForm(),
        "link_form": LinkForm(formdata=None),
    }
    defaults.update(forms)
    defaults["assign_form"].assignee.choices = assign_choices(active_staff(s))
    linked, matches = desk_record(s, page.claim)
    return {
        **page.as_context(),
        "linked": linked,
        "matches": matches,
        "can_link": can.can_link_claims(current_user),
        "allowed": can.allowed_actions(current_user, page.claim),
        **defaults,
    }


def rerender_claim_page(
    claim_id: int, form_name: str, form, error: WorkflowError | None, status: int
):
    """Show the claim page again with the user's form input; the error is already at its field
    (`run_action`), an invalid form says where to look."""
    s = db()
    s.rollback()
    if isinstance(error, ConflictError) and request.method == "POST":
        # Post/redirect/get: the page's GET shows it (`kept_form`), a reload posts nothing.
        return keep_conflict(error, url_for("claims.show", claim_id=claim_id), form_name)
    claim = load_claim(s, claim_id)
    conflict = []
    if isinstance(error, ConflictError):
        conflict = changes_since(s, claim_id, form.expected_version())
        # Keep the user's input but let them resubmit deliberately on top of the new version.
        form.version.data = str(claim.version)
    elif error is None and "version" in form.errors:
        flash(form.errors["version"][0], "error")
    elif error is None and form.errors:
        flash("Please correct the marked fields.", "error")
    context = page_context(s, claim, {form_name: form})
    context["conflict_events"] = conflict
    context["open_form"] = form_name
    return render_template("claims/show.html", **context), status


# The claim page's forms with input that a conflict may refuse (buttons go back at once).
KEPT_FORMS = {
    "verdict_form": VerdictForm,
    "assign_form": AssignForm,
    "return_form": ReasonForm,
    "not_checkable_form": ReasonForm,
    "reopen_form": CorrectionForm,
}


def kept_form(kept: Kept):
    """The claim page's form a conflict refused, with the user's input."""
    form_class = KEPT_FORMS.get(kept.name)
    if form_class is None:
        abort(400)
    return form_class(formdata=kept.formdata)
