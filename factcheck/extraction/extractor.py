"""Rule-based claim extraction: sentences -> attributed statements -> typed, scored candidates.

Deliberately transparent: every score is a sum of named reasons a reviewer can read, and every
candidate carries its exact span in the article. No model, no download, no network."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import attribution
from .attribution import ARTICLE, Speakers
from .budget import UNLIMITED, Budget, OverBudget, metered, spend
from .lexicon import (
    AUTHORITY,
    BACKGROUND_WORDS,
    BARE_VERBS,
    CERTAINTY,
    CONTRACTED_NEGATION,
    COUNTER_EXPLANATION,
    DENIAL_VERB,
    DETERMINERS,
    EVENT_PHRASES,
    EVENT_TYPES,
    EVENT_VERBS,
    FINITE_VERBS,
    FIRST_PERSON,
    GRAVITY,
    NEGATION,
    NO_ANSWER,
    NUMBER,
    OFFICIAL_ACTION,
    OFFICIAL_NOUNS,
    OFFICIAL_WORDS,
    OPINION,
    RELATIVE_WORDS,
    SPEECH_VERBS,
    TIME,
    TIME_YEAR,
    VERB_HELPERS,
    VERB_OBJECT_STARTS,
    found_in,
)
from .text import Span, is_furniture, paragraph_spans, sentence_spans

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

_OPEN_QUOTES = '“"‘'
_CLOSE_FOR = {"“": "”", '"': '"', "‘": "’"}
_DASH_ASIDE = re.compile(r"\s[—–]\s(?P<aside>[^—–]+?)\s[—–]\s")
# A name (a word with a capital letter) is entered at its first character only and taken whole,
# and an aside in parentheses is at most 200 characters: the pattern never re-reads a long word.
_BIOGRAPHY = re.compile(
    r"(?<![\w’'.\-])(?=[\w’'.\-]*?[A-Z][\w’'.\-])[\w’'.\-]++(?:\s*+\([^)]{0,200}\))?,\s++"
    r"(?P<clause>who\s++(?!said|says|added|told)\w++[^,.;:”\"]*+)"
)
# Where one sentence holds several checkable statements: "..., many have been tortured, and some
# killed" / "were rounded up, unlawfully detained, and tortured".
_STATEMENT_BREAK = re.compile(
    r",\s+(?:and\s+|but\s+|while\s+)?(?=(?:with\s+)?(?:many|some|most|others|several|dozens|"
    r"hundreds|thousands|scores|at\s+least|they|he|she|\d[\d,]*|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)\b)"
    r"|,\s+(?:and\s+)?(?=(?:\w+ly\s+)?(?:\w+ed|beaten|held|taken|shot|hurt)\b)"
    r"|,\s+(?=where\s)",
    re.IGNORECASE,
)
# Breaks with no comma: "... and several were beaten", "... and that no one was hurt", "during
# which". Entered at the start of a run of spaces, taken whole: linear.
_CLAUSE_BREAK = re.compile(
    r"(?<!\s)\s++and\s++(?=(?:many|some|most|others|several|dozens|hundreds|thousands|scores"
    r"|at\s++least|they|he|she|\d[\d,]*+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|the\s++(?:two|three|four|five|six|seven|eight|nine|ten)"
    r")\s)"
    r"|(?<!\s)\s++and\s++that\s++"
    # "... detained forty farmers and killed two": a second verb with its own count.
    r"|(?<!\s)\s++and\s++(?=[a-z]++(?<=ed)\s++(?:at\s++least\s++)?(?:\d|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|dozens|hundreds|scores|several)\b)"
    r"|(?<![\s,]),?\s++(?=(?:during|in\s++the\s++course\s++of)\s++which\b)",
    re.IGNORECASE,
)
# Where a denial of several things is cut: each reported clause ("... and that ...").
_REPORTED_BREAK = re.compile(
    r"(?<!\s)\s++and\s++that\s++|;\s*+|,\s++but\s++"
    r"|(?<![\s,])\s++but\s++(?=(?:said|says|added|told)\b)",  # '"..." but said "..."'
    re.IGNORECASE,
)
# A wire story's dateline: a city in capitals, maybe its country, maybe the agency, a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\-]++(?:\s++[A-Z][A-Z.'\-]++){0,3}+"
    r"(?:,\s*+[A-Z][\w.'\-]*+(?:\s++[A-Z][\w.'\-]*+){0,3}+)?\s*+(?:\([^()]{1,40}\)\s*+)?"
    r"[—–-]{1,2}\s++"
)
_AGE = re.compile(r"\d{1,3},")
_AGE_BEFORE = re.compile(r",\s\d{1,3}$")
_PLACE_PREPOSITIONS = frozenset("in at near on outside inside from across along".split())
_CONTRACTIONS = ("'ve", "'re", "'ll", "'d", "n't", "'m")
_QUOTE_MARKS = frozenset('“”"')
# "X denied Y's report that Z", "rejected claims by Y that Z": the allegation Z, claimed by Y. A
# denial verb, at most eight words, the allegation's noun, at most seven words of its source.
_ALLEGATION = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|disput(?:e|es|ed|ing)"
    r"|refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?|contradict(?:s|ed|ing)?)\s++"
    r"(?P<mid>(?:[^\s.;:]++\s++){0,8}?)"
    r"(?P<noun>reports?|claims?|allegations?|accusations?|accounts?|assertions?|suggestions?"
    r"|statements?|findings?|testimony|stories|story)\s++"
    r"(?:(?:by|from|of|in)\s++(?P<by>(?:[^\s,;:]++\s++){0,7}?))?"
    r"(?:(?:claiming|saying|alleging|suggesting|stating|asserting)\s++)?that\s++",
    re.IGNORECASE,
)
# A text tabled: "offered the following resolution", "submitted a bill". (Entered at a word's
# start only: linear.)
_TABLED = re.compile(
    r"\b[a-z]++(?<=ed)\s++(?:(?:the|a|an|following|joint|concurrent)\s++){0,3}+"
    r"(?:resolution|bill|motion|amendment)\b",
    re.IGNORECASE,
)
# "who (have) (been) died/detained": at most three helper words, each taken whole.
_RELATIVE_EVENT = re.compile(
    r"(?<=\s)who\s++(?:(?:had|has|have|was|were|is|are|been|being|later|then|also|allegedly"
    r"|reportedly)"
    r"\s++){0,3}+(?P<verb>[\w’'-]++)\s*+(?P<next>[\w-]*+)",
    re.IGNORECASE,
)
# ", reporting (on Monday) that": a participle of reporting after the main clause.
_PARTICIPLE_REPORT = re.compile(
    r",\s++(?:reporting|saying|claiming|alleging|stating|asserting)\s++"
    r"(?:[^\s,;]++\s++){0,5}?that\s++",
    re.IGNORECASE,
)
_TO_DEATH = re.compile(r"\bto\s++death\b", re.IGNORECASE)
_CLAUSE_MAX = 300
_SPEECH_WORDS = frozenset(SPEECH_VERBS.split("|"))
_CORE_EVENTS = frozenset({"arrest", "death"})
_IRREGULAR_REPORTING = frozenset("said told wrote".split())
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being)\s++$", re.IGNORECASE)
_REPORT_ARTICLES = frozenset("a an the these those such".split())
_POSSESSIVE = re.compile(r"(?P<who>\S.{0,150}?)['’]s?\s*+$", re.DOTALL)
# Where an allegation's content ends: ", calling it baseless", ", which", ", and said".
_ALLEGATION_END = re.compile(
    r",\s*+(?:calling|saying|adding|describing|which|and\s++(?:called|said|added))\b", re.I
)
_TRIM_LEFT = re.compile(r"(?:[\s,;:“”\"‘’]|(?:and|but|so|yet|while|with)\s)+", re.IGNORECASE)
_TRIM_RIGHT = frozenset(' \t\n\r\f\v,;:.!?“”"‘’')
_WORD = re.compile(r"[\w'-]++")
_NOT_NAME_END = frozenset("""the a an of these those his her their its such""".split())


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


@dataclass
class _Content:
    span: Span
    claimant: str
    reporting: bool  # a reporting verb or quote attribution introduced it
    authority: bool  # the claimant speaks for a government, police, a court...


def _sentence_candidates(text: str, sentence: Span, speakers: Speakers) -> Iterator[Candidate]:
    spend(sentence.end - sentence.start)
    if dateline := _DATELINE.match(text, sentence.start, sentence.end):
        sentence = Span(dateline.end(), sentence.end)  # "CITY, Country (Agency) — "
    content = _attributed_content(text, sentence, speakers)
    # The pattern needs ", who": most sentences have no "who" and are not scanned for it.
    has_who = text.find("who", sentence.start, sentence.end) != -1
    for match in _BIOGRAPHY.finditer(text, sentence.start, sentence.end) if has_who else ():
        yield _candidate(
            text,
            _trimmed(text, match.start("clause"), match.end("clause")),
            sentence,
            _type_of(match.group("clause")),
            ARTICLE,
            BIOGRAPHY_SCORE,
            ("a checkable detail about a named person",),
        )
    if content is None:
        return
    allegation = _reported_allegation(text, content, speakers)
    if allegation is not None:
        # "X dismissed a report claiming that A and B": the denial, then A and B, claimed by
        # the report's source.
        denial_end, alleged = allegation
        for statement in _statements(text, alleged.span):
            quote = text[statement.start : statement.end]
            if _has_verb(quote) and _balanced(text, statement) and not _is_fragment(quote):
                yield _scored(text, statement, sentence, alleged)
        content = _Content(
            _trimmed(text, content.span.start, denial_end),
            content.claimant,
            content.reporting,
            content.authority,
        )
    for piece in _pieces(text, content.span):
        piece_text = attribution.without_asides(piece.text(text))
        # A denial is cut only between its reported clauses ("said X and that Y"), each a denial:
        # "no arrests, no deaths" is one statement by one authority.
        denial = _is_denial(piece_text, content)
        statements = _denials(text, piece) if denial else _statements(text, piece)
        for statement in statements:
            quote = text[statement.start : statement.end]
            if not (_has_verb(quote) and _balanced(text, statement)) or _is_fragment(quote):
                continue  # a description or a fragment
            # "Officials said she took her own life; her family says she was beaten": the
            # clause after a semicolon may have its own speaker.
            own = _after_semicolon(text, statement, speakers) if denial else None
            if own is not None:
                yield _scored(text, statement, sentence, own)
            else:
                relatives = (
                    [] if denial or " who " not in quote else _relative_events(text, statement)
                )
                if relatives and relatives[-1][0].end == statement.end:
                    # "... the deaths of two brothers who were detained for ...": the main
                    # statement ends where its relative clause begins.
                    statement = _trimmed(text, statement.start, relatives[-1][0].start)
                yield _scored(text, statement, sentence, content, "denial" if denial else None)
                for span, kind, describes_speaker in relatives:
                    # The clause in a speaker's description is the article's own statement.
                    own = _Content(span, ARTICLE, False, False) if describes_speaker else content
                    yield _scored(text, span, sentence, own, kind)


def _main_verb(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where the first finite verb of `text[start:end]` is, and its head word (after helper
    words): ("has alleged" -> "alleged"), None if there is none."""
    at = None
    for match in _WORD.finditer(text, start, end):
        word = match.group().lower()
        if at is None and word not in FINITE_VERBS:
            continue
        at = match.start() if at is None else at
        if word not in VERB_HELPERS:
            return at, word
    return None if at is None else (at, "")


