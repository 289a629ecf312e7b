"""The claim page as both its GET and a refused POST show it: the page's reads, every action's
form (the posted one with the user's input), and the buttons the user may press.

A GET's page body is cached (region `CLAIM_PAGE`) under the claim's state (`stamped_claim`: its
version, last activity, history head and sources' archiving) and the set of buttons the user
may press, so a write to claim A leaves claim B's cached page alone, and two users see the same
body only when they may do the same things. The session's CSRF token is put in as the body is
served, and fresh one-time tokens for its create forms; the matches section (other claims) is
rendered fresh each time."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, current_app, flash, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.orm import Session

from factcheck.models import Claim
from factcheck.queries.claim_page import changes_since, claim_page, stamped_claim
from factcheck.queries.matches import desk_record
from factcheck.queries.staff import active_staff
from factcheck.workflow import claims as wf
from factcheck.workflow import permissions as can
from factcheck.workflow.errors import ConflictError, WorkflowError

from ..actions import Kept, keep_conflict
from ..auth import EmptyForm
from ..cache import CLAIM_PAGE, cached
from ..database import db
from ..forms import OnceForm, VersionedForm, new_form_token
from ..templating import render_fragment
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


def show_claim_page(s: Session, claim_id: int) -> str:
    """The claim page's GET: its body from the cache while the claim stays as it was."""
    found = stamped_claim(s, claim_id)
    if found is None:
        abort(404)
    claim, stamp = found
    return render_claim_page(s, claim, stamp=stamp)


# Stand-ins in a cached body; control characters never occur in stored text (`clean_text`).
_TOKEN_SLOT = "\x00csrf\x00"  # noqa: S105 -- a stand-in, not a secret
_MATCHES_SLOT = "\x00matches\x00"
_ONCE_SLOT = re.compile("\x00once:\\w+\x00")  # a create form's one-time token (`OnceForm`)


def page_context(s: Session, claim: Claim, forms: dict[str, Any]) -> dict[str, Any]:
    """What the page body shows of the claim, with every action's form (`forms` overriding
    the empty ones)."""
    staff = active_staff(s)  # the assign form's choices; the history's assignees among them
    page = claim_page(s, claim.id, staff)
    version = page.claim.version
    defaults: dict[str, Any] = {
        # The claim's assignee and due date as they are (nobody chosen when unassigned): a
        # change of due date alone needs no person chosen again.
        "assign_form": AssignForm(
            version=version,
            formdata=None,
            assignee=page.claim.assignee_id,
            due_date=page.claim.due_date,
        ),
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
    }
    defaults.update(forms)
    defaults["assign_form"].assignee.choices = assign_choices(staff)
    return {**page.as_context(), **defaults}


def _csrf_token() -> str | None:
    return generate_csrf() if current_app.config.get("WTF_CSRF_ENABLED", True) else None


def _body(
    s: Session, claim: Claim, allowed: frozenset[str], forms: dict, *, cached: bool, **extra
) -> str:
    """The page body with a stand-in for the matches section; for the cache (`cached`), with
    stand-ins for the CSRF token and the one-time tokens of its create forms too."""
    context = page_context(s, claim, forms)
    html = render_fragment(
        "claims/_show_body.html",
        **context,
        allowed=allowed,
        matches=Markup(_MATCHES_SLOT),  # noqa: S704 -- our own stand-in, replaced when served
        **extra,
    )
    if not cached:
        return html
    for name, form in context.items():
        if isinstance(form, OnceForm):  # each view its own, or a second comment is a "resend"
            html = html.replace(form.form_token.data, _once_slot(name))
    token = _csrf_token()
    return html.replace(token, _TOKEN_SLOT) if token else html


def _once_slot(form_name: str) -> str:
    return f"\x00once:{form_name}\x00"


def _served(body: str) -> str:
    """A cached body with this session's CSRF token and fresh one-time form tokens."""
    body = _ONCE_SLOT.sub(lambda _slot: new_form_token(), body)
    token = _csrf_token()
    return body.replace(_TOKEN_SLOT, token) if token else body


def _matches(s: Session, claim: Claim, forms: dict, open_form: str | None) -> str:
    linked, matches = desk_record(s, claim)
    return render_fragment(
        "claims/_matches.html",
        claim=claim,
        linked=linked,
        matches=matches,
        can_link=can.can_link_claims(current_user),
        link_form=forms.get("link_form") or LinkForm(formdata=None),
        delete_form=EmptyForm(),
        open_form=open_form,
    )


def render_claim_page(
    s: Session,
    claim: Claim,
    forms: dict[str, Any] | None = None,
    *,
    conflict_events: list | None = None,
    open_form: str | None = None,
    stamp: tuple | None = None,
) -> str:
    """The whole claim page for the signed-in user. A plain view (`stamp`: the claim's state,
    no form input, no conflict) takes its body from the cache; a refused POST's page is built
    afresh."""
    forms = forms or {}
    allowed = can.allowed_actions(current_user, claim)
    if stamp is None:
        body = _body(
            s,
            claim,
            allowed,
            forms,
            cached=False,
            conflict_events=conflict_events or [],
            open_form=open_form,
        )
    else:
        body = _served(
            cached(
                s,
                CLAIM_PAGE,
                (claim.id, stamp, allowed),
                lambda: _body(s, claim, allowed, forms, cached=True),
            )
        )
    html = body.replace(_MATCHES_SLOT, _matches(s, claim, forms, open_form))
    page = Markup(html)  # noqa: S704 -- Jinja's autoescaped output, not user input
    return render_template("claims/show.html", body=page, claim_id=claim.id)


def rerender_claim_page(
    claim_id: int, form_name: str, form, error: WorkflowError | None, status: int
):
    """Show the claim page again with the user's form input; the error is already at its field
    (`run_action`), an invalid form says where to look."""
    s = db()
    s.rollback()
    if isinstance(error, ConflictError) and request.method == "POST":
        # Post/redirect/get: the page's GET shows it (`kept_form`), a reload posts nothing.
        return keep_conflict(error, url_for("claims.show", claim_id=claim_id), form, form_name)
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
    page = render_claim_page(
        s, claim, {form_name: form}, conflict_events=conflict, open_form=form_name
    )
    return page, status


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
