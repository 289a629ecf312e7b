"""The articles area's changes (POST), each through `run_action`: adding an article, a claim
from a quote, and the claims kept from the extractor's suggestions (all or none)."""

from __future__ import annotations

from flask import abort, current_app, flash, render_template, url_for
from flask_login import current_user

from factcheck import jobs
from factcheck.models import Article
from factcheck.queries.articles import get_article
from factcheck.workflow import candidates as extraction
from factcheck.workflow import claims as wf
from factcheck.workflow.articles import add_pasted_article
from factcheck.workflow.stored_extraction import is_pending

from ..actions import run_action
from ..database import db
from . import bp
from .forms import ArticleForm, ConfirmCandidatesForm, QuoteClaimForm
from .page import article_or_404, budget, render_article


def create(form: ArticleForm):
    """The POST half of views.new."""
    text: str | None = None

    def read_text() -> bool:
        # After a resent form was sent to its article: the upload is read and reduced once.
        nonlocal text
        text = form.article_text()
        return text is not None

    def added(result: tuple[Article, bool]) -> str:
        article, new = result
        if new:
            return "Article added. Confirm the suggested claims, or select a passage to open one."
        return f"This text is already on the desk as article #{article.id}: not added twice."

    return run_action(
        form,
        lambda s: add_pasted_article(
            s,
            current_user,
            form.article_input(text),
            extract_later_from=current_app.config["EXTRACTION_JOB_FROM_CHARS"],
        ),
        prepare=read_text,
        after_commit=lambda result: queue_extraction(result[0]) if result[1] else None,
        redirect_to=lambda result: url_for(".show", article_id=result[0].id),
        fallback=url_for(".index"),
        message=added,
        rerender=lambda _error, status: (render_template("articles/new.html", form=form), status),
        # Text that came from a file is wrong in the file: say so there.
        error_field=lambda exc: form.file if exc.field == "text" and form.uploaded else None,
    )


def queue_extraction(article) -> None:
    """A long article's claims are extracted by a background job (its page says so)."""
    if is_pending(article):
        jobs.extract_article(article.id)


@bp.post("/<int:article_id>/claims")
def add_claim(article_id: int):
    article = article_or_404(article_id)
    form = QuoteClaimForm()
    here = url_for(".show", article_id=article_id)
    return run_action(
        form,
        lambda s: wf.create_claim(s, current_user, form.claim_input(), article=article),
        redirect_to=lambda claim: f"{here}#claim-{claim.id}",
        fallback=here,
        message=lambda claim: f"Claim #{claim.id} created from the article.",
        rerender=lambda error, status: render_article(
            article if error is None else get_article(db(), article_id), form, status
        ),
    )


@bp.post("/<int:article_id>/candidates")
def create_from_candidates(article_id: int):
    """Create the claims the reviewer kept from the extractor's suggestions, all or none."""
    article = article_or_404(article_id)
    form = ConfirmCandidatesForm()
    picks: list[extraction.Pick] = []

    def read_picks() -> bool:
        nonlocal picks
        picks = form.picks()
        if picks is None:
            abort(400, "Unknown suggestion; reload the page.")
        return True

    def rerender(error, status):
        # What went wrong is said once at the top: in the error summary (a row's, linked to
        # it, which may be far down the page) or in a message of its own (`run_action`).
        flash("Nothing was created.", "error")
        shown = article if error is None else get_article(db(), article_id)
        return render_article(shown, QuoteClaimForm(formdata=None), status, form)

    return run_action(
        form,
        lambda s: extraction.create_from_candidates(
            s, current_user, article, form.fingerprint.data or "", picks, budget()
        ),
        prepare=read_picks,
        # Back at the article's claims, where the new ones are listed (focused, scrolled to).
        redirect_to=url_for(".show", article_id=article_id) + "#claims-title",
        message=lambda created: f"{len(created)} claim(s) created from the suggestions.",
        rerender=rerender,
        error_field=form.field_for,
    )
