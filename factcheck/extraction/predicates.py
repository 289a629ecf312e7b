"""What a statement asserts: its main verb, the gravest event its verbs assert (its type), and
whether it holds a verb at all (a statement, not a description)."""

from __future__ import annotations

import re
from functools import lru_cache

from .budget import spend
from .lexicon import (
    BACKGROUND_WORDS,
    BARE_VERBS,
    CUSTODY_WORDS,
    DETERMINERS,
    DISPUTING_VERBS,
    EVENT_PHRASES,
    EVENT_TYPES,
    EVENT_VERBS,
    EVENT_WORDS,
    FINITE_VERBS,
    GRAVITY,
    HEARSAY_NOUNS,
    OFFICIAL_ACTION,
    OFFICIAL_NOUNS,
    OFFICIAL_WORDS,
    RELATIVE_WORDS,
    VERB_HELPERS,
    VERB_OBJECT_STARTS,
    found_in,
)

_CONTRACTIONS = ("'ve", "'re", "'ll", "'d", "n't", "'m")
# "Autopsies it commissioned found that ...": an inquiry's findings are typed by what they find.
_FINDINGS = re.compile(
    r"\b(?:investigations?|inquir(?:y|ies)|inquests?|probes?|autops(?:y|ies)|post-mortems?)"
    r"(?:\s++[\w’']++){0,3}?\s++(?:found|finds|showed|shows|revealed|concluded|suggested)\b",
    re.IGNORECASE,
)
_DEALT_WITH = frozenset(
    """document documents documented documenting covering monitor monitors
    monitored monitoring ignore ignores ignored ignoring prevent prevents preventing punish
    punishing combat combating combatting tackle tackling curb curbing""".split()
)
_REPORTS_OF = re.compile(r"\b(?:reports?|allegations?|accounts?|rumou?rs)\s++of\b", re.I)
_POSSESSIVE = re.compile(r"[\w-]++(?:['’]s?)(?![\w])")
# Between two events of a list: a comma or "and"/"or", at most two other words.
_LIST_GAP = re.compile(
    r"(?:,\s*+(?:(?:and|or)\s++)?|\s++(?:and|or)\s++)(?:[\w-]++\s++){0,2}+", re.IGNORECASE
)
_TO_DEATH = re.compile(r"\bto\s++death\b", re.IGNORECASE)
# The events the desk looks at first: arrests and deaths.
CORE_EVENTS = frozenset({"arrest", "death"})
WORD = re.compile(r"[\w'-]++")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_'-]++")  # the same on ASCII text, without a Unicode test


def _lower_words(statement: str) -> list[str]:
    """The statement's words in lower case, with curly apostrophes made straight."""
    folded = statement.lower().replace("’", "'")
    return (_ASCII_WORD if folded.isascii() else WORD).findall(folded)


_PREPOSITIONS = frozenset("""in at on of for to by from with about near inside outside""".split())
# The words `_gravest_predicate` can type an event by (the first of a phrase, "held").
_EVENT_WORDS = frozenset([*EVENT_VERBS, *(first for first, _ in EVENT_PHRASES), "held"])
_SUBORDINATOR = re.compile(
    r"\b(?:when|where|because|after|before|as|while|since|although|though|which|who|whom"
    r"|until|if)\s++",
    re.IGNORECASE,
)


