"""Claimant records: who made a claim, a person or an organisation.

The extractor's claimant is text, a suggestion: a claim made from it links to the record of
the same name (`name_key`) when there is one, and the reviewer confirms or chooses on the
claim's edit form, where a new record can be made. Editors edit records and merge two (the
claims move). Each change records history on the system chain; a claim whose claimant changes
records it on its own chain (`claims.update_claim`, `merge_claimants`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import Claim, Claimant, User, utcnow
from factcheck.vocabulary import CLAIMANT_ARTICLE, ClaimantKind, HistoryAction

from . import permissions as can
from .claim_base import _require, _touch
from .cleaning import refuse_control
from .errors import NotFound, RuleViolation, ValidationFailed, flush_unique
from .events import (
    changes_details,
    claimant_created_details,
    claimant_edited_details,
    claimants_merged_details,
)
from .history import changes, record
from .sources import check_web_url

# Records merged into records merged later are re-pointed, so this is never reached in practice.
_MAX_MERGE_HOPS = 20


def name_key(name: str | None) -> str:
    """A name as matched: accents, case, punctuation and spacing aside ("Dr. José  Pérez" and
    "dr jose perez" are one). Migration 0015 keeps a frozen copy of this."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())[: limits.CLAIMANT]


def is_claimant_name(text: str | None) -> bool:
    """Text that names someone: not empty, not the article's own statement."""
    key = name_key(text)
    return bool(key) and key != name_key(CLAIMANT_ARTICLE)


@dataclass
class ClaimantInput:
    name: str
    kind: str | None
    description: str | None = None
    same_as: list[str] = field(default_factory=list)


def _validated(data: ClaimantInput) -> dict[str, Any]:
    name = " ".join(refuse_control((data.name or "").strip(), "name").split())
    if not name:
        raise ValidationFailed("This field is required.", field="name")
    if len(name) > limits.CLAIMANT:
        raise ValidationFailed(f"At most {limits.CLAIMANT} characters.", field="name")
    if not is_claimant_name(name):
        raise ValidationFailed("Name the person or organisation.", field="name")
    try:
        kind = ClaimantKind(data.kind or "").value
    except ValueError:
        raise ValidationFailed("Choose a person or an organisation.", field="kind") from None
    description = refuse_control((data.description or "").strip(), "description") or None
    if description and len(description) > limits.CLAIMANT_DESCRIPTION:
        raise ValidationFailed(
            f"At most {limits.CLAIMANT_DESCRIPTION} characters.", field="description"
        )
    links: list[str] = []
    for raw in data.same_as:
        link = check_web_url(raw, "same_as", required=False)
        if link and link not in links:
            links.append(link)
    if len(links) > limits.CLAIMANT_LINKS:
        raise ValidationFailed(f"At most {limits.CLAIMANT_LINKS} addresses.", field="same_as")
    return {"name": name, "kind": kind, "description": description, "same_as": links}


def find_match(session: Session, name: str | None) -> Claimant | None:
    """The record a claimant text names (by `name_key`), never a merged one; the oldest first."""
    if not is_claimant_name(name):
        return None
    return session.scalars(
        select(Claimant)
        .where(Claimant.name_key == name_key(name), Claimant.merged_into_id.is_(None))
        .order_by(Claimant.id)
        .limit(1)
    ).first()


def get_claimant(session: Session, claimant_id: int) -> Claimant:
    claimant = session.get(Claimant, claimant_id)
    if claimant is None:
        raise NotFound(f"Claimant #{claimant_id} does not exist.")
    return claimant


def current(session: Session, claimant_id: int | None, field: str = "claimant_id") -> int | None:
    """The record a claim may link to for `claimant_id`: a merged record's survivor."""
    if claimant_id is None:
        return None
    claimant = session.get(Claimant, claimant_id)
    if claimant is None:
        raise ValidationFailed("Unknown claimant; choose one from the list.", field=field)
    for _ in range(_MAX_MERGE_HOPS):
        if claimant.merged_into_id is None:
            break
        claimant = session.get(Claimant, claimant.merged_into_id)
    return claimant.id


