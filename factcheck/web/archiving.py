"""Queueing a new source's snapshot at the archive service (see `jobs.archive_source`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factcheck import jobs
from factcheck.vocabulary import ArchiveStatus


def archiving_on(config: Mapping[str, Any]) -> bool:
    """Whether an archive service is configured (ARCHIVE_SERVICE_URL; empty turns it off)."""
    return bool(config.get("ARCHIVE_SERVICE_URL"))


def queue_archive(source) -> None:
    """After the commit: ask for the snapshot in the background, never in the request."""
    if source.archive_status == ArchiveStatus.PENDING:
        jobs.archive_source(source.id)
