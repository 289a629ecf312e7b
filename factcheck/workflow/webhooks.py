"""Signed webhooks: the endpoints admins register, the outbox written with each change, and
the bookkeeping of each delivery attempt.

`announce()` is called by `history.record()` for every event, inside the transaction of the
change: for the actions a webhook can carry (`EVENT_OF`) it writes one `WebhookDelivery` per
active endpoint subscribed, with the JSON body as it will be sent. The rows commit or roll back
with the change; their ids wait in `session.info[PENDING_KEY]` until the commit, when the task
queue is handed them (`factcheck.jobs`). The sending itself is `factcheck.webhook_runs`; here
are the steps it takes in its short transactions (`workflow/deliveries.py`).

Each request is signed: `HMAC-SHA256(secret, f"{timestamp}.{body}")` in hex (`signature`).
Addresses are checked as intake checks them (`intake.fetch.check_url`): loopback, private and
other non-public addresses are refused at registration and again at each delivery, unless the
host is in the WEBHOOK_ALLOWED_HOSTS setting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.intake.fetch import FetchError, Policy, Resolver, check_url, policy_from
from factcheck.models import (
    Article,
    Claim,
    HistoryEvent,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    utcnow,
)
from factcheck.vocabulary import DeliveryStatus, HistoryAction, WebhookEvent

from .cleaning import refuse_control
from .errors import NotFound, PermissionDenied, ValidationFailed
from .events import (
    webhook_changed_details,
    webhook_created_details,
    webhook_secret_rotated_details,
)
from .permissions import is_administrator

PENDING_KEY = "factcheck_webhook_deliveries"  # session.info: ids to queue after the commit
SECRET_PREFIX = "whsec_"  # noqa: S105 - marks our signing secrets, not a secret
SUBSCRIBABLE = tuple(e for e in WebhookEvent if e is not WebhookEvent.TEST)

EVENT_OF: dict[str, WebhookEvent] = {
    HistoryAction.ASSIGNED: WebhookEvent.CLAIM_ASSIGNED,
    HistoryAction.TAKEN: WebhookEvent.CLAIM_ASSIGNED,
    HistoryAction.VERDICT_RETURNED: WebhookEvent.CLAIM_RETURNED,
    HistoryAction.VERDICT_APPROVED: WebhookEvent.CLAIM_PUBLISHED,  # or corrected: `_event_type`
    HistoryAction.ARTICLE_ADDED: WebhookEvent.ARTICLE_ADDED,
}


# -- signing -----------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `f"{timestamp}.{body}"` under the endpoint's secret."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def policy(config: Mapping[str, Any]) -> Policy:
    """The address policy for deliveries, from the app's settings (`WEBHOOK_*`)."""
    return policy_from(
        {
            "FETCH_ALLOWED_HOSTS": config.get("WEBHOOK_ALLOWED_HOSTS") or "",
            "FETCH_TIMEOUT_SECONDS": config.get("WEBHOOK_TIMEOUT_SECONDS", 10.0),
        }
    )


# -- endpoints (admins) ------------------------------------------------------------------------


def _record(session: Session, actor: User | None, action: str, details: dict[str, Any]) -> None:
    """On the system history chain. (`history` imports this module for `announce`, so it is
    imported here when first used.)"""
    from .history import record

    record(session, actor=actor, action=action, details=details)


def _require_admin(actor: User | None) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied("Only admins manage webhooks.")


def _endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def _clean(
    url: str | None,
    description: str | None,
    events: Iterable[str],
    checked: Policy,
    resolver: Resolver | None,
) -> tuple[str, str | None, str]:
    url = refuse_control((url or "").strip(), "url") or ""
    if not url:
        raise ValidationFailed("This field is required.", field="url")
    if len(url) > limits.URL:
        raise ValidationFailed(f"At most {limits.URL} characters.", field="url")
    try:
        if resolver is None:
            check_url(url, checked)
        else:
            check_url(url, checked, resolver)
    except FetchError as exc:
        raise ValidationFailed(str(exc).replace("fetched", "called"), field="url") from None
    description = refuse_control((description or "").strip(), "description") or None
    if description and len(description) > limits.WEBHOOK_DESCRIPTION:
        raise ValidationFailed(
            f"At most {limits.WEBHOOK_DESCRIPTION} characters.", field="description"
        )
    chosen = set(events)
    unknown = chosen - set(SUBSCRIBABLE)
    if unknown:
        raise ValidationFailed("Unknown event.", field="events")
    if not chosen:
        raise ValidationFailed("Choose at least one event.", field="events")
    return url, description, ",".join(e.value for e in SUBSCRIBABLE if e in chosen)


