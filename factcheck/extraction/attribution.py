"""Who makes a claim: read from attributions around direct quotes (`"...," X said`, `said X`,
`she added`), indirect speech (`X reported that`, `X told Y that`, `X has said`) and `according
to X`. Pronouns link back to the last named speaker; with no attribution the article itself is
the claimant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .budget import spend
from .lexicon import (
    ADVERBIAL_STARTS,
    APPOSITIVE_STARTS,
    AUTHORITY,
    FINITE_VERBS,
    ORGANISATION_WORDS,
    PRONOUNS,
    SPEECH_VERBS,
    TIME_LINKS,
    TIME_WORDS,
    TITLES,
)
from .lexicon import (
    CIRCUMSTANCE_STARTS as _CIRCUMSTANCE_STARTS,
)
from .lexicon import (
    CLAUSE_WORDS as _CLAUSE_WORDS,
)
from .predicates import after_subordinator
from .sources import CONJUNCTION, WHO_MAX, described_from, hearsay, names_a_role, source_of
from .text import drop_parentheses as _drop_parentheses

# The claimant of a statement that is the article's own. The extractor imports nothing of the
# application, so the rest of it spells this `factcheck.vocabulary.CLAIMANT_ARTICLE` (a test
# keeps the two equal).
ARTICLE = "the article"

_VERB = rf"(?:{SPEECH_VERBS})"
# At most four helper words, taken without backtracking ("has also previously said"); with a
# bounded speaker (`_WHO_MAX`) this keeps every pattern linear on hostile text ("has has has ...").
# Adverbs between a speaker and the verb are not the speaker: "Police initially said".
_ADVERBS = "initially|originally|first|now|again|publicly|privately|officially|subsequently"
_ADVERBS += "|reportedly|allegedly"
_AUX_WORDS = (
    f"has|have|had|was|were|is|also|since|previously|repeatedly|later|earlier|once|{_ADVERBS}"
)
# Without "was", "were", "is": "..., 40 staff were dismissed." is passive, not an attribution.
_ACTIVE_AUX_WORDS = f"has|have|had|also|since|previously|repeatedly|later|earlier|once|{_ADVERBS}"
_AUX = rf"(?:(?:{_AUX_WORDS})\s+){{0,4}}+"
_WHO_MAX = WHO_MAX
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
    # (A colon in a time, "2:00am", is no quote's colon.)
    rf"(?P<who>(?:[^;:“”\"]|:(?=\d)){{1,{_WHO_MAX}}}?)(?<!\s)\s++{_AUX}(?P<verb>{_VERB})\b(?P<rest>.*)",
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
# "X was quoted as saying (that)", "X was quoted by Y as saying".
_QUOTED_AS = re.compile(
    r"\s++(?:was|were|is|has\s++been|had\s++been)\s++quoted\s++(?:[a-z]++(?<=ly)\s++)?(?:by\s++[^,;:]{1,80}?\s++)?"
    r"as\s++say(?:ing)?\b[\s:,]*+(?:that\s++)?",
    re.IGNORECASE,
)
# "The report cites X claiming (that)", "cited X as saying", "quoted X as saying".
_CITES = re.compile(
    r"\b(?:cit|quot)(?:es|ed|ing)\s++(?P<who>[^,;:“”\"]{1,120}?)\s++"
    r"(?:as\s++saying|claiming|saying|who\s++(?:said|says|claimed|claims))\b[\s:,]*+(?:that\s++)?",
    re.IGNORECASE,
)
# A sentence ending in its attribution: "..., the rights group said (on Tuesday)." and
# "..., said Mira Osei, a lawyer." Searched in the sentence's last `_BEFORE_QUOTE_MAX` characters.
_FINAL_NAME_FIRST = re.compile(
    rf",\s++(?!(?:which|who|and|but|as|while|where|when)\b)"
    rf"(?P<who>[^,;:“”\"]{{1,{_WHO_MAX}}}?)(?<!\s),?\s++(?:(?:{_ACTIVE_AUX_WORDS})\s++){{0,4}}+(?P<verb>{_VERB})"
    r"(?P<tail>(?:\s++[^\s,;:“”\"]++){0,6}+)(?:,\s*+(?P<after>[^,;:“”\"]{1,100}))?"
    r"\s*+[.!?]?[\s”\"’]*+$",
    re.IGNORECASE,
)
_FINAL_VERB_FIRST = re.compile(
    rf",\s++{_VERB}\s++(?P<who>[^;:“”\"]{{1,{_WHO_MAX}}}?)\s*+[.!?]?[\s”\"’]*+$",
    re.IGNORECASE,
)
# "..., the agency quoted X as saying." / "..., X was quoted as saying (by the agency).": X.
_FINAL_QUOTED = re.compile(
    r",\s++(?:[^,;:“”\"]{1,80}?\s++quoted\s++(?P<who>[^,;:“”\"]{1,80}?)\s++as\s++saying"
    r"|(?P<quoted>[^,;:“”\"]{1,80}?)\s++(?:was|were)\s++quoted\s++as\s++saying"
    r"(?:\s++by\s++[^,;:“”\"]{1,80}?)?)\s*+[.!?]?[\s”\"’]*+$",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(r"\baccording to (?P<who>[^,.;:]+)", re.IGNORECASE)
_TRAILING_RELATIVE = re.compile(r"\s++(?:who|whose)\s[^,]*+$")
_RELATIVE = re.compile(r",\s*+(?:who|which)\b[^,]*+,?")
# Longest text before an opening quote that can hold `X said:` (speaker, helper words, verb).
_BEFORE_QUOTE_MAX = _WHO_MAX + 100
_LEADING = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|then|in\s+\w+|the)\b[\s,]*)+", re.I)
_NAME_WORD = re.compile(r"^[A-Z][\w’'.\-]*$")
_NAME_MAX = 60
_NAME_START = re.compile(rf"[A-Z][\w’'.\-]{{0,{_NAME_MAX - 1}}}")
_WORDISH = re.compile(r"[\w-]")
_REASONS = ("because ", "after ", "before ", "when ", "since ", "until ", "as ", "although ")
_TOLD_WHOM = frozenset("""reporters journalists the a an local state""".split())
_CAPITAL_FUNCTION_WORDS = frozenset("For Of And The In On At".split())


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


def without_asides(text: str) -> str:
    """`X, who ..., said` -> `X said`: relative clauses and parentheses are not the speaker."""
    return _RELATIVE.sub("", _drop_parentheses(text)) if "(" in text or "," in text else text


def clean_name(raw: str) -> str | None:
    """A readable claimant from the words around a reporting verb, or None if it is not a name."""
    name = without_asides(raw).strip(" ,")
    # "The widow of a miner who died in custody (has alleged)": the clause says whose family.
    name = _TRAILING_RELATIVE.sub("", name) if "who" in name else name
    name = _pick_segment(name) if "," in name else name
    name = _LEADING.sub("", name.strip(" ,.;:—–-")).strip()
    name = _without_time(name)
    name = _person_of(name)
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
    # "Health Minister Ana Ruiz" -> "Ana Ruiz": the name starts after the last title; not in the
    # name of an organisation ("Justice For All", "the Open Justice Trust").
    organisation = words and (
        words[-1].lower() in ORGANISATION_WORDS
        or any(w in _CAPITAL_FUNCTION_WORDS for w in words[1:])
    )
    for i in range(-1 if organisation else len(words) - 2, -1, -1):
        if words[i].lower().strip(",") in TITLES and _NAME_WORD.match(words[i + 1]):
            words = words[i + 1 :]
            break
    if words and words[0].islower() and words[0] in {"a", "an"}:
        words[0] = words[0].capitalize()
    return " ".join(words) or None


def _person_of(name: str) -> str:
    """`Ana Ruiz of the human rights group Open Door` -> `Ana Ruiz`: a person's name (two or
    more capitalised words, not an organisation's) before "of" and an affiliation."""
    head, of, _ = name.partition(" of ")
    words = head.split()
    if (
        of
        and len(words) >= 2
        and all(word[:1].isupper() for word in words)
        and words[-1].lower() not in ORGANISATION_WORDS
        and not any(word.lower() in TITLES for word in words)
    ):
        return head
    return name


