"""Plain-text plumbing: readable text out of HTML, paragraphs and sentences with exact spans.

Everything here returns character offsets into the text it was given, so a candidate can always
be highlighted in (and checked against) the article it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

# Words after which a full stop does not end a sentence (titles and common abbreviations).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof rep reps sen sens gov del gen lt col capt sgt st jr sr rev hon
    pres sec atty supt insp det cpl adm maj brig cmdr no nos vs etc inc corp co ltd dept
    univ jan feb mar apr jun jul aug sep sept oct nov dec est approx fig ave blvd mt ft""".split()
)
_BLOCK_TAGS = "p h1 h2 h3 h4 h5 h6 li blockquote pre figcaption td th dt dd".split()
_SKIP_TAGS = "script style noscript template nav header footer aside form svg button".split()
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[.!?]+[\"'”’)\]]*\s*$")
_LAST_WORD = re.compile(r"([\w.\-]+)\.$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, one paragraph per block, separated by blank lines.

    BeautifulSoup (html.parser) does the parsing: scripts, styles and page furniture (navigation,
    headers, footers, forms) are dropped; `<article>` or `<main>` is preferred when present."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_SKIP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for block in root.find_all(_BLOCK_TAGS):
        if block.find(_BLOCK_TAGS):  # a container; its inner blocks are taken on their own
            continue
        text = " ".join(block.get_text(" ").split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(root.get_text(" ").split())
        blocks = [text] if text else []
    return "\n\n".join(blocks)


def paragraph_spans(text: str) -> list[Span]:
    """Paragraphs are separated by blank lines; spans exclude the surrounding whitespace."""
    spans, start = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        span = strip_span(text, start, end)
        if span.end > span.start:
            spans.append(span)
        if brk:
            start = brk.end()
    return spans


def strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _is_abbreviation(text: str, stop: int) -> bool:
    """Does the full stop at `stop` close an abbreviation (U.S., Rep., D-N.Y.) or an initial?"""
    match = _LAST_WORD.search(text, max(0, stop - 20), stop + 1)
    if not match:
        return False
    word = match.group(1)
    last = word.rsplit("-", 1)[-1]
    return (
        "." in word  # U.S. / D-N.Y.
        or last.lower() in ABBREVIATIONS
        or (len(last) == 1 and last.isupper())  # an initial
    )


def sentence_spans(text: str, paragraph: Span) -> list[Span]:
    """Sentences of one paragraph; a closing quote after the full stop stays with its sentence."""
    spans, start = [], paragraph.start
    body = text[: paragraph.end]
    for match in _SENTENCE_END.finditer(body, paragraph.start):
        stop = match.start()
        bare_stop = match.group() == "."  # not "?", "..." or a stop inside quotes
        if bare_stop and _is_abbreviation(text, stop) and match.end() < paragraph.end:
            continue
        span = strip_span(text, start, match.end())
        if span.end > span.start:
            spans.append(span)
        start = match.end()
    rest = strip_span(text, start, paragraph.end)
    if rest.end > rest.start:
        spans.append(rest)
    return spans
