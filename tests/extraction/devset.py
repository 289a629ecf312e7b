"""The strict scorer and the dev set of real articles (`devset/`, annotated by `ANNOTATING.md`).

A suggestion (a candidate a reviewer is shown, score >= SHOW_FROM) matches a reference claim when
their spans overlap by at least half of the shorter span; suggestions and references are paired
one to one, greedily by overlap (largest first, then the tighter suggestion). Figures per article
and per split: recall (all and core), precision of suggestions scoring >= 0.5, type accuracy and
claimant accuracy (over matched pairs), the share of core claims pre-ticked (matched by a
suggestion scoring >= PRESELECT_FROM), and the loose figures of `quality.evaluate` beside them.

Print the table: `.venv/bin/python -m tests.extraction.devset` (`--notes`: the tune part's misses;
`--tune-only`: no per-article holdout rows, only its overall line) or
`.venv/bin/pytest -q -s -p no:cacheprovider tests/extraction/test_devset.py`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.extraction import Candidate, extract_candidates
from factcheck.workflow.candidates import PRESELECT_FROM, SHOW_FROM

from .quality import evaluate

DEVSET = Path(__file__).parent / "devset"
SPLITS = ("tune", "holdout")
CORE_TYPES = frozenset({"arrest", "death", "denial"})
CONFIDENT = 0.5  # precision is measured on suggestions scoring at least this
# Issue 17's targets on the held-out part (strict rule).
TARGETS = {
    "recall": 0.90,
    "core_recall": 0.95,
    "precision": 0.85,
    "type_accuracy": 0.85,
    "claimant_accuracy": 0.85,
    "core_preticked": 0.90,
}
# Left out of a claimant's name before comparing: articles, prepositions, honorifics.
_FILLER = frozenset(
    """the a an of for to by in at from on with and mr mrs ms dr rep sen u.s us""".split()
)


@dataclass(frozen=True)
class Article:
    slug: str
    meta: dict
    text: str | None  # None when the stored text is absent

    @property
    def split(self) -> str:
        return self.meta["split"]

    @property
    def claims(self) -> list[dict]:
        return self.meta["claims"]


def load_devset(folder: Path = DEVSET) -> list[Article]:
    articles = []
    for path in sorted(folder.glob("*.json")):
        text_path = path.with_suffix(".txt")
        text = text_path.read_text("utf-8") if text_path.exists() else None
        articles.append(Article(path.stem, json.loads(path.read_text("utf-8")), text))
    return articles


def name_words(name: str) -> frozenset[str]:
    """A claimant's core name: lower case, without parenthesised tags ("(D-R.I.)"), possessive
    's, and filler words."""
    name = re.sub(r"\([^)]*\)", " ", name.replace("’", "'").lower())
    name = re.sub(r"'s\b", "", name)
    words = re.findall(r"[\w'./-]+", name)
    return frozenset(w.strip(".'") for w in words if w.strip(".'") not in _FILLER) - {""}


def claimant_matches(found: str, reference: str, also: list[str] | tuple[str, ...] = ()) -> bool:
    """Case-insensitive core-name match: one name's words all among the other's, against the
    reference claimant or any of its `claimant_also` readings. "the article" matches only itself."""
    got = name_words(found)
    if not got:
        return False
    for expected in (reference, *also):
        want = name_words(expected)
        subset = got <= want or want <= got
        if want and subset and (got == {"article"}) == (want == {"article"}):
            return True
    return False


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and 2 * overlap(a, b) >= shorter


def pair(suggestions: list[Candidate], references: list[dict]) -> dict[int, Candidate]:
    """Reference index -> its suggestion, one to one, greedily by overlap."""
    options = []
    for r, ref in enumerate(references):
        ref_span = (ref["span_start"], ref["span_end"])
        for s, c in enumerate(suggestions):
            span = (c.span_start, c.span_end)
            if spans_match(span, ref_span):
                options.append((-overlap(span, ref_span), span[1] - span[0], r, s))
    options.sort()
    paired: dict[int, Candidate] = {}
    used: set[int] = set()
    for _, _, r, s in options:
        if r not in paired and s not in used:
            paired[r] = suggestions[s]
            used.add(s)
    return paired


