"""Claim workflow operations: creating, editing, assigning and taking a claim, and comments
(the review operations live in `review` and are re-exported here). Each takes the session and
the acting user explicitly, checks the rules, changes state, records history and flushes; the
caller commits (one transaction per user action). None of this knows about Flask or HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import Article, Claim, Comment, User
from factcheck.vocabulary import ClaimOrigin, HistoryAction

from . import claimants, merging
from . import permissions as can
from .claim_base import (  # noqa: F401 -- re-exported: callers use `claims.get_claim` & co.
    EDITABLE_FIELDS,
    PUBLISHED_SOURCE_FIELDS,
    TEXT_LIMITS,
    _require,
    _set_columns,
    _set_status,
    _touch,
    _transition,
    bumps_version,
    check_version,
    clean_text,
    get_claim,
    locate_quote,
)
from .errors import ConflictError, RuleViolation, ValidationFailed
from .events import changes_details, claim_created_details, commented_details
from .history import changes, record
from .review import (  # noqa: F401 -- re-exported: `claims.approve(...)` keeps working
    approve,
    draft_verdict,
    mark_not_checkable,
    reopen,
    restore,
    return_verdict,
)
from .states import Action, ClaimStatus, ClaimType

# Where a new claimant record's errors show on the claim's form.
NEW_CLAIMANT_FIELDS = {"name": "claimant", "kind": "claimant_kind"}


@dataclass
class ClaimInput:
    text: str
    claim_type: str = ClaimType.OTHER.value
    claimant: str | None = None
    quote: str | None = None
    priority: int = 3
    due_date: date | None = None
    # ClaimReview's short form (None: cut from `text`) and the confirmed claimant record.
    short_text: str | None = None
    claimant_id: int | None = None


def _validate_claim_input(data: ClaimInput) -> dict[str, Any]:
    """The claim's fields, checked; `short_text` and `claimant_id` only when given (a new
    claim's history and the import's pre-built events name the other fields alone)."""
    try:
        claim_type = ClaimType(data.claim_type).value
    except ValueError:
        raise ValidationFailed("Unknown claim type.", field="claim_type") from None
    low, high = limits.SCALE_MIN, limits.SCALE_MAX
    if not isinstance(data.priority, int) or not low <= data.priority <= high:
        raise ValidationFailed(f"Priority must be between {low} and {high}.", field="priority")
    fields = {
        "text": clean_text(data.text, "text", required=True),
        "quote": clean_text(data.quote, "quote"),
        "claimant": clean_text(data.claimant, "claimant"),
        "claim_type": claim_type,
        "priority": data.priority,
        "due_date": data.due_date,
    }
    if (short := clean_text(data.short_text, "short_text")) is not None:
        fields["short_text"] = short
    if data.claimant_id is not None:
        fields["claimant_id"] = data.claimant_id
    return fields


def create_claim(
    session: Session,
    actor: User | None,
    data: ClaimInput,
    *,
    article: Article | None = None,
    span: tuple[int, int] | None = None,
    origin: str = ClaimOrigin.MANUAL,
    external_key: str | None = None,
    history_details: dict[str, Any] | None = None,
) -> Claim:
    """Open a new review item, by hand, from extraction, import or seeds.

    A quote is placed in the article's text (at `span` when given, else where it occurs); an
    article without text (imported by title or URL alone) keeps the quote unplaced."""
    fields, columns = new_claim_columns(actor, data, article, span, origin, external_key)
    if "claimant_id" in fields:
        fields["claimant_id"] = columns["claimant_id"] = claimants.current(
            session, fields["claimant_id"]
        )
    claim = Claim(**columns, article=article)
    session.add(claim)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.CLAIM_CREATED,
        claim=claim,
        details=claim_created_details(origin, fields, history_details),
    )
    return claim


def new_claim_columns(
    actor: User | None,
    data: ClaimInput | None,
    article: Article | None,
    span: tuple[int, int] | None,
    origin: str,
    external_key: str | None,
    validated: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new claim's validated fields (as its history records them) and its columns but the
    article: what `create_claim` writes, and the import's bulk insert and the demo generator
    too (which pass `validated`, what `_validate_claim_input(data)` returned, instead of
    `data`). `article` is read for its text only."""
    fields = dict(validated) if validated is not None else _validate_claim_input(data)
    if fields["quote"] and article is None:
        raise ValidationFailed("A quote needs the article it comes from.", field="quote")
    span_start = span_end = None
    if article is not None and fields["quote"] and article.text:
        if span is not None:
            span_start, span_end = span
            if article.text[span_start:span_end] != fields["quote"]:
                raise ValidationFailed("The quote does not match the given span.", field="quote")
        else:
            span_start, span_end = locate_quote(article.text, fields["quote"])
            fields["quote"] = article.text[span_start:span_end]
    columns = {
        **fields,
        "span_start": span_start,
        "span_end": span_end,
        "status": ClaimStatus.UNREVIEWED.value,
        "origin": origin,
        "external_key": external_key,
        "created_by_id": actor.id if actor else None,
        "updated_by_id": actor.id if actor else None,
        "version": 1,
    }
    return fields, columns


