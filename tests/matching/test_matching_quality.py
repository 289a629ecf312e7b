"""Matching quality on the paraphrase set (tests/matching/pairs.py): the desk holds each
topic's existing claim; each pair's text is matched against all of them, through the
full-text index and the scorer, as the claim and article pages do. A pair counts as found
when its existing claim is among the matches shown (from MATCH_THRESHOLD, at most SHOWN).

Prints precision and recall at the chosen threshold on the tuning pairs (`pairs.TUNING` and
`tune_pairs.py`), on the held-out
third and on the second held-out part (`fresh_pairs.py`, other stories, written before the
matcher ran on them), and the tuning sweep that chose it; README.md quotes the figures."""

from __future__ import annotations

from factcheck.workflow.matching import MATCH_THRESHOLD, SHOWN, find_matches
from tests.factories import make_claim
from tests.matching.fresh_pairs import FRESH, FRESH_TOPICS
from tests.matching.pairs import HELD_OUT, TOPICS, Pair
from tests.matching.pairs import TUNING as FIRST_TUNING
from tests.matching.tune_pairs import TUNE_EXTRA, TUNE_TOPICS

TUNING = FIRST_TUNING + TUNE_EXTRA
PRECISION_FLOOR = 0.75
RECALL_FLOOR = 0.6


def _scores(session, pairs: list[Pair], ids: dict[str, int]) -> list[tuple[Pair, float]]:
    """Each pair with its existing claim's score, 0 when not among the shown matches."""
    out = []
    for pair in pairs:
        found = find_matches(session, pair.text, threshold=0.0, limit=10_000)
        ranked = [m for m in found][:SHOWN]
        score = next((m.score for m in ranked if m.claim_id == ids[pair.existing]), 0.0)
        out.append((pair, score))
    return out


def precision_recall(scored: list[tuple[Pair, float]], threshold: float) -> tuple[float, float]:
    found = [(pair, score >= threshold and score > 0) for pair, score in scored]
    true_positive = sum(1 for pair, hit in found if hit and pair.same)
    predicted = sum(1 for _pair, hit in found if hit)
    actual = sum(1 for pair, _hit in found if pair.same)
    precision = true_positive / predicted if predicted else 1.0
    return precision, true_positive / actual


def best_threshold(scored: list[tuple[Pair, float]]) -> float:
    """The threshold (in steps of 0.05) with the best F1 on these pairs; the lower on a tie."""
    best, best_f1 = 0.05, -1.0
    for step in range(1, 20):
        threshold = step / 20
        p, r = precision_recall(scored, threshold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = threshold, f1
    return best


def test_matching_precision_and_recall(session, backend):
    topics = TOPICS + TUNE_TOPICS + FRESH_TOPICS
    ids = {topic.existing: make_claim(session, text=topic.existing).id for topic in topics}
    session.flush()
    tuning = _scores(session, TUNING, ids)
    held_out = _scores(session, HELD_OUT, ids)
    fresh = _scores(session, FRESH, ids)

    tuned = best_threshold(tuning)
    print(
        f"\nclaim matching ({backend}), {len(TUNING)} tuning + {len(HELD_OUT)} held-out "
        f"+ {len(FRESH)} second held-out pairs"
    )
    for step in range(2, 12):
        threshold = step / 20
        p, r = precision_recall(tuning, threshold)
        print(f"  tuning sweep: threshold {threshold:.2f}  precision {p:.2f}  recall {r:.2f}")
    parts = (("tuning", tuning), ("held-out", held_out), ("second held-out", fresh))
    for name, scored in parts:
        p, r = precision_recall(scored, MATCH_THRESHOLD)
        print(f"  {name}: threshold {MATCH_THRESHOLD:.2f}  precision {p:.2f}  recall {r:.2f}")

    # The threshold in the code is the one the tuning pairs choose.
    assert abs(tuned - MATCH_THRESHOLD) < 1e-9, f"tuning chooses {tuned}"
    for _name, scored in parts:
        p, r = precision_recall(scored, MATCH_THRESHOLD)
        assert p >= PRECISION_FLOOR
        assert r >= RECALL_FLOOR
