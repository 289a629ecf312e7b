"""The hashed form of history events: details as plain JSON values (`jsonable`, `changes`),
their canonical JSON, each event's canonical content (`canonical_event`) and the linking of new
events onto a chain (`chain_links`). Pure: no session, no database. `history` re-exports it;
the services (through `history.link`), the CSV import and the demo generator's bulk writer all
hash and link events here, so the hash format is defined once."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any

_PLAIN = frozenset({str, int, float, bool})


def jsonable(value: Any) -> Any:
    """Dates, enums and nested containers as plain JSON values, so hashes are stable."""
    if value is None or value.__class__ in _PLAIN:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {
            str(k): v if v is None or v.__class__ in _PLAIN else jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        key: [jsonable(before.get(key)), jsonable(after[key])]
        for key in after
        if jsonable(before.get(key)) != jsonable(after[key])
    }


# The canonical JSON of hashed content: keys sorted, compact, not ASCII-escaped.
_canonical_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
if _c_make_encoder is not None:
    # The C encoder `JSONEncoder.encode` would build on every call, built once.
    _c_encode = _c_make_encoder(
        {}, _canonical_encoder.default, json.encoder.encode_basestring, None, ":", ",",
        True, False, True,
    )  # fmt: skip

    def canonical_json(value: Any) -> str:
        if isinstance(value, str):
            return json.encoder.encode_basestring(value)
        return "".join(_c_encode(value, 0))
else:  # pragma: no cover -- CPython always has it
    canonical_json = _canonical_encoder.encode


_encode_string = json.encoder.encode_basestring  # canonical_json of a str, in C


def canonical_event(
    chain: str,
    seq: int,
    claim_id: int | None,
    article_id: int | None,
    actor_id: int | None,
    action: str,
    claim_version: int | None,
    created_at: str,
    details_json: str,
    prev_hash: str | None,
) -> str:
    """The hashed content of an event: the canonical JSON (keys sorted, compact, not
    ASCII-escaped) of its columns, with `created_at` in ISO form and the details given as their
    canonical JSON. The one definition of the hash input: `event_hash` hashes it, and so does
    the demo generator's bulk writer. Built as text directly: the same as `canonical_json` of
    the dict for these columns (ids, version and seq are plain ints), faster."""
    return (
        f'{{"action":{_encode_string(action)},'
        f'"actor_id":{"null" if actor_id is None else actor_id},'
        f'"article_id":{"null" if article_id is None else article_id},'
        f'"chain":{_encode_string(chain)},'
        f'"claim_id":{"null" if claim_id is None else claim_id},'
        f'"claim_version":{"null" if claim_version is None else claim_version},'
        f'"created_at":{_encode_string(created_at)},'
        f'"details":{details_json},'
        f'"prev_hash":{"null" if prev_hash is None else _encode_string(prev_hash)},'
        f'"seq":{seq}}}'
    )


def hash_text(canonical: str) -> str:
    """The SHA-256 hex digest of a `canonical_event` text."""
    return hashlib.sha256(canonical.encode()).hexdigest()


def slot(name: str) -> str:
    """A value of an events.py builder's `details` that `json_template` makes a slot."""
    return f"@{name}@"


def json_template(details: dict[str, Any]) -> str:
    """The canonical JSON of an events.py builder's `details` as a `str.format` template: each
    value `slot(name)` ("@name@") becomes the slot {name}, to be filled with JSON already
    encoded. An import fills thousands of events this way (as fast as hand-built JSON) while
    their shape stays the builder's; the demo generator fills in the ids it draws late."""
    text = canonical_json(details).replace("{", "{{").replace("}", "}}")
    return re.sub(r'"@(\w+)@"', r"{\1}", text)


# A prepared event, as `chain_links` hashes it: (claim_id, article_id, actor_id, action,
# claim_version, created_at in ISO form, canonical details JSON).
EventRow = tuple[int | None, int | None, int | None, str, int | None, str, str]


def chain_links(
    chain: str, head: tuple[int, str | None] | None, rows: Iterable[EventRow]
) -> Iterator[tuple[int, str | None, str]]:
    """(seq, prev_hash, hash) of each of `rows`, new events appended in order to `chain` after
    its `head` (seq, hash; None: an empty chain). The one place events are linked: `link` (the
    services), the CSV import and the demo generator's bulk writer all call it."""
    seq, prev = head if head is not None else (0, None)
    for row in rows:
        seq += 1
        hash_ = hash_text(canonical_event(chain, seq, *row, prev))
        yield seq, prev, hash_
        prev = hash_
