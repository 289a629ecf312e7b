"""A constraint tripped by a concurrent request between a service's check and its write (a
rating label deleted while a verdict is drafted with it, say) is a 409 saying nothing was saved,
on the pages and in the API, never a 500. The race itself is simulated: the service raises the
database's IntegrityError as it would."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from factcheck.models import Rating
from tests.factories import make_claim
from tests.test_api import assert_problem, auth, token  # noqa: F401 -- a fixture


def _clash(*_args, **_kwargs):
    raise IntegrityError(
        "INSERT INTO verdicts",
        {},
        Exception('violates foreign key constraint "fk_verdicts_rating_ratings"'),
    )


@pytest.fixture
def served(app):
    app.config["PROPAGATE_TEST_ERRORS"] = False  # answered as when served
    return app


def test_a_clash_on_a_page_is_a_409_nothing_saved(served, client, as_user, db_session, monkeypatch):
    from factcheck.workflow import ratings

    monkeypatch.setattr(ratings, "delete_rating", _clash)
    as_user("admin")
    spare = db_session.scalar(select(Rating).where(Rating.slug == "misleading"))
    answer = client.post(f"/admin/ratings/{spare.id}/delete")
    assert answer.status_code == 409
    assert "nothing was saved" in answer.get_data(as_text=True)


def test_a_clash_in_the_api_is_a_409_problem(served, client, db_session, users, token, monkeypatch):  # noqa: F811
    from factcheck.api import views

    monkeypatch.setattr(views, "add_source", _clash)
    claim = make_claim(db_session)
    db_session.commit()
    answer = client.post(
        f"/api/v1/claims/{claim.id}/sources",
        json={"url": "https://example.org/a", "title": "A", "stance": "supports"},
        headers=auth(token("editor")),
    )
    assert "nothing was saved" in assert_problem(answer, 409)["detail"]
