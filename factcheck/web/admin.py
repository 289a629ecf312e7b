"""Account administration (admins only): list, create, change role, (de)activate, reset password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from factcheck.models import User
from factcheck.workflow import accounts
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.states import Role
from factcheck.workflow.submissions import AlreadySubmitted, fulfil, reserve

from .auth import EmptyForm, admin_required
from .database import commit, db
from .forms import BaseForm, OnceForm, already_submitted, enum_choices, show_error

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLE_CHOICES = enum_choices(Role)


class NewUserForm(OnceForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=120)])
    email = StringField("E-mail", validators=[Optional(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="reviewer")
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(max=256)],
        description=f"At least {accounts.MIN_PASSWORD_LENGTH} characters.",
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class PasswordForm(BaseForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(max=256)])


@bp.before_request
@admin_required
def _admins_only():
    return None


def _user(user_id: int) -> User:
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _page(new_form=None, status=200, errors_for=None, failed_form=None):
    s = db()
    users = list(s.scalars(select(User).order_by(User.role, User.username)))
    return render_template(
        "admin/users.html",
        users=users,
        new_form=new_form or NewUserForm(formdata=None),
        role_forms={u.id: RoleForm(formdata=None, role=u.role) for u in users},
        password_form=PasswordForm(formdata=None),
        toggle_form=EmptyForm(),
        errors_for=errors_for,
        failed_form=failed_form,
    ), status


@bp.get("/users")
def users():
    return _page()


@bp.post("/users")
def create():
    form = NewUserForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    s = db()
    try:
        ticket = reserve(s, current_user, form.form_token.data)
        user = accounts.create_user(
            s,
            current_user,
            username=form.username.data,
            display_name=form.display_name.data,
            password=form.password.data,
            role=form.role.data,
            email=form.email.data,
        )
        fulfil(ticket, url_for(".users"))
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".users"))
    except WorkflowError as exc:
        s.rollback()
        show_error(form, exc)
        return _page(form, exc.status_code)
    flash(f"Account '{user.username}' created.", "success")
    return redirect(url_for(".users"))


def _user_action(user_id: int, form, operation, message: str):
    s = db()
    user = _user(user_id)
    if not form.validate_on_submit():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "error")
        return _page(status=400)
    try:
        operation(s, user)
        commit(s)
    except WorkflowError as exc:
        s.rollback()
        flash(exc.message, "error")
        return _page(status=exc.status_code)
    flash(message.format(user=user.username), "success")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    form = RoleForm()
    return _user_action(
        user_id,
        form,
        lambda s, u: accounts.set_role(s, current_user, u, form.role.data),
        "Role of {user} changed.",
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
