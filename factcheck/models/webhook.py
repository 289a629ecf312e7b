"""Webhooks: the endpoints admins register, and the outbox of deliveries to them.

A delivery row is written in the same transaction as the change it announces (so a change that
rolls back announces nothing, and one that commits is never lost); the task queue sends it and
records each attempt on the row, which is also the endpoint's delivery log. The body is kept as
sent, so every retry carries the same bytes (and the same event id); only the timestamp and the
signature are made again at each attempt."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import DeliveryStatus, WebhookEvent

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .user import User

DELIVERY_STATUSES = tuple(DeliveryStatus)
EVENT_TYPES = tuple(WebhookEvent)


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        length_check("url", limits.URL),
        length_check("description", limits.WEBHOOK_DESCRIPTION),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(limits.URL))
    description: Mapped[str | None] = mapped_column(String(limits.WEBHOOK_DESCRIPTION))
    # The subscribed event types (WebhookEvent values), comma-separated.
    events: Mapped[str] = mapped_column(String(200), default="")
    # The signing key. Kept as it is (an HMAC needs it), shown to the admin once when made or
    # rotated.
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User | None] = relationship()

    @property
    def event_list(self) -> list[str]:
        return [e for e in self.events.split(",") if e]

    def __repr__(self) -> str:
        return f"<WebhookEndpoint #{self.id} {self.url}>"


class WebhookDelivery(Base):
    """One event for one endpoint: the outbox row, then its delivery log entry."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        enum_check("status", DELIVERY_STATUSES),
        enum_check("event", EVENT_TYPES),
        length_check("error", limits.WEBHOOK_ERROR),
        # The sweep's search for pending rows whose time has come.
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        # An endpoint's log, newest first.
        Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    # A UUID, the same for every endpoint told of one change: receivers drop repeats by it.
    event_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)  # the JSON sent, byte for byte (UTF-8)
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the next attempt is due; while an attempt runs, the end of its lease.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(limits.WEBHOOK_ERROR))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    endpoint: Mapped[WebhookEndpoint] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == DeliveryStatus.PENDING