def _relative_events(text: str, statement: Span) -> list[tuple[Span, str, bool]]:
    """Relative clauses that assert an arrest or a death of their own ("two brothers who were
    detained for ...", "the widow of a miner who died in custody has alleged ..."): each a
    statement too, typed by its verb, up to the next comma or the main verb. Not when the main
    verb asserts an event itself ("the men who were arrested were shot dead")."""
    found = []
    for match in _RELATIVE_EVENT.finditer(text, statement.start, statement.end):
        words = _WORD.findall(match.group("verb").lower())
        following = match.group("next").lower()
        kind = EVENT_PHRASES.get((words[0], following), EVENT_VERBS.get(words[0]))
        if kind not in _CORE_EVENTS:
            continue
        # A clause is read for at most `_CLAUSE_MAX` characters: linear on "who ... who ...".
        far = min(statement.end, match.end("verb") + _CLAUSE_MAX)
        end = text.find(",", match.end("verb"), far)
        end = far if end == -1 else end
        spend(end - match.start())
        main = _main_verb(text, match.end("verb"), end)
        if main is not None:  # the clause sits in the subject: of a speaker only
            at, verb = main
            if verb not in _SPEECH_WORDS:
                continue
            end = at
        found.append((_trimmed(text, match.start(), end), kind, main is not None))
    return found


