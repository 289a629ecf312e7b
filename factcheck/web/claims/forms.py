"""The claim area's forms. Lengths mirror the database columns; the workflow services re-check
everything, so these only give early, field-level messages. Each form turns its fields into the
service's input, and an edit form remembers the values it was loaded with (JSON in `loaded`) for
a three-way merge when someone else saved meanwhile (workflow/merging.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from factcheck import limits
from factcheck.vocabulary import ClaimantKind
from factcheck.workflow import claims as wf
from factcheck.workflow.history import jsonable
from factcheck.workflow.sources import SOURCE_FIELDS, SourceInput
from factcheck.workflow.states import ClaimType, SourceKind, Stance

from ..forms import PRIORITY_CHOICES, BaseForm, OnceForm, VersionedForm, enum_choices
from ..ratings import rating_choices


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
    short_text = StringField(
        "Short form (for search engines)",
        validators=[Optional(), Length(max=limits.CLAIM_SHORT_TEXT)],
        description=(
            f"At most {limits.CLAIM_SHORT_TEXT} characters, the claim as fact-check "
            "aggregators show it; left empty, the claim cut at a word."
        ),
    )

    def claim_input(self) -> wf.ClaimInput:
        return wf.ClaimInput(
            text=self.text.data,
            claim_type=self.claim_type.data,
            claimant=self.claimant.data,
            quote=self.quote.data,
            priority=self.priority.data,
            due_date=self.due_date.data,
            short_text=self.short_text.data,
        )


NEW_CLAIMANT = "new"


def claimant_choice(value) -> int | str | None:
    """The claimant record chosen: none, a new one from the claimant text, or a record's id."""
    if value in (None, "", "None"):
        return None
    if value == NEW_CLAIMANT:
        return NEW_CLAIMANT
    number = int(value)  # anything else: "Invalid Choice: could not coerce" at the field
    if not 1 <= number <= limits.MAX_ID:
        raise ValueError("not an id")
    return number


def claimant_record_choices(records, proposed_new: str | None) -> list[SelectChoice]:
    """No record, a new record from the claimant text, or one of `records` (id, name, kind)."""
    new_label = f"New record: “{proposed_new}”" if proposed_new else "New record from the text"
    return [
        SelectChoice("", "— no record —"),
        SelectChoice(NEW_CLAIMANT, new_label),
        *(SelectChoice(i, f"{name} ({kind or 'kind not set'})") for i, name, kind in records),
    ]


class ClaimForm(ClaimFields, VersionedForm):
    """Editing an existing claim: carries the version the user saw and, in `loaded`, the
    fields as they were shown (JSON), so a save after someone else's edit applies only the
    fields this user changed."""

    loaded = HiddenField()
    # The extractor's claimant text is a suggestion: the reviewer confirms it as a record here.
    claimant_id = SelectField(
        "Claimant record", coerce=claimant_choice, validate_choice=False, choices=[]
    )
    claimant_kind = SelectField(
        "Kind of the new record",
        choices=[SelectChoice("", "Choose a kind"), *enum_choices(ClaimantKind)],
        validators=[Optional()],
    )

    def claim_input(self) -> wf.ClaimInput:
        chosen = self.claimant_id.data
        return replace(
            super().claim_input(), claimant_id=chosen if isinstance(chosen, int) else None
        )

    def new_claimant_kind(self) -> str | None:
        """The kind of the record to create from the claimant text, when "new" is chosen."""
        return (self.claimant_kind.data or "") if self.claimant_id.data == NEW_CLAIMANT else None

    def show_as_loaded(self, claim) -> None:
        """The version and the fields as this form shows them, for a three-way merge on save."""
        self.version.data = str(claim.version)
        self.loaded.data = json.dumps(
            {key: jsonable(getattr(claim, key)) for key in wf.EDITABLE_FIELDS}
        )

    def loaded_input(self) -> wf.ClaimInput | None:
        """The fields as the form was loaded; None when missing or not ours (a plain version
        check)."""
        try:
            raw = json.loads(self.loaded.data or "")
            due = raw["due_date"]
            return wf.ClaimInput(
                text=raw["text"],
                claim_type=raw["claim_type"],
                claimant=raw["claimant"],
                quote=raw["quote"],
                priority=int(raw["priority"]),
                due_date=date.fromisoformat(due) if due else None,
                short_text=raw.get("short_text"),
                claimant_id=int(raw["claimant_id"]) if raw.get("claimant_id") else None,
            )
        except (ValueError, KeyError, TypeError):
            return None


class NewClaimForm(ClaimFields, OnceForm):
    article_id = SelectField("Article", coerce=int, validators=[Optional()])


def _person_id(value) -> int | None:
    return None if value in (None, "") else int(value)


class AssignForm(VersionedForm):
    # Nobody is chosen for the editor: the first name in the list is no safer than any other.
    assignee = SelectField(
        "Assign to", coerce=_person_id, validators=[InputRequired("Choose someone to assign.")]
    )
    due_date = DateField("Due date", validators=[Optional()])


