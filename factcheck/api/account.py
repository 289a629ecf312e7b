"""The account page where users make and revoke their personal API tokens (`/account/tokens`).

A web page like the others (session, CSRF, POST with a form); a new token's secret is shown once,
in the answer to the POST that made it, and never again (only its hash is stored)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from factcheck.web.actions import show_error, submitted
from factcheck.web.auth import EmptyForm
from factcheck.web.database import commit, db
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
        choices=[SelectChoice("read", "read only"), SelectChoice("write", "read and write")],
        default="read",
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
    if not submitted(form):
        return _page(form, status=400)
    s = db()
    try:
        _token, secret = tokens.create_token(
            s, current_user, name=form.name.data, scope=form.scope.data
        )
        commit(s)
    except WorkflowError as exc:
        s.rollback()
        show_error(form, exc)
        return _page(form, status=exc.status_code)
    # No redirect: the secret is shown in this answer only, never stored or put in a cookie.
    return _page(TokenForm(formdata=None), secret=secret, status=201)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    if not submitted(EmptyForm()):
        return redirect(url_for(".index"))
    s = db()
    tokens.revoke_token(s, current_user, token_id)
    commit(s)
    flash("Token revoked: it no longer works.", "success")
    return redirect(url_for(".index"))
