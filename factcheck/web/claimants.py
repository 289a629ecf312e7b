"""Claimant records: the list, a claimant's page (their checked claims and verdicts), and the
editors' changes: editing a record and merging two (`workflow.claimants`)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from factcheck import limits
from factcheck.queries.claimants import (
    claimant_choices,
    claimant_list,
    claimant_page,
    claimant_record,
)
from factcheck.vocabulary import ClaimantKind
from factcheck.workflow import claimants as wf
from factcheck.workflow import permissions as can

from .actions import run_action
from .auth import editor_required
from .database import db
from .forms import BaseForm, enum_choices
from .ratings import current_scale

bp = Blueprint("claimants", __name__)


class ClaimantForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=limits.CLAIMANT)])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Choose a kind"), *enum_choices(ClaimantKind)],
        validators=[DataRequired("Choose a person or an organisation.")],
    )
    description = TextAreaField(
        "Role or description",
        validators=[Optional(), Length(max=limits.CLAIMANT_DESCRIPTION)],
    )
    same_as = TextAreaField(
        "Same as",
        validators=[Optional(), Length(max=limits.CLAIMANT_LINKS * (limits.URL + 1))],
        description="Addresses that identify them (Wikidata, an official page), one a line.",
    )

    def claimant_input(self) -> wf.ClaimantInput:
        return wf.ClaimantInput(
            name=self.name.data,
            kind=self.kind.data,
            description=self.description.data,
            same_as=[line.strip() for line in (self.same_as.data or "").splitlines()],
        )


class MergeForm(BaseForm):
    into = SelectField(
        "Merge into", coerce=int, validators=[InputRequired("Choose the claimant to keep.")]
    )


def _merge_form(claimant_id: int) -> MergeForm:
    form = MergeForm()
    form.into.choices = [
        SelectChoice(cid, f"{name} ({kind or 'kind not set'})")
        for cid, name, kind in claimant_choices(db())
        if cid != claimant_id
    ]
    return form


def _page(claimant_id: int, merge_form: MergeForm | None = None, status: int = 200):
    page = claimant_page(db(), claimant_id)
    if page is None:
        abort(404)
    manage = can.can_manage_claimants(current_user) and page.merged_into is None
    html = render_template(
        "claimants/show.html",
        page=page,
        ratings=list(current_scale()),
        manage=manage,
        merge_form=(merge_form or _merge_form(claimant_id)) if manage else None,
    )
    return html, status


@bp.get("/claimants")
def index():
    return render_template(
        "claimants/list.html",
        claimants=claimant_list(db()),
        manage=can.can_manage_claimants(current_user),
    )


@bp.get("/claimants/<int:claimant_id>")
def show(claimant_id: int):
    return _page(claimant_id)


@bp.route("/claimants/<int:claimant_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(claimant_id: int):
    claimant = claimant_record(db(), claimant_id)
    if claimant is None:
        abort(404)
    form = ClaimantForm(obj=claimant)
    if not form.is_submitted():
        form.same_as.data = "\n".join(claimant.same_as or [])
        return render_template("claimants/edit.html", form=form, claimant=claimant)
    return run_action(
        form,
        lambda s: wf.update_claimant(
            s, current_user, wf.get_claimant(s, claimant_id), form.claimant_input()
        ),
        redirect_to=url_for(".show", claimant_id=claimant_id),
        message=lambda diff: "Claimant updated." if diff else "Nothing changed.",
        rerender=lambda _error, status: (
            render_template("claimants/edit.html", form=form, claimant=claimant),
            status,
        ),
    )


@bp.post("/claimants/<int:claimant_id>/merge")
@editor_required
def merge(claimant_id: int):
    if claimant_record(db(), claimant_id) is None:
        abort(404)
    form = _merge_form(claimant_id)
    return run_action(
        form,
        lambda s: wf.merge_claimants(
            s,
            current_user,
            wf.get_claimant(s, claimant_id),
            form.into.data,
        ),
        redirect_to=lambda _ids: url_for(".show", claimant_id=form.into.data),
        message=lambda ids: f"Merged; {len(ids)} claim(s) moved.",
        rerender=lambda _error, status: _page(claimant_id, form, status),
    )
