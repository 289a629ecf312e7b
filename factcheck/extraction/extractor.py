"""Rule-based claim extraction: sentences -> attributed statements -> typed, scored candidates.

Deliberately transparent: every score is a sum of named reasons a reviewer can read, and every
candidate carries its exact span in the article. No model, no download, no network. Who claims
what is read in `reported`, where statements are cut in `splitting`, what they assert in
`predicates`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import attribution
from .attribution import ARTICLE, Speakers
from .budget import UNLIMITED, Budget, OverBudget, metered, spend
from .lexicon import (
    AUTHORITY,
    CERTAINTY,
    EVENT_TYPES,
    FIRST_PERSON,
    NUMBER,
    OFFICIAL_ACTION,
    OPINION,
    TIME,
    TIME_YEAR,
    found_in,
)
from .predicates import CORE_EVENTS, has_verb, type_of
from .reported import (
    Content,
    after_semicolon,
    attributed_content,
    denier,
    is_denial,
    reported_allegation,
)
from .splitting import balanced, denials, is_fragment, pieces, relative_events, statements
from .text import (
    Span,
    is_furniture,
    paragraph_spans,
    sentence_spans,
    trimmed,
    with_closed_quotes,
)

CLAIM_TYPES = ("arrest", "abuse", "death", "denial", "official_action", "other")

WEIGHTS = {
    "event": 0.35,
    "arrest or death": 0.1,
    "official action": 0.3,
    "denial by an authority": 0.45,
    "number or quantity": 0.15,
    "attribution": 0.15,
    "named authority": 0.1,
    "time reference": 0.05,
    "opinion, appeal or prediction": -0.35,
    "first person": -0.1,
}

BASE_SCORE = 0.1
BIOGRAPHY_SCORE = 0.5  # a checkable detail about a named person: worth a look, never urgent

# A name (a word with a capital letter) is entered at its first character only and taken whole,
# and an aside in parentheses is at most 200 characters: the pattern never re-reads a long word.
_BIOGRAPHY = re.compile(
    r"(?<![\w’'.\-])(?=[\w’'.\-]*?[A-Z][\w’'.\-])[\w’'.\-]++(?:\s*+\([^)]{0,200}\))?,\s++"
    r"(?P<clause>who\s++(?!said|says|added|told)\w++[^,.;:”\"]*+)"
)
# A wire story's dateline: a city in capitals, maybe its country, maybe the agency, a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\-]++(?:\s++[A-Z][A-Z.'\-]++){0,3}+"
    r"(?:,\s*+[A-Z][\w.'\-]*+(?:\s++[A-Z][\w.'\-]*+){0,3}+)?\s*+(?:\([^()]{1,40}\)\s*+)?"
    r"[—–-]{1,2}\s++"
)
# A text tabled: "offered the following resolution", "submitted a bill". (Entered at a word's
# start only: linear.)
_TABLED = re.compile(
    r"\b[a-z]++(?<=ed)\s++(?:(?:the|a|an|following|joint|concurrent)\s++){0,3}+"
    r"(?:resolution|bill|motion|amendment)\b",
    re.IGNORECASE,
)


# A sentence opening with a concession ("While ..., ..."); not "Whereas" (a resolution's clause).
_CONCESSIVE = re.compile(r"\s*+(?:while|although|though)\s++", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """One proposed review item: a statement in the article, typed, attributed and scored."""

    quote: str
    span_start: int
    span_end: int
    score: float
    reasons: tuple[str, ...]
    claim_type: str
    claimant: str
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Extraction:
    """The candidates of a text; `read_to` < the text's length when the budget ran out first
    (the candidates then come from the text before `read_to` only)."""

    candidates: tuple[Candidate, ...]
    read_to: int
    length: int

    @property
    def complete(self) -> bool:
        return self.read_to >= self.length


def extract_candidates(text: str, *, min_score: float = 0.0) -> list[Candidate]:
    """Candidate claims of `text` in text order, those scoring at least `min_score`."""
    return list(extract(text, min_score=min_score).candidates)


def extract(text: str, *, min_score: float = 0.0, budget: Budget = UNLIMITED) -> Extraction:
    """Candidate claims of `text` in text order, those scoring at least `min_score`, found within
    `budget`: past it, the candidates of the sentences read so far."""
    found: list[Candidate] = []
    read_to = 0
    with metered(budget):
        try:
            speakers = Speakers(text)
            for paragraph in paragraph_spans(text):
                if is_furniture(text, paragraph):  # headings, captions, credits
                    continue
                for sentence in sentence_spans(text, paragraph):
                    found.extend(list(_sentence_candidates(text, sentence, speakers)))
                    read_to = sentence.end
            read_to = len(text)
        except OverBudget:
            pass
    found.sort(key=lambda c: (c.span_start, c.span_end))
    # A "sentence" of punctuation alone (".") trims to nothing: not a claim.
    kept = tuple(c for c in found if c.score >= min_score and c.quote.strip())
    return Extraction(kept, read_to, len(text))


def _sentence_candidates(
    text: str, sentence: Span, speakers: Speakers, *, whole: bool = True
) -> Iterator[Candidate]:
    spend(sentence.end - sentence.start)
    if dateline := _DATELINE.match(text, sentence.start, sentence.end):
        sentence = Span(dateline.end(), sentence.end)  # "CITY, Country (Agency) — "
    if whole and (parts := _concession(text, sentence)) is not None:
        for part in parts:  # "While X, Y": two statements, each with its own speaker
            yield from _sentence_candidates(text, part, speakers, whole=False)
        return
    content = attributed_content(text, sentence, speakers)
    # The pattern needs ", who": most sentences have no "who" and are not scanned for it.
    has_who = text.find("who", sentence.start, sentence.end) != -1
    for match in _BIOGRAPHY.finditer(text, sentence.start, sentence.end) if has_who else ():
        yield _candidate(
            text,
            trimmed(text, match.start("clause"), match.end("clause")),
            sentence,
            type_of(match.group("clause")),
            ARTICLE,
            BIOGRAPHY_SCORE,
            ("a checkable detail about a named person",),
        )
    if content is None:
        return
    yield from _content_candidates(text, sentence, content, speakers)
    if content.added is not None:  # "..., police said, adding that ...": theirs too
        added = Content(content.added, content.claimant, True, content.authority)
        yield from _content_candidates(text, sentence, added, speakers)


def _concession(text: str, sentence: Span) -> tuple[Span, Span] | None:
    """`While courts ordered inquiries, the group knows of no conviction`: the clause and the
    main statement, when each has a verb of its own; None for any other sentence. The main
    statement starts at the first comma with a verb before it and after it ("While courts,
    commissions, or others ordered inquiries in some cases, the group ...")."""
    opening = _CONCESSIVE.match(text, sentence.start, sentence.end)
    if opening is None:
        return None
    comma = text.find(",", opening.end(), sentence.end)
    for _ in range(6):  # a few commas of a list, each segment read once
        if comma == -1 or text.count('"', sentence.start, comma) % 2:
            return None
        following = text.find(",", comma + 1, min(sentence.end, comma + 200))
        segment = text[comma + 1 : following if following != -1 else min(sentence.end, comma + 200)]
        if has_verb(segment) and has_verb(text[opening.end() : comma]):
            break
        comma = following
    else:
        return None
    clause = trimmed(text, opening.end(), comma)
    main = trimmed(text, comma + 1, sentence.end)
    if "“" in text[clause.start : clause.end]:
        return None
    return clause, main


def _content_candidates(
    text: str, sentence: Span, content: Content, speakers: Speakers
) -> Iterator[Candidate]:
    allegation = reported_allegation(text, content, speakers)
    if allegation is not None:
        # "X dismissed a report claiming that A and B": the denial, then A and B, claimed by
        # the report's source.
        denial_end, alleged = allegation
        for statement in statements(text, alleged.span):
            quote = text[statement.start : statement.end]
            if has_verb(quote) and balanced(text, statement) and not is_fragment(quote):
                yield _scored(text, statement, sentence, alleged)
        content = Content(
            trimmed(text, content.span.start, denial_end),
            content.claimant,
            content.reporting,
            content.authority,
        )
    for piece in pieces(text, content.span):
        said = content.verb_at
        start = said if said and piece.start < said < piece.end else piece.start
        piece_text = attribution.without_asides(text[start : piece.end])
        # A denial is cut only between its reported clauses ("said X and that Y"), each a denial:
        # "no arrests, no deaths" is one statement by one authority.
        denial = is_denial(piece_text, content)
        # The article's own "A died, but officials said B": B may have its own speaker.
        own_voice = content.claimant == ARTICLE
        but = own_voice and not denial and ", but " in piece_text
        if denial:
            cut = denials(text, piece)
        else:
            cut = [
                s
                for part in (denials(text, piece) if but else [piece])
                for s in statements(text, part)
            ]
        for statement in cut:
            quote = text[statement.start : statement.end]
            if not (has_verb(quote) and balanced(text, statement)) or is_fragment(quote):
                continue  # a description or a fragment
            # "Officials said she took her own life; her family says she was beaten": the
            # clause after a semicolon may have its own speaker.
            own = after_semicolon(text, statement, speakers) if denial or but else None
            if own is not None:
                yield _scored(text, statement, sentence, own)
            else:
                relatives = (
                    [] if denial or " who " not in quote else relative_events(text, statement)
                )
                if relatives and relatives[-1][0].end == statement.end:
                    # "... the deaths of two brothers who were detained for ...": the main
                    # statement ends where its relative clause begins.
                    statement = trimmed(text, statement.start, relatives[-1][0].start)
                # "Two men died, but police said they fell ill": the article's own clause is
                # typed by itself, not by the denial that follows it.
                kind = "denial" if denial and not own_voice else None
                yield _scored(text, statement, sentence, content, kind)
                for span, kind, describes_speaker in relatives:
                    # The clause in a speaker's description is the article's own statement.
                    own = Content(span, ARTICLE, False, False) if describes_speaker else content
                    yield _scored(text, span, sentence, own, kind)


def _scored(
    text: str, span: Span, sentence: Span, content: Content, kind: str | None = None
) -> Candidate:
    """The candidate for one statement; `kind` when the sentence decided it (a denial)."""
    spend(span.end - span.start)
    statement = text[span.start : span.end]
    said = content.verb_at
    # "The father of the dead man said his son was well": the speaker's words do not type it.
    asserted = text[said : span.end] if said and span.start < said < span.end else statement
    core = attribution.without_asides(asserted)  # "X, who voted against it, said" is not a vote
    kind = kind or ("denial" if is_denial(core, content) else type_of(core))
    if kind == "denial" and content.claimant == ARTICLE and content.authority:
        # The article reports the denial; the authority denies.
        by = denier(text, span)
        if by:
            content = Content(content.span, by, False, True)
    found = found_in(statement)
    reasons: list[str] = []
    events = found_in(asserted)  # "the father of the dead man said" mentions no event
    if kind in EVENT_TYPES or any(pattern in events for pattern in EVENT_TYPES.values()):
        reasons.append("event")  # "held without trial" is an arrest by its verb
    if kind in CORE_EVENTS:  # the desk's first concern: ticked unless something speaks against
        reasons.append("arrest or death")
    if OFFICIAL_ACTION in found or (kind == "official_action" and _TABLED.search(statement)):
        reasons.append("official action")
    if kind == "denial":
        reasons.append("denial by an authority")
    if NUMBER.in_text(statement, found):
        reasons.append("number or quantity")
    if content.reporting and content.claimant != ARTICLE:
        reasons.append("attribution")
    if AUTHORITY in found or content.authority:
        reasons.append("named authority")
    if TIME in found or TIME_YEAR.search(statement):
        reasons.append("time reference")
    # "I can confirm" is no appeal; "police cannot detain men who do not exist" is a denial.
    if OPINION in found and CERTAINTY not in found and kind != "denial":
        reasons.append("opinion, appeal or prediction")
    if FIRST_PERSON in found_in(core):  # "(D-R.I.)" is a party tag, not "I"
        reasons.append("first person")
    score = BASE_SCORE + sum(WEIGHTS[r] for r in reasons)
    labels = tuple(_label(r, kind, content.claimant) for r in reasons)
    return _candidate(text, span, sentence, kind, content.claimant, score, labels)


def _label(reason: str, kind: str, claimant: str) -> str:
    if reason == "event":
        return f"describes an event ({kind})" if kind in EVENT_TYPES else "mentions an event"
    if reason == "attribution":
        return f"attributed to {claimant}"
    return reason


def _candidate(
    text: str,
    span: Span,
    sentence: Span,
    kind: str,
    claimant: str,
    score: float,
    reasons: tuple[str, ...],
) -> Candidate:
    span = with_closed_quotes(text, span)  # issue 18: a suggestion needs no quote mark added
    return Candidate(
        quote=text[span.start : span.end],
        span_start=span.start,
        span_end=span.end,
        score=round(min(1.0, max(0.0, score)), 2),
        reasons=reasons,
        claim_type=kind,
        claimant=claimant,
        sentence_start=sentence.start,
        sentence_end=sentence.end,
    )
