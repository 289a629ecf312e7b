"""Scores the extractor against a reference annotation: a candidate matches a reference claim
when their spans overlap; the best match is the one overlapping most (then the tightest)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from factcheck.extraction import Candidate, extract_candidates

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "seeds/chechnya-2017/article.txt", ROOT / "seeds/chechnya-2017/claims.json")
OWN_ARTICLES = {
    path.stem: (path, path.with_suffix(".json"))
    for path in sorted((Path(__file__).parent / "articles").glob("*.txt"))
}
_CLAIMANT_NOISE = frozenset({"the", "a", "an", "for", "of", "to", "by"})


@dataclass
class Figures:
    name: str
    references: int
    matched: list[str]
    missed: list[str]
    precision_hits: int
    precision_total: int
    type_correct: int
    claimant_correct: int
    wrong: list[str]

    @property
    def recall(self) -> float:
        return len(self.matched) / self.references

    @property
    def precision(self) -> float:
        return self.precision_hits / self.precision_total if self.precision_total else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / len(self.matched) if self.matched else 0.0

    @property
    def claimant_accuracy(self) -> float:
        return self.claimant_correct / len(self.matched) if self.matched else 0.0

    def report(self) -> str:
        return (
            f"{self.name}: recall {len(self.matched)}/{self.references}"
            f" | precision@0.5 {self.precision_hits}/{self.precision_total}"
            f" | type {self.type_correct}/{len(self.matched)}"
            f" | claimant {self.claimant_correct}/{len(self.matched)}"
            + (f" | missed {', '.join(self.missed)}" if self.missed else "")
            + (f" | wrong {'; '.join(self.wrong)}" if self.wrong else "")
        )


def load(text_path: Path, reference_path: Path) -> tuple[str, list[dict]]:
    return text_path.read_text(encoding="utf-8"), json.loads(reference_path.read_text("utf-8"))


def claimant_words(name: str) -> frozenset[str]:
    name = re.sub(r"\([^)]*\)", "", name.replace("’", "'").lower())
    return frozenset(re.findall(r"[\w']+(?:-[\w']+)*", name)) - _CLAIMANT_NOISE


def same_claimant(found: str, expected: str) -> bool:
    """ "Eliot Engel" is "U.S. Rep. Eliot Engel"; "spokesman for the government" is
    "government spokesman": one name's words are all in the other's."""
    a, b = claimant_words(found), claimant_words(expected)
    return bool(a and b) and (a <= b or b <= a)


def _overlap(c: Candidate, ref: dict) -> int:
    return min(c.span_end, ref["span_end"]) - max(c.span_start, ref["span_start"])


def evaluate(name: str, text: str, references: list[dict]) -> Figures:
    candidates = extract_candidates(text)
    figures = Figures(name, len(references), [], [], 0, 0, 0, 0, [])
    for ref in references:
        overlapping = [c for c in candidates if _overlap(c, ref) > 0]
        if not overlapping:
            figures.missed.append(ref["key"])
            continue
        best = max(overlapping, key=lambda c: (_overlap(c, ref), c.span_start - c.span_end))
        figures.matched.append(ref["key"])
        if best.claim_type == ref["claim_type"]:
            figures.type_correct += 1
        else:
            figures.wrong.append(f"{ref['key']} type {best.claim_type}")
        if same_claimant(best.claimant, ref["claimant"]):
            figures.claimant_correct += 1
        else:
            figures.wrong.append(f"{ref['key']} claimant {best.claimant!r}")
    confident = [c for c in candidates if c.score >= 0.5]
    figures.precision_total = len(confident)
    figures.precision_hits = sum(any(_overlap(c, r) > 0 for r in references) for c in confident)
    return figures
