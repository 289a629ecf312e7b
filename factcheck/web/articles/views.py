"""The articles area's pages (GET): the list, the new-article form (its POST goes to
`actions.create`) and the article page."""

from __future__ import annotations

from flask import render_template, request

from factcheck.queries.articles import article_page

from ..database import db
from ..paging import PAGE_SIZE, before_arg, split_page
from . import actions, bp
from .forms import ArticleForm, QuoteClaimForm
from .page import article_or_404, render_article


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
    if request.method == "POST":
        return actions.create(form)
    return render_template("articles/new.html", form=form)


@bp.get("/<int:article_id>")
def show(article_id: int):
    return render_article(article_or_404(article_id), QuoteClaimForm(formdata=None))
