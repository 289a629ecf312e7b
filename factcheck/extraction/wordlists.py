"""Word lists matched by looking a text's words up in tables (issue 14: linear, and cheap on
every statement): the matcher behind the lists of `lexicon`."""

from __future__ import annotations

import re
from functools import lru_cache

from .budget import spend

_TOKEN = re.compile(r"([\w-]++)")
_ASCII_TOKEN = re.compile(r"([A-Za-z0-9_-]++)")  # the same on ASCII text, without a Unicode test
_GROUP = re.compile(r"\(\?:([^()]*)\)(\??)")


class Hit:
    """Where a word list matched (the part of `re.Match` the extractor reads)."""

    __slots__ = ("at",)

    def __init__(self, at: int) -> None:
        self.at = at

    def start(self) -> int:
        return self.at


class WordList:
    r"""Case-insensitive whole words from a space-separated list: `_` is a space between two
    words, `(?:a|b)` and `(?:a|b)?` spell variants. It matches where the regular expression
    `(?<![\w-])(?:word|...)(?![\w-])` would start, but by looking up the text's words in a
    table, once per word, instead of trying every entry at every character."""

    def __init__(self, pattern_list: str) -> None:
        for entry in pattern_list.split():
            for variant in _variants(entry):
                parts = re.split(r"(_|['’])", variant.lower())
                tokens, gaps = tuple(parts[0::2]), tuple(parts[1::2])
                if len(tokens) == 1:
                    _WORDS.setdefault(tokens[0], []).append(self)
                    _WORD_KEYS.add(tokens[0])
                else:
                    _PAIRS.setdefault(tokens[:2], []).append((self, tokens[1:], gaps))
                    _PAIR_KEYS.add(tokens[:2])

    def search(self, text: str) -> Hit | None:
        spend(len(text))  # counted here, not in the cache, so a count never depends on it
        at = _first_hits(text).get(self)
        return None if at is None else Hit(at)


# The one-word entries: each word's lists. The longer entries by their first two words: the
# lists, with the rest of the entry (after the first word) and its gaps.
_WORDS: dict[str, list[WordList]] = {}
_PAIRS: dict[tuple[str, ...], list[tuple[WordList, tuple[str, ...], tuple[str, ...]]]] = {}
_WORD_KEYS: set[str] = set()  # their keys as sets: a set intersection walks the smaller one
_PAIR_KEYS: set[tuple[str, ...]] = set()


def found_in(text: str) -> dict[WordList, int]:
    """Where each word list first matches in `text` (those that do not are left out): one
    look-up for a caller asking about several lists."""
    spend(len(text))
    return _first_hits(text)


@lru_cache(maxsize=16)
def _first_hits(text: str) -> dict[WordList, int]:
    """Where each word list first matches in `text` (lists that do not match are left out):
    one pass over the text's words, each looked up once for all the lists."""
    parts, tokens = _tokens(text)
    first: dict[WordList, int] = {}  # list -> index of the token its first match starts at
    # Only the words and pairs of words that start an entry are looked at (found by set
    # intersections, in C), each where it first occurs (`list.index`): a list's first match is
    # the earliest of its entries'.
    for token in _WORD_KEYS.intersection(tokens):
        at = tokens.index(token)
        for word_list in _WORDS[token]:
            if word_list not in first or at < first[word_list]:
                first[word_list] = at
    for pair in _PAIR_KEYS.intersection(zip(tokens, tokens[1:], strict=False)):
        for word_list, rest, gaps in _PAIRS[pair]:
            at = tokens.index(pair[0])
            while not _continues(parts, tokens, at, rest, gaps):
                at = _next_index(tokens, pair[0], at + 1)
                if at == -1:
                    break
            if at != -1 and (word_list not in first or at < first[word_list]):
                first[word_list] = at
    if not first:
        return first
    offsets, at, done = {}, 0, 0  # token index -> character offset, in one walk of the parts
    for i in sorted(set(first.values())):
        at += sum(map(len, parts[done : 2 * i + 1]))
        done = 2 * i + 1
        offsets[i] = at
    return {word_list: offsets[i] for word_list, i in first.items()}


def _next_index(tokens: list[str], token: str, start: int) -> int:
    try:
        return tokens.index(token, start)
    except ValueError:
        return -1


def _variants(entry: str) -> list[str]:
    """`round(?:ed|ing)?_up` -> round_up, rounded_up, rounding_up."""
    group = _GROUP.search(entry)
    if group is None:
        return [entry]
    options = group.group(1).split("|") + ([""] if group.group(2) else [])
    head, tail = entry[: group.start()], entry[group.end() :]
    return [v for option in options for v in _variants(head + option + tail)]


def _continues(parts, tokens, i, rest, gaps) -> bool:
    """Do the words after token `i` spell `rest`, each after its gap (`_`: spaces)?"""
    if i + len(rest) >= len(tokens):
        return not rest
    for k, (word, gap) in enumerate(zip(rest, gaps, strict=True)):
        between = parts[2 * (i + k) + 2]
        if tokens[i + k + 1] != word or not (between.isspace() if gap == "_" else between == gap):
            return False
    return True


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """`text` split into gap, word, gap, word... (words: maximal runs of word characters and
    hyphens) and its words lower-cased."""
    parts = (_ASCII_TOKEN if text.isascii() else _TOKEN).split(text)
    tokens = " ".join(parts[1::2]).lower().split(" ") if len(parts) > 1 else []
    return parts, tokens


def words(pattern_list: str) -> WordList:
    """A case-insensitive whole-word matcher from a space-separated list (`_` is a space)."""
    return WordList(pattern_list)


def single_words(word_list: WordList) -> frozenset[str]:
    """The one-word entries of a list (its phrases left out)."""
    return frozenset(token for token, lists in _WORDS.items() if word_list in lists)