def create_claimant(
    session: Session,
    actor: User,
    data: ClaimantInput,
    *,
    claim: Claim | None = None,
    field_names: dict[str, str] | None = None,
) -> Claimant:
    """A new record (from a claim's edit form: `claim`, its errors at the fields `field_names`
    maps the record's to)."""
    _require(actor.active, "Your account is inactive.")
    try:
        fields = _validated(data)
        twin = find_match(session, fields["name"])
        if twin is not None:
            raise ValidationFailed(
                f"“{twin.name}” is a claimant already (#{twin.id}): choose it.", field="name"
            )
    except ValidationFailed as exc:
        names = field_names or {}
        raise ValidationFailed(exc.message, field=names.get(exc.field or "", exc.field)) from exc
    now = utcnow()
    claimant = Claimant(**fields, name_key=name_key(fields["name"]), created_at=now, updated_at=now)
    session.add(claimant)
    # A twin made by a concurrent request after the check above: the same refusal.
    twin_made = ValidationFailed(
        f"“{fields['name']}” was just made a claimant by someone else: choose it.",
        field=(field_names or {}).get("name", "name"),
    )
    flush_unique(session, twin_made, table="claimants", column="name_key")
    record(
        session,
        actor=actor,
        action=HistoryAction.CLAIMANT_CREATED,
        details=claimant_created_details(claimant.id, fields, claim.id if claim else None),
    )
    return claimant


def update_claimant(
    session: Session, actor: User, claimant: Claimant, data: ClaimantInput
) -> dict[str, list[Any]]:
    """An editor changes a record's name, kind, description or links; returns the changes."""
    _require(can.can_manage_claimants(actor), "Only editors change claimant records.")
    if claimant.merged_into_id is not None:
        raise RuleViolation("This claimant was merged into another; edit that one.")
    fields = _validated(data)
    twin = find_match(session, fields["name"])
    if twin is not None and twin.id != claimant.id:
        raise ValidationFailed(
            f"“{twin.name}” (#{twin.id}) has this name: merge the two instead.", field="name"
        )
    before = {key: getattr(claimant, key) for key in fields}
    diff = changes(before, fields)
    if not diff:
        return {}
    for key in diff:
        setattr(claimant, key, fields[key])
    claimant.name_key = name_key(claimant.name)
    claimant.updated_at = utcnow()
    record(
        session,
        actor=actor,
        action=HistoryAction.CLAIMANT_EDITED,
        details=claimant_edited_details(claimant.id, diff),
    )
    return diff


def merge_claimants(session: Session, actor: User, merged: Claimant, into_id: int) -> list[int]:
    """`merged` is the same as record `into_id`: its claims move there (each claim's history
    says so, and its version moves on, so a form open on it merges the change), and it points
    there. Returns the moved claims' ids."""
    _require(can.can_manage_claimants(actor), "Only editors merge claimants.")
    # Both records locked (in id order) and read again: two opposite merges at once queue, and
    # the second sees the first's (PostgreSQL; SQLite's write lock serialises them anyway).
    locked = {
        row.id: row
        for row in session.scalars(
            select(Claimant)
            .where(Claimant.id.in_({merged.id, into_id}))
            .order_by(Claimant.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    into = locked.get(into_id)
    if into is None:
        raise ValidationFailed("Choose the claimant to keep.", field="into")
    if merged.id == into.id:
        raise ValidationFailed("Choose another claimant to merge into.", field="into")
    if into.merged_into_id is not None or merged.merged_into_id is not None:
        raise ValidationFailed("That claimant was merged already; choose another.", field="into")
    moved = session.scalars(
        select(Claim).where(Claim.claimant_id == merged.id).order_by(Claim.id).with_for_update()
    ).all()
    for claim in moved:
        claim.claimant_id = into.id
        _touch(claim, actor)
        record(
            session,
            actor=actor,
            action=HistoryAction.CLAIM_EDITED,
            claim=claim,
            details=changes_details({"claimant_id": [merged.id, into.id]}),
        )
    for earlier in session.scalars(select(Claimant).where(Claimant.merged_into_id == merged.id)):
        earlier.merged_into_id = into.id
    merged.merged_into_id = into.id
    merged.updated_at = into.updated_at = utcnow()
    ids = [claim.id for claim in moved]
    record(
        session,
        actor=actor,
        action=HistoryAction.CLAIMANTS_MERGED,
        details=claimants_merged_details(merged.id, into.id, merged.name, ids),
    )
    return ids
