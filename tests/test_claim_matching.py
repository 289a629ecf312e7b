"""Claim matching on the pages: the closest claims and published fact-checks on the claim page
and beside the article's suggestions, and linking a match ("same claim as #…") and unlinking
it, through the forms, one transaction each, recorded on both claims' histories."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from factcheck.models import ClaimLink, HistoryEvent
from factcheck.vocabulary import HistoryAction
from factcheck.workflow.errors import ValidationFailed
from factcheck.workflow.links import link_claims, linked_ids, unlink_claims
from factcheck.workflow.matching import find_matches, match_score
from tests.factories import make_article, make_claim, publish

CHECKED = "Unemployment fell to 3.5% in May, the lowest rate in fifty years."
RESTATED = "The jobless rate dropped to 3.5% in May, its lowest in fifty years."
OTHER_FIGURE = "Unemployment rose to 4.1% in May, the highest rate in two years."


@pytest.fixture
def desk(db_session, users):
    """A published fact-check, a new claim restating it, and one on another topic."""
    checked = make_claim(db_session, users["editor"], text=CHECKED)
    publish(db_session, users["reviewer"], users["editor2"], checked, rating="false")
    new = make_claim(db_session, users["editor"], text=RESTATED)
    other = make_claim(db_session, users["editor"], text="Bananas are berries, botanists say.")
    db_session.commit()
    return checked, new, other


def test_scores_tell_a_restatement_from_another_figure():
    assert match_score(CHECKED, RESTATED) > match_score(CHECKED, OTHER_FIGURE)
    assert match_score(CHECKED, "Bananas are berries.") == 0.0


def test_matches_come_from_the_whole_desk_through_the_index(db_session, desk):
    checked, new, other = desk
    found = find_matches(db_session, RESTATED, exclude={new.id})
    assert [m.claim_id for m in found] == [checked.id]
    assert found[0].checked and found[0].rating == "false"
    assert find_matches(db_session, "", exclude=()) == []


def test_claim_page_shows_the_published_match(client, as_user, desk):
    checked, new, _other = desk
    as_user("reviewer")
    page = client.get(f"/claims/{new.id}").get_data(as_text=True)
    matches = page.split('id="claim-matches"')[1].split("</ul>")[0]
    day = checked.published_at.strftime("%Y-%m-%d")
    assert f"already checked: False, {day}" in matches
    assert f'href="/claims/{checked.id}"' in matches


def test_link_through_the_form_shows_on_both_pages_and_unlinks(client, as_user, db_session, desk):
    checked, new, _other = desk
    as_user("reviewer")
    response = client.post(f"/claims/{new.id}/links", data={"other_id": checked.id})
    assert response.status_code == 302
    for here, there in ((new, checked), (checked, new)):
        page = client.get(f"/claims/{here.id}").get_data(as_text=True)
        linked = page.split('id="linked-claims"')[1].split("</ul>")[0]
        assert f'href="/claims/{there.id}"' in linked
        # The linked claim is not offered again as a match.
        assert f'value="{there.id}"' not in page.split('id="claim-matches"')[1].split("</ul>")[0]
    events = db_session.scalars(
        select(HistoryEvent).where(HistoryEvent.action == HistoryAction.CLAIMS_LINKED)
    ).all()
    assert sorted((e.claim_id, e.details["other_claim_id"]) for e in events) == sorted(
        [(new.id, checked.id), (checked.id, new.id)]
    )
    again = client.post(f"/claims/{checked.id}/links", data={"other_id": new.id})
    assert again.status_code == 400
    assert f"Already linked to claim #{new.id}." in again.get_data(as_text=True)

    assert client.post(f"/claims/{checked.id}/links/{new.id}/delete").status_code == 302
    db_session.rollback()  # a fresh snapshot
    assert db_session.scalar(select(func.count()).select_from(ClaimLink)) == 0
    page = client.get(f"/claims/{new.id}").get_data(as_text=True)
    assert 'id="linked-claims"' not in page


@pytest.mark.parametrize(
    ("other", "message"),
    [("self", "A claim cannot be linked to itself."), ("999999", "There is no claim #999999.")],
)
def test_a_bad_link_is_refused_at_the_field(client, as_user, desk, other, message):
    _checked, new, _other = desk
    as_user("reviewer")
    other_id = new.id if other == "self" else other
    response = client.post(f"/claims/{new.id}/links", data={"other_id": other_id})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="other_id-err">' + re.escape(message), page)


def test_link_refuses_a_missing_csrf_token(app, client, as_user, desk):
    checked, new, _other = desk
    as_user("reviewer")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/claims/{new.id}/links", data={"other_id": checked.id}).status_code == 400


def test_unlink_what_is_not_linked_is_refused(db_session, users, desk):
    checked, new, _other = desk
    with pytest.raises(ValidationFailed):
        unlink_claims(db_session, users["reviewer"], new.id, checked.id)
    link_claims(db_session, users["reviewer"], checked.id, new.id)
    assert linked_ids(db_session, new.id) == [checked.id]


def test_suggestions_say_a_passage_was_already_checked(client, as_user, db_session, users):
    text = "Officials said that 12 people were detained on Monday in the capital."
    checked = make_claim(db_session, users["editor"], text="12 people were detained on Monday.")
    publish(db_session, users["reviewer"], users["editor2"], checked, rating="false")
    article = make_article(db_session, text=text)
    db_session.commit()
    as_user("reviewer")
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    suggestions = page.split('id="suggestions"')[1]
    assert f'href="/claims/{checked.id}"' in suggestions
    assert "already checked: False" in suggestions


def test_common_words_leave_the_ranked_pool_to_the_rarer_ones(
    db_session, users, monkeypatch, backend
):
    """Words most claims hold are not searched for when rarer ones remain (ranking every claim
    holding "rate" costs as much as the desk is large); the oldest claim is still found."""
    from factcheck.workflow import search

    monkeypatch.setattr(search, "RARE", 3)
    checked = make_claim(db_session, users["editor"], text=CHECKED)  # the oldest
    for n in range(4):
        make_claim(db_session, users["editor"], text=f"The rate of inflation was {n}% in May.")
    db_session.commit()
    if backend == "postgresql":  # PostgreSQL reads how common a word is in its statistics
        db_session.execute(text("ANALYZE claims"))
    terms = ["unemployment", "rate", "may"]  # "rate" and "may": 5 claims, "unemployment": 1
    pooled = db_session.scalars(search.best_matches(db_session, terms, 2)).all()
    assert pooled == [checked.id]  # the inflation claims hold only the common words
    assert [m.claim_id for m in find_matches(db_session, RESTATED)] == [checked.id]
    # Every word common: the claims holding all of them are ranked, old or new.
    assert set(db_session.scalars(search.best_matches(db_session, ["rate", "may"], 10))) == {
        checked.id,
        *range(checked.id + 1, checked.id + 5),
    }
