"""Where claimed content is cut into statements: asides set off by dashes, a denial's reported
clauses, a compound statement's parts, and relative clauses that assert an event of their own."""

from __future__ import annotations

import re

from .budget import spend
from .lexicon import EVENT_PHRASES, EVENT_VERBS, GRAVITY, RELATIVE_WORDS, SPEECH_VERBS
from .predicates import CORE_EVENTS, WORD, any_event, has_verb, main_verb, type_of
from .text import TRIM_RIGHT, Span, trimmed

_DASH_ASIDE = re.compile(r"\s[—–]\s(?P<aside>[^—–]+?)\s[—–]\s")
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
# which". Entered at the first of a run of spaces (`\s(?<!\s\s)`: a space with none before it, so
# the engine skips to spaces), taken whole: linear.
_CLAUSE_BREAK = re.compile(
    r"\s(?<!\s\s)\s*+and\s++(?:(?=(?:many|some|most|others|several|dozens|hundreds|thousands"
    r"|scores|at\s++least|they|he|she|\d[\d,]*+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|the\s++(?:two|three|four|five|six|seven|eight|nine|ten))\s)"
    r"|that\s++"
    # "... detained forty farmers and killed two": a second verb with its own count.
    r"|(?=[a-z]++(?<=ed)\s++(?:at\s++least\s++)?(?:\d|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|dozens|hundreds|scores|several)\b))"
    r"|,(?<![\s,],)\s++(?=(?:during|in\s++the\s++course\s++of)\s++which\b)"
    r"|\s(?<![\s,]\s)\s*+(?=(?:during|in\s++the\s++course\s++of)\s++which\b)",
    re.IGNORECASE,
)
# Where a denial of several things is cut: each reported clause ("... and that ...").
_REPORTED_BREAK = re.compile(
    r"(?<!\s)\s++and\s++that\s++|;\s*+|,\s++but\s++"
    r"|(?<![\s,])\s++but\s++(?=(?:said|says|added|told)\b)",  # '"..." but said "..."'
    re.IGNORECASE,
)
_AGE = re.compile(r"\d{1,3},")
_AGE_BEFORE = re.compile(r",\s\d{1,3}$")
_PLACE_PREPOSITIONS = frozenset("in at near on outside inside from across along".split())
_QUOTE_MARKS = frozenset('“”"')
# "who (have) (been) died/detained": at most three helper words, each taken whole.
_RELATIVE_EVENT = re.compile(
    r"(?<=\s)who\s++(?:(?:had|has|have|was|were|is|are|been|being|later|then|also|allegedly"
    r"|reportedly)"
    r"\s++){0,3}+(?P<verb>[\w’'-]++)\s*+(?P<next>[\w-]*+)",
    re.IGNORECASE,
)
_CLAUSE_MAX = 300
_PLACE_MAX = 60  # characters: the longest place a "where" clause is given
# Words that give a verb its own count: "killed three", "detained dozens".
_COUNTS = frozenset(
    """one two three four five six seven eight nine ten dozens hundreds thousands scores several
    many some at more""".split()
)
_SPEECH_WORDS = frozenset(SPEECH_VERBS.split("|"))


def pieces(text: str, span: Span) -> list[Span]:
    """The statement, and any aside set off by dashes as a statement of its own."""
    body = text[span.start : span.end]
    if "—" not in body and "–" not in body:  # no dash, no aside: the common case, found quickly
        return [span]
    asides = list(_DASH_ASIDE.finditer(body))
    if not asides:
        return [span]
    pieces = [trimmed(text, span.start, span.start + asides[0].start())]
    for aside in asides:
        if len(aside.group("aside").split()) >= 4:
            pieces.append(
                trimmed(text, span.start + aside.start("aside"), span.start + aside.end("aside"))
            )
    # What follows the last aside is a statement too, when it has a verb ("... — and two of
    # them died"); otherwise it is dropped as a description.
    tail = trimmed(text, span.start + asides[-1].end(), span.end)
    if text.startswith("that ", tail.start, tail.end):  # "— and that 41 had been killed"
        tail = Span(tail.start + 5, tail.end)
    pieces.append(tail)
    return [p for p in pieces if p.end > p.start]


def denials(text: str, piece: Span) -> list[Span]:
    parts = [trimmed(text, a, b) for a, b in _parts(text, piece, _REPORTED_BREAK)]
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


