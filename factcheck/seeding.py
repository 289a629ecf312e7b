"""Loading `seeds/`: each sub-folder holds an article (`article.json` + its text file) and its
curated claims (`claims.json`). Loading is idempotent: articles and claims carry stable keys."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim
from factcheck.vocabulary import ClaimOrigin
from factcheck.workflow.articles import ArticleInput, create_article
from factcheck.workflow.claims import ClaimInput, create_claim
from factcheck.workflow.events import seed_extra

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class SeedReport:
    articles_created: int = 0
    claims_created: int = 0
    claims_present: int = 0


def load_seeds(session: Session, seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    report = SeedReport()
    for folder in sorted(p for p in seeds_dir.iterdir() if (p / "article.json").is_file()):
        meta = json.loads((folder / "article.json").read_text(encoding="utf-8"))
        slug = meta.get("slug") or folder.name
        article = session.scalars(select(Article).where(Article.slug == slug)).one_or_none()
        if article is None:
            text = (folder / meta.get("text_file", "article.txt")).read_text(encoding="utf-8")
            published = meta.get("published_on")
            article = create_article(
                session,
                None,
                ArticleInput(
                    text=text,
                    title=meta.get("title"),
                    publisher=meta.get("publisher"),
                    author=meta.get("author"),
                    url=meta.get("url"),
                    published_on=date.fromisoformat(published) if published else None,
                ),
                slug=slug,
            )
            report.articles_created += 1
        claims_file = folder / "claims.json"
        if not claims_file.is_file():
            continue
        existing = set(
            session.scalars(select(Claim.external_key).where(Claim.article_id == article.id))
        )
        for row in json.loads(claims_file.read_text(encoding="utf-8")):
            key = f"{slug}:{row['key']}"
            if key in existing:
                report.claims_present += 1
                continue
            create_claim(
                session,
                None,
                ClaimInput(
                    text=row["text"],
                    claim_type=row["claim_type"],
                    claimant=row.get("claimant"),
                    quote=row["quote"],
                    priority=row.get("priority", 3),
                ),
                article=article,
                span=(row["span_start"], row["span_end"]),
                origin=ClaimOrigin.SEED,
                external_key=key,
                history_details=seed_extra(row["key"]),
            )
            report.claims_created += 1
    return report
