"""One claim's life, simulated: the same state changes, version bumps and history `details`
as the workflow services make (the details from the services' own builders in
`workflow.events`), planned as plain rows for the bulk writer. With `script` set, each action is
also noted, so the reference mode can replay it through the services (`demo.reference`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from factcheck.vocabulary import HistoryAction
from factcheck.workflow.claim_base import CREATED_FIELDS, EDITABLE_FIELDS, bumps_version, touched
from factcheck.workflow.claims import (
    ClaimInput,
    assignment,
    comment_columns,
    edit_fields,
    edited_claim,
    new_claim_columns,
)
from factcheck.workflow.events import (
    changes_details,
    claim_created_details,
    commented_details,
    marked_not_checkable_details,
    reopened_details,
    source_added_details,
    verdict_approved_details,
    verdict_drafted_details,
    verdict_returned_details,
)
from factcheck.workflow.history import NewEvent
from factcheck.workflow.review import (
    correction_columns,
    decided_verdict,
    drafted_verdict,
    publication,
    status_note_change,
    superseded_verdict,
    withdrawn_publication,
)
from factcheck.workflow.sources import source_columns
from factcheck.workflow.states import (
    Action,
    ClaimStatus,
    Rating,
    VerdictState,
    next_status,
)

from .vocabulary import ORIGIN

Refs = list[tuple[str, str, int]]  # (details key, kind of row, local index in the batch)


@dataclass
class _ArticleText:
    """What `new_claim_columns` reads of an article: its text (here a planned row's)."""

    text: str


@dataclass
class DemoSummary:
    users: int = 0  # accounts created (existing demo accounts are reused, see users_reused)
    users_reused: int = 0
    articles: int = 0
    claims: int = 0
    sources: int = 0
    comments: int = 0
    verdicts: int = 0
    corrections: int = 0
    events: int = 0  # history events, claim chains and system chain together
    seconds: float = 0.0


class Batch:
    """Rows planned for one batch of claims; foreign keys to rows of the same batch are local
    indexes until the database has assigned ids."""

    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.verdicts: list[dict[str, Any]] = []
        self.corrections: list[dict[str, Any]] = []
        self.article_events: list[NewEvent] = []  # `history.new_event`s
        # per claim: [(event dict, refs [(details key, kind, local index)])]
        self.claim_events: list[list[tuple[dict[str, Any], Refs]]] = []
        # per claim, with `ClaimSim.script`: [(action, time, actor id, arguments)]
        self.scripts: list[list[tuple[str, datetime, int | None, tuple[Any, ...]]]] = []
        # The same, prepared for writing (`_Formats.prepare`): the rows as columns, the events
        # as tuples with their details already JSON.
        self.counts: dict[str, int] = {}
        self.tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
        self.prepared_article_events: list[tuple[Any, ...]] = []
        self.prepared_claim_events: list[list[tuple[Any, ...]]] = []


@dataclass
class Person:
    id: int
    username: str
    role: str
    active: bool = True  # as `workflow.permissions` reads an account


@functools.cache
def next_status_value(status: str, action: Action) -> str | None:
    """`next_status` on status values, remembered (claims take about half a million steps)."""
    new = next_status(ClaimStatus(status), action)
    return None if new is None else new.value


def _source_json(fields: dict[str, Any]) -> dict[str, Any]:
    """`jsonable(fields)` for a source's fields (only its dates need converting), faster."""
    out = dict(fields)
    out["published_on"] = fields["published_on"].isoformat()
    out["accessed_on"] = fields["accessed_on"].isoformat()
    return out


class ClaimSim:
    def __init__(
        self,
        batch: Batch,
        index: int,
        row: dict[str, Any],
        span: tuple[int, int] | None,
        article: dict[str, Any] | None,
        *,
        script: bool,
    ) -> None:
        self.batch = batch
        self.index = index  # local index of the claim in the batch
        self.row = row  # the claim's input until `created`, then its columns
        self.span = span  # the quote's place in the article's text
        self.article = article  # the planned article's row
        self.events: list[tuple[dict[str, Any], Refs]] = []
        self.assignee: Person | None = None
        self.pending: int | None = None  # local verdict index
        self.approved: int | None = None
        self.sources: list[dict[str, Any]] = []  # the claim's sources' fields
        self.script: list[tuple[str, datetime, int | None, tuple[Any, ...]]] | None = (
            [] if script else None
        )

    # -- bookkeeping ------------------------------------------------------------------------
    def _event(
        self,
        t: datetime,
        actor: Person | None,
        action: str,
        details: dict[str, Any],
        *,
        touch: bool = True,
        refs: Refs | None = None,
        args: tuple[Any, ...] = (),
    ) -> None:
        """Touch the claim as the service of `action` does (`touched`, `bumps_version`; a
        creation does not touch) and note the event (and, for the reference mode, the action
        with `args`)."""
        row = self.row
        if touch:
            actor_id = actor.id if actor else None
            row.update(touched(row["version"], t, actor_id, bump=bumps_version(action)))
        event = {
            "claim_id": self.index,
            "article_id": row["article_id"],
            "actor_id": actor.id if actor else None,
            "action": action,
            "claim_version": row["version"],
            "details": details,
            "created_at": t,
        }
        self.events.append((event, refs or []))
        if self.script is not None:
            self.script.append((action, t, actor.id if actor else None, args))

    def _set_status(self, action: Action) -> list[str]:
        """Apply `action` through the workflow's own transition table (the plan must follow it)."""
        old = self.row["status"]
        new = next_status_value(old, action)
        if new is None:
            raise AssertionError(f"demo plan: {action.value} is not allowed from {old}")
        self.row["status"] = new
        return [old, new]

    # -- actions: each the state change and event of the workflow service named --------------
    def created(self, t: datetime, actor: Person | None) -> None:  # claims.create_claim
        row = self.row
        validated = {key: row[key] for key in CREATED_FIELDS}
        article = None if self.article is None else _ArticleText(self.article["text"])
        _, columns = new_claim_columns(
            actor, None, article, self.span, ORIGIN, None, validated=validated
        )
        row.update(columns, created_at=t, updated_at=t, last_activity_at=t)
        # `jsonable` of these fields: all plain JSON values already but the due date.
        due_date = row["due_date"]
        fields = dict(validated, due_date=None if due_date is None else due_date.isoformat())
        details = claim_created_details(ORIGIN, fields)
        args = (validated, row["article_id"], self.span)
        self._event(t, actor, HistoryAction.CLAIM_CREATED, details, touch=False, args=args)

    def edited(self, t: datetime, actor: Person, priority: int) -> None:  # claims.update_claim
        row = self.row
        before = {key: row.get(key) for key in EDITABLE_FIELDS}
        data = ClaimInput(**{key: row[key] for key in CREATED_FIELDS if key != "priority"},
                          priority=priority)  # fmt: skip
        article_text = None if self.article is None else self.article["text"]
        columns, diff = edited_claim(before, edit_fields(data), article_text)
        row.update(columns)
        self._event(t, actor, HistoryAction.CLAIM_EDITED, changes_details(diff), args=(priority,))

    def assigned(self, t: datetime, actor: Person, assignee: Person, due: int | None) -> None:
        due_date = None if due is None else (t + timedelta(days=due)).date()
        diff = self._assign(assignee, due_date)
        if next_status_value(self.row["status"], Action.ASSIGN) != self.row["status"]:
            diff["status"] = self._set_status(Action.ASSIGN)  # as `assign`: only a real change
        self._event(
            t, actor, HistoryAction.ASSIGNED, changes_details(diff), args=(assignee.id, due_date)
        )

    def _assign(self, assignee: Person, due_date: Any) -> dict[str, Any]:
        """`claims.assignment` on the planned row."""
        old = self.assignee
        columns, diff = assignment(
            (old.id, old.username) if old else None,
            (assignee.id, assignee.username),
            self.row["due_date"],
            due_date,
        )
        self.row.update(columns)
        self.assignee = assignee
        return diff

    def taken(self, t: datetime, actor: Person) -> None:
        diff = self._assign(actor, None)
        diff["status"] = self._set_status(Action.TAKE)
        self._event(t, actor, HistoryAction.TAKEN, changes_details(diff))

    def source_added(self, t: datetime, actor: Person, fields: dict[str, Any]) -> None:
        batch = self.batch
        index = len(batch.sources)
        batch.sources.append(
            {**source_columns(fields, actor.id), "claim_id": self.index, "added_at": t}
        )
        self.sources.append(fields)
        self._event(
            t,
            actor,
            HistoryAction.SOURCE_ADDED,
            source_added_details(None, _source_json(fields)),
            refs=[("source_id", "sources", index)],
            args=(fields,),
        )

    def commented(self, t: datetime, actor: Person, body: str) -> None:  # claims.add_comment
        batch = self.batch
        index = len(batch.comments)
        columns = comment_columns(actor.id, body)
        batch.comments.append({**columns, "claim_id": self.index, "created_at": t})
        self._event(
            t,
            actor,
            HistoryAction.COMMENTED,
            commented_details(None, columns["body"]),
            refs=[("comment_id", "comments", index)],
            args=(body,),
        )

    def drafted(  # review.draft_verdict
        self, t: datetime, actor: Person, rating: Rating, summary: str, rationale: str
    ) -> None:
        batch = self.batch
        index = len(batch.verdicts)
        verdict = drafted_verdict(rating.value, summary, rationale, actor.id, t)
        batch.verdicts.append({"claim_id": self.index, **verdict})
        self.pending = index
        diff = {"status": self._set_status(Action.SUBMIT_VERDICT)}
        self._event(
            t,
            actor,
            HistoryAction.VERDICT_DRAFTED,
            verdict_drafted_details(diff, None, rating.value, verdict["summary"]),
            refs=[("verdict_id", "verdicts", index)],
            args=(rating.value, summary, rationale),
        )

    def approved_by(self, t: datetime, actor: Person) -> None:  # review.approve
        assert self.pending is not None
        verdicts = self.batch.verdicts
        verdict = verdicts[self.pending]
        refs = [("verdict_id", "verdicts", self.pending)]
        superseded = self.approved is not None
        if self.approved is not None:
            verdicts[self.approved].update(superseded_verdict())
            refs.append(("superseded_verdict_id", "verdicts", self.approved))
        verdict.update(decided_verdict(VerdictState.APPROVED, actor.id, t))
        row = self.row
        columns, published = publication(
            row["published_rating"], row["published_at"], row["revised_at"], verdict["rating"], t
        )
        diff = {"status": self._set_status(Action.APPROVE), **published}
        row.update(columns)
        self.approved, self.pending = self.pending, None
        details = verdict_approved_details(diff, None, superseded)
        self._event(t, actor, HistoryAction.VERDICT_APPROVED, details, refs=refs)

    def returned(self, t: datetime, actor: Person, reason: str) -> None:  # review.return_verdict
        assert self.pending is not None
        index, self.pending = self.pending, None
        self.batch.verdicts[index].update(
            decided_verdict(VerdictState.RETURNED, actor.id, t, reason)
        )
        diff = {"status": self._set_status(Action.RETURN)}
        self._event(
            t,
            actor,
            HistoryAction.VERDICT_RETURNED,
            verdict_returned_details(diff, None, reason),
            refs=[("verdict_id", "verdicts", index)],
            args=(reason,),
        )

    def reopened(self, t: datetime, actor: Person, note: str) -> None:  # review.reopen
        batch = self.batch
        index = len(batch.corrections)
        batch.corrections.append(
            {
                # the verdict id is a local index, resolved after the verdicts
                **correction_columns(
                    self.approved,
                    note,
                    self.row["text"],
                    (source.__getitem__ for source in self.sources),
                    actor.id,
                ),
                "claim_id": self.index,
                "created_at": t,
            }
        )
        columns, withdrawn = withdrawn_publication(self.row["published_rating"])
        diff = {"status": self._set_status(Action.REOPEN), **withdrawn}
        self.row.update(columns)
        self._event(
            t,
            actor,
            HistoryAction.REOPENED,
            reopened_details(diff, note, None),
            refs=[("correction_id", "corrections", index)],
            args=(note,),
        )

    def marked_not_checkable(self, t: datetime, actor: Person, reason: str) -> None:
        columns, noted = status_note_change(self.row["status_note"], reason)
        diff = {"status": self._set_status(Action.MARK_NOT_CHECKABLE), **noted}
        self.row.update(columns)
        details = marked_not_checkable_details(diff, reason)
        self._event(t, actor, HistoryAction.MARKED_NOT_CHECKABLE, details, args=(reason,))

    def restored(self, t: datetime, actor: Person) -> None:  # review.restore
        columns, noted = status_note_change(self.row["status_note"], None)
        diff = {"status": self._set_status(Action.RESTORE), **noted}
        self.row.update(columns)
        self._event(t, actor, HistoryAction.RESTORED, changes_details(diff))
