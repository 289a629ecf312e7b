"""Articles: the list, adding one (pasted or uploaded), and the article page where claims are
highlighted in the text, the extractor's suggestions are confirmed, and new claims are created
from a quote (selected with the mouse, or typed)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField
from sqlalchemy import select
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

from factcheck.data_version import current_version
from factcheck.extraction import Budget
from factcheck.models import Article, Claim
from factcheck.queries.articles import article_page
from factcheck.queries.highlight import segment
from factcheck.workflow import candidates as extraction
from factcheck.workflow import claims as wf
from factcheck.workflow.articles import (
    MAX_ARTICLE_CHARS,
    MAX_ARTICLE_FILE_BYTES,
    ArticleInput,
    create_article,
    read_file,
)
from factcheck.workflow.errors import ValidationFailed, WorkflowError
from factcheck.workflow.states import ClaimType
from factcheck.workflow.submissions import AlreadySubmitted, fulfil, reserve

from .cache import page_cache
from .database import commit, db
from .forms import (
    PRIORITY_CHOICES,
    CleanFieldsMeta,
    OnceForm,
    already_submitted,
    enum_choices,
    show_error,
    submitted,
)
from .paging import PAGE_SIZE, before_arg, split_page

bp = Blueprint("articles", __name__, url_prefix="/articles")


class ArticleForm(OnceForm):
    title = StringField("Title", validators=[Optional(), Length(max=300)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    author = StringField("Author", validators=[Optional(), Length(max=200)])
    url = StringField("URL", validators=[Optional(), Length(max=2000)])
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
                self.file.errors = [*self.file.errors, exc.message]
                return None
            self.page_title = page.title
            return page.text
        if not (self.text.data or "").strip():
            self.text.errors = [*self.text.errors, "Paste the article's text or upload a file."]
            return None
        return self.text.data


class CandidateRow(Form):
    """One suggested claim on the article page: keep it or not, edited or as suggested."""

    class Meta(CleanFieldsMeta):
        pass

    position = HiddenField()
    keep = BooleanField("Keep")
    text = TextAreaField("Claim", validators=[Length(max=1000)])
    claim_type = SelectField("Type", choices=enum_choices(ClaimType))
    claimant = StringField("Claimant", validators=[Optional(), Length(max=200)])


class ConfirmCandidatesForm(OnceForm):
    fingerprint = HiddenField()
    candidates = FieldList(FormField(CandidateRow), max_entries=extraction.MAX_SUGGESTIONS)


class QuoteClaimForm(OnceForm):
    quote = TextAreaField(
        "Quote from the article",
        validators=[DataRequired(), Length(max=5000)],
        description="Select text in the article to fill this in, or type it exactly.",
    )
    text = TextAreaField(
        "Claim (as a reviewer phrases it)", validators=[DataRequired(), Length(max=1000)]
    )
    claimant = StringField("Claimant", validators=[Optional(), Length(max=200)])
    claim_type = SelectField("Type", choices=enum_choices(ClaimType), default="other")
    priority = SelectField("Priority", choices=PRIORITY_CHOICES, coerce=int, default=3)


@bp.get("/")
def index():
    rows, older = split_page(
        article_page(db(), before=before_arg(), limit=PAGE_SIZE + 1),
        PAGE_SIZE,
        lambda row: row[0].id,
    )
    return render_template("articles/list.html", rows=rows, older=older)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ArticleForm()
    if request.method == "GET":
        return render_template("articles/new.html", form=form)
    s = db()
    valid = submitted(form)
    # A resent form leads to its article before its upload is read and reduced again.
    if valid and (done := form.already_done(s)):
        return done
    text = form.article_text() if valid else None
    if text is None:
        return render_template("articles/new.html", form=form), 400
    try:
        ticket = reserve(s, current_user, form.form_token.data)
        article = create_article(
            s,
            current_user,
            ArticleInput(
                text=text,
                title=form.title.data or form.page_title,
                publisher=form.publisher.data,
                author=form.author.data,
                url=form.url.data,
                published_on=form.published_on.data,
            ),
        )
        fulfil(ticket, url_for(".show", article_id=article.id))
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".index"))
    except WorkflowError as exc:
        s.rollback()
        # Text that came from a file is wrong in the file: say so there.
        show_error(form, exc, form.file if exc.field == "text" and form.uploaded else None)
        return render_template("articles/new.html", form=form), exc.status_code
    flash(
        "Article added. Confirm the suggested claims, or select a passage to open one.", "success"
    )
    return redirect(url_for(".show", article_id=article.id))


def _confirm_form(article: Article, suggestions: list[extraction.Suggestion]):
    rows = [
        {
            "position": str(item.index),
            "keep": item.preselected,
            "text": item.candidate.quote[:1000],
            "claim_type": item.candidate.claim_type,
            "claimant": item.candidate.claimant[:200],
        }
        for item in suggestions
    ]
    data = {"fingerprint": extraction.fingerprint(article, _budget()), "candidates": rows}
    return ConfirmCandidatesForm(formdata=None, data=data)


def _render_article(
    article: Article,
    form: QuoteClaimForm,
    status: int = 200,
    confirm_form: ConfirmCandidatesForm | None = None,
):
    s = db()
    claims = list(
        s.scalars(select(Claim).where(Claim.article_id == article.id).order_by(Claim.span_start))
    )
    # Suggestions compare with every claim on the desk: remembered until the database changes.
    suggestions = page_cache().get(
        current_version(s),
        ("suggestions", article.id),
        lambda: extraction.suggest(s, article, _budget()),
    )
    marks = [(c.span_start, c.span_end, c) for c in claims if c.span_start is not None]
    suggested = [(x.candidate.span_start, x.candidate.span_end, x) for x in suggestions]
    confirm_form = confirm_form or _confirm_form(article, suggestions)
    return render_template(
        "articles/show.html",
        article=article,
        claims=claims,
        paragraphs=segment(article.text, marks, suggested),
        form=form,
        suggestions=suggestions,
        extraction_note=extraction.unread_note(article, _budget()),
        rows={row.position.data: row for row in confirm_form.candidates},
        confirm_form=confirm_form,
    ), status


def _budget() -> Budget:
    config = current_app.config
    return Budget(config["EXTRACTION_MAX_STEPS"], config["EXTRACTION_MAX_SECONDS"])


def _article_or_404(article_id: int) -> Article:
    article = db().get(Article, article_id)
    if article is None:
        abort(404)
    return article


@bp.get("/<int:article_id>")
def show(article_id: int):
    return _render_article(_article_or_404(article_id), QuoteClaimForm(formdata=None))


@bp.post("/<int:article_id>/claims")
def add_claim(article_id: int):
    s = db()
    article = _article_or_404(article_id)
    form = QuoteClaimForm()
    if not submitted(form):
        return _render_article(article, form, 400)
    try:
        ticket = reserve(s, current_user, form.form_token.data)
        claim = wf.create_claim(
            s,
            current_user,
            wf.ClaimInput(
                text=form.text.data,
                quote=form.quote.data,
                claimant=form.claimant.data,
                claim_type=form.claim_type.data,
                priority=form.priority.data,
            ),
            article=article,
        )
        fulfil(ticket, url_for(".show", article_id=article_id) + f"#claim-{claim.id}")
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".show", article_id=article_id))
    except WorkflowError as exc:
        s.rollback()
        show_error(form, exc)
        return _render_article(s.get(Article, article_id), form, exc.status_code)
    flash(f"Claim #{claim.id} created from the article.", "success")
    return redirect(url_for(".show", article_id=article_id) + f"#claim-{claim.id}")


@bp.post("/<int:article_id>/candidates")
def create_from_candidates(article_id: int):
    """Create the claims the reviewer kept from the extractor's suggestions, all or none."""
    s = db()
    article = _article_or_404(article_id)
    form = ConfirmCandidatesForm()
    if not submitted(form):
        flash("Please correct the marked suggestions.", "error")
        return _render_article(article, QuoteClaimForm(formdata=None), 400, form)
    picks = []
    for row in form.candidates:
        if not row.keep.data:
            continue
        try:
            index = int(row.position.data)
        except (TypeError, ValueError):
            abort(400, "Unknown suggestion; reload the page.")
        picks.append(
            extraction.Pick(index, row.text.data or "", row.claim_type.data, row.claimant.data)
        )
    try:
        ticket = reserve(s, current_user, form.form_token.data)
        created = extraction.create_from_candidates(
            s, current_user, article, form.fingerprint.data or "", picks, _budget()
        )
        fulfil(ticket, url_for(".show", article_id=article_id))
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".show", article_id=article_id))
    except WorkflowError as exc:
        s.rollback()
        _apply_row_error(form, exc)
        article = s.get(Article, article_id)
        return _render_article(article, QuoteClaimForm(formdata=None), exc.status_code, form)
    flash(f"{len(created)} claim(s) created from the suggestions.", "success")
    return redirect(url_for(".show", article_id=article_id))


def _apply_row_error(form: ConfirmCandidatesForm, exc: WorkflowError) -> None:
    """A refused suggestion's error goes to that field of its row; others are flashed."""
    field = None
    if isinstance(exc, extraction.SuggestionRefused):
        rows = (row for row in form.candidates if row.position.data == str(exc.index))
        field = next((getattr(row, exc.field or "text", None) for row in rows), None)
    show_error(form, exc, field)
