"""Split an article's text into paragraphs of segments, marking which claims cover each segment.
Templates render the segments (escaped) and wrap covered ones in <mark>; overlapping spans work."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Segment:
    text: str
    items: list[Any] = field(default_factory=list)  # the claims (or candidates) covering it


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by blank lines."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def segment(text: str, marks: list[tuple[int, int, Any]]) -> list[list[Segment]]:
    """Paragraphs as segment lists; `marks` are (start, end, item) spans into `text`."""
    result = []
    for p_start, p_end in paragraphs(text):
        inside = [
            (max(s, p_start), min(e, p_end), item)
            for s, e, item in marks
            if s < p_end and e > p_start
        ]
        cuts = sorted({p_start, p_end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
        segs = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [item for s, e, item in inside if s <= a and e >= b]
            segs.append(Segment(text[a:b], covering))
        result.append(segs)
    return result


def paragraph_around(text: str, start: int, end: int) -> list[Segment]:
    """The paragraph holding [start, end), with that span marked."""
    for p_start, p_end in paragraphs(text):
        if p_start <= start < p_end:
            end = min(end, p_end)
            return [
                Segment(text[p_start:start]),
                Segment(text[start:end], [True]),
                Segment(text[end:p_end]),
            ]
    return [Segment(text[start:end], [True])]
