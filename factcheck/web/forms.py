"""WTForms for the claim workflow. Lengths mirror the database columns; the workflow services
re-check everything, so these only give early, field-level messages."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from factcheck import limits
from factcheck.vocabulary import ClaimType, Rating, SourceKind, Stance
from factcheck.workflow.cleaning import CONTROL_MESSAGE, has_control
from factcheck.workflow.errors import WorkflowError
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


class ClaimFields(BaseForm):
    """The claim's own fields, shared by the create and edit forms."""

    text = TextAreaField(
        "Claim (as a reviewer phrases it)",
        validators=[DataRequired(), Length(max=limits.CLAIM_TEXT)],
    )
    quote = TextAreaField(
        "Exact quote from the article",
        validators=[Optional(), Length(max=limits.QUOTE)],
        description="Type or paste it; it is located in the article text.",
    )
    claimant = StringField(
        "Claimant (who made the claim)", validators=[Optional(), Length(max=limits.CLAIMANT)]
    )
    claim_type = SelectField("Type", choices=enum_choices(ClaimType), default="other")
    priority = SelectField("Priority", choices=PRIORITY_CHOICES, coerce=int, default=3)
    due_date = DateField("Due date", validators=[Optional()])


class ClaimForm(ClaimFields, VersionedForm):
    """Editing an existing claim: carries the version the user saw and, in `loaded`, the
    fields as they were shown (JSON), so a save after someone else's edit applies only the
    fields this user changed."""

    loaded = HiddenField()


class NewClaimForm(ClaimFields, OnceForm):
    article_id = SelectField("Article", coerce=int, validators=[Optional()])


class AssignForm(VersionedForm):
    assignee = SelectField("Assign to", coerce=int, validators=[InputRequired()])
    due_date = DateField("Due date", validators=[Optional()])


class SourceForm(BaseForm):
    url = StringField("URL", validators=[DataRequired(), Length(max=limits.URL)])
    title = StringField("Title", validators=[DataRequired(), Length(max=limits.TITLE)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=limits.PUBLISHER)])
    kind = SelectField("Kind", choices=enum_choices(SourceKind), default="news_report")
    stance = SelectField("Stance", choices=enum_choices(Stance), validators=[DataRequired()])
    reliability = IntegerField(
        "Reliability (1-5)", default=3, validators=[InputRequired(), NumberRange(1, 5)]
    )
    published_on = DateField("Published", validators=[Optional()])
    accessed_on = DateField("Accessed", validators=[Optional()])
    archive_url = StringField("Archive URL", validators=[Optional(), Length(max=limits.URL)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=limits.SOURCE_EXCERPT)])


class NewSourceForm(SourceForm, OnceForm):
    """Adding a source (once per form)."""


class SourceEditForm(SourceForm, VersionedForm):
    """Editing a source: `version` is the source's own version and `loaded` its fields, as
    loaded (JSON), for a three-way merge when someone else saved it meanwhile."""

    loaded = HiddenField()


class VerdictForm(VersionedForm):
    rating = SelectField("Rating", choices=enum_choices(Rating), validators=[DataRequired()])
    summary = StringField(
        "Summary (one line)", validators=[DataRequired(), Length(max=limits.VERDICT_SUMMARY)]
    )
    rationale = TextAreaField(
        "Rationale", validators=[DataRequired(), Length(max=limits.RATIONALE)]
    )


class ReasonForm(VersionedForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(max=limits.REASON)])


class CorrectionForm(VersionedForm):
    note = TextAreaField(
        "Correction note (public)", validators=[DataRequired(), Length(max=limits.CORRECTION_NOTE)]
    )


class CommentForm(OnceForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=limits.COMMENT_BODY)])


def already_submitted(session, form: OnceForm, fallback: str):
    """The same form was submitted before, or at the same moment: show what it created."""
    session.rollback()
    return form.already_done(session) or redirect(fallback)


def show_error(form, error: WorkflowError, field=None) -> None:
    """A refusal from the workflow, shown at its field (the one the error names, or `field`
    when the caller knows better), or as a message at the top when it names none."""
    target = field or (getattr(form, error.field, None) if error.field else None)
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


def submitted(form: FlaskForm) -> bool:
    """Did the posted form validate? A missing or stale CSRF token is refused outright (a 400
    whose page says so), not shown as an error at a field the user cannot see."""
    if form.validate_on_submit():
        return True
    if "csrf_token" in form.errors:
        abort(400, "CSRF token missing or invalid")
    return False
