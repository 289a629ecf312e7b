"""The account administration forms."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from factcheck import limits
from factcheck.workflow import accounts
from factcheck.workflow.states import Role

from ..forms import BaseForm, OnceForm, enum_choices

ROLE_CHOICES = enum_choices(Role)


class NewUserForm(OnceForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=limits.USERNAME)])
    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=limits.DISPLAY_NAME)]
    )
    email = StringField("E-mail", validators=[Optional(), Length(max=limits.EMAIL)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.REVIEWER.value)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(max=limits.PASSWORD)],
        description=f"At least {accounts.MIN_PASSWORD_LENGTH} characters, hard to guess, and not "
        "containing the username; they change it at first sign-in.",
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class PasswordForm(BaseForm):
    password = PasswordField(
        "New password", validators=[DataRequired(), Length(max=limits.PASSWORD)]
    )