def _after_semicolon(text: str, statement: Span, speakers: Speakers) -> _Content | None:
    """The speaker of a clause that follows a semicolon or ", but" and names its own, else
    None."""
    before = text[max(0, statement.start - 6) : statement.start].rstrip()
    if not before.endswith((";", ", but")):
        return None
    body = text[statement.start : statement.end]
    found = attribution.indirect(body, speakers)
    if not found or not _plausible_speaker(body, found[1], found[2]):
        return None
    return _Content(statement, found[0], True, speakers.is_authority(found[0]))


def _reported_allegation(
    text: str, content: _Content, speakers: Speakers
) -> tuple[int, _Content] | None:
    """The allegation a denial reports ("X denied Y's report that Z"): where the denial's own
    words end, and Z, claimed by Y (by the report itself, "a report", when it names no
    source)."""
    span = content.span
    if text.find("that", span.start, span.end) == -1:
        return None
    if not _is_denial(attribution.without_asides(span.text(text)), content):
        return None
    match = _ALLEGATION.search(text, span.start, span.end)
    if match is None:
        return None
    end = _ALLEGATION_END.search(text, match.end(), span.end)
    allegation = _trimmed(text, match.end(), end.start() if end else span.end)
    if allegation.end - allegation.start < 8:
        return None
    source = match.group("by")
    if source is None and (owner := _POSSESSIVE.search(match.group("mid"))):
        source = owner.group("who")
    claimant = (attribution.clean_name(source) if source else None) or ARTICLE
    if claimant != ARTICLE:
        claimant = speakers.full_name(claimant)
    elif source is None:  # "a report claiming that": the report, as the article names it
        before = match.group("mid").split()[-1:]
        article = before[0] if before and before[0].lower() in _REPORT_ARTICLES else ""
        claimant = f"{article} {match.group('noun')}".strip()
    alleged = _Content(allegation, claimant, claimant != ARTICLE, speakers.is_authority(claimant))
    return match.end("noun"), alleged


