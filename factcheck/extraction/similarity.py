"""Near-duplicate detection over normalised text: lower case, no punctuation, no stop words,
crude suffix stemming, so "were arrested" and "arrests" meet. Cosine similarity over word sets
plus word pairs, which rewards shared phrasing without needing word order to match exactly."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

_WORD = re.compile(r"[\w]+(?:['’-][\w]+)*")
STOP_WORDS = frozenset(
    """a an and are as at be been being but by for from had has have he her his i if in
    into is it its of on or our she so some than that the their them there these they
    this those to was we were which while who whom will with would even also very just
    over""".split()
)
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly")

K = TypeVar("K")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix == "ies" else stem
    return word


def normalise(text: str) -> list[str]:
    """Content words of `text`, lower-cased and stemmed, in order."""
    words = (w.replace("’", "'").lower() for w in _WORD.findall(text))
    return [_stem(w) for w in words if w not in STOP_WORDS and not w.isdigit() or w.isdigit()]


@lru_cache(maxsize=4096)  # the claims an article page compares with recur from page to page
def features(text: str) -> frozenset[str]:
    words = normalise(text)
    return frozenset([*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))])


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) .. 1 (the same content words in the same order)."""
    return _cosine(features(a), features(b))


def _cosine(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    return len(x & y) / math.sqrt(len(x) * len(y))


class SimilarityIndex:
    """Existing texts with their features computed once, to compare many candidates against
    (an article page checks every suggestion against thousands of claims)."""

    def __init__(self, existing: Iterable[tuple[K, str]]) -> None:
        self._items = [(key, features(text)) for key, text in existing]

    def near(self, text: str, threshold: float = 0.5) -> list[tuple[K, float]]:
        """(key, similarity) of the texts at least `threshold` similar to `text`, best first."""
        mine = features(text)
        found = ((key, _cosine(mine, theirs)) for key, theirs in self._items)
        return sorted(((k, round(s, 3)) for k, s in found if s >= threshold), key=lambda t: -t[1])


def find_near_duplicates(
    text: str, existing: Iterable[tuple[K, str]], threshold: float = 0.5
) -> list[tuple[K, float]]:
    """(key, similarity) of the `existing` texts at least `threshold` similar, best first."""
    return SimilarityIndex(existing).near(text, threshold)
