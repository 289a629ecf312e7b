"""The `details` of each history event, built in one place.

The services pass what they changed to these builders and record the result; the demo data
generator (`factcheck.demo`) calls the same builders for the events it writes in bulk, so an
event's shape is defined once. Pure functions: no session, no database. `diff` is
`{field: [old, new]}` as `history.changes` makes it; ids are None while the demo generator has
not drawn them yet.
"""

from __future__ import annotations

from typing import Any

Diff = dict[str, list[Any]]


def claim_created_details(
    origin: str, fields: dict[str, Any], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"origin": origin, "fields": fields, **(extra or {})}


def changes_details(diff: Diff) -> dict[str, Any]:
    """claim_edited, assigned, taken and restored: the changes alone."""
    return {"changes": diff}


def source_added_details(source_id: int | None, fields: dict[str, Any]) -> dict[str, Any]:
    return {"source_id": source_id, "fields": fields}


def commented_details(comment_id: int | None, body: str) -> dict[str, Any]:
    return {"comment_id": comment_id, "body": body}


def verdict_drafted_details(
    diff: Diff, verdict_id: int | None, rating: str, summary: str
) -> dict[str, Any]:
    return {"changes": diff, "verdict_id": verdict_id, "rating": rating, "summary": summary}


def verdict_approved_details(
    diff: Diff, verdict_id: int | None, superseded: bool, superseded_id: int | None = None
) -> dict[str, Any]:
    details: dict[str, Any] = {"changes": diff, "verdict_id": verdict_id}
    if superseded:
        details["superseded_verdict_id"] = superseded_id
    return details


def verdict_returned_details(diff: Diff, verdict_id: int | None, reason: str) -> dict[str, Any]:
    return {"changes": diff, "verdict_id": verdict_id, "reason": reason}


def reopened_details(diff: Diff, note: str, correction_id: int | None) -> dict[str, Any]:
    return {"changes": diff, "correction_note": note, "correction_id": correction_id}


def marked_not_checkable_details(diff: Diff, reason: str) -> dict[str, Any]:
    return {"changes": diff, "reason": reason}


def article_added_details(
    article_id: int | None, title: str | None, url: str | None, origin: str | None = None
) -> dict[str, Any]:
    return {"article_id": article_id, "title": title, "url": url} | (
        {"origin": origin} if origin else {}
    )


def user_created_details(user_id: int | None, username: str, role: str) -> dict[str, Any]:
    return {"user_id": user_id, "username": username, "role": role}


def extraction_extra(
    score: float, reasons: list[str], claim_type: str, claimant: str
) -> dict[str, Any]:
    """claim_created's extra details for a claim confirmed from the extractor's suggestion."""
    return {
        "extraction": {
            "score": score,
            "reasons": reasons,
            "suggested": {"claim_type": claim_type, "claimant": claimant},
        }
    }


def seed_extra(seed_key: str) -> dict[str, Any]:
    """claim_created's extra details for a claim of the seed file."""
    return {"seed_key": seed_key}


def import_extra(filename: str, line: int) -> dict[str, Any]:
    """claim_created's extra details for a claim imported from a CSV file."""
    return {"import": {"file": filename, "line": line}}


def source_edited_details(source_id: int | None, diff: Diff) -> dict[str, Any]:
    return {"source_id": source_id, "changes": diff}


def source_removed_details(source_id: int | None, fields: dict[str, Any]) -> dict[str, Any]:
    return {"source_id": source_id, "fields": fields}


def user_role_changed_details(user_id: int | None, old: str, new: str) -> dict[str, Any]:
    return {"user_id": user_id, "changes": {"role": [old, new]}}


def user_details(user_id: int | None, username: str) -> dict[str, Any]:
    """user_activated, user_deactivated, password_reset and password_changed."""
    return {"user_id": user_id, "username": username}


def api_token_created_details(token_id: int | None, name: str, scope: str) -> dict[str, Any]:
    return {"token_id": token_id, "name": name, "scope": scope}


def api_token_revoked_details(token_id: int | None, name: str) -> dict[str, Any]:
    return {"token_id": token_id, "name": name}


def webhook_created_details(
    endpoint_id: int | None, url: str, events: str, active: bool
) -> dict[str, Any]:
    return {"endpoint_id": endpoint_id, "url": url, "events": events, "active": active}


def webhook_changed_details(endpoint_id: int | None, diff: Diff) -> dict[str, Any]:
    return {"endpoint_id": endpoint_id, "changes": diff}


def webhook_secret_rotated_details(endpoint_id: int | None, url: str) -> dict[str, Any]:
    """The endpoint whose secret was replaced (never the secret itself)."""
    return {"endpoint_id": endpoint_id, "url": url}


def claims_linked_details(other_id: int, other_text: str) -> dict[str, Any]:
    """claims_linked and claims_unlinked, on each claim's chain: the other claim."""
    return {"other_claim_id": other_id, "other_text": other_text}


def claimant_created_details(
    claimant_id: int | None, fields: dict[str, Any], claim_id: int | None = None
) -> dict[str, Any]:
    """A claimant record made (from a claim's edit form, naming that claim)."""
    return {"claimant_id": claimant_id, "fields": fields} | (
        {"claim_id": claim_id} if claim_id is not None else {}
    )


def claimant_edited_details(claimant_id: int | None, diff: Diff) -> dict[str, Any]:
    return {"claimant_id": claimant_id, "changes": diff}


def claimants_merged_details(
    merged_id: int | None, into_id: int | None, name: str, claim_ids: list[int]
) -> dict[str, Any]:
    """One record merged into another (the system chain); each moved claim's own chain gets a
    claim_edited event with the change of `claimant_id`."""
    return {"merged_id": merged_id, "into_id": into_id, "name": name, "claim_ids": claim_ids}


def rating_added_details(slug: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"slug": slug, **fields}


def rating_changed_details(slug: str, changes: dict[str, list[Any]]) -> dict[str, Any]:
    return {"slug": slug, "changes": changes}


def rating_deleted_details(slug: str, label: str) -> dict[str, Any]:
    return {"slug": slug, "label": label}
