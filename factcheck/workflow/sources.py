"""Sources: evidence attached to a claim. Adding, editing or removing one is a change of the
claim (its version is bumped), so an editor's approval or a draft based on other evidence is a
conflict, never a silent publication of evidence nobody reviewed. Each source also carries its
own version, so two people editing the same source cannot overwrite each other."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import Claim, Source, User
from factcheck.vocabulary import HistoryAction

from . import merging
from . import permissions as can
from .archives import wants_snapshot
from .claim_base import _require, _touch, clean_text
from .errors import ConflictError, NotFound, ValidationFailed
from .events import source_added_details, source_edited_details, source_removed_details
from .history import changes, record
from .states import SourceKind, Stance


def check_web_url(value: str | None, field: str, *, required: bool) -> str | None:
    """Only absolute http(s) URLs: `javascript:` and friends never reach a link."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed("This field is required.", field=field)
        return None
    if len(value) > limits.URL:
        raise ValidationFailed(f"At most {limits.URL} characters.", field=field)
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationFailed("Enter a full http:// or https:// address.", field=field)
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValidationFailed("An address may not contain spaces.", field=field)
    return _case_folded(value)


def _case_folded(url: str) -> str:
    """The address with its scheme and host in lower case (they are case-insensitive), so
    `HTTPS://Example.org/a` and `https://example.org/a` are one address; the path keeps its
    case. A netloc with credentials is left as written."""
    parts = urlsplit(url)
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=netloc))


@dataclass
class SourceInput:
    url: str
    title: str
    stance: str
    kind: str = SourceKind.OTHER.value
    publisher: str | None = None
    published_on: date | None = None
    accessed_on: date | None = None
    archive_url: str | None = None
    excerpt: str | None = None
    reliability: int = 3


SOURCE_FIELDS = tuple(field.name for field in fields(SourceInput))


def _validate(data: SourceInput) -> dict[str, Any]:
    try:
        stance = Stance(data.stance).value
    except ValueError:
        raise ValidationFailed("Choose supports, refutes or context.", field="stance") from None
    try:
        kind = SourceKind(data.kind).value
    except ValueError:
        raise ValidationFailed("Unknown kind of source.", field="kind") from None
    low, high = limits.SCALE_MIN, limits.SCALE_MAX
    if not isinstance(data.reliability, int) or not low <= data.reliability <= high:
        raise ValidationFailed(
            f"Reliability must be between {low} and {high}.", field="reliability"
        )
    title = clean_text(data.title, "title", required=True)
    if len(title) > limits.TITLE:
        raise ValidationFailed(f"At most {limits.TITLE} characters.", field="title")
    publisher = clean_text(data.publisher, "publisher")
    if publisher and len(publisher) > limits.PUBLISHER:
        raise ValidationFailed(f"At most {limits.PUBLISHER} characters.", field="publisher")
    excerpt = clean_text(data.excerpt, "excerpt")
    if excerpt and len(excerpt) > limits.SOURCE_EXCERPT:
        raise ValidationFailed(f"At most {limits.SOURCE_EXCERPT} characters.", field="excerpt")
    if data.published_on and data.accessed_on and data.accessed_on < data.published_on:
        raise ValidationFailed("Accessed before it was published?", field="accessed_on")
    return {
        "url": check_web_url(data.url, "url", required=True),
        "title": title,
        "publisher": publisher,
        "kind": kind,
        "published_on": data.published_on,
        "accessed_on": data.accessed_on,
        "archive_url": check_web_url(data.archive_url, "archive_url", required=False),
        "excerpt": excerpt,
        "stance": stance,
        "reliability": data.reliability,
    }


def source_columns(fields: dict[str, Any], actor_id: int | None) -> dict[str, Any]:
    """A new source's columns but its claim, from its validated fields: what `add_source`
    writes and the demo generator plans."""
    return {**fields, "added_by_id": actor_id}


