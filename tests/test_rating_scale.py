"""The rating scale the admins define (issue 21, item 2): seeded by migration 0016 from the
fixed scale it replaced, edited on /admin/ratings, read by forms, reports and ClaimReview, and
published with the methodology on /methodology."""

from __future__ import annotations

import extruct
import pytest
from sqlalchemy import select

from factcheck.claimreview import review_rating
from factcheck.models import Claim, Rating, Verdict
from factcheck.queries.ratings import rating_scale
from factcheck.rating_scale import RatingLabel, RatingScale
from factcheck.vocabulary import Rating as SeededRating
from factcheck.workflow import ratings as wf
from factcheck.workflow.errors import PermissionDenied, ValidationFailed
from tests.factories import make_claim, make_user, publish, research

SEEDED = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading", "unproven"]


def _jsonld(page: str) -> dict:
    [data] = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    return data


def _published(db_session, users, rating: str = "unproven", **kw) -> Claim:
    claim = make_claim(db_session, users["reviewer"], **kw)
    publish(db_session, users["reviewer"], users["editor"], claim, rating=rating)
    db_session.commit()
    return claim


# --- the seeded scale ------------------------------------------------------------------------


def test_the_migration_seeds_every_existing_rating_in_order(session):
    scale = rating_scale(session)
    assert scale.slugs == SEEDED == [r.value for r in SeededRating]
    assert [label.value for label in scale] == [5, 4, 3, 2, 1, None, None]
    assert (scale.best, scale.worst) == (5, 1)
    assert all(label.meaning and label.colour.startswith("#") for label in scale)


def test_a_verdict_cannot_name_a_label_the_scale_does_not_have(session):
    from factcheck.workflow import claims as claims_wf

    reviewer = make_user(session, "reviewer")
    claim = make_claim(session, reviewer)
    research(session, reviewer, claim)
    with pytest.raises(ValidationFailed) as refused:
        claims_wf.draft_verdict(
            session, reviewer, claim, rating="nonsense", summary="s", rationale="r",
            expected_version=None,
        )  # fmt: skip
    assert refused.value.field == "rating"


# --- ClaimReview's reviewRating ---------------------------------------------------------------


SCALE = RatingScale(
    (
        RatingLabel("true", "True", "m", "#2e7d32", 5),
        RatingLabel("false", "False", "m", "#c62828", 1),
        RatingLabel("unproven", "Unproven", "m", "#757575", None),
    )
)


