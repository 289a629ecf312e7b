"""The account page where users make and revoke their personal API tokens (`/account/tokens`).

A web page like the others (session, CSRF, POST with a form); a new token's secret is shown once,
in the answer to the POST that made it, and never again (only its hash is stored)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from factcheck.vocabulary import TokenScope
from factcheck.web.actions import error_page, run_action
from factcheck.web.auth import EmptyForm
from factcheck.web.database import db
from factcheck.web.forms import BaseForm
from factcheck.workflow import tokens
from factcheck.workflow.errors import WorkflowError

bp = Blueprint("account_tokens", __name__, url_prefix="/account/tokens")


class TokenForm(BaseForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=tokens.NAME_LIMIT)],
        description="What uses it, e.g. “CMS publishing script”.",
    )
    scope = SelectField(
        "Scope",
        choices=[
            SelectChoice(TokenScope.READ.value, "read only"),
            SelectChoice(TokenScope.WRITE.value, "read and write"),
        ],
        default=TokenScope.READ.value,
    )


def _page(form: TokenForm, *, secret: str | None = None, status: int = 200):
    listed = tokens.active_tokens(db(), current_user)
    body = render_template(
        "api/tokens.html",
        form=form,
        tokens=listed,
        secret=secret,
        revoke_form=EmptyForm(),
    )
    return body, status, {"Cache-Control": "no-store"}


@bp.get("")
def index():
    return _page(TokenForm(formdata=None))


@bp.post("")
def create():
    form = TokenForm()
    return run_action(
        form,
        lambda s: tokens.create_token(s, current_user, name=form.name.data, scope=form.scope.data),
        redirect_to=url_for(".index"),
        message=None,
        # No redirect: the secret is shown in this answer only, never stored or put in a cookie.
        respond=lambda made: _page(TokenForm(formdata=None), secret=made[1], status=201),
        rerender=lambda _exc, status: _page(form, status=status),
    )


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    return run_action(
        EmptyForm(),
        lambda s: tokens.revoke_token(s, current_user, token_id),
        redirect_to=url_for(".index"),
        message="Token revoked: it no longer works.",
        show_errors=False,
        rerender=_revoke_refused,
    )


def _revoke_refused(exc: WorkflowError | None, _status: int):
    """An invalid form goes back to the list; a refusal is the usual error page."""
    if exc is None:
        return redirect(url_for(".index"))
    return error_page(exc, exc.status_code)