def _attributed_content(text: str, sentence: Span, speakers: Speakers) -> _Content | None:
    """The part of the sentence that is claimed, and who claims it."""
    body = text[sentence.start : sentence.end]
    stripped = body.lstrip()
    offset = sentence.start + len(body) - len(stripped)
    if stripped[:1] in _OPEN_QUOTES or re.search(r":\s*[“\"]", body):
        open_at = offset if stripped[:1] in _OPEN_QUOTES else sentence.start + body.index(":")
        open_at = next(i for i in range(open_at, sentence.end) if text[i] in _OPEN_QUOTES)
        close_mark = _CLOSE_FOR[text[open_at]]
        close_at = text.find(close_mark, open_at + 1, sentence.end)
        inner_end = close_at if close_at != -1 else sentence.end
        claimant = None
        if close_at != -1:
            claimant = attribution.after_quote(text[close_at + 1 : sentence.end], speakers)
        claimant = claimant or attribution.before_quote(text[sentence.start : open_at], speakers)
        claimant = claimant or speakers.last_person or ARTICLE
        speakers.remember(claimant)
        span = _trimmed(text, open_at + 1, inner_end)
        if span.end <= span.start:
            return None
        # "All the guards told us was that he slipped": the guards' account, in a quote.
        claimant = _nearer_speaker(text, span, speakers) or claimant
        return _Content(span, claimant, claimant != ARTICLE, speakers.is_authority(claimant))
    if (quoted := _quote_then_speaker(text, sentence, speakers)) is not None:
        return quoted
    if (ending := attribution.final(body, speakers)) is not None:
        claimant, comma = ending
        span = _trimmed(text, sentence.start, sentence.start + comma)
        claimant = _nearer_speaker(text, span, speakers) or claimant
        speakers.remember(claimant)
        if span.end > span.start:
            return _Content(span, claimant, True, speakers.is_authority(claimant))
    found = attribution.indirect(body, speakers)
    if found and _plausible_speaker(body, found[1], found[2]):
        claimant = found[0]
        if found[2] == 0:  # "Y said Z, according to X" / "According to X, Y said Z": Y
            before = _trimmed(text, sentence.start, sentence.start + found[1])
            comma = text.find(",", sentence.start + found[1], sentence.end)
            after = _trimmed(text, comma + 1 if comma != -1 else sentence.end, sentence.end)
            claimant = (
                _nearer_speaker(text, before, speakers)
                or _nearer_speaker(text, after, speakers)
                or claimant
            )
        else:  # "X says Y told them that Z": Y
            inner = _trimmed(text, sentence.start + found[2], sentence.end)
            claimant = _nearer_speaker(text, inner, speakers) or claimant
        speakers.remember(claimant)
        span = _trimmed(text, sentence.start, sentence.end)
        return _Content(span, claimant, True, speakers.is_authority(claimant))
    if (reported := _reported_by_subject(text, sentence, speakers)) is not None:
        return reported
    span = _trimmed(text, sentence.start, sentence.end)
    opening = " ".join(text[span.start : span.end].split()[:6])  # "The ministry denied ..."
    return _Content(span, ARTICLE, False, bool(AUTHORITY.search(opening)))


