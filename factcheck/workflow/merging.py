"""Three-way merge of a form saved after someone else changed the same record.

A form carries the values it showed (`loaded`). On save, if the record moved on meanwhile, only
the fields this user changed are applied; a field both changed to different values is a true
conflict, reported by name. Claims and sources both merge this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any


def comparable(value: Any) -> Any:
    """A field's value as compared between what was loaded, sent and stored: browsers send a
    textarea's line ends as CRLF, surrounding blanks are not a change, and a date loaded from
    JSON is its ISO form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip() or None
    return value


def changed_fields(
    sent: Mapping[str, Any], loaded: Mapping[str, Any], fields: Iterable[str]
) -> set[str]:
    """The fields a user changed: what they sent differs from what they loaded."""
    return {key for key in fields if comparable(sent[key]) != comparable(loaded.get(key))}


def three_way(
    current: Mapping[str, Any],
    loaded: Mapping[str, Any],
    sent: Mapping[str, Any],
    fields: Iterable[str],
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """(the values to save, the clashing fields): this user's changes on top of the current
    values; a clash is a field both changed, to different values."""
    fields = tuple(fields)
    mine = changed_fields(sent, loaded, fields)
    clashes = tuple(
        key
        for key in fields
        if key in mine
        and comparable(current[key]) != comparable(loaded.get(key))
        and comparable(current[key]) != comparable(sent[key])
    )
    merged = {key: (sent[key] if key in mine else current[key]) for key in fields}
    return merged, clashes