def _pick_segment(name: str) -> str:
    """Of `X, Y, Z said`, the segment that names the speaker: not a time or place adverbial ("In
    April", "last month"), not an age ("41"), and a name rather than its appositive ("Ana Ruiz,
    chairman of the committee"; "the guard, Ivo Petrov"); the last of equals."""
    segments = [CONJUNCTION.sub("", seg.strip()) for seg in name.split(",")]
    kept = [seg for seg in segments if seg and not _is_adverbial(seg)]
    if not kept:
        return segments[-1]
    names = [seg for seg in kept if _is_name_like(seg)]
    return (names or kept)[-1]


def _is_adverbial(segment: str) -> bool:
    if not (words := segment.split()):
        return True
    first = words[0].lower()
    if first in ADVERBIAL_STARTS or all(w.lower().strip(".") in TIME_WORDS for w in words):
        return True
    return segment.replace(" ", "").isdigit()  # an age


def _is_name_like(segment: str) -> bool:
    """A proper name ("Lena Varga", "Petrov's lawyer") rather than a description ("a spokesman for
    the sheriff", "chairman of ...") or a clause ("Five men were detained in the raid")."""
    words = segment.split()
    first = words[0]
    if first.lower() == "the" and len(words) > 1 and words[1][:1].isupper():
        first = words[1]  # "The Committee to Protect ...", "the Kestrel Courier"
    return (
        first[:1].isupper()
        and not names_a_role(words)
        and first.lower() not in APPOSITIVE_STARTS
        and first.lower() not in TITLES
        and len(words) <= 6
    )