def _reported_by_subject(text: str, sentence: Span, speakers: Speakers) -> _Content | None:
    """`The Tarsk Herald ran the story, reporting that 40 were held`: what follows "that" is
    claimed by the sentence's subject (the words before its first verb)."""
    if text.find("ing", sentence.start, sentence.end) == -1:
        return None
    participle = _PARTICIPLE_REPORT.search(text, sentence.start, sentence.end)
    if participle is None:
        return None
    verb = _main_verb(text, sentence.start, participle.start())
    if verb is None:
        return None
    claimant = attribution.clean_name(text[sentence.start : verb[0]])
    if not claimant:
        return None
    claimant = speakers.full_name(claimant)
    speakers.remember(claimant)
    span = _trimmed(text, participle.end(), sentence.end)
    return _Content(span, claimant, True, speakers.is_authority(claimant))


def _denier(text: str, span: Span) -> str | None:
    """Who denies in a sentence with no reporting verb: the authority its first words name
    ("Prison authorities put his death down to pneumonia" -> "Prison authorities")."""
    words = text[span.start : span.end].split()[:6]
    last = None
    for i, word in enumerate(words):
        if AUTHORITY.search(word):
            last = i
        elif last is not None:
            break
    if last is None:
        return None
    return attribution.clean_name(" ".join(words[: last + 1]))


def _quote_then_speaker(text: str, sentence: Span, speakers: Speakers) -> _Content | None:
    """`He was "beaten in his cell," the lawyer said.`: a quote that starts mid-sentence and is
    attributed after it closes. The claim is the sentence up to the closing quote."""
    close_at = max(text.rfind("”", sentence.start, sentence.end), -1)
    if close_at == -1:
        close_at = text.rfind('"', sentence.start, sentence.end)
        if close_at == -1:
            return None
        # A lone mark closes a quote opened in an earlier sentence only after a stop or comma.
        if text.count('"', sentence.start, sentence.end) < 2 and text[close_at - 1] not in ",.!?":
            return None
    rest = text[close_at + 1 : sentence.end]
    if len(rest) > attribution.WHO_MAX:
        return None
    claimant = attribution.after_quote(rest, speakers)
    if not claimant:
        return None
    span = _trimmed(text, sentence.start, close_at + 1)
    if span.end <= span.start:
        return None
    claimant = _nearer_speaker(text, span, speakers) or claimant
    speakers.remember(claimant)
    return _Content(span, claimant, True, speakers.is_authority(claimant))


def _nearer_speaker(text: str, span: Span, speakers: Speakers) -> str | None:
    """The speaker a reported statement itself names, nearer to its content than the one who
    reports it: "police told them (that) ..." inside "His family says ...". None if it names
    none."""
    if span.end - span.start < 12:
        return None
    body = text[span.start : span.end]
    found = attribution.indirect(body, speakers)
    if found is None or found[2] == 0 or not _plausible_speaker(body, found[1], found[2]):
        return None
    # Told in the past, by a subject with no verb of its own: "police told them", not "the
    # report's claims" or "there were no such men here, dismissed".
    verb = body[found[1] : found[1] + 20].split()[0].lower()
    subject = _WORD.findall(body[: found[1]].lower().replace("’", "'"))
    while subject and subject[-1] in VERB_HELPERS:  # "the police had told us"
        subject.pop()
    if not _past_tense(verb) or _has_verb(" ".join(subject)):
        return None
    return found[0]


