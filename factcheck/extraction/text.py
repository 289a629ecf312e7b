"""Plain-text plumbing: readable text out of HTML, paragraphs and sentences with exact spans.

Everything here returns character offsets into the text it was given, so a candidate can always
be highlighted in (and checked against) the article it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import lxml.html
from lxml import etree

from .budget import spend

# Words after which a full stop does not end a sentence (titles and common abbreviations).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof rep reps sen sens gov del gen lt col capt sgt st jr sr rev hon
    pres sec atty supt insp det cpl adm maj brig cmdr no nos vs etc inc corp co ltd dept
    univ jan feb mar apr jun jul aug sep sept oct nov dec est approx fig ave blvd mt ft""".split()
)
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre figcaption td th dt dd".split())
_SKIP_TAGS = "script style noscript template nav header footer aside form svg button".split()
# Every pattern here is linear in the text it scans: a run of repeated characters is entered only
# at its start (the look-behinds) and taken whole (possessive `++`, `*+`), never re-tried from
# each of its characters.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*+\n")
# (The stop character comes first, before the look-behind, so the engine can skip to stops.)
_SENTENCE_END = re.compile(
    r"[.!?](?<![.!?][.!?])[.!?]*+[\"'”’)\]]*+(?:(?=\s++[\"'“‘(\[]?[A-Z0-9])|\s*+$)"
)
# Credits and captions: "Photo: ...", "Image credit ...", "(Reuters)", "AP Photo/Name".
_CREDIT = re.compile(
    r"\(?(?:photo|photos|photograph|image|picture|pictures|credit|credits|caption|file\s++photo"
    r"|video|illustration|graphic|source)\b\s*+(?:credit\s*+)?[:/|©]",
    re.IGNORECASE,
)
_CREDIT_MARK = re.compile(r"[A-Z][A-Za-z]{1,20}/[A-Z]|©|\(Getty|\bGetty Images\b|\bvia Reuters\b")
_FURNITURE_MAX = 300  # characters: a longer block is prose
_LINE_END = frozenset('.!?”"’)]')
_CLAUSE_END = _LINE_END | {";"}
# The word before a full stop, read backwards (matched on the reversed 20 characters before it).
_WORD_RUN = re.compile(r"[\w.\-]++")
_FOLD_QUOTES = str.maketrans("“”‘’", "\"\"''")
_TITLE_MAX = 300  # an article title's length limit
# What `trimmed` takes off a statement's ends: connectives and punctuation before it,
# punctuation and quote marks after it.
_TRIM_LEFT = re.compile(r"(?:[\s,;:“”\"‘’]|(?:and|but|so|yet|while|with)\s)+", re.IGNORECASE)
TRIM_RIGHT = frozenset(' \t\n\r\f\v,;:.!?“”"‘’')


class Span(NamedTuple):
    """Character offsets into a text (a tuple: made for every statement, so made cheaply)."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(frozen=True)
class Page:
    """What an HTML page gives an article: its headline (if any) and its readable text."""

    title: str | None
    text: str


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, one paragraph per block, separated by blank lines."""
    return read_html(html).text


def read_html(html: str) -> Page:
    """The headline and readable text of an HTML page.

    lxml (libxml2) parses in linear time; scripts, styles and page furniture (navigation, headers,
    footers, forms) are dropped; `<article>` or `<main>` is preferred when present. The text is
    one paragraph per innermost block (`p`, `li`, `h2`...), found in one walk of the tree. The
    headline is the page's `og:title`, else its `<title>`, else its first `<h1>`; the first `<h1>`
    is the headline, not part of the text (it would otherwise be offered as a claim)."""
    spend(len(html))
    # lxml's plain parser: `lxml.html`'s makes a Python call per element to pick its class.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        document = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing but whitespace or comments
        return Page(None, "")
    headline = document.find(".//h1")
    title = _page_title(document, headline)
    for tag in [*document.iter(*_SKIP_TAGS), *([headline] if headline is not None else [])]:
        if tag.getparent() is not None:
            _drop_tree(tag)
    root = document.find(".//article")
    if root is None:
        root = document.find(".//main")
    if root is None:
        root = document.find("body")
    if root is None:
        root = document
    blocks = [text for text in map(_words, _innermost_blocks(root)) if text]
    if not blocks:
        text = _words(root)
        blocks = [text] if text else []
    return Page(title, "\n\n".join(blocks))


