"""The articles area's forms: adding an article (pasted or uploaded), confirming the extractor's
suggestions, and opening a claim from a quote."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from factcheck import limits
from factcheck.extraction import Budget
from factcheck.models import Article
from factcheck.workflow import candidates as extraction
from factcheck.workflow import claims as wf
from factcheck.workflow.articles import (
    MAX_ARTICLE_CHARS,
    MAX_ARTICLE_FILE_BYTES,
    ArticleInput,
    read_file,
)
from factcheck.workflow.errors import ValidationFailed, WorkflowError
from factcheck.workflow.states import ClaimType

from ..actions import show_error
from ..forms import PRIORITY_CHOICES, CleanFieldsMeta, OnceForm, enum_choices


class ArticleForm(OnceForm):
    title = StringField("Title", validators=[Optional(), Length(max=limits.TITLE)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=limits.PUBLISHER)])
    author = StringField("Author", validators=[Optional(), Length(max=limits.AUTHOR)])
    url = StringField("URL", validators=[Optional(), Length(max=limits.URL)])
    published_on = DateField("Published", validators=[Optional()])
    text = TextAreaField(
        "Full text",
        validators=[Optional(), Length(max=MAX_ARTICLE_CHARS)],
        description="Paragraphs separated by blank lines.",
    )
    file = FileField(
        "…or upload a file",
        validators=[FileAllowed(["txt", "html", "htm"], "Upload a .txt or .html file.")],
        description=".txt (UTF-8) or .html; a web page is reduced to its readable text.",
    )

    page_title: str | None = None  # the headline of an uploaded web page

    @property
    def uploaded(self) -> bool:
        return bool(self.file.data and getattr(self.file.data, "filename", ""))

    def article_text(self) -> str | None:
        """The pasted text, or the uploaded file's readable text; records a field error if
        neither gives any."""
        upload = self.file.data
        if self.uploaded:
            with upload.stream:  # a large upload is spooled to a temporary file: close it
                raw = upload.stream.read(MAX_ARTICLE_FILE_BYTES + 1)
            try:
                page = read_file(upload.filename, raw)
            except ValidationFailed as exc:
                show_error(self, exc, self.file)  # the file's fault, whatever field it names
                return None
            self.page_title = page.title
            return page.text
        if not (self.text.data or "").strip():
            self.text.errors = [*self.text.errors, "Paste the article's text or upload a file."]
            return None
        return self.text.data

    def article_input(self, text: str) -> ArticleInput:
        return ArticleInput(
            text=text,
            title=self.title.data or self.page_title,
            publisher=self.publisher.data,
            author=self.author.data,
            url=self.url.data,
            published_on=self.published_on.data,
        )


class CandidateRow(Form):
    """One suggested claim on the article page: keep it or not, edited or as suggested."""

    class Meta(CleanFieldsMeta):
        pass

    position = HiddenField()
    keep = BooleanField("Keep")
    text = TextAreaField("Claim", validators=[Length(max=limits.CLAIM_TEXT)])
    claim_type = SelectField("Type", choices=enum_choices(ClaimType))
    claimant = StringField("Claimant", validators=[Optional(), Length(max=limits.CLAIMANT)])


# What each field of a suggestion's row is called in the page's error summary.
ROW_FIELD_NAMES = {"keep": "keep", "text": "claim text", "claim_type": "type",
                   "claimant": "claimant"}  # fmt: skip


class ConfirmCandidatesForm(OnceForm):
    fingerprint = HiddenField()
    candidates = FieldList(FormField(CandidateRow), max_entries=extraction.MAX_SUGGESTIONS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The error summary names the suggestion ("Suggestion 2 (claim text): ..."), not only
        # the column ("Claim"), as each row's fields are labelled for a screen reader.
        for entry, row in enumerate(self.candidates):
            position = row.position.data
            number = int(position) + 1 if str(position).isdigit() else entry + 1
            for name, what in ROW_FIELD_NAMES.items():
                getattr(row, name).label.text = f"Suggestion {number} ({what})"

    @classmethod
    def for_suggestions(
        cls, article: Article, suggestions: list[extraction.Suggestion], budget: Budget
    ) -> ConfirmCandidatesForm:
        rows = [
            {
                "position": str(item.index),
                "keep": item.preselected,
                "text": item.candidate.quote[: limits.CLAIM_TEXT],
                "claim_type": item.candidate.claim_type,
                "claimant": item.candidate.claimant[: limits.CLAIMANT],
            }
            for item in suggestions
        ]
        data = {"fingerprint": extraction.fingerprint(article, budget), "candidates": rows}
        return cls(formdata=None, data=data)

    def picks(self) -> list[extraction.Pick] | None:
        """The kept rows; an unknown row position (a tampered form) is None."""
        picks = []
        for row in self.candidates:
            if not row.keep.data:
                continue
            try:
                index = int(row.position.data)
            except (TypeError, ValueError):
                return None
            picks.append(
                extraction.Pick(index, row.text.data or "", row.claim_type.data, row.claimant.data)
            )
        return picks

    def field_for(self, exc: WorkflowError):
        """A refused suggestion's error goes to that field of its row; others as usual."""
        if not isinstance(exc, extraction.SuggestionRefused):
            return None
        rows = (row for row in self.candidates if row.position.data == str(exc.index))
        return next((getattr(row, exc.field or "text", None) for row in rows), None)


class QuoteClaimForm(OnceForm):
    quote = TextAreaField(
        "Quote from the article",
        validators=[DataRequired(), Length(max=limits.QUOTE)],
        description="Type or paste the passage as it stands in the article.",
    )
    text = TextAreaField(
        "Claim (as a reviewer phrases it)",
        validators=[DataRequired(), Length(max=limits.CLAIM_TEXT)],
    )
    claimant = StringField("Claimant", validators=[Optional(), Length(max=limits.CLAIMANT)])
    claim_type = SelectField("Type", choices=enum_choices(ClaimType), default="other")
    priority = SelectField("Priority", choices=PRIORITY_CHOICES, coerce=int, default=3)

    def claim_input(self) -> wf.ClaimInput:
        return wf.ClaimInput(
            text=self.text.data,
            quote=self.quote.data,
            claimant=self.claimant.data,
            claim_type=self.claim_type.data,
            priority=self.priority.data,
        )