def _past_tense(verb: str) -> bool:
    return verb.endswith("ed") or verb in _IRREGULAR_REPORTING


def _plausible_speaker(body: str, verb_at: int, content_at: int) -> bool:
    """Reject "condemning reports of ..." and similar nouns that look like reporting verbs, and
    passives ("the teacher was reported dead")."""
    if content_at == 0:  # "according to X"
        return True
    verb = body[verb_at : verb_at + 20].split()[0].lower()
    if _PASSIVE_BEFORE.search(body, max(0, verb_at - 12), verb_at) and _past_tense(verb):
        return False
    head = attribution.without_asides(body[:verb_at])
    head = head.split(" who ", 1)[0]  # "the widow of a miner who died in custody has alleged"
    last_words = re.findall(r"[\w’']+", head)
    after_verb = re.sub(r"^\w+\s*", "", body[verb_at:])
    if after_verb.lower().startswith("of ") or (
        last_words and last_words[-1].lower() in _NOT_NAME_END
    ):
        return False
    return not (OFFICIAL_ACTION.search(head) or _any_event(head))


def _pieces(text: str, span: Span) -> list[Span]:
    """The statement, and any aside set off by dashes as a statement of its own."""
    body = text[span.start : span.end]
    if "—" not in body and "–" not in body:  # no dash, no aside: the common case, found quickly
        return [span]
    asides = list(_DASH_ASIDE.finditer(body))
    if not asides:
        return [span]
    pieces = [_trimmed(text, span.start, span.start + asides[0].start())]
    for aside in asides:
        if len(aside.group("aside").split()) >= 4:
            pieces.append(
                _trimmed(text, span.start + aside.start("aside"), span.start + aside.end("aside"))
            )
    # What follows the last aside is a statement too, when it has a verb ("... — and two of
    # them died"); otherwise it is dropped as a description.
    tail = _trimmed(text, span.start + asides[-1].end(), span.end)
    if text.startswith("that ", tail.start, tail.end):  # "— and that 41 had been killed"
        tail = Span(tail.start + 5, tail.end)
    pieces.append(tail)
    return [p for p in pieces if p.end > p.start]


def _denials(text: str, piece: Span) -> list[Span]:
    parts = [_trimmed(text, a, b) for a, b in _parts(text, piece, _REPORTED_BREAK)]
    return [part for part in parts if part.end > part.start]


def _parts(text: str, piece: Span, *patterns: re.Pattern[str]) -> list[tuple[int, int]]:
    """`piece` cut where the patterns match (a match's text belongs to neither part), in order,
    leaving out matches inside a quotation or overlapping an earlier one."""
    found = sorted(
        (brk.start(), brk.end())
        for pattern in patterns
        for brk in pattern.finditer(text, piece.start, piece.end)
    )
    parts, start, at, inside = [], piece.start, piece.start, False
    for cut, after in found:  # one walk over the text, quote marks toggling "inside"
        if cut < at:
            continue
        spend(cut - at)
        for char in text[at:cut]:
            if char == "“":
                inside = True
            elif char == "”":
                inside = False
            elif char == '"':
                inside = not inside
        at = cut
        if not inside and not _at_age(text, cut, after):
            parts.append((start, cut))
            start = after
    parts.append((start, piece.end))
    return parts


def _at_age(text: str, cut: int, after: int) -> bool:
    """Is the break at an age ("one man, Ali Serkan, 34, died"): before "34," or just after it?"""
    if _AGE.match(text, after):
        return True
    head = text[max(0, cut - 5) : cut]
    return bool(_AGE_BEFORE.search(head))


