"""Signed webhooks: the endpoints admins register, the outbox written with each change, and
the bookkeeping of each delivery attempt.

`announce()` is called by `history.record()` for every event, inside the transaction of the
change: for the actions a webhook can carry (`EVENT_OF`) it writes one `WebhookDelivery` per
active endpoint subscribed, with the JSON body as it will be sent. The rows commit or roll back
with the change; their ids wait in `session.info[PENDING_KEY]` until the commit, when the task
queue is handed them (`factcheck.jobs`). The sending itself is `factcheck.webhook_runs`; here
are the steps it takes in its short transactions (`take_delivery`, `finish_delivery`) and the
sweep that finds deliveries whose queue message was lost (`lost_deliveries`).

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
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
from factcheck.vocabulary import DeliveryStatus, HistoryAction, Role, WebhookEvent

from .cleaning import refuse_control
from .errors import NotFound, PermissionDenied, ValidationFailed

PENDING_KEY = "factcheck_webhook_deliveries"  # session.info: ids to queue after the commit
SECRET_PREFIX = "whsec_"  # noqa: S105 - marks our signing secrets, not a secret
SUBSCRIBABLE = tuple(e for e in WebhookEvent if e is not WebhookEvent.TEST)
# A pending delivery whose time came this long ago, and that no worker took, lost its queue
# message (or its worker): the periodic sweep sends it out again.
SWEEP_GRACE = timedelta(seconds=60)
# A queued attempt may start this much before its time (the queue's clock and ours differ).
EARLY = timedelta(seconds=2)

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


def _require_admin(actor: User | None) -> None:
    if actor is not None and actor.role != Role.ADMIN:
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
    endpoint.url, endpoint.description, endpoint.events = _clean(
        url, description, events, checked, resolver
    )
    endpoint.active = active
    session.flush()
    return endpoint


def rotate_secret(
    session: Session, actor: User | None, endpoint_id: int
) -> tuple[WebhookEndpoint, str]:
    """A new secret for the endpoint (the old one stops at once); returned to be shown once."""
    _require_admin(actor)
    endpoint = _endpoint(session, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = utcnow()
    session.flush()
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
    endpoints = [
        e
        for e in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)))
        if kind.value in e.event_list
    ]
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


# -- delivery bookkeeping (the steps of `webhook_runs.deliver`) --------------------------------


@dataclass(frozen=True)
class Attempt:
    delivery_id: int
    number: int  # 1 for the first attempt
    url: str
    secret: str
    event: str
    event_id: str
    body: bytes


def take_delivery(
    session: Session, delivery_id: int, now: datetime, lease: timedelta
) -> Attempt | None:
    """Start an attempt when the delivery is pending and due, leasing it (a compare-and-set, so
    two workers never send the same attempt); None when there is nothing to do. A delivery to
    an endpoint since deactivated or deleted is marked failed instead."""
    taken = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= now + EARLY,
        )
        .values(
            attempts=WebhookDelivery.attempts + 1,
            next_attempt_at=now + lease,
            last_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    endpoint = delivery.endpoint
    if not endpoint.active and delivery.event != WebhookEvent.TEST:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.error = "The endpoint was deactivated before this event was sent."
        return None
    return Attempt(
        delivery_id=delivery.id,
        number=delivery.attempts,
        url=endpoint.url,
        secret=endpoint.secret,
        event=delivery.event,
        event_id=delivery.event_id,
        body=delivery.body.encode(),
    )


def finish_delivery(
    session: Session,
    attempt: Attempt,
    now: datetime,
    *,
    response_code: int | None,
    error: str | None,
    retry: bool,
    max_attempts: int,
    backoff: timedelta,
) -> tuple[str, timedelta | None]:
    """Record how the attempt went: delivered (no error), pending again after an exponential
    backoff (`backoff * 2**(attempts-1)`), or failed once `max_attempts` are used or when
    `retry` is false. Returns the status and the delay before the next attempt, if any."""
    delivery = session.get(WebhookDelivery, attempt.delivery_id)
    if delivery is None or delivery.attempts != attempt.number:
        return "skipped", None  # gone, or taken up again by the sweep meanwhile
    delivery.response_code = response_code
    delivery.error = error[: limits.WEBHOOK_ERROR] if error else None
    if error is None:
        delivery.status = DeliveryStatus.DELIVERED.value
        delivery.delivered_at = now
        return delivery.status, None
    if not retry or delivery.attempts >= max_attempts:
        delivery.status = DeliveryStatus.FAILED.value
        return delivery.status, None
    delay = backoff * 2 ** (delivery.attempts - 1)
    delivery.next_attempt_at = now + delay
    return delivery.status, delay


def lost_deliveries(session: Session, now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries overdue by more than SWEEP_GRACE: their queue message, or the worker
    that held them, was lost."""
    return list(
        session.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING.value,
                WebhookDelivery.next_attempt_at <= now - SWEEP_GRACE,
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
    )