def _without_time(name: str) -> str:
    """`Interior Ministry on Tuesday` -> `Interior Ministry`: time words at either end go."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".") in TIME_WORDS:
        words.pop()
        while len(words) > 1 and words[-1].lower() in TIME_LINKS:
            words.pop()
    while len(words) > 1 and words[0].lower() in TIME_LINKS | TIME_WORDS:
        words.pop(0)
    return " ".join(words)


def after_quote(outside: str, speakers: Speakers) -> str | None:
    """The speaker named after a closing quote: `..., X said`, `said X`, `she added`."""
    spend(len(outside))
    outside = outside.replace("\n", " ")  # "spokesman Ivo\nPetrov told": a wrapped name
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


def final(sentence: str, speakers: Speakers) -> tuple[str, int] | None:
    """An attribution that ends the sentence ("..., police said.", "..., said X, a lawyer.",
    "..., officials said on Sunday, a day before the rally."):
    (claimant, where the attribution's comma is in `sentence`)."""
    spend(len(sentence))
    if "," not in sentence or not _may_report(sentence):
        return None
    start = max(0, len(sentence) - _BEFORE_QUOTE_MAX)
    start = sentence.find(",", start)
    if "quoted" in sentence[start:]:
        at = start
        while at != -1:
            if (m := _FINAL_QUOTED.match(sentence, at)) and (
                who := _resolve(m.group("who") or m.group("quoted"), speakers)
            ):
                return who, at
            at = sentence.find(",", at + 1)
    while start != -1:
        m = _FINAL_NAME_FIRST.match(sentence, start) or _FINAL_VERB_FIRST.match(sentence, start)
        if (
            m
            and _speaker_words(m.group("who"))
            and _only_circumstances(m.groupdict().get("tail") or "", m.groupdict().get("verb"))
            and not _is_clause(m.groupdict().get("after") or "")
            and (who := _resolve(m.group("who"), speakers))
        ):
            return who, described_from(sentence, start)  # "..., his lawyer, Ana Ruiz, said"
        start = sentence.find(",", start + 1)
    return None


def _only_circumstances(tail: str, verb: str | None) -> bool:
    """Do the words after a final reporting verb say only when, where or to whom ("on Tuesday",
    "in a statement", "told reporters"), not what ("denied that ...", "rejected the report")?"""
    words = tail.lower().replace(".", " ").split()
    if any(word in FINITE_VERBS for word in words):
        return False  # "Amnesty said at least two men had died": what, not when
    if not words or all(word in TIME_WORDS for word in words):
        return True  # "police said Thursday" (wire style: a day with no "on")
    if verb and verb.lower() in {"told", "tells"}:
        # "told reporters", "told AFP", "told Varno Radio on Monday"
        named = tail.split()[0][:1].isupper()
        return (words[0] in _TOLD_WHOM or named) and "that" not in words
    return words[0] in _CIRCUMSTANCE_STARTS and "that" not in words


def _is_clause(words: str) -> bool:
    """ "adding that ...", "which it denies": not a circumstance ("a day before the rally");
    "citing witnesses" names the reporter's source, not what they said."""
    if words.lower().startswith(("citing ", *_REASONS)):
        return False  # "..., the prosecutors said, because they acted lawfully": still theirs
    return any(word in _CLAUSE_WORDS or word.endswith("ing") for word in words.lower().split())


def _speaker_words(who: str) -> bool:
    """Can `who` name a speaker: a few words with no verb ("said his client would appeal" is a
    clause)?"""
    words = who.split(",")[0].split()
    return (
        0 < len(words) <= 8
        and not words[0][0].isdigit()  # "..., 40 staff dismissed": a number of people
        and not any(w.lower() in _CLAUSE_WORDS for w in words)
        and not any(w in FINITE_VERBS for w in words)  # "said the man fell ill" (not "May")
    )


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
        source = source_of(m.group("who"))
        # "according to a rights activist and a leading newspaper in ...": too long for one
        # name, the first of the sources stands for them.
        who = _resolve(source, speakers) or _resolve(source.split(" and ")[0], speakers)
        if who:
            return who, m.start(), 0
    if (heard := hearsay(clause)) and (who := _resolve(heard[0], speakers)):
        return who, heard[1], heard[2]  # "local reports suggested (that) ..."
    if "quoted" in clause and (m := _QUOTED_AS.search(clause)):
        who = _resolve(clause[max(0, m.start() - _WHO_MAX) : m.start()], speakers)
        if who:
            return who, m.start(), m.end()
    if ("cit" in clause or "quot" in clause) and (m := _CITES.search(clause)):
        who = _resolve(m.group("who"), speakers)
        if who:
            return who, m.start("who"), m.end()
    m = _INDIRECT.match(clause) if _may_report(clause) else None
    if m and len(m.group("who").split()) <= 14:
        who = after_subordinator(m.group("who"))
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