@dataclass
class Strict:
    """Counts, so that articles add up to a split."""

    name: str
    references: int = 0
    core: int = 0
    matched: int = 0
    core_matched: int = 0
    confident: int = 0
    confident_matched: int = 0
    type_correct: int = 0
    claimant_correct: int = 0
    core_preticked: int = 0
    loose_references: int = 0
    loose_matched: int = 0
    loose_precision_hits: int = 0
    loose_precision_total: int = 0
    loose_type: int = 0
    loose_claimant: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Strict) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)

    @staticmethod
    def _share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def recall(self) -> float:
        return self._share(self.matched, self.references)

    @property
    def core_recall(self) -> float:
        return self._share(self.core_matched, self.core)

    @property
    def precision(self) -> float:
        return self._share(self.confident_matched, self.confident)

    @property
    def type_accuracy(self) -> float:
        return self._share(self.type_correct, self.matched)

    @property
    def claimant_accuracy(self) -> float:
        return self._share(self.claimant_correct, self.matched)

    @property
    def core_preticked_share(self) -> float:
        return self._share(self.core_preticked, self.core)

    def figures(self) -> dict[str, float]:
        return {
            "recall": self.recall,
            "core_recall": self.core_recall,
            "precision": self.precision,
            "type_accuracy": self.type_accuracy,
            "claimant_accuracy": self.claimant_accuracy,
            "core_preticked": self.core_preticked_share,
        }

    def row(self) -> str:
        def frac(a: int, b: int) -> str:
            return f"{a}/{b}".rjust(7)

        loose = (
            f"{frac(self.loose_matched, self.loose_references)}"
            f" {frac(self.loose_precision_hits, self.loose_precision_total)}"
            f" {frac(self.loose_type, self.loose_matched)}"
            f" {frac(self.loose_claimant, self.loose_matched)}"
        )
        return (
            f"{self.name[:32]:32} {frac(self.matched, self.references)}"
            f" {frac(self.core_matched, self.core)} {frac(self.confident_matched, self.confident)}"
            f" {frac(self.type_correct, self.matched)} {frac(self.claimant_correct, self.matched)}"
            f" {frac(self.core_preticked, self.core)} | {loose}"
        )


HEADER = (
    f"{'article':32} {'recall':>7} {'core':>7} {'P@0.5':>7} {'type':>7} {'claimnt':>7}"
    f" {'ticked':>7} | {'recall':>7} {'P@0.5':>7} {'type':>7} {'claimnt':>7}\n"
    f"{'':32} {'strict':-^55} | {'loose':-^31}"
)


def score(article: Article) -> Strict:
    """The strict figures of one article (its text must be present)."""
    assert article.text is not None
    text, references = article.text, article.claims
    suggestions = [c for c in extract_candidates(text) if c.score >= SHOW_FROM]
    paired = pair(suggestions, references)
    figures = Strict(article.slug, references=len(references))
    for r, ref in enumerate(references):
        core = bool(ref["core"])
        figures.core += core
        found = paired.get(r)
        if found is None:
            figures.notes.append(f"{ref['key']} missed")
            continue
        figures.matched += 1
        figures.core_matched += core
        if found.claim_type == ref["claim_type"]:
            figures.type_correct += 1
        else:
            figures.notes.append(f"{ref['key']} type {found.claim_type} not {ref['claim_type']}")
        if claimant_matches(found.claimant, ref["claimant"], ref.get("claimant_also", ())):
            figures.claimant_correct += 1
        else:
            figures.notes.append(
                f"{ref['key']} claimant {found.claimant!r} not {ref['claimant']!r}"
            )
        if core and found.score >= PRESELECT_FROM:
            figures.core_preticked += 1
        elif core:
            figures.notes.append(f"{ref['key']} core but scored {found.score}")
    matched_suggestions = {id(c) for c in paired.values()}
    confident = [c for c in suggestions if c.score >= CONFIDENT]
    figures.confident = len(confident)
    figures.confident_matched = sum(id(c) in matched_suggestions for c in confident)
    loose = evaluate(article.slug, text, references)
    figures.loose_references = loose.references
    figures.loose_matched = len(loose.matched)
    figures.loose_precision_hits = loose.precision_hits
    figures.loose_precision_total = loose.precision_total
    figures.loose_type = loose.type_correct
    figures.loose_claimant = loose.claimant_correct
    return figures


def score_splits(articles: list[Article]) -> tuple[dict[str, Strict], list[Strict]]:
    """Per-split totals and per-article figures of the articles whose text is present."""
    totals = {split: Strict(f"ALL {split}") for split in SPLITS}
    rows = []
    for article in articles:
        if article.text is None:
            continue
        figures = score(article)
        rows.append(figures)
        totals[article.split].add(figures)
    return totals, rows


def report(
    articles: list[Article] | None = None, *, notes: bool = False, holdout_rows: bool = True
) -> str:
    """The table. `notes` lists the tune part's misses; `holdout_rows=False` prints only the
    held-out part's overall line (for whoever tunes the extractor)."""
    articles = load_devset() if articles is None else articles
    totals, rows = score_splits(articles)
    by_slug = {a.slug: a for a in articles}
    lines = [HEADER]
    for split in SPLITS:
        for figures in rows:
            if by_slug[figures.name].split == split:
                if split == "holdout" and not holdout_rows:
                    continue
                lines.append(figures.row())
                if notes and split == "tune":  # the holdout is read by its figures only
                    lines.extend(f"{'':4}{note}" for note in figures.notes)
        lines.append(totals[split].row())
        lines.append("")
    missing = [a.slug for a in articles if a.text is None]
    if missing:
        lines.append(f"texts absent, not scored: {', '.join(missing)}")
    targets = " ".join(f"{k} >= {v:.2f}" for k, v in TARGETS.items())
    lines.append(f"issue 17 targets (holdout, strict): {targets}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(report(notes="--notes" in sys.argv, holdout_rows="--tune-only" not in sys.argv))
