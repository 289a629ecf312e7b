"""The account administration forms."""

from __future__ import annotations

from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from factcheck import limits
from factcheck.workflow import accounts
from factcheck.workflow.ratings import RatingInput
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


class RatingForm(BaseForm):
    """A label of the rating scale, new or edited (one form per row of the scale page)."""

    label = StringField("Label", validators=[DataRequired(), Length(max=limits.RATING_LABEL)])
    meaning = TextAreaField(
        "Meaning", validators=[DataRequired(), Length(max=limits.RATING_MEANING)]
    )
    colour = StringField(
        "Colour",
        validators=[DataRequired(), Length(max=limits.RATING_COLOUR)],
        description="#rrggbb",
    )
    position = IntegerField(
        "Order", validators=[DataRequired(), NumberRange(1, 1000)], description="1 comes first"
    )
    scale_value = IntegerField(
        "Place on the numeric scale",
        validators=[Optional(), NumberRange(1, limits.RATING_SCALE_MAX)],
        description=f"1 (false) to {limits.RATING_SCALE_MAX}; empty: off the scale "
        "(ClaimReview then sends no number)",
    )

    def rating_input(self) -> RatingInput:
        return RatingInput(
            label=self.label.data or "",
            meaning=self.meaning.data or "",
            colour=self.colour.data or "",
            position=self.position.data,
            scale_value=self.scale_value.data,
        )

    @classmethod
    def for_rating(cls, rating) -> RatingForm:
        return cls(
            formdata=None,
            label=rating.label,
            meaning=rating.meaning,
            colour=rating.colour,
            position=rating.position,
            scale_value=rating.scale_value,
            prefix=f"r{rating.id}",
        )
