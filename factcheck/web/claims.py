"""Claims: the list (home page), my queue, the claim page and every workflow action on it.

Each action view follows one shape (`_act`): load the claim locked for update, validate the form,
call one workflow service, commit, redirect. On a domain error it rolls back and re-renders the
claim page with the user's input and the message at the field; nothing is half-written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload
from wtforms import SelectChoice

from factcheck.data_version import current_version
from factcheck.models import Article, Claim, Comment, HistoryEvent, Source, User, Verdict
from factcheck.queries.claims import (
    SORTS,
    ClaimFilters,
    article_choices,
    list_claims,
    parse_filters,
    status_counts,
)
from factcheck.queries.highlight import paragraph_around
from factcheck.workflow import claims as wf
from factcheck.workflow import permissions as can
from factcheck.workflow.errors import ConflictError, WorkflowError
from factcheck.workflow.history import jsonable
from factcheck.workflow.merging import changed_fields
from factcheck.workflow.sources import (
    SOURCE_FIELDS,
    SourceInput,
    add_source,
    remove_source,
    update_source,
)
from factcheck.workflow.states import ClaimStatus, ClaimType, Rating, Stance
from factcheck.workflow.submissions import AlreadySubmitted, fulfil, reserve

from .auth import EmptyForm, editor_required
from .cache import page_cache
from .database import commit, db, with_retries
from .forms import (
    AssignForm,
    ClaimForm,
    CommentForm,
    CorrectionForm,
    NewClaimForm,
    NewSourceForm,
    OnceForm,
    ReasonForm,
    SourceEditForm,
    SourceForm,
    VerdictForm,
    VersionedForm,
    already_submitted,
    show_error,
    submitted,
)

bp = Blueprint("claims", __name__)


# ---------------------------------------------------------------- list and queue


@bp.get("/")
def index():
    s = db()
    version = current_version(s)  # before reading what the cache keeps under it
    filters = parse_filters(request.args)
    cursor = request.args.get("after")
    is_editor = current_user.is_editor
    key = ("claims list", request.script_root, filters, cursor, is_editor)
    body = page_cache().get(version, key, lambda: _list_body(s, filters, cursor, is_editor))
    return render_template("claims/list.html", body=body)


def _list_body(s: Session, filters: ClaimFilters, cursor: str | None, is_editor: bool) -> Markup:
    """The list page below the top bar: the same for every user of one role, so it is cached."""
    html = render_template(
        "claims/_list_body.html",
        page=list_claims(s, filters, cursor=cursor),
        filters=filters,
        counts=page_cache().get(
            current_version(s),  # the same read as the page's: once per transaction
            ("status counts", filters.without(status=None, sort="priority")),
            lambda: status_counts(s, filters),
        ),
        statuses=list(ClaimStatus),
        types=list(ClaimType),
        ratings=list(Rating),
        sorts=SORTS,
        articles=article_choices(s, filters.article_id),
        assignees=_staff(s),
        first_page=not cursor,
        csv_url=(
            url_for("exports.export_csv", kind="claims", **filters.as_args()) if is_editor else None
        ),
    )
    return Markup(html)  # noqa: S704 -- Jinja's autoescaped output, not user input


def _staff(s: Session) -> list[User]:
    return list(s.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)))


QUEUE_SHOWN = 100  # the most urgent first; the claims list's filters reach the rest


@bp.get("/queue")
def queue():
    s = db()
    me = current_user
    today = date.today()
    mine = list(
        s.scalars(
            select(Claim)
            .where(Claim.assignee_id == me.id, Claim.status.in_(["researching", "in_review"]))
            .options(joinedload(Claim.article), joinedload(Claim.assignee), raiseload("*"))
            .order_by(
                and_(Claim.due_date.is_not(None), Claim.due_date < today).desc(),
                Claim.due_date.is_(None),
                Claim.due_date,
                Claim.priority,
                Claim.id,
            )
            .limit(QUEUE_SHOWN + 1)
        )
    )
    awaiting: list[Claim] = []
    if me.is_editor:
        awaiting = list(
            s.scalars(
                select(Claim)
                .join(Verdict, and_(Verdict.claim_id == Claim.id, Verdict.state == "draft"))
                .where(Claim.status == "in_review", Verdict.drafted_by_id != me.id)
                .options(joinedload(Claim.article), joinedload(Claim.assignee), raiseload("*"))
                .order_by(Verdict.drafted_at, Claim.id)
                .limit(QUEUE_SHOWN + 1)
            )
        )
    return render_template(
        "claims/queue.html",
        mine=mine[:QUEUE_SHOWN],
        awaiting=awaiting[:QUEUE_SHOWN],
        more_mine=len(mine) > QUEUE_SHOWN,
        more_awaiting=len(awaiting) > QUEUE_SHOWN,
        today=today,
    )


# ---------------------------------------------------------------- the claim page


def _load(s: Session, claim_id: int, *, for_update: bool = False) -> Claim:
    try:
        return wf.get_claim(s, claim_id, for_update=for_update)
    except WorkflowError:
        abort(404)


def _assign_choices(s: Session) -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.display_name} ({u.role})") for u in _staff(s)]


def _page_context(s: Session, claim: Claim, forms: dict[str, Any]) -> dict[str, Any]:
    claim = s.scalars(
        select(Claim)
        .where(Claim.id == claim.id)
        .options(
            joinedload(Claim.article),
            joinedload(Claim.assignee),
            selectinload(Claim.sources).joinedload(Source.added_by),
            selectinload(Claim.verdicts).joinedload(Verdict.drafted_by),
            selectinload(Claim.verdicts).joinedload(Verdict.decided_by),
            selectinload(Claim.comments).joinedload(Comment.author),
            selectinload(Claim.corrections),
        )
        .execution_options(populate_existing=True)
    ).one()
    history = list(
        s.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.claim_id == claim.id)
            .options(joinedload(HistoryEvent.actor))
            .order_by(HistoryEvent.seq.desc())
        )
    )
    allowed = can.allowed_actions(current_user, claim)
    version = claim.version
    defaults: dict[str, Any] = {
        "assign_form": AssignForm(version=version, assignee=claim.assignee_id),
        "take_form": VersionedForm(version=version),
        "source_form": NewSourceForm(formdata=None),
        "verdict_form": VerdictForm(version=version, formdata=None),
        "approve_form": VersionedForm(version=version),
        "return_form": ReasonForm(version=version, formdata=None),
        "not_checkable_form": ReasonForm(version=version, formdata=None),
        "restore_form": VersionedForm(version=version),
        "reopen_form": CorrectionForm(version=version, formdata=None),
        "comment_form": CommentForm(formdata=None),
        "delete_form": EmptyForm(),
    }
    defaults.update(forms)
    defaults["assign_form"].assignee.choices = _assign_choices(s)
    by_stance = {
        stance.value: [x for x in claim.sources if x.stance == stance.value] for stance in Stance
    }
    context_segments = (
        paragraph_around(claim.article.text, claim.span_start, claim.span_end)
        if claim.article is not None and claim.span_start is not None
        else None
    )
    return {
        "claim": claim,
        "history": history,
        "allowed": allowed,
        "sources_by_stance": by_stance,
        "context_segments": context_segments,
        "pending": claim.pending_verdict,
        "current_verdict": claim.approved_verdict,
        "earlier_verdicts": [
            v for v in reversed(claim.verdicts) if v.state != "approved" and v.state != "draft"
        ],
        **defaults,
    }


def _changes_since(s: Session, claim_id: int, version: int | None) -> list[HistoryEvent]:
    if version is None:
        return []
    return list(
        s.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.claim_id == claim_id, HistoryEvent.claim_version > version)
            .options(joinedload(HistoryEvent.actor))
            .order_by(HistoryEvent.seq)
        )
    )


@bp.get("/claims/<int:claim_id>")
def show(claim_id: int):
    s = db()
    claim = _load(s, claim_id)
    return render_template("claims/show.html", **_page_context(s, claim, {}))


def _rerender(claim_id: int, form_name: str, form, error: WorkflowError | None, status: int):
    """Show the claim page again with the user's form input and the error where it belongs."""
    s = db()
    s.rollback()
    claim = _load(s, claim_id)
    conflict = []
    if isinstance(error, ConflictError):
        conflict = _changes_since(s, claim_id, form.expected_version())
        # Keep the user's input but let them resubmit deliberately on top of the new version.
        form.version.data = str(claim.version)
    if error is not None:
        show_error(form, error)
    elif "version" in form.errors:
        flash(form.errors["version"][0], "error")
    elif form.errors:
        flash("Please correct the marked fields.", "error")
    context = _page_context(s, claim, {form_name: form})
    context["conflict_events"] = conflict
    context["open_form"] = form_name
    return render_template("claims/show.html", **context), status


