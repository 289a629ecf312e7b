"""Account changes (POST), each one `workflow.accounts` service through `run_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from factcheck.models import User
from factcheck.queries.staff import account
from factcheck.workflow import accounts

from ..actions import back_to, run_action
from ..auth import EmptyForm
from ..database import db
from . import bp
from .forms import NewUserForm, PasswordForm, RoleForm
from .views import users_page


@bp.post("/users")
def create():
    form = NewUserForm()
    return run_action(
        form,
        lambda s: accounts.create_user(
            s,
            current_user,
            username=form.username.data,
            display_name=form.display_name.data,
            password=form.password.data,
            role=form.role.data,
            email=form.email.data,
        ),
        redirect_to=url_for(".users"),
        message=lambda user: f"Account '{user.username}' created.",
        rerender=lambda _error, status: users_page(form, status),
    )


def _user_action(user_id: int, form, operation: Callable[[Session, User], Any], message: str):
    """A change to one account from its row of the list, which shows no posted form again:
    every error is a message at the top of the list, reached by a redirect."""
    user = account(db(), user_id)
    if user is None:
        abort(404)

    return run_action(
        form,
        lambda s: operation(s, user),
        redirect_to=url_for(".users"),
        message=message.format(user=user.username),
        rerender=back_to(url_for(".users"), form),
        errors_on_form=False,
    )


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    form = RoleForm()
    return _user_action(
        user_id,
        form,
        lambda s, u: accounts.set_role(s, current_user, u, form.role.data),
        "Role of {user} changed.",
    )


@bp.get("/users/<int:user_id>/deactivate/confirm")
def confirm_deactivate(user_id: int):
    """Deactivating asks first, on a page of its own (no JavaScript needed)."""
    user = account(db(), user_id)
    if user is None:
        abort(404)
    return render_template(
        "confirm.html",
        title=f"Deactivate {user.username}?",
        consequences=[
            f"{user.display_name} ({user.username}) can no longer sign in.",
            "They are signed out everywhere at once; their API tokens stop working.",
            "Their claims, verdicts and history stay; an administrator can activate them again.",
        ],
        action=url_for(".deactivate", user_id=user.id),
        button="Deactivate",
        danger=True,
        form=EmptyForm(),
        cancel=url_for(".users"),
    )


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int):
    return _user_action(
        user_id,
        EmptyForm(),
        lambda s, u: accounts.set_active(s, current_user, u, False),
        "{user} deactivated and signed out everywhere.",
    )


@bp.post("/users/<int:user_id>/activate")
def activate(user_id: int):
    return _user_action(
        user_id,
        EmptyForm(),
        lambda s, u: accounts.set_active(s, current_user, u, True),
        "{user} activated.",
    )


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    form = PasswordForm()
    return _user_action(
        user_id,
        form,
        lambda s, u: accounts.reset_password(s, current_user, u, form.password.data),
        "Password of {user} reset; their sessions were ended.",
    )
