"""The accounts page (GET), also shown again by a refused change."""

from __future__ import annotations

from flask import render_template

from factcheck.queries.staff import all_accounts

from ..auth import EmptyForm
from ..database import db
from . import bp
from .forms import NewUserForm, PasswordForm, RoleForm


def users_page(new_form: NewUserForm | None = None, status: int = 200):
    users = all_accounts(db())
    return render_template(
        "admin/users.html",
        users=users,
        new_form=new_form or NewUserForm(formdata=None),
        role_forms={u.id: RoleForm(formdata=None, role=u.role) for u in users},
        password_form=PasswordForm(formdata=None),
        toggle_form=EmptyForm(),
    ), status


@bp.get("/users")
def users():
    return users_page()
