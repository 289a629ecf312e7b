"""The seed article and its curated claims: spans are exact and loading twice adds nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from factcheck.models import Article, Claim, HistoryEvent
from factcheck.seeding import SEEDS_DIR, load_seeds

SEED = SEEDS_DIR / "chechnya-2017"


def test_seed_files_describe_c1_to_c19_with_true_spans():
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    rows = json.loads((SEED / "claims.json").read_text(encoding="utf-8"))
    assert [r["key"] for r in rows] == [f"C{i}" for i in range(1, 20)]
    for row in rows:
        assert text[row["span_start"] : row["span_end"]] == row["quote"], row["key"]
    meta = json.loads((SEED / "article.json").read_text(encoding="utf-8"))
    assert meta["publisher"] is None and meta["url"] is None  # unknown stays empty


def test_loading_seeds_twice_creates_no_duplicates(session):
    first = load_seeds(session)
    session.commit()
    assert (first.articles_created, first.claims_created) == (1, 19)
    events = session.scalar(select(func.count()).select_from(HistoryEvent))
    second = load_seeds(session)
    session.commit()
    assert (second.articles_created, second.claims_created, second.claims_present) == (0, 0, 19)
    assert session.scalar(select(func.count()).select_from(Claim)) == 19
    assert session.scalar(select(func.count()).select_from(Article)) == 1
    assert session.scalar(select(func.count()).select_from(HistoryEvent)) == events


def test_seeded_claims_point_into_the_article(session):
    load_seeds(session)
    session.commit()
    death_toll = session.scalars(
        select(Claim).where(Claim.external_key == "chechnya-2017:C16")
    ).one()
    assert death_toll.claim_type == "death" and death_toll.claimant == "Novaya Gazeta"
    assert death_toll.article.text[death_toll.span_start : death_toll.span_end].endswith("26")
    assert death_toll.status == "unreviewed" and death_toll.origin == "seed"
