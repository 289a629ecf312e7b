"""The rating scale's page (GET) and its changes (POST, each one `workflow.ratings` service
through `run_action`): edit a label, add one, delete one no verdict uses."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user

from factcheck.queries.ratings import all_ratings, rating_row, ratings_in_use
from factcheck.workflow import ratings as wf

from ..actions import run_action
from ..auth import EmptyForm
from ..database import db
from . import bp
from .forms import RatingForm


def ratings_page(
    new_form: RatingForm | None = None,
    posted: tuple[int, RatingForm] | None = None,
    status: int = 200,
):
    s = db()
    rows = all_ratings(s)
    forms = {r.id: RatingForm.for_rating(r) for r in rows}
    if posted is not None:
        forms[posted[0]] = posted[1]
    return render_template(
        "admin/ratings.html",
        ratings=rows,
        forms=forms,
        in_use=ratings_in_use(s),
        new_form=new_form or RatingForm(formdata=None, prefix="new", colour="#607d8b"),
        delete_form=EmptyForm(),
    ), status


@bp.get("/ratings")
def ratings():
    return ratings_page()


@bp.post("/ratings")
def add_rating():
    form = RatingForm(prefix="new")
    return run_action(
        form,
        lambda s: wf.add_rating(s, current_user, form.rating_input()),
        redirect_to=url_for(".ratings"),
        message=lambda rating: f"Rating '{rating.label}' added.",
        rerender=lambda _error, status: ratings_page(new_form=form, status=status),
    )


@bp.post("/ratings/<int:rating_id>")
def edit_rating(rating_id: int):
    if rating_row(db(), rating_id) is None:
        abort(404)
    form = RatingForm(prefix=f"r{rating_id}")

    def operation(s):
        rating = rating_row(s, rating_id)
        wf.update_rating(s, current_user, rating, form.rating_input())
        return rating

    return run_action(
        form,
        operation,
        redirect_to=url_for(".ratings"),
        message=lambda rating: f"Rating '{rating.label}' saved.",
        rerender=lambda _error, status: ratings_page(posted=(rating_id, form), status=status),
    )


@bp.post("/ratings/<int:rating_id>/delete")
def delete_rating(rating_id: int):
    if rating_row(db(), rating_id) is None:
        abort(404)
    form = EmptyForm()
    return run_action(
        form,
        lambda s: wf.delete_rating(s, current_user, rating_row(s, rating_id)),
        redirect_to=url_for(".ratings"),
        message="Rating deleted.",
        rerender=lambda _error, status: ratings_page(status=status),
        errors_on_form=False,
    )