def _reliability(value) -> int | None:
    """A source's reliability as chosen: None when not chosen yet (anything not a whole number:
    "Invalid Choice: could not coerce" at the field)."""
    return None if value in (None, "", "None") else int(value)


class SourceForm(BaseForm):
    url = StringField("URL", validators=[DataRequired(), Length(max=limits.URL)])
    title = StringField("Title", validators=[DataRequired(), Length(max=limits.TITLE)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=limits.PUBLISHER)])
    # Neither the kind nor the reliability is chosen for the reviewer, as the stance is not.
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Choose a kind"), *enum_choices(SourceKind)],
        validators=[DataRequired("Choose what kind of source this is.")],
    )
    stance = SelectField(
        "Stance",
        choices=[SelectChoice("", "Choose a stance"), *enum_choices(Stance)],
        validators=[DataRequired("Choose whether the source supports, refutes or gives context.")],
    )
    reliability = SelectField(
        "Reliability (1-5)",
        choices=[
            SelectChoice("", "Choose a reliability"),
            *(SelectChoice(n, str(n)) for n in range(limits.SCALE_MIN, limits.SCALE_MAX + 1)),
        ],
        coerce=_reliability,
        validate_choice=False,  # a number off the scale is told so by NumberRange
        validators=[
            InputRequired("Choose how reliable the source is."),
            NumberRange(limits.SCALE_MIN, limits.SCALE_MAX),
        ],
    )
    published_on = DateField("Published", validators=[Optional()])
    accessed_on = DateField("Accessed", validators=[Optional()])
    archive_url = StringField("Archive URL", validators=[Optional(), Length(max=limits.URL)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=limits.SOURCE_EXCERPT)])

    def source_input(self) -> SourceInput:
        return SourceInput(
            url=self.url.data,
            title=self.title.data,
            stance=self.stance.data,
            kind=self.kind.data,
            publisher=self.publisher.data,
            published_on=self.published_on.data,
            accessed_on=self.accessed_on.data,
            archive_url=self.archive_url.data,
            excerpt=self.excerpt.data,
            reliability=self.reliability.data,
        )


class NewSourceForm(SourceForm, OnceForm):
    """Adding a source (once per form)."""


class SourceEditForm(SourceForm, VersionedForm):
    """Editing a source: `version` is the source's own version and `loaded` its fields, as
    loaded (JSON), for a three-way merge when someone else saved it meanwhile."""

    loaded = HiddenField()

    def show_as_loaded(self, source) -> None:
        """The version and the fields as this form shows them, for a three-way merge on save."""
        self.version.data = str(source.version)
        self.loaded.data = json.dumps(
            {key: jsonable(getattr(source, key)) for key in SOURCE_FIELDS}
        )

    def loaded_input(self) -> SourceInput | None:
        """The source as the form was loaded; None when missing or not ours (a plain version
        check)."""
        try:
            raw = json.loads(self.loaded.data or "")
            days = {key: date.fromisoformat(raw[key]) if raw[key] else None
                    for key in ("published_on", "accessed_on")}  # fmt: skip
            return SourceInput(**{**{key: raw[key] for key in SOURCE_FIELDS}, **days})
        except (ValueError, KeyError, TypeError):
            return None


class VerdictForm(VersionedForm):
    # Nothing is chosen for the reviewer: a rating is a deliberate act, never a default.
    rating = SelectField(
        "Rating",
        choices=[],  # the admins' scale, set for each form (__init__)
        validators=[DataRequired("Choose a rating.")],
    )
    summary = StringField(
        "Summary (one line)", validators=[DataRequired(), Length(max=limits.VERDICT_SUMMARY)]
    )
    rationale = TextAreaField(
        "Rationale", validators=[DataRequired(), Length(max=limits.RATIONALE)]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rating.choices = [
            SelectChoice(value, label) for value, label in rating_choices("Choose a rating")
        ]


class ReasonForm(VersionedForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(max=limits.REASON)])


class CorrectionForm(VersionedForm):
    note = TextAreaField(
        "Correction note (public)", validators=[DataRequired(), Length(max=limits.CORRECTION_NOTE)]
    )


class LinkForm(BaseForm):
    """ "Same claim as #…": a match's button sends its number, or the reviewer types one."""

    other_id = IntegerField(
        "Same claim as #",
        validators=[DataRequired(), NumberRange(min=1, max=limits.MAX_ID)],
    )


class CommentForm(OnceForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=limits.COMMENT_BODY)])


def assign_choices(staff) -> list[SelectChoice]:
    """Whom a claim may be assigned to: the active staff, with their roles, after a choice
    that names nobody (the form starts there)."""
    return [
        SelectChoice("", "Choose a person"),
        *(SelectChoice(u.id, f"{u.display_name} ({u.role})") for u in staff),
    ]


def new_claim_article_choices(titles) -> list[SelectChoice]:
    """The article a new claim comes from, or none (entered by hand)."""
    return [SelectChoice(0, "— none (entered by hand) —")] + [
        SelectChoice(i, title or f"Article #{i}") for i, title in titles
    ]
