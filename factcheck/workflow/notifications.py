"""Notifications: who is told about which change, written in the change's own transaction.

`history.record()` hands every event it appends to `on_event`, the one hook: the rows are added
to the same session, so they commit with the change or roll back with it, and a change made in
bulk (the CSV import, the demo's fast path, which write no events through `record()`) tells
nobody. Nobody is told about their own action.

| event | told | kind |
|---|---|---|
| assigned (the assignee changed) | the new assignee | `assigned` |
| verdict drafted | every active editor and admin but the drafter | `awaiting_approval` |
| verdict returned | the drafter and the claim's assignee | `verdict_returned` |
| verdict approved | the drafter | `verdict_approved` |

A row owes an e-mail (`email_due_at`) when its user chose that kind on their account page and
has an address; `factcheck.mailing` sends it later, from the task queue. Plain Python: no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import (
    Claim,
    EmailPreference,
    HistoryEvent,
    Notification,
    User,
    Verdict,
    utcnow,
)
from factcheck.vocabulary import HistoryAction, NotificationKind

from .cleaning import clean_email
from .errors import NotFound, ValidationFailed
from .permissions import roles_that_may
from .states import Action

_QUOTED = 120  # characters of the claim's text quoted in a notification


def _quote(claim: Claim) -> str:
    text = " ".join(claim.text.split())
    return text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…"


def _text(kind: NotificationKind, actor: str, claim: Claim) -> str:
    what = {
        NotificationKind.ASSIGNED: f"{actor} assigned claim #{claim.id} to you",
        NotificationKind.AWAITING_APPROVAL: f"{actor} drafted a verdict on claim #{claim.id}; "
        "it awaits approval",
        NotificationKind.VERDICT_RETURNED: f"{actor} returned the verdict on claim #{claim.id}",
        NotificationKind.VERDICT_APPROVED: f"{actor} approved your verdict on claim #{claim.id}",
    }[kind]
    return f"{what}: “{_quote(claim)}”"[: limits.NOTIFICATION_TEXT]


def _drafter(session: Session, event: HistoryEvent) -> int | None:
    verdict_id = (event.details or {}).get("verdict_id")
    verdict = session.get(Verdict, verdict_id) if verdict_id is not None else None
    return verdict.drafted_by_id if verdict is not None else None


def _recipients(
    session: Session, event: HistoryEvent, claim: Claim
) -> tuple[NotificationKind, list[int | None]] | None:
    action = event.action
    if action == HistoryAction.ASSIGNED:
        if "assignee" not in (event.details or {}).get("changes", {}):
            return None  # only the due date changed
        return NotificationKind.ASSIGNED, [claim.assignee_id]
    if action == HistoryAction.VERDICT_DRAFTED:
        editors = session.scalars(
            select(User.id)
            .where(User.active, User.role.in_(roles_that_may(Action.APPROVE)))
            .order_by(User.id)
        )
        return NotificationKind.AWAITING_APPROVAL, list(editors)
    if action == HistoryAction.VERDICT_RETURNED:
        return NotificationKind.VERDICT_RETURNED, [_drafter(session, event), claim.assignee_id]
    if action == HistoryAction.VERDICT_APPROVED:
        return NotificationKind.VERDICT_APPROVED, [_drafter(session, event)]
    return None


def on_event(session: Session, event: HistoryEvent, claim: Claim | None, actor: User | None):
    """Add the notifications `event` (just recorded about `claim` by `actor`) calls for."""
    if claim is None or actor is None:
        return
    found = _recipients(session, event, claim)
    if found is None:
        return
    kind, listed = found
    user_ids = list(dict.fromkeys(uid for uid in listed if uid is not None and uid != actor.id))
    if not user_ids:
        return
    wanted = set(
        session.scalars(
            select(User.id)
            .join(EmailPreference, EmailPreference.user_id == User.id)
            .where(
                User.id.in_(user_ids),
                User.active,
                User.email.is_not(None),
                EmailPreference.kind == kind.value,
            )
        )
    )
    now = utcnow()
    text = _text(kind, actor.display_name, claim)
    session.add_all(
        Notification(
            user_id=user_id,
            kind=kind.value,
            claim_id=claim.id,
            actor_id=actor.id,
            text=text,
            created_at=now,
            email_due_at=now if user_id in wanted else None,
            email_attempts=0,
        )
        for user_id in user_ids
    )


def mark_read(session: Session, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (another's is "not found")."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, actor: User) -> int:
    """Mark all the actor's unread notifications read; how many there were."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def set_email_settings(
    session: Session, actor: User, *, email: str | None, kinds: Iterable[str]
) -> None:
    """The actor's own address and the kinds of notification they want by e-mail."""
    address = clean_email(email)
    try:
        chosen = {NotificationKind(kind).value for kind in kinds}
    except ValueError:
        raise ValidationFailed("Unknown kind of notification.", field="kinds") from None
    if chosen and address is None:
        raise ValidationFailed("E-mail needs an address.", field="email")
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("No such account.")
    user.email = address
    current = set(
        session.scalars(select(EmailPreference.kind).where(EmailPreference.user_id == user.id))
    )
    for kind in current - chosen:
        session.delete(session.get(EmailPreference, (user.id, kind)))
    session.add_all(
        EmailPreference(user_id=user.id, kind=kind) for kind in sorted(chosen - current)
    )
    session.flush()
