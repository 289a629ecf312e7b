"""Each webhook delivery attempt's bookkeeping, the steps `factcheck.webhook_runs.deliver`
takes in its short transactions: take a due delivery (leased, counted), record how the attempt
went (delivered, retried after an exponential backoff, or failed), and find the deliveries whose
queue message or worker was lost (`lost_deliveries`, for the periodic sweep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import WebhookDelivery
from factcheck.vocabulary import DeliveryStatus, WebhookEvent

# A pending delivery whose time came this long ago, and that no worker took, lost its queue
# message (or its worker): the periodic sweep sends it out again.
SWEEP_GRACE = timedelta(seconds=60)
# A queued attempt may start this much before its time (the queue's clock and ours differ).
EARLY = timedelta(seconds=2)


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