def add_source(
    session: Session, actor: User, claim: Claim, data: SourceInput, *, archive: bool = False
) -> Source:
    """Attach a source; one URL is one source of a claim (edit the one there instead). With
    `archive` (the archive service is on) a source without an archive address is marked for
    the archiving job, which the caller queues after the commit."""
    _require(can.can_edit_sources(actor, claim), "You may not add sources to this claim.")
    url = check_web_url(data.url, "url", required=True)
    twin = next((s for s in claim.sources if _case_folded(s.url) == url), None)
    if twin is not None:
        raise ValidationFailed(
            f"This address is already source #{twin.id} of this claim; edit that one instead.",
            field="url",
        )
    _touch(claim, actor)
    source = _insert_source(session, actor, claim, data)
    if archive:
        source.archive_status = wants_snapshot(source.archive_url)
    return source


def _insert_source(session: Session, actor: User | None, claim: Claim, data: SourceInput) -> Source:
    fields = _validate(data)
    source = Source(claim=claim, **source_columns(fields, actor.id if actor else None))
    session.add(source)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.SOURCE_ADDED,
        claim=claim,
        details=source_added_details(source.id, fields),
    )
    return source


def _get_source(claim: Claim, source_id: int) -> Source:
    source = next((s for s in claim.sources if s.id == source_id), None)
    if source is None:
        raise NotFound(f"Source #{source_id} is not attached to claim #{claim.id}.")
    return source


def update_source(
    session: Session,
    actor: User,
    claim: Claim,
    source_id: int,
    data: SourceInput,
    *,
    expected_version: int | None,
    loaded: SourceInput | None = None,
) -> dict[str, list[Any]]:
    """Edit a source as loaded at `expected_version`. `loaded` is the source as the user's form
    showed it: with it, a source changed meanwhile gets only the fields this user changed
    (three-way, `merging`), and a field both changed is a conflict naming it; without it, any
    change meanwhile is a conflict."""
    _require(can.can_edit_sources(actor, claim), "You may not edit this claim's sources.")
    source = _get_source(claim, source_id)
    if expected_version is not None and source.version != expected_version:
        data = _merge_source(source, data, loaded, expected_version)
    fields = _validate(data)
    diff = changes({key: getattr(source, key) for key in fields}, fields)
    if not diff:
        return {}
    for key in diff:
        setattr(source, key, fields[key])
    source.version = source.version + 1
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.SOURCE_EDITED,
        claim=claim,
        details=source_edited_details(source.id, diff),
    )
    return diff


def _merge_source(
    source: Source, data: SourceInput, loaded: SourceInput | None, expected_version: int
) -> SourceInput:
    """This user's changes on top of the source as it is now (see `update_source`)."""
    current = {key: getattr(source, key) for key in SOURCE_FIELDS}
    stale = f"Source #{source.id} was changed by someone else while you were editing it " \
        f"(your version {expected_version}, now {source.version}). Nothing was saved."  # fmt: skip
    if loaded is None:  # no three-way base: any change meanwhile is a conflict
        differing = merging.changed_fields(current, asdict(data), SOURCE_FIELDS)
        raise ConflictError(
            f"{stale} It now differs from your input in: "
            f"{', '.join(sorted(differing)) or 'nothing'}. Save again to apply yours.",
            current_version=source.version,
            fields=tuple(sorted(differing)),
        )
    merged, clashes = merging.three_way(current, asdict(loaded), asdict(data), SOURCE_FIELDS)
    if clashes:
        names = ", ".join(key.replace("_", " ") for key in clashes)
        raise ConflictError(
            f"{stale} You both changed: {names}. Their values are shown at those fields and "
            "your input is kept: save again to keep yours.",
            current_version=source.version,
            fields=clashes,
        )
    return SourceInput(**merged)


def remove_source(session: Session, actor: User, claim: Claim, source_id: int) -> None:
    """Delete the source; its full content stays in the history event."""
    _require(can.can_edit_sources(actor, claim), "You may not remove this claim's sources.")
    source = _get_source(claim, source_id)
    snapshot = {key: getattr(source, key) for key in asdict(SourceInput("", "", ""))}
    claim.sources.remove(source)
    _touch(claim, actor)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.SOURCE_REMOVED,
        claim=claim,
        details=source_removed_details(source_id, snapshot),
    )
