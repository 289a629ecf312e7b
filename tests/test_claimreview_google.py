"""Issue 21's "done when": every public fact-check's JSON-LD, on its page and in the feed,
meets Google's required and recommended ClaimReview fields (tests/claimreview_check.py, written
from Google's documentation), is read by extruct from the HTML, and expands with PyLD against
the schema.org context bundled in tests/data (a local document loader: no network) without
losing a term."""

from __future__ import annotations

import json
from datetime import date

import extruct
import pytest

from factcheck.workflow import claims as wf
from factcheck.workflow import ratings as scale_wf
from tests.claimreview_check import problems
from tests.factories import make_article, make_claim, make_claimant, publish
from tests.test_public import SCHEMA, expand

# What a fact-check may lack, by design: where a claim first appeared is not recorded (no
# `firstAppearance`); a claim with no article has no known appearance or date; a label off the
# numeric scale is sent without numbers.
UNRECORDED = {"itemReviewed.firstAppearance"}
NO_ARTICLE = UNRECORDED | {"itemReviewed.appearance", "itemReviewed.datePublished"}
OFF_SCALE = UNRECORDED | {"reviewRating.ratingValue"}


@pytest.fixture
def checks(db_session, users):
    article = make_article(
        db_session, title="Officials detain twelve", url="https://news.example/detained",
        publisher="Example News",
    )  # fmt: skip
    article.published_on = date(2017, 5, 23)
    scale_wf.add_rating(
        db_session, users["admin"], scale_wf.RatingInput("Satire", "Humour.", "#3949ab", 8)
    )
    ministry = make_claimant(db_session, users["editor"], "Interior Ministry", kind="organisation")
    made = {}
    for key, rating, with_article in [
        ("on_scale", "mostly_true", True),
        ("unproven", "unproven", True),
        ("no_article", "false", False),
        ("added_label", "satire", True),
        ("reopened", "mixed", True),
    ]:
        claim = make_claim(
            db_session, article=article if with_article else None, text=f"Claim {key}.",
            claimant="Interior Ministry", claimant_id=ministry.id,
        )  # fmt: skip
        publish(db_session, users["reviewer"], users["editor"], claim, rating=rating)
        made[key] = claim.id
    reopened = db_session.get(type(claim), made["reopened"])
    wf.reopen(db_session, users["editor2"], reopened, note="Toll revised.", expected_version=None)
    db_session.commit()
    return made


ALLOWED = {
    "on_scale": UNRECORDED,
    "unproven": OFF_SCALE,
    "no_article": NO_ARTICLE,
    "added_label": OFF_SCALE,
    "reopened": UNRECORDED,
}


def _keys(node: dict) -> set[str]:
    return {k for k in node if not k.startswith("@")}


def _expands_without_loss(review: dict) -> None:
    """Every schema.org term of the compact node, nested ones too, survives expansion."""
    (expanded,) = expand({"@context": "https://schema.org", **review})

    def walk(compact: dict, full: dict, where: str) -> None:
        assert full["@type"] == [SCHEMA + compact["@type"]], where
        for key in _keys(compact):
            assert SCHEMA + key in full, f"{where}.{key} dropped by expansion"
            if isinstance(compact[key], dict):
                (inner,) = full[SCHEMA + key]
                walk(compact[key], inner, f"{where}.{key}")

    walk(review, expanded, "ClaimReview")


def test_every_public_page_meets_googles_claimreview_fields(client, checks):
    for key, claim_id in checks.items():
        page = client.get(f"/fact-checks/{claim_id}")
        assert page.status_code == 200, key
        data = extruct.extract(
            page.get_data(as_text=True), base_url="http://localhost/", syntaxes=["json-ld"]
        )["json-ld"]
        assert len(data) == 1, key
        review = data[0]
        assert review["@context"] == "https://schema.org"
        errors, warnings = problems(review)
        assert errors == [], (key, errors)
        assert set(warnings) <= ALLOWED[key], (key, warnings)
        assert review["url"] == f"http://localhost/fact-checks/{claim_id}"
        _expands_without_loss(review)


def test_the_feed_meets_them_too(client, checks):
    document = json.loads(client.get("/fact-checks.jsonld").get_data(as_text=True))
    reviews = {r["url"].rsplit("/", 1)[1]: r for r in document["@graph"]}
    assert set(reviews) == {str(i) for i in checks.values()}
    for key, claim_id in checks.items():
        errors, warnings = problems(reviews[str(claim_id)])
        assert errors == [] and set(warnings) <= ALLOWED[key], (key, errors, warnings)
    assert len(expand(document)) == len(checks)


def test_off_scale_labels_carry_no_numbers_and_on_scale_ones_do(client, checks):
    def rating(key):
        page = client.get(f"/fact-checks/{checks[key]}").get_data(as_text=True)
        return extruct.extract(page, syntaxes=["json-ld"])["json-ld"][0]["reviewRating"]

    on = rating("on_scale")
    assert (on["name"], on["ratingValue"], on["bestRating"], on["worstRating"]) == (
        "Mostly true", 4, 5, 1,
    )  # fmt: skip
    for key, label in (("unproven", "Unproven"), ("added_label", "Satire")):
        off = rating(key)
        assert off["name"] == off["alternateName"] == label
        assert not {"ratingValue", "bestRating", "worstRating"} & off.keys()


# The check itself must be able to fail.
GOOD = {
    "@type": "ClaimReview",
    "url": "https://fc.example/1",
    "claimReviewed": "A claim.",
    "datePublished": "2026-01-02",
    "author": {"@type": "Organization", "name": "FC", "url": "https://fc.example/"},
    "reviewRating": {
        "@type": "Rating",
        "name": "False",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    },  # fmt: skip
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A. Person"},
        "datePublished": "2026-01-01",
        "appearance": "https://news.example/a",
        "firstAppearance": {"@type": "CreativeWork", "url": "https://news.example/a"},
    },  # fmt: skip
}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"claimReviewed": ""}, "claimReviewed: required"),
        ({"url": "/relative"}, "url: required, absolute"),
        (
            {"reviewRating": {"@type": "Rating", "name": "x"}},
            "reviewRating.alternateName: required",
        ),
        (
            {"reviewRating": {**GOOD["reviewRating"], "bestRating": None}},
            "reviewRating: ratingValue needs bestRating and worstRating",
        ),
        (
            {"reviewRating": {**GOOD["reviewRating"], "ratingValue": 7}},
            "reviewRating.ratingValue: between worstRating and bestRating",
        ),
        ({"itemReviewed": {"@type": "Thing"}}, "itemReviewed: a Claim"),
        ({"datePublished": "last week"}, "datePublished: ISO 8601"),
    ],
)
def test_the_check_finds_what_google_would_refuse(change, error):
    assert problems(GOOD) == ([], [])
    errors, _ = problems({**GOOD, **change})
    assert error in errors
