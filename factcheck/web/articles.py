"""Articles: the list, adding one, and the article page where claims are highlighted in the text
and new claims are created from a quote (selected with the mouse, or typed)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from factcheck.models import Article, Claim
from factcheck.queries.highlight import segment
from factcheck.workflow import claims as wf
from factcheck.workflow.articles import MAX_ARTICLE_CHARS, ArticleInput, create_article
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.states import ClaimType

from .database import commit, db
from .forms import PRIORITY_CHOICES, enum_choices

bp = Blueprint("articles", __name__, url_prefix="/articles")


class ArticleForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=300)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    author = StringField("Author", validators=[Optional(), Length(max=200)])
    url = StringField("URL", validators=[Optional(), Length(max=2000)])
    published_on = DateField("Published", validators=[Optional()])
    text = TextAreaField(
        "Full text",
        validators=[DataRequired(), Length(max=MAX_ARTICLE_CHARS)],
        description="Paragraphs separated by blank lines.",
    )


class QuoteClaimForm(FlaskForm):
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
    s = db()
    counts = select(Claim.article_id, func.count().label("n")).group_by(Claim.article_id).subquery()
    rows = s.execute(
        select(Article, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.id.desc())
        .limit(500)
    ).all()
    return render_template("articles/list.html", rows=rows)


def _apply_error(form, exc: WorkflowError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, "error")


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ArticleForm()
    status = 200
    if form.validate_on_submit():
        s = db()
        try:
            article = create_article(
                s,
                current_user,
                ArticleInput(
                    text=form.text.data,
                    title=form.title.data,
                    publisher=form.publisher.data,
                    author=form.author.data,
                    url=form.url.data,
                    published_on=form.published_on.data,
                ),
            )
            commit(s)
        except WorkflowError as exc:
            s.rollback()
            _apply_error(form, exc)
            status = exc.status_code
        else:
            flash("Article added. Select a passage to open a claim.", "success")
            return redirect(url_for(".show", article_id=article.id))
    elif request.method == "POST":
        status = 400
    return render_template("articles/new.html", form=form), status


def _render_article(article: Article, form: QuoteClaimForm, status: int = 200):
    s = db()
    claims = list(
        s.scalars(select(Claim).where(Claim.article_id == article.id).order_by(Claim.span_start))
    )
    marks = [(c.span_start, c.span_end, c) for c in claims if c.span_start is not None]
    return render_template(
        "articles/show.html",
        article=article,
        claims=claims,
        paragraphs=segment(article.text, marks),
        form=form,
    ), status


@bp.get("/<int:article_id>")
def show(article_id: int):
    article = db().get(Article, article_id)
    if article is None:
        abort(404)
    return _render_article(article, QuoteClaimForm(formdata=None))


@bp.post("/<int:article_id>/claims")
def add_claim(article_id: int):
    s = db()
    article = s.get(Article, article_id)
    if article is None:
        abort(404)
    form = QuoteClaimForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400, "CSRF token missing or invalid")
        return _render_article(article, form, 400)
    try:
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
        commit(s)
    except WorkflowError as exc:
        s.rollback()
        _apply_error(form, exc)
        return _render_article(s.get(Article, article_id), form, exc.status_code)
    flash(f"Claim #{claim.id} created from the article.", "success")
    return redirect(url_for(".show", article_id=article_id) + f"#claim-{claim.id}")
