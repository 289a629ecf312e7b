"""The unit of work that e-mails notifications (run by the task queue, never in a request).

The notification rows are the outbox (`models.notification`): a row owes an e-mail while its
`email_due_at` is set and past. `send_due` claims the due rows in one short transaction (moving
`email_due_at` a lease ahead, so a second worker or the next sweep leaves them alone), sends
them over one SMTP connection outside any transaction, and marks each one sent. A row whose
user has since turned that kind off, lost their address or been deactivated is dropped; one
that failed is tried again after the lease, `max_attempts` times in all.

SMTP comes from the settings (`MailSettings.from_config`); with no host or no sender
configured nothing is sent and the rows simply stay in the app. No Flask here.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from factcheck.models import EmailPreference, Notification, User, utcnow
from factcheck.vocabulary import NotificationKind

log = logging.getLogger("factcheck.mailing")

TLS_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
SUBJECTS = {
    NotificationKind.ASSIGNED.value: "A claim was assigned to you",
    NotificationKind.AWAITING_APPROVAL.value: "A verdict awaits approval",
    NotificationKind.VERDICT_RETURNED.value: "A verdict was returned",
    NotificationKind.VERDICT_APPROVED.value: "Your verdict was approved",
}


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 25
    sender: str | None = None
    tls: str = "none"  # "none", "starttls" or "ssl" (SMTP over TLS from the start)
    username: str | None = None
    password: str | None = None
    base_url: str | None = None  # where the app is, for links in the e-mails
    timeout: float = 10.0
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    batch: int = 100
    clock: Callable[[], datetime] = field(default=utcnow)

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        tls = (config.get("MAIL_SMTP_TLS") or "none").lower()
        if tls not in TLS_MODES:
            raise ValueError(f"MAIL_SMTP_TLS must be one of {', '.join(TLS_MODES)}")
        return cls(
            host=config.get("MAIL_SMTP_HOST") or None,
            port=int(config.get("MAIL_SMTP_PORT") or DEFAULT_PORTS[tls]),
            sender=config.get("MAIL_FROM") or None,
            tls=tls,
            username=config.get("MAIL_SMTP_USER") or None,
            password=config.get("MAIL_SMTP_PASSWORD") or None,
            base_url=(config.get("MAIL_BASE_URL") or "").rstrip("/") or None,
            timeout=float(config.get("MAIL_SMTP_TIMEOUT") or 10.0),
        )


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    message: EmailMessage


def _message(settings: MailSettings, row: Notification, user: User) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = user.email
    message["Subject"] = f"[factcheck] {SUBJECTS[row.kind]}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    lines = [f"Hello {user.display_name},", "", row.text]
    if settings.base_url:
        if row.claim_id is not None:
            lines += ["", f"Claim: {settings.base_url}/claims/{row.claim_id}"]
        lines += [
            "",
            f"All your notifications: {settings.base_url}/notifications",
            f"Choose what you get by e-mail: {settings.base_url}/account/notifications",
        ]
    message.set_content("\n".join(lines) + "\n")
    return message


def claim_due(session: Session, settings: MailSettings) -> list[Outgoing]:
    """Claim up to `settings.batch` due rows (in the caller's transaction): the messages to send."""
    now = settings.clock()
    rows = session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(Notification.email_due_at <= now)
        .order_by(Notification.id)
        .limit(settings.batch)
        .with_for_update(of=Notification, skip_locked=True)
    ).all()
    if not rows:
        return []
    wanted = {
        (user_id, kind)
        for user_id, kind in session.execute(
            select(EmailPreference.user_id, EmailPreference.kind).where(
                EmailPreference.user_id.in_({user.id for _row, user in rows})
            )
        )
    }
    outgoing = []
    for row, user in rows:
        if (
            not user.active
            or not user.email
            or (user.id, row.kind) not in wanted
            or row.email_attempts >= settings.max_attempts
        ):
            row.email_due_at = None  # no longer owed, or given up on
            continue
        row.email_attempts += 1
        row.email_due_at = now + settings.lease
        outgoing.append(Outgoing(row.id, _message(settings, row, user)))
    return outgoing


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout,
            context=ssl.create_default_context(),
        )  # fmt: skip
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def send_due(sessions: sessionmaker[Session], settings: MailSettings) -> int:
    """Send the e-mails owed now; how many were sent. Nothing when SMTP is not configured."""
    if not settings.configured:
        return 0
    with sessions() as session, session.begin():
        outgoing = claim_due(session, settings)
    if not outgoing:
        return 0
    sent: list[int] = []
    try:
        with _connect(settings) as smtp:
            for item in outgoing:
                try:
                    smtp.send_message(item.message)
                except smtplib.SMTPRecipientsRefused:
                    log.warning("notification %s: recipient refused", item.notification_id)
                    continue
                sent.append(item.notification_id)
    except (OSError, smtplib.SMTPException):
        # The rest stay claimed until the lease ends; the sweep tries them again then.
        log.exception(
            "sending notification e-mails failed after %d of %d", len(sent), len(outgoing)
        )
    if sent:
        with sessions() as session, session.begin():
            session.execute(
                update(Notification)
                .where(Notification.id.in_(sent))
                .values(emailed_at=settings.clock(), email_due_at=None)
                .execution_options(synchronize_session=False)
            )
    return len(sent)
