"""Who makes a claim: read from attributions around direct quotes (`"...," X said`, `said X`,
`she added`), indirect speech (`X reported that`, `X told Y that`, `X has said`) and `according
to X`. Pronouns link back to the last named speaker; with no attribution the article itself is
the claimant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .budget import spend
from .lexicon import AUTHORITY, PRONOUNS, SPEECH_VERBS, TITLES

# The claimant of a statement that is the article's own. The extractor imports nothing of the
# application, so the rest of it spells this `factcheck.vocabulary.CLAIMANT_ARTICLE` (a test
# keeps the two equal).
ARTICLE = "the article"

_VERB = rf"(?:{SPEECH_VERBS})"
# At most four helper words, taken without backtracking ("has also previously said"); with a
# bounded speaker (`_WHO_MAX`) this keeps every pattern linear on hostile text ("has has has ...").
_AUX_WORDS = "has|have|had|was|were|is|also|since|previously|repeatedly|later|earlier|once"
_AUX = rf"(?:(?:{_AUX_WORDS})\s+){{0,4}}+"
_WHO_MAX = 150  # characters: longer is a clause, not a speaker
# A speaker ends at a word (`(?<!\s)`), so the spaces after it are read once, not once for each of
# the speaker's possible lengths.
_AFTER_QUOTE_PRONOUN = re.compile(rf"^\W*(?P<who>he|she|they)\s+{_VERB}\b", re.IGNORECASE)
_AFTER_QUOTE_VERB_FIRST = re.compile(
    rf"^\W*{_VERB}\s++(?P<who>[^,;:()]{{1,{_WHO_MAX}}}?)(?<!\s)\s*+(?:\(|,|;|\.?\s*+$)",
    re.IGNORECASE,
)
_AFTER_QUOTE_NAME_FIRST = re.compile(
    rf"^\W*+(?P<who>.{{1,{_WHO_MAX}}}?)(?<!\s)\s++{_AUX}{_VERB}\b", re.IGNORECASE
)
_BEFORE_QUOTE = re.compile(
    rf"(?P<who>[^,.;“\"]{{1,{_WHO_MAX}}}?)(?<!\s)\s++{_AUX}{_VERB}\s*+[:,]?\s*+$", re.IGNORECASE
)
_INDIRECT = re.compile(
    rf"(?P<who>[^;:“”\"]{{1,{_WHO_MAX}}}?)(?<!\s)\s++{_AUX}(?P<verb>{_VERB})\b(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
# The reporting verbs that hold no other one (`say` stands for `says` too): one of them is in
# any text holding a reporting verb.
_VERB_CORES = tuple(
    verb
    for verb in SPEECH_VERBS.split("|")
    if not any(other != verb and other in verb for other in SPEECH_VERBS.split("|"))
)
_THAT = re.compile(r"\s*(?:[^\s,;]+\s+){0,5}?that\s+")
_PREPOSITIONS = frozenset("""for of to at from with by in on about""".split())
_ACCORDING_TO = re.compile(r"\baccording to (?P<who>[^,.;:]+)", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*+(?:who|which)\b[^,]*+,?")
# Longest text before an opening quote that can hold `X said:` (speaker, helper words, verb).
_BEFORE_QUOTE_MAX = _WHO_MAX + 100
_LEADING = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|then|in\s+\w+|the)\b[\s,]*)+", re.I)
_NAME_WORD = re.compile(r"^[A-Z][\w’'.\-]*$")
_NAME_MAX = 60
_NAME_START = re.compile(rf"[A-Z][\w’'.\-]{{0,{_NAME_MAX - 1}}}")
_WORDISH = re.compile(r"[\w-]")


@dataclass
class Speakers:
    """The article's speakers so far: resolves pronouns and bare surnames to full names."""

    text: str
    last_person: str | None = None
    authorities: set[str] = field(default_factory=set)  # "Health Minister Ana Ruiz" -> Ana Ruiz
    _full_names: dict[str, str] | None = None  # surname -> full name, read in one pass

    def is_authority(self, name: str) -> bool:
        return name in self.authorities or bool(AUTHORITY.search(name))

    def remember(self, name: str) -> None:
        if name != ARTICLE:
            self.last_person = name

    def pronoun(self, word: str) -> str | None:
        return self.last_person if word.lower() in PRONOUNS else None

    def full_name(self, name: str) -> str:
        """`Smith` -> `Jane Smith` when the article names her in full somewhere."""
        if " " in name or not _NAME_WORD.match(name):
            return name
        if self._full_names is None:
            self._full_names = _full_names(self.text)
        return self._full_names.get(name, name)