def _act(
    claim_id: int,
    form,
    form_name: str,
    operation: Callable[[Session, Claim], Any],
    message: str,
):
    s = db()
    _load(s, claim_id)  # 404 before anything else
    if not submitted(form):
        return _rerender(claim_id, form_name, form, None, 400)
    once = isinstance(form, OnceForm)

    def unit_of_work() -> None:
        claim = _load(s, claim_id, for_update=True)
        ticket = reserve(s, current_user, form.form_token.data) if once else None
        operation(s, claim)
        fulfil(ticket, url_for(".show", claim_id=claim_id))
        commit(s)

    try:
        with_retries(unit_of_work)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".show", claim_id=claim_id))
    except WorkflowError as exc:
        return _rerender(claim_id, form_name, form, exc, exc.status_code)
    flash(message, "success")
    return redirect(url_for(".show", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/assign")
@editor_required
def assign(claim_id: int):
    form = AssignForm()
    form.assignee.choices = _assign_choices(db())

    def op(s, claim):
        assignee = s.get(User, form.assignee.data)
        if assignee is None:
            raise wf.ValidationFailed("Choose someone to assign.", field="assignee")
        wf.assign(
            s,
            current_user,
            claim,
            assignee,
            due_date=form.due_date.data,
            expected_version=form.expected_version(),
        )

    return _act(claim_id, form, "assign_form", op, "Claim assigned.")


@bp.post("/claims/<int:claim_id>/take")
def take(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "take_form",
        lambda s, c: wf.take(s, current_user, c, expected_version=form.expected_version()),
        "The claim is yours.",
    )


def _source_input(form: SourceForm) -> SourceInput:
    return SourceInput(
        url=form.url.data,
        title=form.title.data,
        stance=form.stance.data,
        kind=form.kind.data,
        publisher=form.publisher.data,
        published_on=form.published_on.data,
        accessed_on=form.accessed_on.data,
        archive_url=form.archive_url.data,
        excerpt=form.excerpt.data,
        reliability=form.reliability.data,
    )


@bp.post("/claims/<int:claim_id>/sources")
def add_source_view(claim_id: int):
    form = NewSourceForm()
    return _act(
        claim_id,
        form,
        "source_form",
        lambda s, c: add_source(s, current_user, c, _source_input(form)),
        "Source added.",
    )


@bp.route("/claims/<int:claim_id>/sources/<int:source_id>/edit", methods=["GET", "POST"])
def edit_source(claim_id: int, source_id: int):
    s = db()
    claim = _load(s, claim_id, for_update=request.method == "POST")
    source = next((x for x in claim.sources if x.id == source_id), None)
    if source is None:
        abort(404)
    if not can.can_edit_sources(current_user, claim):
        abort(403)
    form = SourceEditForm(obj=source)
    if request.method == "GET":
        _show_source_as_loaded(form, source)
    status = 200
    if form.validate_on_submit():
        loaded = _loaded_source(form)
        try:
            update_source(
                s,
                current_user,
                claim,
                source_id,
                _source_input(form),
                expected_version=form.expected_version(),
                loaded=loaded,
            )
            commit(s)
            flash("Source updated.", "success")
            return redirect(url_for(".show", claim_id=claim_id))
        except ConflictError as exc:
            s.rollback()
            claim = _load(s, claim_id)
            source = next(x for x in claim.sources if x.id == source_id)
            sent = asdict(_source_input(form))
            mine = changed_fields(sent, asdict(loaded), SOURCE_FIELDS) if loaded else SOURCE_FIELDS
            _show_merge_conflict(form, source, SOURCE_FIELDS, mine, exc)
            _show_source_as_loaded(form, source)
            status = 409
        except WorkflowError as exc:
            s.rollback()
            status = exc.status_code
            _apply_error(form, exc)
    elif request.method == "POST":
        status = 400
    return render_template("claims/source_edit.html", form=form, claim=claim, source=source), status


def _show_merge_conflict(form, current, fields, mine, exc: ConflictError) -> None:
    """After a save that clashed (workflow/merging.py): their values fill the fields this user
    left alone, and each field both changed keeps this user's input and says what it holds now."""
    for key in fields:
        if key not in mine:
            getattr(form, key).data = getattr(current, key)
    for key in exc.fields:
        now = describe_change(getattr(current, key))
        getattr(form, key).errors = [f"Also changed by someone else, to: {now}"]
    flash(exc.message, "error")


def _show_source_as_loaded(form: SourceEditForm, source) -> None:
    """The version and the fields as this form shows them, for a three-way merge on save."""
    form.version.data = str(source.version)
    form.loaded.data = json.dumps({key: jsonable(getattr(source, key)) for key in SOURCE_FIELDS})


def _loaded_source(form: SourceEditForm) -> SourceInput | None:
    """The source as the form was loaded; None when missing or not ours (a plain version
    check)."""
    try:
        raw = json.loads(form.loaded.data or "")
        days = {key: date.fromisoformat(raw[key]) if raw[key] else None
                for key in ("published_on", "accessed_on")}  # fmt: skip
        return SourceInput(**{**{key: raw[key] for key in SOURCE_FIELDS}, **days})
    except (ValueError, KeyError, TypeError):
        return None


@bp.post("/claims/<int:claim_id>/sources/<int:source_id>/delete")
def delete_source(claim_id: int, source_id: int):
    form = EmptyForm()
    return _act(
        claim_id,
        form,
        "delete_form",
        lambda s, c: remove_source(s, current_user, c, source_id),
        "Source removed (it stays in the history).",
    )


@bp.post("/claims/<int:claim_id>/verdict")
def draft_verdict(claim_id: int):
    form = VerdictForm()
    return _act(
        claim_id,
        form,
        "verdict_form",
        lambda s, c: wf.draft_verdict(
            s,
            current_user,
            c,
            rating=form.rating.data,
            summary=form.summary.data,
            rationale=form.rationale.data,
            expected_version=form.expected_version(),
        ),
        "Verdict submitted for an editor's approval.",
    )


@bp.post("/claims/<int:claim_id>/approve")
@editor_required
def approve(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "approve_form",
        lambda s, c: wf.approve(s, current_user, c, expected_version=form.expected_version()),
        "Verdict approved: the fact-check is published.",
    )


@bp.post("/claims/<int:claim_id>/return")
@editor_required
def return_verdict(claim_id: int):
    form = ReasonForm()
    return _act(
        claim_id,
        form,
        "return_form",
        lambda s, c: wf.return_verdict(
            s, current_user, c, reason=form.reason.data, expected_version=form.expected_version()
        ),
        "Verdict returned to the reviewer.",
    )


@bp.post("/claims/<int:claim_id>/not-checkable")
def not_checkable(claim_id: int):
    form = ReasonForm()
    return _act(
        claim_id,
        form,
        "not_checkable_form",
        lambda s, c: wf.mark_not_checkable(
            s, current_user, c, reason=form.reason.data, expected_version=form.expected_version()
        ),
        "Marked not checkable.",
    )


@bp.post("/claims/<int:claim_id>/restore")
@editor_required
def restore(claim_id: int):
    form = VersionedForm()
    return _act(
        claim_id,
        form,
        "restore_form",
        lambda s, c: wf.restore(s, current_user, c, expected_version=form.expected_version()),
        "Claim restored to unreviewed.",
    )


@bp.post("/claims/<int:claim_id>/reopen")
@editor_required
def reopen(claim_id: int):
    form = CorrectionForm()
    return _act(
        claim_id,
        form,
        "reopen_form",
        lambda s, c: wf.reopen(
            s, current_user, c, note=form.note.data, expected_version=form.expected_version()
        ),
        "Reopened for a correction; the note is on the public record.",
    )


@bp.post("/claims/<int:claim_id>/comments")
def comment(claim_id: int):
    form = CommentForm()
    return _act(
        claim_id,
        form,
        "comment_form",
        lambda s, c: wf.add_comment(s, current_user, c, form.body.data),
        "Comment added.",
    )


# ---------------------------------------------------------------- create and edit


def _claim_input(form: ClaimForm) -> wf.ClaimInput:
    return wf.ClaimInput(
        text=form.text.data,
        claim_type=form.claim_type.data,
        claimant=form.claimant.data,
        quote=form.quote.data,
        priority=form.priority.data,
        due_date=form.due_date.data,
    )


def _apply_error(form, exc: WorkflowError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, "error")


@bp.route("/claims/new", methods=["GET", "POST"])
def new():
    s = db()
    form = NewClaimForm()
    form.article_id.choices = [SelectChoice(0, "— none (entered by hand) —")] + [
        SelectChoice(a.id, a.title or f"Article #{a.id}")
        for a in s.execute(select(Article.id, Article.title).order_by(Article.id.desc()))
    ]
    if request.method == "GET" and request.args.get("article_id"):
        form.article_id.data = parse_filters(request.args).article_id or 0
    status = 200
    if form.validate_on_submit():
        article = s.get(Article, form.article_id.data) if form.article_id.data else None
        try:
            ticket = reserve(s, current_user, form.form_token.data)
            claim = wf.create_claim(s, current_user, _claim_input(form), article=article)
            fulfil(ticket, url_for(".show", claim_id=claim.id))
            commit(s)
            flash("Claim created.", "success")
            return redirect(url_for(".show", claim_id=claim.id))
        except AlreadySubmitted:
            return already_submitted(s, form, url_for(".index"))
        except WorkflowError as exc:
            s.rollback()
            _apply_error(form, exc)
            status = exc.status_code
    elif request.method == "POST":
        status = 400
    return render_template("claims/edit.html", form=form, claim=None), status


def _show_as_loaded(form: ClaimForm, claim: Claim) -> None:
    """The version and the fields as this form shows them, for a three-way merge on save."""
    form.version.data = str(claim.version)
    form.loaded.data = json.dumps(
        {key: jsonable(getattr(claim, key)) for key in wf.EDITABLE_FIELDS}
    )


def _loaded_input(form: ClaimForm) -> wf.ClaimInput | None:
    """The fields as the form was loaded; None when missing or not ours (a plain version check)."""
    try:
        raw = json.loads(form.loaded.data or "")
        due = raw["due_date"]
        return wf.ClaimInput(
            text=raw["text"],
            claim_type=raw["claim_type"],
            claimant=raw["claimant"],
            quote=raw["quote"],
            priority=int(raw["priority"]),
            due_date=date.fromisoformat(due) if due else None,
        )
    except (ValueError, KeyError, TypeError):
        return None


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def edit(claim_id: int):
    s = db()
    claim = _load(s, claim_id, for_update=request.method == "POST")
    if not can.can_edit_claim(current_user, claim):
        abort(403)
    form = ClaimForm(obj=claim) if request.method == "GET" else ClaimForm()
    if request.method == "GET":
        _show_as_loaded(form, claim)
    status, conflict = 200, []
    if form.validate_on_submit():
        loaded = _loaded_input(form)
        try:
            diff = wf.update_claim(
                s,
                current_user,
                claim,
                _claim_input(form),
                expected_version=form.expected_version(),
                loaded=loaded,
            )
            commit(s)
            flash("Claim updated." if diff else "Nothing changed.", "success")
            return redirect(url_for(".show", claim_id=claim_id))
        except ConflictError as exc:
            s.rollback()
            claim = _load(s, claim_id)
            conflict = _changes_since(s, claim_id, form.expected_version())
            mine = wf.changed_fields(_claim_input(form), loaded) if loaded else wf.EDITABLE_FIELDS
            _show_merge_conflict(form, claim, wf.EDITABLE_FIELDS, mine, exc)
            _show_as_loaded(form, claim)
            status = 409
        except WorkflowError as exc:
            s.rollback()
            claim = _load(s, claim_id)
            _apply_error(form, exc)
            status = exc.status_code
    elif request.method == "POST":
        status = 400
    return render_template(
        "claims/edit.html", form=form, claim=claim, conflict_events=conflict
    ), status


@bp.app_template_global()
def list_url(filters, **changes: Any) -> str:
    """A link to the claims list with some filters changed, the others kept."""
    args = filters.without(**changes).as_args() if changes else filters.as_args()
    return url_for("claims.index", **args)


@bp.app_template_filter()
def describe_change(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