def statements(text: str, piece: Span) -> list[Span]:
    """Split a compound statement where each part names its own event; merge the rest back
    (and a part with no verb, such as "and two teachers", into the part before it)."""
    body = text[piece.start : piece.end].lower()
    # The breaks with no comma need "and" or "which": most statements have neither.
    clauses = "and " in body or "which" in body
    if not clauses and "," not in body:  # no break can match: one part, its type unused
        return [trimmed(text, piece.start, piece.end)]
    splitters = (_STATEMENT_BREAK, _CLAUSE_BREAK) if clauses else (_STATEMENT_BREAK,)
    cuts = _parts(text, piece, *splitters)
    if len(cuts) == 1:
        return [trimmed(text, *cuts[0])]
    parts = [(a, b, type_of(text[a:b])) for a, b in cuts]
    merged: list[list] = []
    for a, b, kind in parts:
        # "said X and that Y": two reported statements, whatever their types.
        reported = merged and text[max(0, a - 6) : a].rstrip().lower().endswith(" that")
        if reported and has_verb(text[a:b]):
            merged.append([a, b, kind])
        elif merged and _subjectless(text[a:b]) and not _after_and(text, a):
            # "Men are being detained, tortured and killed": one subject, a list of verbs, one
            # statement typed by the gravest (issue 18: no suggestion without its subject).
            graver = max(merged[-1][2], kind, key=lambda k: GRAVITY.get(k, 0))
            merged[-1][1], merged[-1][2] = b, graver
        elif merged and (kind == "other" or not has_verb(text[a:b])):
            merged[-1][1] = b
        elif merged and merged[-1][2] == "other":
            merged[-1][1], merged[-1][2] = b, kind
        else:
            merged.append([a, b, kind])
    spans = [trimmed(text, a, b) for a, b, _ in merged]
    return [_with_place(text, span, piece.start) if i else span for i, span in enumerate(spans)]


def _with_place(text: str, span: Span, floor: int) -> Span:
    """A "where" clause with the place it is about: "the Varno jail, where two died", not
    "where two died" alone (issue 18). The place is the words after the last preposition
    before the comma, at most `_PLACE_MAX` characters back."""
    if not text.startswith("where ", span.start):
        return span
    comma = text.rfind(",", max(floor, span.start - 4), span.start)
    if comma == -1:
        return span
    window_start = max(floor, comma - _PLACE_MAX)
    words = list(WORD.finditer(text, window_start, comma))
    for word in reversed(words[1:]):
        if word.group().lower() in _PLACE_PREPOSITIONS | {"to", "into"}:
            return Span(word.end() + 1, span.end)
    return span


def _after_and(text: str, at: int) -> bool:
    """Does the part at `at` follow ", and" (the last of a list, which the seed annotation takes
    as its own statement: "rounded up, unlawfully detained, and tortured for information")?"""
    return text[max(0, at - 8) : at].rstrip().lower().endswith((", and", ",and"))


def _subjectless(part: str) -> bool:
    """Does the part start with a participle and name no count of its own ("tortured and
    killed by soldiers", not "killed three")?"""
    words = WORD.findall(part[:120].lower())
    if words and words[0].endswith("ly") and len(words) > 1:
        words = words[1:]  # "unlawfully detained"
    if not words or not (words[0] in EVENT_VERBS or words[0].endswith("ed")):
        return False
    following = words[1] if len(words) > 1 else ""
    return not (following[:1].isdigit() or following in _COUNTS)


def relative_events(text: str, statement: Span) -> list[tuple[Span, str, bool]]:
    """Relative clauses that assert an arrest or a death of their own ("two brothers who were
    detained for ...", "the widow of a miner who died in custody has alleged ..."): each a
    statement too, typed by its verb, up to the next comma or the main verb. Not when the main
    verb asserts an event itself ("the men who were arrested were shot dead")."""
    found = []
    for match in _RELATIVE_EVENT.finditer(text, statement.start, statement.end):
        words = WORD.findall(match.group("verb").lower())
        following = match.group("next").lower()
        kind = EVENT_PHRASES.get((words[0], following), EVENT_VERBS.get(words[0]))
        if kind not in CORE_EVENTS:
            continue
        # A clause is read for at most `_CLAUSE_MAX` characters: linear on "who ... who ...".
        far = min(statement.end, match.end("verb") + _CLAUSE_MAX)
        end = text.find(",", match.end("verb"), far)
        end = far if end == -1 else end
        spend(end - match.start())
        main = main_verb(text, match.end("verb"), end)
        if main is not None:  # the clause sits in the subject: of a speaker only
            at, verb = main
            if verb not in _SPEECH_WORDS:
                continue
            end = at
        found.append((trimmed(text, match.start(), end), kind, main is not None))
    return found


def is_fragment(statement: str) -> bool:
    """A place with a clause about it and nothing more ("In Kaldor, where the protests began"),
    or two words with no event or number ("Reported earlier")."""
    words = statement.split()
    if len(words) < 3:
        return not (any_event(statement) or any(char.isdigit() for char in statement))
    if words[0].lower() not in _PLACE_PREPOSITIONS or "," not in statement:
        return False
    after = statement.split(",", 1)[1].split()
    return bool(after) and after[0].lower() in RELATIVE_WORDS


def balanced(text: str, span: Span) -> bool:
    """Are the statement's quotation marks paired, counting the marks trimmed off its ends
    (`was "beaten,"` ends with its quote)?"""
    start, end = span.start, span.end
    body = text[start:end]
    if "“" not in body and "”" not in body and '"' not in body:
        return True
    while start > 0 and span.start - start < 3 and text[start - 1] in _QUOTE_MARKS:
        start -= 1
    while end < len(text) and end - span.end < 3 and text[end] in TRIM_RIGHT:
        end += 1
    statement = text[start:end]
    curly = statement.count("“") == statement.count("”")
    if curly and statement.count('"') % 2 == 0:
        return True
    # Mixed typography ("an "egregious example” of"): the marks still pair up in number.
    return sum(statement.count(mark) for mark in _QUOTE_MARKS) % 2 == 0