def _statements(text: str, piece: Span) -> list[Span]:
    """Split a compound statement where each part names its own event; merge the rest back
    (and a part with no verb, such as "and two teachers", into the part before it)."""
    body = text[piece.start : piece.end].lower()
    # The breaks with no comma need "and" or "which": most statements have neither.
    clauses = "and " in body or "which" in body
    splitters = (_STATEMENT_BREAK, _CLAUSE_BREAK) if clauses else (_STATEMENT_BREAK,)
    parts = [(a, b, _type_of(text[a:b])) for a, b in _parts(text, piece, *splitters)]
    merged: list[list] = []
    for a, b, kind in parts:
        # "said X and that Y": two reported statements, whatever their types.
        reported = merged and text[max(0, a - 6) : a].rstrip().lower().endswith(" that")
        if reported and _has_verb(text[a:b]):
            merged.append([a, b, kind])
        elif merged and (kind == "other" or kind == merged[-1][2] or not _has_verb(text[a:b])):
            merged[-1][1] = b
        elif merged and merged[-1][2] == "other":
            merged[-1][1], merged[-1][2] = b, kind
        else:
            merged.append([a, b, kind])
    return [_trimmed(text, a, b) for a, b, _ in merged]


def _type_of(statement: str) -> str:
    """The type of what the statement asserts. Its main predicates first: the event verbs
    outside relative and background clauses ("detainees were tortured" is abuse, not arrest), the
    gravest of them when there are several ("were detained and beaten" is abuse). Without one, the
    first event or official act it names; "other" if it names none."""
    asserted = _predicate_type(statement)
    if asserted is not None:
        return asserted
    found = found_in(statement)
    if OFFICIAL_ACTION in found:  # no event asserted: the act is ("face assault charges")
        return "official_action"
    hits = [(found[pattern], kind) for kind, pattern in EVENT_TYPES.items() if pattern in found]
    hits += [(found[OFFICIAL_NOUNS], "official_action")] if OFFICIAL_NOUNS in found else []
    if not hits:
        return "other"
    first = min(at for at, _ in hits)
    # Where two readings start at one word ("custody" / "custody deaths"), the graver wins; an
    # abuse "to death" is a death ("accused them of torturing him to death").
    kind = max((k for at, k in hits if at == first), key=lambda k: GRAVITY.get(k, 0))
    death = EVENT_TYPES["death"]
    return "death" if kind == "abuse" and death in found and _TO_DEATH.search(statement) else kind


def _predicate_type(statement: str) -> str | None:
    """The gravest event the statement's verbs assert, None if no verb asserts one."""
    spend(len(statement))  # counted here, not in the cache, so a count never depends on it
    return _gravest_predicate(statement)


@lru_cache(maxsize=64)
def _gravest_predicate(statement: str) -> str | None:
    words = _WORD.findall(statement.lower().replace("’", "'"))
    gravest, official = None, False
    for i, word in enumerate(words):
        kind = EVENT_VERBS.get(word)
        following = words[i + 1] if i + 1 < len(words) else ""
        kind = EVENT_PHRASES.get((word, following), kind)
        official = official or word in OFFICIAL_WORDS
        if kind is None or not _is_predicate(words, i):
            continue
        if official and words[i - 1] not in VERB_HELPERS:
            continue  # "calls on X to release reporters held without charge": a participle
        if gravest is None or GRAVITY[kind] > GRAVITY[gravest]:
            gravest = kind
    return gravest


def _is_predicate(words: list[str], i: int) -> bool:
    """Is the event word at `i` a verb the statement asserts: not an adjective ("the detained
    men"), not in a relative clause ("men who were detained") or a background clause ("before
    they died")?"""
    j = i - 1
    while j >= 0 and i - j <= 4 and words[j] in VERB_HELPERS:
        j -= 1
    if j >= 0 and (words[j] in RELATIVE_WORDS or (j == i - 1 and words[j] in DETERMINERS)):
        return False
    return not any(w in BACKGROUND_WORDS for w in words[max(0, i - 5) : i])


def _any_event(statement: str) -> bool:
    found = found_in(statement)
    return any(pattern in found for pattern in EVENT_TYPES.values())


