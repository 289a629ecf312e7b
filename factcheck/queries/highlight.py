"""Split an article's text into paragraphs of segments, marking which claims cover each segment.
Templates render the segments (escaped) and wrap covered ones in <mark>; overlapping spans work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.extraction.text import paragraph_spans


@dataclass
class Segment:
    text: str
    items: list[Any] = field(default_factory=list)  # the claims covering it
    suggested: list[Any] = field(default_factory=list)  # the extractor's suggestions covering it


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the extractor's paragraphs, so highlights and
    suggestions agree on where a paragraph is."""
    return [(span.start, span.end) for span in paragraph_spans(text)]


def segment(
    text: str,
    marks: Sequence[tuple[int, int, Any]],
    suggested: Sequence[tuple[int, int, Any]] = (),
) -> list[list[Segment]]:
    """Paragraphs as segment lists; `marks` (claims) and `suggested` (suggestions) are
    (start, end, item) spans into `text`."""
    spans = [(s, e, item, False) for s, e, item in marks]
    spans += [(s, e, item, True) for s, e, item in suggested]
    result = []
    for p_start, p_end in paragraphs(text):
        inside = [
            (max(s, p_start), min(e, p_end), item, is_suggestion)
            for s, e, item, is_suggestion in spans
            if s < p_end and e > p_start
        ]
        cuts = sorted({p_start, p_end, *(s for s, *_ in inside), *(e for _, e, *_ in inside)})
        segs = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [(item, sugg) for s, e, item, sugg in inside if s <= a and e >= b]
            segs.append(
                Segment(
                    text[a:b],
                    [item for item, sugg in covering if not sugg],
                    [item for item, sugg in covering if sugg],
                )
            )
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