def _drop_tree(element) -> None:
    """Remove `element` and what it holds, keeping the text after it (`HtmlElement.drop_tree`)."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _innermost_blocks(root) -> list:
    """The block elements under `root` holding no other block, in document order. One walk:
    each block marks its ancestors as containers, stopping at the first one already marked."""
    blocks, containers = list(root.iter(*_BLOCK_TAGS)), set()
    spend(len(blocks))
    for block in blocks:
        parent = block.getparent()
        while parent is not None and parent not in containers:
            containers.add(parent)
            parent = parent.getparent()
    return [block for block in blocks if block not in containers]


def _words(element) -> str:
    if len(element) == 0:  # no children: its text is all `itertext` would give
        return " ".join((element.text or "").split())
    return " ".join(" ".join(element.itertext()).split())


def _page_title(document, headline) -> str | None:
    candidates = [
        *(meta.get("content") or "" for meta in document.iterfind(".//meta[@property='og:title']")),
        *("".join(title.itertext()) for title in document.iterfind("head/title")),
        _words(headline) if headline is not None else "",
    ]
    for candidate in candidates:
        title = " ".join(candidate.split())[:_TITLE_MAX].strip()
        if title:
            return title
    return None


def paragraph_spans(text: str) -> list[Span]:
    """Paragraphs are separated by blank lines, or by a single line break after a line that ends
    a sentence or has no punctuation at its end (a heading, a caption, a credit), unless the
    next line goes on in lower case (a line wrapped mid-sentence); spans exclude the surrounding
    whitespace."""
    spend(len(text))
    spans = []
    bounds = [0, *chain.from_iterable(brk.span() for brk in _PARAGRAPH_BREAK.finditer(text))]
    bounds.append(len(text))
    for start, end in zip(bounds[0::2], bounds[1::2], strict=True):  # blocks between breaks
        if text.find("\n", start, end) == -1:  # one line, one paragraph: most blocks
            if start < end and not (text[start].isspace() or text[end - 1].isspace()):
                spans.append(Span(start, end))  # nothing to strip
                continue
            lines = [Span(start, end)]
        else:
            lines = _unpunctuated_lines(text, start, end)
        for line in lines:
            span = strip_span(text, line.start, line.end)
            if span.end > span.start:
                spans.append(span)
    return spans


def _unpunctuated_lines(text: str, start: int, end: int) -> list[Span]:
    """`text[start:end]` cut after each line that ends a sentence or ends without punctuation
    (not after a comma, a colon...), when the next line does not start in lower case."""
    pieces, piece_start = [], start
    wrapped = _hard_wrapped(text, start, end)
    newline = text.find("\n", start, end)
    while newline != -1:
        before = text[max(piece_start, newline - 40) : newline].rstrip()
        after = text[newline + 1 : min(end, newline + 40)].lstrip()
        ends = before[-1:]
        # In a hard-wrapped block a line ending in a word is not a heading: "in\nKesh".
        # A clause of a list or a resolution ends in a semicolon: "...;\nWhereas ...".
        ends_block = ends in _CLAUSE_END if wrapped else ends.isalnum() or ends in _CLAUSE_END
        if ends_block and after and not after[0].islower():
            pieces.append(Span(piece_start, newline))
            piece_start = newline + 1
        newline = text.find("\n", newline + 1, end)
    pieces.append(Span(piece_start, end))
    return pieces


def _hard_wrapped(text: str, start: int, end: int) -> bool:
    """Is `text[start:end]` prose wrapped at a fixed width: at least two of its line breaks, and
    a third of them, fall mid-sentence (the next line goes on in lower case)?"""
    breaks = mid_sentence = 0
    newline = text.find("\n", start, end)
    while newline != -1:
        breaks += 1
        following = text[newline + 1 : min(end, newline + 40)].lstrip()
        mid_sentence += following[:1].islower()
        newline = text.find("\n", newline + 1, end)
    return mid_sentence >= 2 and 3 * mid_sentence >= breaks


def is_furniture(text: str, block: Span) -> bool:
    """A heading, caption or credit rather than prose: a block with no punctuation at its end
    of at most twenty words or in title case, or a photo credit ("Photo: ...",
    "Reuters/...")."""
    if block.end - block.start > _FURNITURE_MAX:
        return False
    body = text[block.start : block.end]
    words = body.split()
    if _CREDIT.match(body) or (len(words) <= 12 and _CREDIT_MARK.search(body)):
        return True
    if not body[-1].isalnum() and body[-1] not in ")]":
        return False
    # "Mr." and "Rep." before names do not make a sentence title case.
    if len(words) <= 20:
        return True
    capitalised = sum(word[:1].isupper() and not word.endswith(".") for word in words)
    return capitalised * 2 > len(words)


def strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def trimmed(text: str, start: int, end: int) -> Span:
    """`text[start:end]` without a leading connective ("and", "but") or the punctuation and quote
    marks around it."""
    spend(end - start)
    left = _TRIM_LEFT.match(text, start, end)
    skip = left.end() if left else start
    while end > skip and (text[end - 1] in TRIM_RIGHT or text[end - 1].isspace()):
        end -= 1
    return Span(skip, end)


_CLOSING_NEAR = 3  # characters after a span where its quote's closing mark may sit: `."`


def with_closed_quotes(text: str, span: Span) -> Span:
    """`span` with its quotation marks paired, so a suggestion reads as a whole: a quote opened
    inside it and closed just after it (`were “absolute nonsense.”`) takes its closing mark, one
    closed inside it and opened just before it takes its opening mark, and a lone mark at either
    end that pairs with nothing is dropped."""
    start, end = span.start, span.end
    body = text[start:end]
    spend(end - start)
    opened = body.count("“") - body.count("”")
    straight = body.count('"') % 2
    if opened == 0 and not straight:
        return span
    after = text[end : end + _CLOSING_NEAR]
    before = text[max(0, start - _CLOSING_NEAR) : start]
    close, open_ = ("”", "“") if opened else ('"', '"')
    if opened > 0 or straight:
        at = after.find(close)
        if at != -1 and all(char in ".,!?;:" for char in after[:at]):
            return Span(start, end + at + 1)
    if opened < 0 or straight:
        at = before.rfind(open_)
        if at != -1 and not before[at + 1 :].strip():
            return Span(start - len(before) + at, end)
    if text[start] in '“"':
        return trimmed(text, start + 1, end)  # a lone opening mark
    if text[end - 1] in '”"':
        return trimmed(text, start, end - 1)
    return span


def _is_abbreviation(text: str, stop: int) -> bool:
    """Does the full stop at `stop` close an abbreviation (U.S., Rep., D-N.Y.) or an initial?"""
    run = _WORD_RUN.match(text[max(0, stop - 20) : stop][::-1])
    if not run:
        return False
    word = text[stop - run.end() : stop]
    last = word.rsplit("-", 1)[-1]
    return (
        "." in word  # U.S. / D-N.Y.
        or last.lower() in ABBREVIATIONS
        or (len(last) == 1 and last.isupper())  # an initial
    )


def sentence_spans(text: str, paragraph: Span) -> list[Span]:
    """Sentences of one paragraph; a closing quote after the full stop stays with its sentence."""
    spend(paragraph.end - paragraph.start)
    spans, start = [], paragraph.start
    for match in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        stop, end = match.span()
        bare_stop = end - stop == 1 and text[stop] == "."  # not "?", "..." or inside quotes
        if bare_stop and end < paragraph.end and _is_abbreviation(text, stop):
            continue
        if start < end and not (text[start].isspace() or text[end - 1].isspace()):
            spans.append(Span(start, end))  # nothing to strip
        else:
            span = strip_span(text, start, end)
            if span.end > span.start:
                spans.append(span)
        start = end
    rest = strip_span(text, start, paragraph.end)
    if rest.end > rest.start:
        spans.append(rest)
    return spans


def find_loosely(text: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of the first place `quote` occurs in `text` when runs of whitespace count as
    one space and curly quotes as straight ones; None if it does not occur.

    Both are reduced to their words joined by single spaces and searched with `str.find` (linear:
    CPython switches to the two-way algorithm on long needles), then the place is mapped back."""
    spend(len(text) + len(quote))
    needle = " ".join(quote.split()).translate(_FOLD_QUOTES)
    if not needle:
        return None
    haystack = " ".join(text.split()).translate(_FOLD_QUOTES)
    found = haystack.find(needle)
    if found == -1:
        return None

    def original(position: int) -> int:  # a position inside a word of `haystack`
        word_start = haystack.rfind(" ", 0, position) + 1
        words_before = haystack.count(" ", 0, word_start)
        skip = re.compile(rf"\s*+(?:\S++\s++){{{words_before}}}").match(text)
        return skip.end() + position - word_start

    return original(found), original(found + len(needle) - 1) + 1


def drop_parentheses(text: str) -> str:
    """`text` without `(...)` asides and the spaces before them; an unclosed `(` ends the search
    (no later one can close either), so this reads the text once."""
    spend(len(text))
    pieces, pos = [], 0
    while (open_at := text.find("(", pos)) != -1:
        close_at = text.find(")", open_at + 1)
        if close_at == -1:
            break
        start = open_at
        while start > pos and text[start - 1].isspace():
            start -= 1
        pieces.append(text[pos:start])
        pos = close_at + 1
    pieces.append(text[pos:])
    return "".join(pieces)
