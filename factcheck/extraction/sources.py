"""Sources that are not a named speaker: documents ("a report by X": X), unnamed reports as a
clause's subject ("local reports suggested ..."), and the words that describe a speaker rather
than name one ("director of ...")."""

from __future__ import annotations

import re

from .lexicon import APPOSITIVE_STARTS, FINITE_VERBS

WHO_MAX = 150  # characters: longer is a clause, not a speaker

# "Reports surfaced last week that ...", "local reports suggested he was beaten", "rumours
# circulated that ...": the reports are the claimant. A clause's start only; bounded runs.
_HEARSAY_SUBJECT = re.compile(
    r"(?:^|(?<=[,;])\s*+(?:but\s++|and\s++)?)(?P<who>(?:[\w’'-]++\s++){0,2}?"
    r"(?:reports|rumou?rs|accounts|allegations|claims))\s++(?:have\s++|had\s++)?"
    r"(?:(?P<verb>surfaced|circulated|emerged|spread)(?:\s++[^\s,;]++){0,4}?\s++that"
    r"|(?P<verb2>suggested|suggest|indicated|indicate|showed|show)(?:\s++that)?)\s++",
    re.IGNORECASE,
)
# "a report by X", "a statement from X": the document is not the speaker, its author is.
_DOCUMENT = (
    r"(?:(?:a|an|the|its|their)\s++)?(?:(?:new|recent|latest|annual|joint|written|separate)\s++)?"
    r"(?:report|reports|statement|study|survey|investigation|analysis|count|tally|figures|data"
    r"|records|review|findings|documents|letter|complaint|indictment|lawsuit)"
)
_DOCUMENT_BY = re.compile(
    rf"{_DOCUMENT}\s++(?:by|from|of|released\s++by|published\s++by)\s++", re.I
)
_DOCUMENT_OF = re.compile(rf"(?P<who>.{{1,{WHO_MAX}}}?)['’]s?\s++{_DOCUMENT}\s*+$", re.I)
# Passive reporting: "The inquiry was told by a witness that ...": the agent;
# "The inquest heard that ...", "the court was told that ...": the body that heard it.
_TOLD_BY = re.compile(
    r"\b(?:was|were|had\s++been|has\s++been)\s++(?P<verb>told|informed)\s++by\s++"
    r"(?P<who>[^,;:“”\"]{1,80}?)\s++that\s++",
    re.IGNORECASE,
)
_HEARD = re.compile(
    r"(?P<who>(?:[\w’'-]++\s++){0,3}?(?:inquest|inquiry|court|tribunal|hearing|trial))\s++"
    r"(?P<verb>heard|was\s++told)\s++(?:that\s++)?",
    re.IGNORECASE,
)
HEARSAY_ENDS = ("reports", "rumours", "rumors", "accounts")
# "But Ana Ruiz, ...": a conjunction opening a segment is no part of it.
CONJUNCTION = re.compile(r"^(?:but|and|so|yet)\s++", re.I)
_ROLE_LINKS = frozenset("""of at for""".split())
_DESCRIBERS = APPOSITIVE_STARTS | frozenset("""his her their its""".split())


def hearsay(clause: str) -> tuple[str, int, int] | None:
    """`local reports suggested he was beaten`, `the inquiry was told by a witness that ...`:
    (the source as named, where the verb is, where the reported content starts), None if the
    clause has no such source."""
    passive = "told" in clause or "heard" in clause or "informed" in clause
    if passive and (m := _TOLD_BY.search(clause)):
        return m.group("who"), m.start(), m.end()  # the verb with its "was"
    if passive and (m := _HEARD.match(clause)):
        return m.group("who"), m.start("verb"), m.end()
    m = _HEARSAY_SUBJECT.search(clause)
    if m is None:
        return None
    return m.group("who"), m.start("verb") if m.group("verb") else m.start("verb2"), m.end()


def names_a_role(words: list[str]) -> bool:
    """ "Balkan programme director of the Harbour Institute": a role of a body describes a name."""
    return any(
        word in APPOSITIVE_STARTS and after in _ROLE_LINKS
        for word, after in zip(words, words[1:], strict=False)
    )


def source_of(raw: str) -> str:
    """`a report by X`, `X's report`, `a statement from X` -> X."""
    if m := _DOCUMENT_BY.match(raw):
        return raw[m.end() :]
    if m := _DOCUMENT_OF.match(raw):
        return m.group("who")
    return raw


def described_from(sentence: str, comma: int) -> int:
    """`..., his lawyer, Ana Ruiz, said`: where the speaker's description starts (the comma
    before "his lawyer"), or `comma` when the words before it are no description."""
    before = sentence.rfind(",", 0, comma)
    words = sentence[before + 1 : comma].lower().split()
    if before == -1 or not 0 < len(words) <= 5 or words[0] not in _DESCRIBERS:
        return comma
    clause = any(w in FINITE_VERBS or w.endswith("ed") for w in words)
    return comma if clause else before
