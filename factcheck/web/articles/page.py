"""The article page, as its GET and a refused POST show it: the text with its claims and the
extractor's suggestions marked, the suggestions' form and the quote form."""

from __future__ import annotations

from flask import abort, current_app, render_template

from factcheck.extraction import Budget
from factcheck.models import Article
from factcheck.queries.articles import claims_in, get_article
from factcheck.queries.highlight import segment, sentence_offsets
from factcheck.workflow import candidates as extraction
from factcheck.workflow.stored_extraction import is_pending

from ..cache import SUGGESTIONS, cached
from ..database import db
from .forms import ConfirmCandidatesForm, QuoteClaimForm


def render_article(
    article: Article,
    form: QuoteClaimForm,
    status: int = 200,
    confirm_form: ConfirmCandidatesForm | None = None,
):
    s = db()
    claims = claims_in(s, article.id)
    # Suggestions compare with every claim on the desk: remembered until the database changes.
    suggestions = cached(
        s, SUGGESTIONS, (article.id,), lambda: extraction.suggest(s, article, budget())
    )
    marks = [(c.span_start, c.span_end, c) for c in claims if c.span_start is not None]
    suggested = [(x.candidate.span_start, x.candidate.span_end, x) for x in suggestions]
    confirm_form = confirm_form or ConfirmCandidatesForm.for_suggestions(
        article, suggestions, budget()
    )
    return render_template(
        "articles/show.html",
        article=article,
        claims=claims,
        paragraphs=segment(article.text, marks, suggested),
        sentences=sentence_offsets(article.text),
        form=form,
        suggestions=suggestions,
        extraction_note=extraction.unread_note(article, budget()),
        extracting=is_pending(article),
        rows={row.position.data: row for row in confirm_form.candidates},
        confirm_form=confirm_form,
    ), status


def budget() -> Budget:
    config = current_app.config
    return Budget(config["EXTRACTION_MAX_STEPS"], config["EXTRACTION_MAX_SECONDS"])


def article_or_404(article_id: int) -> Article:
    article = get_article(db(), article_id)
    if article is None:
        abort(404)
    return article