def main_verb(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where the first finite verb of `text[start:end]` is, and its head word (after helper
    words): ("has alleged" -> "alleged"), None if there is none."""
    at = None
    for match in WORD.finditer(text, start, end):
        word = match.group().lower()
        if at is None and word not in FINITE_VERBS:
            continue
        at = match.start() if at is None else at
        if word not in VERB_HELPERS:
            return at, word
    return None if at is None else (at, "")


def type_of(statement: str) -> str:
    """The type of what the statement asserts. Its main predicates first: the event verbs
    outside relative and background clauses ("detainees were tortured" is abuse, not arrest), the
    gravest of them when there are several ("were detained and beaten" is abuse). Without one, the
    first event or official act it names; "other" if it names none."""
    asserted = _predicate_type(statement)
    if asserted == "abuse" and _TO_DEATH.search(statement):
        return "death"  # "they beat him to death"
    if asserted is not None:
        return asserted
    found = found_in(statement)
    if OFFICIAL_ACTION in found:  # no event asserted: the act is ("face assault charges")
        return "official_action"
    hits = [(found[pattern], kind) for kind, pattern in EVENT_TYPES.items() if pattern in found]
    if OFFICIAL_NOUNS in found and not _FINDINGS.search(statement):
        hits.append((found[OFFICIAL_NOUNS], "official_action"))
    # "He was in police custody when he died": the time clause's death, over the custody noun.
    background = _gravest_predicate(statement)[1]
    if background is not None and all(kind == "arrest" for _, kind in hits):
        return background
    if not hits:
        return "other"
    # "the detainees’ travel documents": people named by an event do not assert it; nor do
    # events someone documents, ignores or works to prevent ("documenting rights abuses").
    hits = [
        (at, kind)
        for at, kind in hits
        if not _POSSESSIVE.match(statement, at)
        and not (
            kind in GRAVITY
            and _DEALT_WITH.intersection(WORD.findall(statement[max(0, at - 40) : at].lower())[-4:])
        )
    ]
    if not hits:
        return "other"
    first = min(at for at, _ in hits)
    # Where two readings start at one word ("custody" / "custody deaths"), the graver wins; an
    # abuse "to death" is a death ("accused them of torturing him to death"); of a list of
    # events ("detaining, beating and torturing"), the gravest.
    kinds = [k for at, k in hits if at == first]
    if not _REPORTS_OF.search(statement, max(0, first - 80), first):
        # ("reports of authorities detaining, torturing and killing": the seed's convention,
        # C18, types reported lists by the first event named.)
        kinds += _listed(statement, first)
    kind = max(kinds, key=lambda k: GRAVITY.get(k, 0))
    death = EVENT_TYPES["death"]
    return "death" if kind == "abuse" and death in found and _TO_DEATH.search(statement) else kind


def _listed(statement: str, at: int) -> list[str]:
    """The types of the events listed with the one at `at`: "disappearances, torture, and
    extrajudicial killings" (a comma, "and" or "or", at most two words between)."""
    kinds = []
    end = at
    for match in WORD.finditer(statement, at):
        kind = EVENT_WORDS.get(match.group().lower())
        if match.start() == at and kind is None:
            return []  # not an event word ("investigations into ...")
        if kind is None:
            continue
        if end != at and not _LIST_GAP.fullmatch(statement, end, match.start()):
            break
        kinds.append(kind)
        end = match.end()
    return kinds


def _predicate_type(statement: str) -> str | None:
    """The gravest event the statement's verbs assert, None if no verb asserts one."""
    spend(len(statement))  # counted here, not in the cache, so a count never depends on it
    return _gravest_predicate(statement)[0]


@lru_cache(maxsize=64)
def _gravest_predicate(statement: str) -> tuple[str | None, str | None]:
    """The gravest event asserted, and the first one a time clause names ("when he died")."""
    words = _lower_words(statement)
    if _EVENT_WORDS.isdisjoint(words):  # no word that can name an event: most statements
        return None, None
    gravest, official, background = None, False, None
    for i, word in enumerate(words):
        if word == "that" and i and words[i - 1] in HEARSAY_NOUNS and official:
            break  # "investigating accusations that ...": alleged, not asserted
        kind = EVENT_VERBS.get(word)
        following = words[i + 1] if i + 1 < len(words) else ""
        kind = EVENT_PHRASES.get((word, following), kind)
        if word == "held" and kind is None and CUSTODY_WORDS.intersection(words[i + 1 : i + 6]):
            kind = "arrest"
        official = official or word in OFFICIAL_WORDS
        if kind is not None and _in_background(words, i):
            background = background or kind  # "he was in custody when he died"
        if kind is None or not _is_predicate(words, i):
            continue
        if official and words[i - 1] not in VERB_HELPERS:
            continue  # "calls on X to release reporters held without charge": a participle
        if gravest is None or GRAVITY[kind] > GRAVITY[gravest]:
            gravest = kind
    return gravest, (None if official else background)


def _in_background(words: list[str], i: int) -> bool:
    """Is the verb at `i` in a time clause ("when he died") rather than a relative one?"""
    j = i - 1
    while j >= 0 and i - j <= 4 and words[j] in VERB_HELPERS:
        j -= 1
    near = words[max(0, i - 5) : i]
    return j >= 0 and words[j] not in RELATIVE_WORDS and any(w in BACKGROUND_WORDS for w in near)


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


def any_event(statement: str) -> bool:
    found = found_in(statement)
    return any(pattern in found for pattern in EVENT_TYPES.values())


def _third_person(word: str) -> str:
    """The bare verb of a third-person form: "denies" -> "deny", "rejects" -> "reject"."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else ""


def has_verb(statement: str) -> bool:
    """Does the statement hold a finite verb (or a participle that stands for one: "some even
    killed")? "A 6 percent rise over last year", "In the district of X, near the border" and
    "Amid reports of arrests" do not: descriptions, not statements."""
    spend(len(statement))
    words = _lower_words(statement)
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
        if i and before not in DETERMINERS and _third_person(word) in DISPUTING_VERBS:
            return True  # "the government denies mistreating anyone"
    return False


def after_subordinator(who: str) -> str:
    """`It was 2am when guards (say)` -> `guards`; `the man, who police (say)` -> `police`: the
    speaker of a reporting verb inside a subordinate clause is the clause's subject, a few words
    with no verb of their own (`a miner who died in custody (has alleged)` keeps its subject)."""
    last = next(reversed(list(_SUBORDINATOR.finditer(who))), None)
    if last is None:
        return who
    subject = who[last.end() :]
    words = subject.split()
    if not 0 < len(words) <= 6 or words[0].lower() in _PREPOSITIONS or has_verb(subject):
        return who  # "who died while in police custody": no subject
    return subject