def create_endpoint(
    session: Session,
    actor: User | None,
    *,
    url: str,
    description: str | None,
    events: Iterable[str],
    active: bool,
    checked: Policy,
    resolver: Resolver | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown to the admin once)."""
    _require_admin(actor)
    url, description, event_list = _clean(url, description, events, checked, resolver)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url,
        description=description,
        events=event_list,
        secret=secret,
        active=active,
        created_by_id=actor.id if actor is not None else None,
    )
    session.add(endpoint)
    session.flush()
    _record(
        session,
        actor,
        HistoryAction.WEBHOOK_CREATED,
        webhook_created_details(endpoint.id, url, event_list, active),
    )
    return endpoint, secret


def update_endpoint(
    session: Session,
    actor: User | None,
    endpoint_id: int,
    *,
    url: str,
    description: str | None,
    events: Iterable[str],
    active: bool,
    checked: Policy,
    resolver: Resolver | None = None,
) -> WebhookEndpoint:
    _require_admin(actor)
    endpoint = _endpoint(session, endpoint_id)
    fields = ("url", "description", "events", "active")
    before = {key: getattr(endpoint, key) for key in fields}
    cleaned = (*_clean(url, description, events, checked, resolver), active)
    after = dict(zip(fields, cleaned, strict=True))
    diff = {key: [before[key], after[key]] for key in fields if before[key] != after[key]}
    if diff:
        for key, value in after.items():
            setattr(endpoint, key, value)
        _record(
            session,
            actor,
            HistoryAction.WEBHOOK_CHANGED,
            webhook_changed_details(endpoint.id, diff),
        )
    return endpoint


def rotate_secret(
    session: Session, actor: User | None, endpoint_id: int
) -> tuple[WebhookEndpoint, str]:
    """A new secret for the endpoint (the old one stops at once); returned to be shown once."""
    _require_admin(actor)
    endpoint = _endpoint(session, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = utcnow()
    _record(
        session,
        actor,
        HistoryAction.WEBHOOK_SECRET_ROTATED,
        webhook_secret_rotated_details(endpoint.id, endpoint.url),
    )
    return endpoint, endpoint.secret


def send_test(session: Session, actor: User | None, endpoint_id: int) -> WebhookDelivery:
    """Queue a `test` event to the endpoint, whatever it subscribes to (active or not)."""
    _require_admin(actor)
    endpoint = _endpoint(session, endpoint_id)
    payload = {"message": "A test event from factcheck."}
    [delivery] = _write(session, [endpoint], WebhookEvent.TEST, actor, payload)
    return delivery


# -- the outbox --------------------------------------------------------------------------------


def _event_type(event: HistoryEvent) -> WebhookEvent | None:
    kind = EVENT_OF.get(event.action)
    if kind is WebhookEvent.CLAIM_PUBLISHED and "superseded_verdict_id" in (event.details or {}):
        return WebhookEvent.CLAIM_CORRECTED  # a corrected verdict replaces the published one
    return kind


def _claim_data(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "claimant": claim.claimant,
        "status": claim.status,
        "published_rating": claim.published_rating,
        "assignee": claim.assignee.username if claim.assignee is not None else None,
        "article_id": claim.article_id,
        "version": claim.version,
    }


def _article_data(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "url": article.url}


def announce(
    session: Session, event: HistoryEvent, claim: Claim | None, article: Article | None
) -> list[WebhookDelivery]:
    """The outbox rows for a history event just recorded, one per subscribed active endpoint
    (none for the actions no webhook carries)."""
    kind = _event_type(event)
    if kind is None:
        return []
    with session.no_autoflush:  # a read of our own table: leave others' pending rows be
        active = session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)))
        endpoints = [e for e in active if kind.value in e.event_list]
    if not endpoints:
        return []
    payload: dict[str, Any] = {"history_event_id": event.id, "details": event.details}
    if claim is not None:
        payload["claim"] = _claim_data(claim)
    if article is None and event.article_id is not None and claim is None:
        article = session.get(Article, event.article_id)
    if article is not None:
        payload["article"] = _article_data(article)
    actor = session.get(User, event.actor_id) if event.actor_id is not None else None
    return _write(session, endpoints, kind, actor, payload, at=event.created_at)


def _write(
    session: Session,
    endpoints: list[WebhookEndpoint],
    kind: WebhookEvent,
    actor: User | None,
    data: dict[str, Any],
    at: datetime | None = None,
) -> list[WebhookDelivery]:
    at = at or utcnow()
    event_id = str(uuid.uuid4())
    body = json.dumps(
        {
            "id": event_id,
            "type": kind.value,
            "created_at": at.isoformat(),
            "actor": actor.username if actor is not None else None,
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )
    rows = [
        WebhookDelivery(
            endpoint_id=endpoint.id,
            event=kind.value,
            event_id=event_id,
            body=body,
            status=DeliveryStatus.PENDING.value,
            attempts=0,
            next_attempt_at=at,
            created_at=at,
        )
        for endpoint in endpoints
    ]
    session.add_all(rows)
    session.flush()
    session.info.setdefault(PENDING_KEY, []).extend(row.id for row in rows)
    return rows


def queued_after_commit(session: Session) -> list[int]:
    """The deliveries the transaction just committed wrote (taken: asked once)."""
    return session.info.pop(PENDING_KEY, None) or []


def forget_queued(session: Session) -> None:
    """The transaction ended without a commit: its deliveries are gone, none is queued."""
    session.info.pop(PENDING_KEY, None)
