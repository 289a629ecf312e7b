"""Public fact-check pages and ClaimReview JSON-LD, read the way a search engine reads them:
extract the JSON-LD from the HTML (extruct), expand it (PyLD, with the schema.org context
served locally since there is no network) and check every field Google's ClaimReview
documentation needs."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import pytest
from pyld import jsonld

from factcheck.workflow import claims as wf
from tests.factories import make_article, make_claim, make_claimant, publish, submit

SCHEMA = "http://schema.org/"
CONTEXT = json.loads((Path(__file__).parent / "data" / "schemaorg-context.jsonld").read_text())


def local_loader(url, options=None):
    """Only the schema.org context may be fetched, and it comes from disk."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"unexpected fetch of {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expand(document) -> list[dict]:
    return jsonld.expand(document, {"documentLoader": local_loader})


def value(node: dict, name: str):
    (entry,) = node[SCHEMA + name]
    return entry.get("@value", entry.get("@id", entry))


@pytest.fixture
def newsroom(db_session, users):
    article = make_article(
        db_session,
        title="Officials detain twelve",
        url="https://news.example/detained",
        publisher="Example News",
    )
    from datetime import date

    article.published_on = date(2017, 5, 23)
    ministry = make_claimant(
        db_session,
        users["editor"],
        "Interior Ministry",
        "organisation",
        same_as=["https://www.wikidata.org/wiki/Q0000001"],
    )
    published = make_claim(
        db_session,
        article=article,
        text="12 people were detained on Monday.",
        quote="12 people were detained on Monday",
        claimant="the interior ministry",
        claimant_id=ministry.id,
    )
    publish(
        db_session,
        users["reviewer"],
        users["editor"],
        published,
        rating="mostly_true",
        summary="Court records list twelve detainees.",
    )
    pending = make_claim(db_session, text="A pending claim that must stay private.")
    submit(db_session, users["reviewer"], pending, rating="false", summary="SECRET DRAFT")
    returned = make_claim(db_session, text="A returned claim that must stay private.")
    submit(db_session, users["reviewer2"], returned, rating="true", summary="RETURNED DRAFT")
    wf.return_verdict(
        db_session,
        users["editor"],
        returned,
        reason="Needs a second source.",
        expected_version=None,
    )
    reopened = make_claim(db_session, text="A claim taken back for a correction.")
    publish(db_session, users["reviewer"], users["editor"], reopened, summary="OLD VERDICT")
    wf.reopen(
        db_session,
        users["editor2"],
        reopened,
        note="The death toll was revised.",
        expected_version=None,
    )
    db_session.commit()
    return {
        "published": published.id,
        "pending": pending.id,
        "returned": returned.id,
        "reopened": reopened.id,
    }


def test_public_page_embeds_a_complete_claimreview(client, newsroom, app):
    response = client.get(f"/fact-checks/{newsroom['published']}")
    assert response.status_code == 200  # no sign-in needed
    page = response.get_data(as_text=True)
    assert "Interior Ministry" in page and "Court records list twelve detainees." in page
    assert "Checked against the sources." in page  # the rationale
    data = extruct.extract(page, base_url="http://localhost/", syntaxes=["json-ld"])["json-ld"]
    assert len(data) == 1
    (review,) = expand(data[0])
    assert review["@type"] == [SCHEMA + "ClaimReview"]
    assert value(review, "claimReviewed") == "12 people were detained on Monday."
    assert value(review, "url") == f"http://localhost/fact-checks/{newsroom['published']}"
    assert value(review, "datePublished")
    (author,) = review[SCHEMA + "author"]
    assert value(author, "name") == app.config["ORGANISATION_NAME"]
    assert author[SCHEMA + "url"][0]["@id"] == "http://localhost/"  # the site, not 127.0.0.1:5000
    (rating,) = review[SCHEMA + "reviewRating"]
    assert value(rating, "ratingValue") == 4
    assert value(rating, "bestRating") == 5 and value(rating, "worstRating") == 1
    assert value(rating, "alternateName") == "Mostly true"
    (item,) = review[SCHEMA + "itemReviewed"]
    assert item["@type"] == [SCHEMA + "Claim"]
    (claimant,) = item[SCHEMA + "author"]
    assert value(claimant, "name") == "Interior Ministry"  # the record's name, not the text
    assert claimant["@type"] == [SCHEMA + "Organization"]  # the record's kind
    assert value(claimant, "sameAs") == "https://www.wikidata.org/wiki/Q0000001"
    assert value(item, "datePublished") == "2017-05-23"
    (appearance,) = item[SCHEMA + "appearance"]
    assert value(appearance, "url") == "https://news.example/detained"
    # Where the claim first appeared is not recorded: never claimed.
    assert SCHEMA + "firstAppearance" not in item


def test_unpublished_and_returned_verdicts_never_appear_in_public(client, newsroom):
    for key in ("pending", "returned"):
        assert client.get(f"/fact-checks/{newsroom[key]}").status_code == 404
    listing = client.get("/fact-checks").get_data(as_text=True)
    feed = client.get("/fact-checks.jsonld")
    assert feed.mimetype == "application/ld+json"
    everything = listing + feed.get_data(as_text=True)
    for secret in ("SECRET DRAFT", "RETURNED DRAFT", "must stay private"):
        assert secret not in everything
    assert "12 people were detained on Monday." in listing


def test_feed_holds_every_published_review_and_expands(client, newsroom, db_session, users):
    more = make_claim(db_session, text="Another claim, published too.")
    publish(db_session, users["reviewer2"], users["editor2"], more, rating="false")
    db_session.commit()
    document = json.loads(client.get("/fact-checks.jsonld").get_data(as_text=True))
    reviews = expand(document)
    reviewed = sorted(value(r, "claimReviewed") for r in reviews)
    assert reviewed == [
        "12 people were detained on Monday.",
        "A claim taken back for a correction.",  # public as published while it is revised
        "Another claim, published too.",
    ]
    assert all(r["@type"] == [SCHEMA + "ClaimReview"] for r in reviews)


def test_corrections_log_lists_every_note_with_date_and_claim(client, newsroom):
    page = client.get("/fact-checks/corrections").get_data(as_text=True)
    assert "The death toll was revised." in page
    assert "A claim taken back for a correction." in page
    assert "(being revised)" in page
    # ... and linked: the fact-check stays public as published while it is revised.
    assert f'href="/fact-checks/{newsroom["reopened"]}"' in page


def test_the_corrections_log_never_shows_a_claim_being_revised_as_edited(
    client, newsroom, db_session, users
):
    from factcheck.models import Claim

    claim = db_session.get(Claim, newsroom["reopened"])
    wf.update_claim(
        db_session,
        users["editor"],
        claim,
        wf.ClaimInput(text="SECRET draft, not approved.", claim_type=claim.claim_type),
        expected_version=claim.version,
    )
    db_session.commit()
    page = client.get("/fact-checks/corrections").get_data(as_text=True)
    assert "SECRET" not in page
    assert "A claim taken back for a correction." in page  # as it was published


def test_the_corrections_log_pages_through_older_notes(
    client, newsroom, monkeypatch, db_session, users
):
    import re

    from factcheck.web import public

    second_claim = make_claim(db_session, text="Another claim, corrected later.")
    publish(db_session, users["reviewer"], users["editor"], second_claim)
    wf.reopen(
        db_session, users["editor2"], second_claim, note="A date was wrong.", expected_version=None
    )
    db_session.commit()
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    first = client.get("/fact-checks/corrections").get_data(as_text=True)
    older = re.search(r'href="(/fact-checks/corrections\?before=\d+)"', first)
    assert older, "an Older link"
    second = client.get(older.group(1)).get_data(as_text=True)
    assert "A date was wrong." in first and "The death toll was revised." not in first
    assert "The death toll was revised." in second and "A date was wrong." not in second
    assert "Older" not in second
    assert client.get("/fact-checks/corrections?before=-5").status_code == 200


def test_correction_notes_show_on_the_republished_page(client, newsroom, db_session, users):
    from factcheck.models import Claim

    claim = db_session.get(Claim, newsroom["reopened"])
    wf.draft_verdict(
        db_session,
        users["reviewer"],
        claim,
        rating="mixed",
        summary="Revised.",
        rationale="New figures.",
        expected_version=None,
    )
    wf.approve(db_session, users["editor"], claim, expected_version=None)
    db_session.commit()
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert "The death toll was revised." in page and "Revised." in page
    assert "OLD VERDICT" not in page


def test_a_reopened_fact_check_stays_public_as_published_until_reapproved(
    client, newsroom, db_session, users
):
    from factcheck.models import Claim
    from factcheck.workflow.sources import add_source, update_source
    from tests.factories import source_input

    claim_id = newsroom["reopened"]
    url = f"/fact-checks/{claim_id}"

    def review() -> dict:
        page = client.get(url).get_data(as_text=True)
        return extruct.extract(page, syntaxes=["json-ld"])["json-ld"][0]

    first = review()
    assert first["claimReviewed"] == "A claim taken back for a correction."
    assert "dateModified" not in first
    claim = db_session.get(Claim, claim_id)
    first_published = claim.published_at
    # The editors revise the claim, its sources and draft a new verdict: none of it is public.
    wf.update_claim(
        db_session,
        users["editor"],
        claim,
        wf.ClaimInput(text="SECRET reworded claim.", claim_type=claim.claim_type),
        expected_version=None,
    )
    source = claim.sources[0]
    update_source(
        db_session,
        users["reviewer"],
        claim,
        source.id,
        source_input(title="SECRET renamed source"),
        expected_version=source.version,
    )
    add_source(
        db_session,
        users["reviewer"],
        claim,
        source_input(url="https://example.org/secret", title="SECRET new source"),
    )
    wf.draft_verdict(
        db_session,
        users["reviewer"],
        claim,
        rating="mixed",
        summary="SECRET new verdict.",
        rationale="New figures.",
        expected_version=None,
    )
    db_session.commit()
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Under revision" in page and "The death toll was revised." in page
    assert "OLD VERDICT" in page and "Report on detentions" in page
    assert "SECRET" not in page
    assert "SECRET" not in client.get("/fact-checks").get_data(as_text=True)
    assert "SECRET" not in client.get("/fact-checks.jsonld").get_data(as_text=True)
    assert review()["datePublished"] == first["datePublished"]

    wf.approve(db_session, users["editor2"], claim, expected_version=None)
    db_session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Under revision" not in page and "SECRET new verdict." in page
    again = review()
    assert again["claimReviewed"] == "SECRET reworded claim."
    assert again["datePublished"] == first["datePublished"]
    assert again["dateModified"]
    claim = db_session.get(Claim, claim_id)
    assert claim.published_at == first_published and claim.revised_at > first_published


def test_json_ld_cannot_break_out_of_its_script_block(client, db_session, users):
    claim = make_claim(db_session, text="</script><script>alert(1)</script>")
    publish(db_session, users["reviewer"], users["editor"], claim)
    db_session.commit()
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    data = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert data[0]["claimReviewed"] == "</script><script>alert(1)</script>"


def test_public_pages_carry_canonical_and_open_graph_tags(app, client, newsroom):
    app.config["PUBLIC_BASE_URL"] = "https://checks.example.org"
    claim_id = newsroom["published"]
    page = client.get(f"/fact-checks/{claim_id}?utm_source=x").get_data(as_text=True)
    canonical = f"https://checks.example.org/fact-checks/{claim_id}"
    assert f'<link rel="canonical" href="{canonical}">' in page  # no tracking arguments
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="12 people were detained on Monday.">' in page
    assert (
        '<meta property="og:description" content="Mostly true: Court records list twelve '
        'detainees.">' in page
    )
    listing = client.get("/fact-checks?before=5").get_data(as_text=True)
    assert (
        '<link rel="canonical" href="https://checks.example.org/fact-checks?before=5">' in listing
    )
    assert "127.0.0.1" not in page + listing


def test_a_fact_check_under_revision_keeps_its_sources_archived_copies(client, db_session, users):
    """The sources as published, kept by the correction, include their archive address."""
    from tests.factories import make_claim, research

    claim = make_claim(db_session)
    archived = "https://web.archive.org/web/2017/https://example.org/report"
    research(db_session, users["reviewer"], claim, archive_url=archived)
    wf.draft_verdict(
        db_session, users["reviewer"], claim, rating="false", summary="No.", rationale="Why.",
        expected_version=None,
    )  # fmt: skip
    wf.approve(db_session, users["editor"], claim, expected_version=None)
    db_session.commit()
    assert archived in client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    wf.reopen(db_session, users["editor2"], claim, note="Toll revised.", expected_version=None)
    db_session.commit()
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert "Under revision" in page or "under revision" in page
    assert archived in page