def changed_fields(data: ClaimInput, loaded: ClaimInput) -> set[str]:
    """The editable fields a user changed: what they sent differs from what they loaded."""
    return merging.changed_fields(vars(data), vars(loaded), EDITABLE_FIELDS)


def _merge(claim: Claim, data: ClaimInput, loaded: ClaimInput | None, expected: int | None):
    """What to apply when the form was loaded at `expected`: everything when the claim has not
    changed since; else (three-way) only the fields this user changed, unless someone else
    changed one of them to another value meanwhile (a true conflict, naming the fields)."""
    if expected is None or claim.version == expected:
        return data
    if loaded is None:
        check_version(claim, expected)
    current = {key: getattr(claim, key) for key in EDITABLE_FIELDS}
    merged, clashes = merging.three_way(current, vars(loaded), vars(data), EDITABLE_FIELDS)
    if clashes:
        names = ", ".join(key.replace("_", " ") for key in clashes)
        raise ConflictError(
            f"Claim #{claim.id} was changed by someone else while you were editing it, in the "
            f"same field(s) as you: {names}. Nothing was saved. Their changes are applied below "
            "and your input is kept in those fields: submit again to keep yours.",
            current_version=claim.version,
            fields=clashes,
        )
    return ClaimInput(**merged)


def update_claim(
    session: Session,
    actor: User,
    claim: Claim,
    data: ClaimInput,
    *,
    expected_version: int | None,
    loaded: ClaimInput | None = None,
    new_claimant_kind: str | None = None,
) -> dict[str, list[Any]]:
    """Edit the claim's own fields; returns the changes made (empty when nothing changed).

    `loaded` is the claim's fields as the user's form showed them: with it, an edit of a claim
    changed meanwhile applies only the fields this user changed (`_merge`). With
    `new_claimant_kind`, the reviewer confirms the claimant text as a new record of that kind,
    which the claim then links to."""
    _require(can.can_edit_claim(actor, claim), "You may not edit this claim.")
    data = _merge(claim, data, loaded, expected_version)
    if new_claimant_kind is not None:
        created = claimants.create_claimant(
            session,
            actor,
            claimants.ClaimantInput(name=data.claimant or "", kind=new_claimant_kind),
            claim=claim,
            field_names=NEW_CLAIMANT_FIELDS,
        )
        data = replace(data, claimant_id=created.id)
    fields = edit_fields(data)
    fields["claimant_id"] = claimants.current(session, fields["claimant_id"])
    before = {key: getattr(claim, key) for key in EDITABLE_FIELDS}
    article_text = claim.article.text if claim.article is not None else None
    columns, diff = edited_claim(before, fields, article_text)
    _set_columns(claim, columns)
    if not diff:
        return {}
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.CLAIM_EDITED,
        claim=claim,
        details=changes_details(diff),
    )
    return diff


def edit_fields(data: ClaimInput) -> dict[str, Any]:
    """An edit's fields, checked: every editable field (`short_text` and `claimant_id` None
    when not given; the caller resolves a merged claimant record)."""
    return {"short_text": None, "claimant_id": None, **_validate_claim_input(data)}


