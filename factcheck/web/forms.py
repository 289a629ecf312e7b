"""What every form shares: the cleaning rule on every field, choices from enumerations, the
version a form was loaded at, and create forms' one-time token. Each area's own forms live
beside its views (`web/claims/forms.py`, …)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import flash, g, has_request_context, redirect
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
)
from wtforms.validators import (
    InputRequired,
    ValidationError,
)

from factcheck import limits
from factcheck.workflow.cleaning import CONTROL_MESSAGE, has_control
from factcheck.workflow.submissions import previous_result


def no_control_characters(_form, field) -> None:
    """The one cleaning rule (workflow/cleaning.py) as a field validator: a submitted value
    holding NUL or another control character is an error at its field."""
    if any(isinstance(v, str) and has_control(v) for v in getattr(field, "raw_data", None) or ()):
        raise ValidationError(CONTROL_MESSAGE)


class CleanFieldsMeta:
    """Form Meta that puts `no_control_characters` first on every field, whatever its own rules
    (so an Optional() that stops the chain cannot skip it)."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        field.validators = [no_control_characters, *field.validators]
        return field


class BaseForm(FlaskForm):
    """The base of every form: bad bytes get a 400 on the form instead of reaching the database
    (PostgreSQL refuses NUL: a 500 before). Sub-forms (FormField rows) use CleanFieldsMeta."""

    class Meta(CleanFieldsMeta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if has_request_context():  # for the page's error summary (`error_summary`)
            g.setdefault("shown_forms", []).append(self)


@dataclass(frozen=True)
class FieldError:
    field_id: str
    label: str
    message: str


def error_summary() -> list[FieldError]:
    """Every error at a visible field of the forms made for this request, in form and field
    order: the page lists them at the top, each a link to its field (GOV.UK's error summary).
    Hidden fields' errors (a stale version, the CSRF token) are said at the top already."""
    found: list[FieldError] = []

    def walk(fields) -> None:
        for field in fields:
            if isinstance(field, FieldList):
                walk(field.entries)
            elif isinstance(field, FormField):
                walk(field.form)
            elif field.errors and not isinstance(field, HiddenField) and _labelled(field):
                for message in field.errors:
                    found.append(FieldError(field.id, str(field.label.text), str(message)))

    for form in g.get("shown_forms", ()):
        walk(form)
    return found


def _labelled(field: Field) -> bool:
    return field.type not in ("CSRFTokenField", "HiddenField")


def enum_choices(enum) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum]


PRIORITY_CHOICES = [
    SelectChoice(value, label)
    for value, label in [
        (1, "1 - urgent"),
        (2, "2 - high"),
        (3, "3 - normal"),
        (4, "4 - low"),
        (5, "5 - whenever"),
    ]
]


class VersionedForm(BaseForm):
    """Carries the claim version the user saw, for optimistic locking."""

    version = HiddenField(validators=[InputRequired(message="This form is out of date.")])

    def validate_version(self, field) -> None:
        try:
            value = int(field.data)
        except (TypeError, ValueError):
            raise ValidationError("This form is out of date; reload the page.") from None
        if not 1 <= value <= limits.MAX_ID:
            raise ValidationError("This form is out of date; reload the page.")

    def expected_version(self) -> int | None:
        return int(self.version.data)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class OnceForm(BaseForm):
    """A form that creates something: its one-time token makes a second submission of the same
    form (a double click, a resent request) lead to the first one's result instead of a
    duplicate (`workflow.submissions`)."""

    form_token = HiddenField(default=new_form_token)

    def already_done(self, session):
        """A redirect to this form's earlier result, when it was submitted before."""
        path = previous_result(session, self.form_token.data)
        if path is None:
            return None
        flash("This form was already sent; it was saved once.", "success")
        return redirect(path)
