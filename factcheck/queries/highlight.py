"""Split an article's text into paragraphs of segments, marking which claims cover each segment.
Templates render the segments (escaped) and wrap covered ones in <mark>; overlapping spans work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.extraction.text import paragraph_spans, sentence_spans


@dataclass
class Segment:
    text: str
    items: list[Any] = field(default_factory=list)  # the claims covering it
    suggested: list[Any] = field(default_factory=list)  # the extractor's suggestions covering it


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the extractor's paragraphs, so highlights and
    suggestions agree on where a paragraph is."""
    return [(span.start, span.end) for span in paragraph_spans(text)]


def sentence_offsets(text: str) -> list[list[int]]:
    """For each paragraph (as `paragraphs` cuts them), where its sentences (the extractor's)
    start and end, as offsets from the paragraph's start in UTF-16 code units, the units a
    browser's DOM counts: [start, end, start, end, ...]. The article page's keyboard passage
    picker offers these sentences."""
    result = []
    for paragraph in paragraph_spans(text):
        offsets, position, units = [], paragraph.start, 0
        for sentence in sentence_spans(text, paragraph):
            for edge in (sentence.start, sentence.end):
                units += _utf16_units(text, position, edge)
                offsets.append(units)
                position = edge
        result.append(offsets)
    return result


def _utf16_units(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return len(piece) if piece.isascii() else len(piece.encode("utf-16-le", "surrogatepass")) // 2


def segment(
    text: str,
    marks: Sequence[tuple[int, int, Any]],
    suggested: Sequence[tuple[int, int, Any]] = (),
) -> list[list[Segment]]:
    """Paragraphs as segment lists; `marks` (claims) and `suggested` (suggestions) are
    (start, end, item) spans into `text`. One sweep over the paragraphs and the spans sorted by
    start: each span is looked at in the paragraphs it covers only."""
    spans = [(s, e, i, item, False) for i, (s, e, item) in enumerate(marks)]
    spans += [(s, e, len(spans) + i, item, True) for i, (s, e, item) in enumerate(suggested)]
    spans.sort(key=lambda span: span[0])
    result, waiting, open_spans = [], 0, []
    for p_start, p_end in paragraphs(text):
        while waiting < len(spans) and spans[waiting][0] < p_end:
            open_spans.append(spans[waiting])
            waiting += 1
        open_spans = [span for span in open_spans if span[1] > p_start]
        inside = [
            (max(s, p_start), min(e, p_end), order, item, is_suggestion)
            for s, e, order, item, is_suggestion in open_spans
        ]
        result.append(_segments(text, p_start, p_end, inside))
    return result


def _segments(text: str, p_start: int, p_end: int, inside: list) -> list[Segment]:
    """The paragraph cut wherever a span starts or ends; each piece lists the spans covering it
    (in the order they were given)."""
    if not inside:
        return [Segment(text[p_start:p_end])]
    events: dict[int, list] = {}
    for span in inside:
        events.setdefault(span[0], []).append(span)
        events.setdefault(span[1], [])
    cuts = sorted({p_start, p_end, *events})
    ends: dict[int, list] = {}
    for span in inside:
        ends.setdefault(span[1], []).append(span)
    active: dict[int, tuple] = {}
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for span in ends.get(a, ()):
            active.pop(span[2], None)
        for span in events.get(a, ()):
            if span[1] > span[0]:  # an empty span cuts but covers nothing
                active[span[2]] = span
        covering = [active[order] for order in sorted(active)]
        segments.append(
            Segment(
                text[a:b],
                [span[3] for span in covering if not span[4]],
                [span[3] for span in covering if span[4]],
            )
        )
    return segments


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
