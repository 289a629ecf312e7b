"""A source's snapshot at the archive service: what the archiving job records.

The job runs after the source was added, in its own short transactions, and records only the
snapshot's address and how the asking went. It bumps neither the source's nor the claim's
version: a reviewer's open form stays valid, and the archive never blocks a review. An archive
address typed by hand is kept (the job only fills an empty one).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import Source
from factcheck.vocabulary import ArchiveStatus


def wants_snapshot(archive_url: str | None) -> str | None:
    """The status a new source starts with when the archive service is on: pending unless an
    archive address was given."""
    return None if archive_url else ArchiveStatus.PENDING.value


def pending_url(session: Session, source_id: int) -> str | None:
    """The address to archive, or None when the source is gone or no longer waiting."""
    return session.scalar(
        select(Source.url).where(
            Source.id == source_id, Source.archive_status == ArchiveStatus.PENDING.value
        )
    )


def _set(session: Session, source_id: int, **values) -> None:
    # A plain UPDATE: no version check, no version bump (see the module's docstring).
    session.execute(update(Source).where(Source.id == source_id).values(**values))


def record_snapshot(session: Session, source_id: int, address: str, now: datetime) -> None:
    if len(address) > limits.URL:
        record_failure(session, source_id, "The archive's address is too long.", now, final=True)
        return
    _set(
        session,
        source_id,
        archive_url=func.coalesce(Source.archive_url, address),
        archive_status=ArchiveStatus.ARCHIVED.value,
        archive_error=None,
        archive_checked_at=now,
    )


def record_failure(
    session: Session, source_id: int, message: str, now: datetime, *, final: bool
) -> None:
    """A try that failed: the message is shown on the claim page; while tries are left the
    source stays pending (the page says it will be tried again)."""
    _set(
        session,
        source_id,
        archive_status=(ArchiveStatus.FAILED if final else ArchiveStatus.PENDING).value,
        archive_error=message[: limits.ARCHIVE_ERROR],
        archive_checked_at=now,
    )