def _is_denial(statement: str, content: _Content) -> bool:
    """An authority saying something did not happen or calling it false; or anyone named saying
    an event did not happen ("my client never struck anyone")."""
    found = found_in(statement)
    if NO_ANSWER in found:
        return False
    # A denial word ("dismissed", "could not have") outweighs a modal; a bare "not" does not.
    negated = DENIAL_VERB in found or (NEGATION in found and OPINION not in found)
    if content.authority:
        negated = negated or CONTRACTED_NEGATION in found
        # "died of heart failure", said by officials, answers an account of a killing.
        return negated or COUNTER_EXPLANATION in found
    if content.claimant == ARTICLE:
        return False
    # Anyone named who calls a report a lie denies it; a bare "not" needs an event.
    return DENIAL_VERB in found or (negated and _any_event(statement))


def _has_verb(statement: str) -> bool:
    """Does the statement hold a finite verb (or a participle that stands for one: "some even
    killed")? "A 6 percent rise over last year", "In the district of X, near the border" and
    "Amid reports of arrests" do not: descriptions, not statements."""
    spend(len(statement))
    words = _WORD.findall(statement.lower().replace("’", "'"))
    for i, word in enumerate(words):
        if word in FINITE_VERBS or word in EVENT_VERBS or word.endswith(_CONTRACTIONS):
            return True
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if before in DETERMINERS:
            continue
        if len(word) > 3 and word.endswith("ed"):
            return True
        if (
            len(word) > 3
            and word.endswith("s")
            and not word.endswith(("ss", "us", "is", "'s"))
            and (after in VERB_OBJECT_STARTS or after[:1].isdigit())
        ):
            return True  # "the plan adds 150 officers", "it relies on"
        if word in BARE_VERBS and before not in DETERMINERS and i:
            return True  # "rights groups dispute that account"
    return False


def _is_fragment(statement: str) -> bool:
    """A place with a clause about it and nothing more ("In Kaldor, where the protests began"),
    or two words with no event or number ("Reported earlier")."""
    words = statement.split()
    if len(words) < 3:
        return not (_any_event(statement) or any(char.isdigit() for char in statement))
    if words[0].lower() not in _PLACE_PREPOSITIONS or "," not in statement:
        return False
    after = statement.split(",", 1)[1].split()
    return bool(after) and after[0].lower() in RELATIVE_WORDS


def _balanced(text: str, span: Span) -> bool:
    """Are the statement's quotation marks paired, counting the marks trimmed off its ends
    (`was "beaten,"` ends with its quote)?"""
    start, end = span.start, span.end
    body = text[start:end]
    if "“" not in body and "”" not in body and '"' not in body:
        return True
    while start > 0 and span.start - start < 3 and text[start - 1] in _QUOTE_MARKS:
        start -= 1
    while end < len(text) and end - span.end < 3 and text[end] in _TRIM_RIGHT:
        end += 1
    statement = text[start:end]
    return statement.count("“") == statement.count("”") and statement.count('"') % 2 == 0


def _scored(
    text: str, span: Span, sentence: Span, content: _Content, kind: str | None = None
) -> Candidate:
    """The candidate for one statement; `kind` when the sentence decided it (a denial)."""
    spend(span.end - span.start)
    statement = text[span.start : span.end]
    core = attribution.without_asides(statement)  # "X, who voted against it, said" is not a vote
    kind = kind or ("denial" if _is_denial(core, content) else _type_of(core))
    if kind == "denial" and content.claimant == ARTICLE and content.authority:
        # The article reports the denial; the authority denies.
        denier = _denier(text, span)
        if denier:
            content = _Content(content.span, denier, False, True)
    found = found_in(statement)
    reasons: list[str] = []
    if kind in EVENT_TYPES or any(pattern in found for pattern in EVENT_TYPES.values()):
        reasons.append("event")  # "held without trial" is an arrest by its verb
    if kind in _CORE_EVENTS:  # the desk's first concern: ticked unless something speaks against
        reasons.append("arrest or death")
    if OFFICIAL_ACTION in found or (kind == "official_action" and _TABLED.search(statement)):
        reasons.append("official action")
    if kind == "denial":
        reasons.append("denial by an authority")
    if NUMBER.search(statement):
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


def _trimmed(text: str, start: int, end: int) -> Span:
    spend(end - start)
    left = _TRIM_LEFT.match(text, start, end)
    skip = left.end() if left else start
    while end > skip and (text[end - 1] in _TRIM_RIGHT or text[end - 1].isspace()):
        end -= 1
    return Span(skip, end)
