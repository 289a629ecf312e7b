"""The CSV columns of the exports, in order; the import reads the claims export's columns.

The order is part of the contract (documented in the README): add new columns at the end. A leaf
module, used by the queries that write the files and the workflow that reads them back.
"""

from __future__ import annotations

CLAIM_COLUMNS = (
    "id",
    "external_key",
    "article_title",
    "article_url",
    "text",
    "quote",
    "claimant",
    "claim_type",
    "status",
    "assignee",
    "priority",
    "due_date",
    "rating",
    "verdict_summary",
    "approver",
    "published_at",
    "source_count",
    "source_urls",
    "created_at",
    "last_activity_at",
    "span_start",
    "span_end",
    "short_text",
    "claimant_record",
    "claimant_kind",
)

SOURCE_COLUMNS = (
    "id",
    "claim_id",
    "claim_external_key",
    "url",
    "title",
    "publisher",
    "kind",
    "stance",
    "reliability",
    "published_on",
    "accessed_on",
    "archive_url",
    "excerpt",
    "added_by",
    "added_at",
)

HISTORY_COLUMNS = (
    "id",
    "created_at",
    "claim_id",
    "article_id",
    "actor",
    "action",
    "claim_version",
    "details",
    "chain",
    "seq",
    "prev_hash",
    "hash",
)

EXPORTS = {"claims": CLAIM_COLUMNS, "sources": SOURCE_COLUMNS, "history": HISTORY_COLUMNS}