def test_an_off_scale_label_is_sent_by_name_only():
    rating = review_rating(SCALE, "unproven", "Not enough evidence.")
    assert rating["name"] == rating["alternateName"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & rating.keys()


def test_a_label_on_the_scale_carries_its_number_and_the_scales_ends():
    rating = review_rating(SCALE, "false", "Wrong.")
    assert rating["name"] == "False"
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (1, 5, 1)


def test_a_scale_with_one_number_sends_names_only():
    single = RatingScale((SCALE.labels[0], SCALE.labels[2]))
    assert "ratingValue" not in review_rating(single, "true", "x")


# --- the admins' page -------------------------------------------------------------------------


def _row(db_session, slug: str) -> Rating:
    db_session.commit()
    return db_session.scalars(select(Rating).where(Rating.slug == slug)).one()


def _form(prefix: str, **values) -> dict:
    base = {"label": "x", "meaning": "m", "colour": "#123456", "position": 1, "scale_value": ""}
    base.update(values)
    return {f"{prefix}-{key}": value for key, value in base.items()}


def test_only_admins_reach_the_scale_page(client, as_user):
    as_user("editor")
    assert client.get("/admin/ratings").status_code == 403


def test_renaming_a_label_relabels_published_fact_checks_and_their_jsonld(
    client, as_user, users, db_session
):
    claim = _published(db_session, users, rating="mostly_false")
    as_user("admin")
    row = _row(db_session, "mostly_false")
    response = client.post(
        f"/admin/ratings/{row.id}",
        data=_form(f"r{row.id}", label="Largely false", meaning="Wrong in its main point.",
                   colour="#ff8800", position=4, scale_value=2),
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert "Largely false" in page
    assert _jsonld(page)["reviewRating"]["name"] == "Largely false"
    css = client.get("/ratings.css").get_data(as_text=True)
    assert ".rating-mostly_false { background: #ff8800;" in css
    db_session.commit()
    assert db_session.get(Verdict, claim.approved_verdict.id).rating == "mostly_false"


def test_moving_a_label_off_the_scale_drops_its_number(client, as_user, users, db_session):
    claim = _published(db_session, users, rating="mixed")
    as_user("admin")
    row = _row(db_session, "mixed")
    response = client.post(
        f"/admin/ratings/{row.id}",
        data=_form(f"r{row.id}", label="Mixed", meaning=row.meaning, colour=row.colour,
                   position=row.position, scale_value=""),
    )  # fmt: skip
    assert response.status_code == 302
    rating = _jsonld(client.get(f"/fact-checks/{claim.id}").get_data(as_text=True))["reviewRating"]
    assert "ratingValue" not in rating and rating["alternateName"] == "Mixed"


def test_an_added_label_is_offered_used_and_published(client, as_user, users, db_session):
    as_user("admin")
    response = client.post(
        "/admin/ratings",
        data=_form("new", label="Satire", meaning="Humour not meant as fact.",
                   colour="#3949ab", position=8),
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _row(db_session, "satire").scale_value is None
    claim = _published(db_session, users, rating="satire")
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert _jsonld(page)["reviewRating"]["alternateName"] == "Satire"
    assert "Humour not meant as fact." in client.get("/methodology").get_data(as_text=True)
    # offered on the verdict form of a claim in research
    other = research(db_session, users["reviewer"], make_claim(db_session, users["reviewer"]))
    db_session.commit()
    as_user("reviewer")
    assert 'value="satire"' in client.get(f"/claims/{other.id}").get_data(as_text=True)


def test_a_label_in_use_cannot_be_deleted_one_unused_can(client, as_user, users, db_session):
    _published(db_session, users, rating="false")
    as_user("admin")
    used = _row(db_session, "false")
    refused = client.post(f"/admin/ratings/{used.id}/delete")
    assert refused.status_code == 400
    assert "used by verdicts" in refused.get_data(as_text=True)
    assert _row(db_session, "false") is not None
    spare = _row(db_session, "misleading")
    assert client.post(f"/admin/ratings/{spare.id}/delete").status_code == 302
    db_session.commit()
    assert db_session.scalar(select(Rating).where(Rating.slug == "misleading")) is None


def test_bad_input_is_refused_at_its_field(client, as_user, users, db_session):
    as_user("admin")
    row = _row(db_session, "true")
    bad_colour = client.post(
        f"/admin/ratings/{row.id}", data=_form(f"r{row.id}", label="True", colour="red")
    )
    assert bad_colour.status_code == 400
    assert "#rrggbb" in bad_colour.get_data(as_text=True)
    twin = client.post("/admin/ratings", data=_form("new", label="false"))
    assert twin.status_code == 400
    assert "Another rating has this label." in twin.get_data(as_text=True)


def test_the_services_refuse_non_admins(session):
    editor = make_user(session, "editor")
    with pytest.raises(PermissionDenied):
        wf.add_rating(session, editor, wf.RatingInput("Satire", "m", "#123456", 8))


# --- the methodology page ---------------------------------------------------------------------


def test_the_methodology_page_states_meanings_numbers_and_process(client, users, db_session):
    claim = _published(db_session, users, rating="unproven")
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert 'href="/methodology' in page
    methodology = client.get("/methodology")
    assert methodology.status_code == 200
    text = methodology.get_data(as_text=True)
    for label in rating_scale(db_session):
        assert label.meaning in text
    assert "Two-person approval" in text and "Corrections policy" in text
    assert "none (off the scale)" in text  # unproven has no number
