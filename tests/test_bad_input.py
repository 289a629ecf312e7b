"""Hostile and random values posted to every form: the answer is a success or a 4xx with a
message, never a 500, and the database changes only when the answer says it succeeded."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from factcheck.models import Claim, HistoryEvent, User
from factcheck.seeding import load_seeds

HOSTILE = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 30_000),
    st.just("\x00"),
    st.just("a\x00b"),
    st.just("'; DROP TABLE claims; --"),
    st.just("1 OR 1=1"),
    st.just("2017-02-30"),
    st.just("99999-01-01"),
    st.just("-1"),
    st.just("0"),
    st.just("2147483648"),
    st.just("1e309"),
    st.just("NaN"),
    st.just("bogus_enum"),
    st.just("javascript:alert(1)"),
    st.just("\u202e\u200b\ufeff"),
    st.just("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪"),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)

FORMS = {
    "/claims/new": [
        "article_id",
        "text",
        "quote",
        "claimant",
        "claim_type",
        "priority",
        "due_date",
    ],
    "/claims/{claim}/edit": [
        "version",
        "text",
        "quote",
        "claimant",
        "claim_type",
        "priority",
        "due_date",
    ],
    "/claims/{claim}/assign": ["version", "assignee", "due_date"],
    "/claims/{claim}/take": ["version"],
    "/claims/{claim}/sources": [
        "url",
        "title",
        "publisher",
        "kind",
        "stance",
        "reliability",
        "published_on",
        "accessed_on",
        "archive_url",
        "excerpt",
    ],
    "/claims/{claim}/verdict": ["version", "rating", "summary", "rationale"],
    "/claims/{claim}/approve": ["version"],
    "/claims/{claim}/return": ["version", "reason"],
    "/claims/{claim}/not-checkable": ["version", "reason"],
    "/claims/{claim}/restore": ["version"],
    "/claims/{claim}/reopen": ["version", "note"],
    "/claims/{claim}/comments": ["body"],
    "/articles/new": ["title", "publisher", "author", "url", "published_on", "text"],
    "/articles/{article}/claims": ["quote", "text", "claimant", "claim_type", "priority"],
    "/admin/users": ["username", "display_name", "email", "role", "password"],
    "/admin/users/{user}/role": ["role"],
    "/admin/users/{user}/password": ["password"],
}
ALLOWED = {200, 302, 303, 400, 403, 404, 409, 413, 429}  # 303: a refusal sent back


@pytest.fixture
def target(db_session, users):
    load_seeds(db_session)
    db_session.commit()
    claim = db_session.scalars(select(Claim).order_by(Claim.id)).first()
    ids = {"claim": claim.id, "article": claim.article_id, "user": users["reviewer2"].id}
    db_session.commit()
    return ids


def events(db_session) -> int:
    db_session.commit()
    return db_session.scalar(select(func.count()).select_from(HistoryEvent))


@pytest.mark.parametrize("path", sorted(FORMS))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_form_values(client, as_user, db_session, target, path, data):
    as_user("admin")
    fields = FORMS[path]
    values = {
        name: data.draw(HOSTILE, label=name)
        for name in fields
        if data.draw(st.booleans(), label=f"send {name}")
    }
    before = events(db_session)
    response = client.post(path.format(**target), data=values)
    assert response.status_code in ALLOWED, (response.status_code, values)
    after = events(db_session)
    if response.status_code != 302:
        assert after == before, (response.status_code, values)


def test_bogus_ids_are_404(client, as_user, target):
    as_user("admin")
    for path in (
        "/claims/2147483647",
        "/claims/0/edit",
        "/articles/99999999",
        "/claims/1/sources/99999/edit",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/claims/-1").status_code == 404
    assert client.get("/claims/abc").status_code == 404


def test_invalid_utf8_in_a_form_body_is_not_a_500(client, as_user, db_session, target):
    as_user("editor")
    before = events(db_session)
    response = client.post(
        f"/claims/{target['claim']}/comments",
        data=b"body=%FF%FE%00bad",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in ALLOWED
    if response.status_code != 302:
        assert events(db_session) == before
    assert db_session.scalar(select(func.count()).select_from(User)) == 5