def edited_claim(
    before: dict[str, Any], fields: dict[str, Any], article_text: str | None
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The claim columns an edit to `fields` (`edit_fields`) sets on a claim whose editable
    fields were `before`, and their history diff: a changed quote is placed in the article's
    text (`article_text`; a quote needs one). Pure: `update_claim` applies it to a claim, the
    demo generator to its planned rows."""
    columns: dict[str, Any] = {}
    if fields["quote"] != before["quote"]:
        if fields["quote"] and article_text is not None:
            start, end = locate_quote(article_text, fields["quote"])
            fields["quote"] = article_text[start:end]
            columns.update(span_start=start, span_end=end)
        elif fields["quote"]:
            raise ValidationFailed("A quote needs the article it comes from.", field="quote")
        else:
            columns.update(span_start=None, span_end=None)
    diff = changes(before, fields)
    columns.update((key, fields[key]) for key in diff)
    return columns, diff


def assignment(
    old: tuple[int, str] | None, new: tuple[int, str], old_due: date | None, due: date | None
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The claim columns giving it to `new` (id, username) sets, with `due` when one is given,
    and their history diff; `old` is the current assignee. Pure: `assign` and `take` apply it
    to a claim, the demo generator to its planned rows."""
    columns: dict[str, Any] = {}
    diff: dict[str, list[Any]] = {}
    if old is None or old[0] != new[0]:
        diff["assignee"] = [old[1] if old else None, new[1]]
        columns["assignee_id"] = new[0]
    if due is not None and due != old_due:
        diff["due_date"] = [old_due.isoformat() if old_due else None, due.isoformat()]
        columns["due_date"] = due
    return columns, diff


def assign(
    session: Session,
    actor: User,
    claim: Claim,
    assignee: User,
    *,
    expected_version: int | None,
    due_date: date | None = None,
) -> None:
    check_version(claim, expected_version)
    _require(can.can_assign(actor, claim), "Only editors assign claims.")
    if not assignee.active:
        raise ValidationFailed(f"{assignee.display_name}'s account is inactive.", field="assignee")
    target = _transition(claim, Action.ASSIGN)
    old = session.get(User, claim.assignee_id) if claim.assignee_id else None
    columns, diff = assignment(
        (old.id, old.username) if old else None,
        (assignee.id, assignee.username),
        claim.due_date,
        due_date,
    )
    _set_columns(claim, columns)
    if claim.status != target:
        diff["status"] = _set_status(claim, target)
    if not diff:
        return
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.ASSIGNED,
        claim=claim,
        details=changes_details(diff),
    )


def take(session: Session, actor: User, claim: Claim, *, expected_version: int | None) -> None:
    """A reviewer picks up an unassigned claim themselves."""
    check_version(claim, expected_version)
    if claim.assignee_id is not None:
        raise RuleViolation("This claim is already assigned.")
    _require(can.can_take(actor, claim), "You may not take this claim.")
    target = _transition(claim, Action.TAKE)
    columns, diff = assignment(None, (actor.id, actor.username), claim.due_date, None)
    _set_columns(claim, columns)
    diff["status"] = _set_status(claim, target)
    _touch(claim, actor)
    record(
        session, actor=actor, action=HistoryAction.TAKEN, claim=claim, details=changes_details(diff)
    )


def add_comment(session: Session, actor: User, claim: Claim, body: str) -> Comment:
    _require(can.can_comment(actor, claim), "You may not comment.")
    comment = Comment(claim=claim, **comment_columns(actor.id, body))
    session.add(comment)
    _touch(claim, actor, bump=bumps_version(HistoryAction.COMMENTED))
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.COMMENTED,
        claim=claim,
        details=commented_details(comment.id, comment.body),
    )
    return comment


def comment_columns(actor_id: int, body: str) -> dict[str, Any]:
    """A new comment's columns but its claim, checked: what `add_comment` writes, and the demo
    generator's planned rows. Pure."""
    return {"author_id": actor_id, "body": clean_text(body, "body", required=True)}
