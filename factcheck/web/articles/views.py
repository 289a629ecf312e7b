"""The articles area's pages (GET): the list, the new-article form (its POST goes to
`actions.create`) and the article page."""

from __future__ import annotations

from flask import render_template, request

from factcheck.queries.articles import article_page, count_articles

from ..database import db
from ..paging import id_page
from . import actions, bp
from .forms import ArticleForm, QuoteClaimForm
from .page import article_or_404, render_article


@bp.get("/")
def index():
    s = db()
    page = id_page(
        lambda before, after, ascending, limit: article_page(
            s, before=before, after=after, ascending=ascending, limit=limit
        ),
        lambda row: row[0].id,
    )
    return render_template("articles/list.html", page=page, total=count_articles(s))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ArticleForm()
    if request.method == "POST":
        return actions.create(form)
    return render_template("articles/new.html", form=form)


@bp.get("/<int:article_id>")
def show(article_id: int):
    return render_article(article_or_404(article_id), QuoteClaimForm(formdata=None))
