"""The one shape of every POST that changes something, and the one way a refusal reaches the
page.

`run_action`: validate the form (a bad CSRF token is a 400), reserve a create form's one-time
token, call the service, commit, run the side effects that need the committed rows (queueing a
background job), flash, redirect (POST → redirect → GET); the whole unit retried when the
database asks (`with_retries`). A second submission of a create form leads to the first
one's result. On a domain error it rolls back, puts the error on the form (`show_error`) and
re-renders the page with the user's input; nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import abort, flash, redirect, request, session
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import Field

from factcheck.workflow.errors import ConflictError, WorkflowError
from factcheck.workflow.submissions import (
    AlreadySubmitted,
    forget_form,
    fulfil,
    keep_form,
    read_form,
    reserve,
)

from .database import commit, db, with_retries
from .forms import OnceForm
from .templating import describe_change

# (error or None for an invalid form, status) -> the page again
Rerender = Callable[[WorkflowError | None, int], Any]


def run_action(
    form: FlaskForm,
    operation: Callable[[Session], Any],
    *,
    redirect_to: str | Callable[[Any], str],
    message: str | Callable[[Any], str] | None,
    rerender: Rerender,
    fallback: str | None = None,
    prepare: Callable[[], bool] | None = None,
    error_field: Callable[[WorkflowError], Field | None] | None = None,
    errors_on_form: bool = True,
    show_errors: bool = True,
    reserve_after: bool = False,
    after_commit: Callable[[Any], None] | None = None,
    respond: Callable[[Any], Any] | None = None,
):
    """Run one workflow operation for a posted form; see the module's docstring.

    `operation(session)` does the unit of work after the form's token is reserved and returns
    what `redirect_to` and `message` may need (e.g. the created row). `prepare` is costly work
    on the valid input before the unit (reading an upload): False re-renders with a 400; a
    create form resent is sent to its result before it runs. `error_field` picks the field an
    error belongs to when its name is not enough; `errors_on_form=False` flashes every error
    (the page does not show the posted form again); `show_errors=False` leaves showing the
    error to `rerender` (a page that lists problems, or an error page). `reserve_after`
    reserves a create form's token after the operation, for operations that look something up
    (a host's address) before they write: the reservation's write would otherwise hold
    SQLite's write lock during the lookup. `after_commit(result)` runs once the unit is
    committed; `message=None` flashes nothing. `respond(result)` answers instead of the
    redirect, for the rare page that must show the result in this very answer (a secret shown
    once)."""
    s = db()
    if not submitted(form):
        return rerender(None, 400)
    once = isinstance(form, OnceForm)
    if prepare is not None:
        if once and (done := form.already_done(s)):
            return done
        if not prepare():
            return rerender(None, 400)

    def target(result: Any) -> str:
        return redirect_to(result) if callable(redirect_to) else redirect_to

    def unit_of_work() -> Any:
        ticket = (
            reserve(s, current_user, form.form_token.data) if once and not reserve_after else None
        )
        result = operation(s)
        if once and reserve_after:
            ticket = reserve(s, current_user, form.form_token.data)
        fulfil(ticket, target(result))
        # Saved now: a form a conflict kept (this browser's, or the page's posted from) is done.
        for kept in {session.get(KEPT_FORM), request.args.get(KEPT_ARG)} - {None, ""}:
            forget_form(s, current_user, str(kept))
        commit(s)
        return result

    try:
        result = with_retries(unit_of_work)
    except AlreadySubmitted:
        return already_submitted(s, form, fallback or target(None))
    except WorkflowError as exc:
        s.rollback()
        if show_errors:
            field = error_field(exc) if error_field is not None else None
            show_error(form if errors_on_form else None, exc, field)
        return rerender(exc, exc.status_code)
    session.pop(KEPT_FORM, None)
    if after_commit is not None:
        after_commit(result)
    if message is not None:
        flash(message(result) if callable(message) else message, "success")
    if respond is not None:
        return respond(result)
    return redirect(target(result))


def show_error(form: FlaskForm | None, error: WorkflowError, field: Field | None = None) -> None:
    """A refusal from the workflow, shown at its field (the one the error names, or `field`
    when the caller knows better), or as a message at the top when it names none."""
    target = field
    if target is None and form is not None and error.field:
        target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


def show_conflict(
    form: FlaskForm, current: Any, exc: ConflictError, fields: Iterable[str], mine: Iterable[str]
) -> None:
    """After a save that clashed (workflow/merging.py): their values fill the fields this user
    left alone, and each field both changed keeps this user's input and says what it holds now
    (the error's own message is already shown by `run_action`)."""
    mine = set(mine)
    for key in fields:
        if key not in mine:
            getattr(form, key).data = getattr(current, key)
    for key in exc.fields:
        now = describe_change(getattr(current, key))
        show_error(form, WorkflowError(f"Also changed by someone else, to: {now}", field=key))


def already_submitted(session: Session, form: OnceForm, fallback: str):
    """The same form was submitted before, or at the same moment: show what it created."""
    session.rollback()
    return form.already_done(session) or redirect(fallback)


def submitted(form: FlaskForm) -> bool:
    """Did the posted form validate? A missing or stale CSRF token is refused outright (a 400
    whose page says so), not shown as an error at a field the user cannot see."""
    if form.validate_on_submit():
        return True
    if "csrf_token" in form.errors:
        abort(400, "CSRF token missing or invalid")
    return False


def back_to(url: str, form: FlaskForm | None = None) -> Rerender:
    """`rerender` for a form whose page does not show the posted input again (a button, a row
    of a list): the refusal is flashed (`run_action(..., errors_on_form=False)`) and the browser
    is sent back to `url` with a 303, so a reload never submits again (post/redirect/get, errors
    included). An invalid form flashes its field errors."""

    def rerender(error: WorkflowError | None, _status: int):
        if error is None:
            problems = [e for errors in (form.errors if form else {}).values() for e in errors]
            flash("; ".join(problems) or "Nothing was changed: the form was not valid.", "error")
        return redirect(url, 303)

    return rerender


def error_page(exc: WorkflowError | None, status: int):
    """`rerender` for a button-only action, whose form is not shown again: the error page,
    saying why (a refused operation, through the app's WorkflowError page) or only the status
    (an invalid form)."""
    if exc is not None:
        raise exc
    abort(status)


KEPT_FORM = "kept_form"  # the browser session's key to its kept form (one at a time)
KEPT_ARG = "kept"  # the query argument naming the kept form a page shows


@dataclass
class Kept:
    """A form refused by a conflict, as the page it was sent to shows it again."""

    name: str  # which of the page's forms
    formdata: MultiDict
    error: ConflictError


def keep_conflict(error: ConflictError, url: str, form, name: str = ""):
    """Post/redirect/get for a conflict: the posted input (not its CSRF token) and what
    clashed are kept on the server, the browser is sent to `url` with the kept form's key
    (`?kept=`, a 303), whose GET shows them (`take_conflict`), again on a reload, for ten
    minutes or until this user's next successful save; `url` alone shows the fresh page. The
    message is flashed already (`run_action`). Only `form`'s own fields are kept (validated
    by then, so within their lengths): extra posted data is not stored."""
    s = db()
    s.rollback()
    own = {field.name for field in form} - {"csrf_token"}
    fields = [(k, v) for k, v in request.form.items(multi=True) if k in own]
    parts = urlsplit(url)
    payload = {
        "name": name,
        "path": parts.path,
        "form": fields,
        "message": error.message,
        "fields": error.fields,
    }
    key = with_retries(lambda: _kept(s, payload, session.get(KEPT_FORM)))
    session[KEPT_FORM] = key
    query = "&".join(q for q in (parts.query, urlencode({KEPT_ARG: key})) if q)
    return redirect(urlunsplit(parts._replace(query=query)), 303)


def _kept(s: Session, payload: dict[str, Any], previous: str | None) -> str:
    if previous:  # one kept form per browser session: the newer conflict replaces it
        forget_form(s, current_user, str(previous))
    key = keep_form(s, current_user, payload)
    commit(s)
    return key


def take_conflict() -> Kept | None:
    """The form a conflict kept for this page, named by the address (`?kept=`): None when
    the address names none, or one expired, someone else's or kept for another page."""
    key = request.args.get(KEPT_ARG)
    if not key or not current_user.is_authenticated:
        return None
    payload = read_form(db(), current_user, key)
    if payload is None or payload.get("path") != request.path:
        return None
    error = ConflictError(payload["message"], fields=tuple(payload["fields"]))
    return Kept(payload["name"], MultiDict(payload["form"]), error)