def _full_names(text: str) -> dict[str, str]:
    """Each name word's first full form in `text`: the one to three capitalised words before it
    (titles left out), `Jane Smith` for `Smith`. One pass over the words, whatever the number of
    names asked for; a name is at most `_NAME_MAX` characters."""
    spend(len(text))
    found: dict[str, str] = {}
    words = text.split()  # the runs of non-space characters, as `\S+` finds them
    # The words `_NAME_START` can match (checked quickly), the first word left out.
    capitalised = [i for i, word in enumerate(words) if "A" <= word[0] <= "Z" and i]
    for i in capitalised:
        word = words[i]
        before = []
        for previous in words[max(0, i - 3) : i][::-1]:
            if not ("A" <= previous[0] <= "Z" and _NAME_WORD.match(previous)):
                break
            before.insert(0, previous)
        kept = [w for w in before if w.lower() not in TITLES]
        if not kept or any(w.endswith(".") for w in kept):
            continue
        # `Smith` in `Smith's` or `Smith,`: the name ends at the word's end, or before a
        # character that is not a word character or a hyphen (inside the run, an apostrophe
        # or a full stop).
        stop = _NAME_START.match(word).end()
        ends = [end for end in range(1, stop) if word[end] in "’'."]
        if stop == len(word) or not _WORDISH.match(word, stop):
            ends.append(stop)
        for end in ends:
            found.setdefault(word[:end], " ".join([*kept[-2:], word[:end]]))
    return found


def _drop_parentheses(text: str) -> str:
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


def without_asides(text: str) -> str:
    """`X, who ..., said` -> `X said`: relative clauses and parentheses are not the speaker."""
    return _RELATIVE.sub("", _drop_parentheses(text))


def clean_name(raw: str) -> str | None:
    """A readable claimant from the words around a reporting verb, or None if it is not a name."""
    name = _drop_parentheses(raw)
    name = _RELATIVE.sub("", name).strip(" ,")
    name = name.split(",")[-1] if "," in name else name
    name = _LEADING.sub("", name.strip(" ,.;:—–-")).strip()
    if (
        not name
        or len(name.split()) > 9
        or name.lower() in {"it", "this", "that", "there", "we", "i"}
    ):
        return None
    words = name.split()
    # "the national newspaper Acme Tribune" -> "Acme Tribune": the name after a descriptor.
    tail = []
    for word in reversed(words):
        if _NAME_WORD.match(word):
            tail.insert(0, word)
        else:
            break
    before_tail = words[len(words) - len(tail) - 1] if len(tail) < len(words) else ""
    if tail and before_tail.islower() and before_tail not in _PREPOSITIONS:
        words = tail
    # "Health Minister Ana Ruiz" -> "Ana Ruiz": the name starts after the last title.
    for i in range(len(words) - 2, -1, -1):
        if words[i].lower().strip(",") in TITLES and _NAME_WORD.match(words[i + 1]):
            words = words[i + 1 :]
            break
    if words and words[0].islower() and words[0] in {"a", "an"}:
        words[0] = words[0].capitalize()
    return " ".join(words) or None


def after_quote(outside: str, speakers: Speakers) -> str | None:
    """The speaker named after a closing quote: `..., X said`, `said X`, `she added`."""
    spend(len(outside))
    if m := _AFTER_QUOTE_PRONOUN.match(outside):
        return speakers.pronoun(m.group("who"))
    if m := _AFTER_QUOTE_VERB_FIRST.match(outside):
        return _resolve(m.group("who"), speakers)
    if m := _AFTER_QUOTE_NAME_FIRST.match(outside):
        return _resolve(m.group("who"), speakers)
    return None


def before_quote(outside: str, speakers: Speakers) -> str | None:
    """`X said: "..."`. The attribution ends the text, so only its end is searched, with its
    spaces collapsed."""
    spend(len(outside))
    tail = " ".join(outside.split())[-_BEFORE_QUOTE_MAX:]
    if m := _BEFORE_QUOTE.search(tail):
        return _resolve(m.group("who"), speakers)
    return None


def _may_report(clause: str) -> bool:
    """Can `clause` hold a reporting verb? A quick test that spares most clauses the (slower)
    `_INDIRECT` pattern. Only on ASCII text, where ignoring case is lower-casing: elsewhere
    (the long s matches `s`, the Kelvin sign `k`) the pattern decides."""
    if not clause.isascii():
        return True
    lowered = clause.lower()
    return any(verb in lowered for verb in _VERB_CORES)


def indirect(clause: str, speakers: Speakers) -> tuple[str, int, int] | None:
    """`X reported that ...`, `X told Y that ...`, `according to X`: (claimant, offset of the
    reporting verb, offset of the reported content) in `clause`."""
    spend(len(clause))
    if m := _ACCORDING_TO.search(clause):
        who = _resolve(m.group("who"), speakers)
        if who:
            return who, m.start(), 0
    m = _INDIRECT.match(clause) if _may_report(clause) else None
    if m and len(m.group("who").split()) <= 14:
        who = m.group("who")
        if who.strip().lower() in PRONOUNS:
            resolved = speakers.pronoun(who.strip())
        else:
            resolved = _resolve(who, speakers)
        if resolved:
            rest = m.group("rest")
            that = _THAT.match(rest)
            offset = m.start("rest") + (that.end() if that else 0)
            return resolved, m.start("verb"), offset
    return None


def _resolve(raw: str, speakers: Speakers) -> str | None:
    stripped = raw.strip()
    if stripped.lower() in PRONOUNS:
        return speakers.pronoun(stripped)
    name = clean_name(raw)
    if not name:
        return None
    name = speakers.full_name(name)
    if AUTHORITY.search(raw):
        speakers.authorities.add(name)
    return name
