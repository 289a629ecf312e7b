"""The claim pages and every workflow form, through the Flask test client."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update

from factcheck.models import Claim, HistoryEvent, KeptForm, Source
from factcheck.models.base import utcnow
from factcheck.seeding import load_seeds
from factcheck.workflow import claims as wf
from tests.conftest import login
from tests.factories import attach_source, make_claim


@pytest.fixture
def seeded(db_session, users):
    load_seeds(db_session)
    db_session.commit()
    return db_session


def seed_claim(session, key="C16") -> Claim:
    return session.scalars(select(Claim).where(Claim.external_key == f"chechnya-2017:{key}")).one()


def fresh(session, claim_id) -> Claim:
    """The claim as the database has it now (a new transaction sees the app's commits)."""
    session.commit()
    session.expire_all()
    return session.get(Claim, claim_id)


def html(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- list


def test_list_filters_live_in_the_url(client, as_user, seeded):
    as_user("reviewer")
    body = html(client.get("/?claim_type=death"))
    assert "The death toll among gay men" in body
    assert "Ros-Lehtinen has a transgender son" not in body
    body = html(client.get("/?q=HONOR+killings"))
    assert "honor killings" in body and "death toll" not in body
    body = html(client.get("/?status=published"))
    assert "No claims match this view." in body


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=bogus", "status"),
        ("claim_type=nonsense", "claim_type"),
        ("rating=great", "rating"),
        ("sort=evil", "sort"),
        ("article_id=x", "article_id"),
    ],
)
def test_an_unknown_filter_is_a_400_said_at_the_filter(client, as_user, seeded, query, field):
    """Not silently dropped: the list a user reads would otherwise not be the one they asked."""
    as_user("reviewer")
    response = client.get(f"/?{query}")
    body = html(response)
    assert response.status_code == 400
    assert f'id="{field}-err"' in body and "not understood" in body
    assert body.count("<tr>") > 19  # the list is shown without that filter


def test_several_unknown_filters_are_all_named(client, as_user, seeded):
    as_user("reviewer")
    response = client.get("/?status=bogus&article_id=x&sort=evil&claim_type=death")
    body = html(response)
    assert response.status_code == 400
    assert all(f'id="{f}-err"' in body for f in ("status", "article_id", "sort"))
    assert 'id="claim_type-err"' not in body  # a known one is applied
    assert "The death toll among gay men" in body
    assert client.get("/?status=&claim_type=&sort=priority").status_code == 200


def test_list_counts_per_status_and_paginates(client, as_user, seeded, users):
    for i in range(60):
        make_claim(seeded, users["editor"], text=f"Extra claim number {i}", priority=5)
    seeded.commit()
    as_user("reviewer")
    body = html(client.get("/"))
    assert re.search(r"Unreviewed <span class=\"count\">79</span>", body)
    match = re.search(r'href="(/\?after=[^"]+)"', body)
    assert match, "a next-page link"
    second = html(client.get(match.group(1).replace("&amp;", "&")))
    first_ids = set(re.findall(r'href="/claims/(\d+)"', body))
    second_ids = set(re.findall(r'href="/claims/(\d+)"', second))
    assert len(first_ids) == 50 and len(second_ids) == 29 and not first_ids & second_ids


@pytest.mark.parametrize("sort", ["priority", "activity", "due"])
def test_walking_every_page_gives_every_claim_once(client, as_user, seeded, users, sort):
    """Keyset pages (row-value comparisons on the sort key and id) neither skip nor repeat,
    with many ties on the sort key."""
    for i in range(120):
        make_claim(seeded, users["editor"], text=f"Tied claim {i}", priority=1 + i % 2)
    seeded.commit()
    total = seeded.scalar(select(func.count()).select_from(Claim))
    as_user("reviewer")
    seen, url = [], f"/?sort={sort}"
    while url:
        body = html(client.get(url))
        seen += re.findall(r'<td><a href="/claims/(\d+)"', body)
        more = re.search(r'href="(/\?[^"]*after=[^"]+)"', body)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("priority", "[1e30, 1]"),
        ("priority", "[1, 1e30]"),
        ("priority", "[1, 99999999999999999999]"),
        ("activity", '["2026-01-01T00:00:00", 1e308]'),
        ("priority", "[Infinity, 1]"),
        ("due", '["not a date", 1]'),
        ("priority", "[1]"),
        ("priority", "{}"),
        ("priority", "[" * 1000),  # nested past Python's recursion limit
        ("priority", f"[1, {'1' * 300}]"),  # longer than any cursor the list makes
    ],
)
def test_a_crafted_cursor_gives_the_first_page(client, as_user, seeded, sort, cursor):
    """Cursors are links the app makes, but anyone can edit a URL: numbers a column cannot hold
    or keys of the wrong kind mean "from the start", never a database error."""
    import base64

    as_user("reviewer")
    token = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
    response = client.get(f"/?sort={sort}&after={token}")
    assert response.status_code == 200
    assert html(response).count('<td><a href="/claims/') == 19


def test_a_long_queue_shows_the_most_urgent_and_links_to_the_rest(client, as_user, seeded, users):
    from factcheck.queries.queue import QUEUE_SHOWN

    for i in range(QUEUE_SHOWN + 1):
        claim = make_claim(seeded, users["editor"], text=f"Queued claim {i}")
        wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer")
    body = html(client.get("/queue"))
    assert len(re.findall(r"Queued claim \d+", body)) == QUEUE_SHOWN
    assert f"/?assignee_id={users['reviewer'].id}" in body.replace("&amp;", "&")


def test_queue_shows_my_claims_and_drafts_to_approve(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    attach_source(seeded, users["reviewer"], claim)
    wf.draft_verdict(
        seeded,
        users["reviewer"],
        claim,
        rating="true",
        summary="Confirmed.",
        rationale="r",
        expected_version=claim.version,
    )
    seeded.commit()
    as_user("reviewer")
    assert "death toll" in html(client.get("/queue"))
    client.post("/logout")
    as_user("editor2")
    body = html(client.get("/queue"))
    assert "Verdicts waiting for my approval" in body and "death toll" in body


# ---------------------------------------------------------------- claim page and actions


def test_claim_page_highlights_the_quote_in_its_paragraph(client, as_user, seeded):
    as_user("reviewer")
    claim = seed_claim(seeded)
    body = html(client.get(f"/claims/{claim.id}"))
    assert (
        "<mark>the death toll among gay men who have been detained has risen to 26</mark>" in body
    )
    assert "Novaya Gazeta has since reported that" in body  # the surrounding paragraph
    assert "Take this claim" in body
    assert "Approve" not in body


def test_reviewer_takes_then_works_the_claim(client, as_user, seeded):
    as_user("reviewer")
    claim = seed_claim(seeded)
    assert client.post(f"/claims/{claim.id}/take", data={"version": 1}).status_code == 302
    response = client.post(
        f"/claims/{claim.id}/sources",
        data={
            "url": "https://novayagazeta.example/report",
            "title": "Report",
            "stance": "supports",
            "kind": "news_report",
            "reliability": 4,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/claims/{claim.id}/verdict",
        data={
            "rating": "mostly_true",
            "summary": "Reported, not independently confirmed.",
            "rationale": "Only one outlet.",
            "version": fresh(seeded, claim.id).version,
        },
    )
    assert response.status_code == 302
    claim = fresh(seeded, claim.id)
    assert claim.status == "in_review" and len(claim.sources) == 1


def test_source_errors_are_shown_at_the_field_with_input_kept(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer")
    response = client.post(
        f"/claims/{claim.id}/sources",
        data={
            "url": "javascript:alert(1)",
            "title": "My title kept",
            "stance": "refutes",
            "kind": "news_report",
            "reliability": 9,
            "published_on": "2017-13-45",
        },
    )
    assert response.status_code == 400
    body = html(response)
    assert "My title kept" in body
    assert "Number must be between 1 and 5." in body
    assert "Not a valid date value." in body
    response = client.post(
        f"/claims/{claim.id}/sources",
        data={
            "url": "javascript:alert(1)",
            "title": "t",
            "stance": "refutes",
            "kind": "news_report",
            "reliability": 3,
        },
    )
    assert response.status_code == 400
    assert "Enter a full http:// or https:// address." in html(response)
    assert seeded.scalar(select(func.count()).select_from(Source)) == 0


def test_verdict_needs_a_source(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer")
    response = client.post(
        f"/claims/{claim.id}/verdict",
        data={"rating": "false", "summary": "s", "rationale": "r", "version": 2},
    )
    assert response.status_code == 400
    assert "Add at least one source before submitting or approving a verdict." in html(response)
    assert fresh(seeded, claim.id).status == "researching"


def test_rating_and_stance_are_never_chosen_for_the_user(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer")
    page = html(client.get(f"/claims/{claim.id}"))
    for name in ("rating", "stance"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
        assert "selected" not in select_html  # the empty "Choose …" option shows
    source = {"url": "https://example.org/r", "title": "R", "kind": "news_report"}
    response = client.post(f"/claims/{claim.id}/sources", data={**source, "reliability": 3})
    assert response.status_code == 400
    assert "Choose whether the source supports, refutes or gives context." in html(response)
    attach_source(seeded, users["reviewer"], fresh(seeded, claim.id), stance="supports")
    seeded.commit()
    response = client.post(
        f"/claims/{claim.id}/verdict",
        data={"summary": "s", "rationale": "r", "version": fresh(seeded, claim.id).version},
    )
    assert response.status_code == 400
    assert "Choose a rating." in html(response)
    assert fresh(seeded, claim.id).status == "researching"


def test_a_sources_kind_and_reliability_are_never_chosen_for_the_user(
    client, as_user, seeded, users
):
    """Issue 18: neither "News report" nor a reliability of 3 is prefilled; each is an
    explicit, required choice (in the browser, `required`, and at the form)."""
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer")
    page = html(client.get(f"/claims/{claim.id}"))
    form = re.search(r'<form[^>]*action="[^"]*/sources".*?</form>', page, re.S).group(0)
    for name in ("kind", "reliability"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', form, re.S).group(0)
        assert not re.search(r'<option selected value="[^"]', select_html), name  # "Choose …"
        assert re.search(r"<select[^>]*\brequired\b", select_html), name
        assert re.search(r'<option (selected )?value="">Choose', select_html), name
    source = {"url": "https://example.org/r", "title": "R", "stance": "supports"}
    response = client.post(f"/claims/{claim.id}/sources", data=source)
    assert response.status_code == 400
    body = html(response)
    assert "Choose what kind of source this is." in body
    assert "Choose how reliable the source is." in body
    assert fresh(seeded, claim.id).sources == []
    chosen = {**source, "kind": "primary_document", "reliability": "5"}
    assert client.post(f"/claims/{claim.id}/sources", data=chosen).status_code == 302
    added = fresh(seeded, claim.id).sources[0]
    assert (added.kind, added.reliability) == ("primary_document", 5)


def prepare_in_review(session, users, drafter="reviewer"):
    claim = seed_claim(session)
    wf.assign(session, users["editor"], claim, users[drafter], expected_version=1)
    attach_source(session, users[drafter], claim)
    wf.draft_verdict(
        session,
        users[drafter],
        claim,
        rating="false",
        summary="No evidence.",
        rationale="r",
        expected_version=claim.version,
    )
    session.commit()
    return claim


def test_editor_approves_and_history_names_each_actor(client, as_user, seeded, users):
    claim = prepare_in_review(seeded, users)
    as_user("editor2")
    body = html(client.get(f"/claims/{claim.id}"))
    assert "Approve and publish" in body
    response = client.post(f"/claims/{claim.id}/approve", data={"version": claim.version})
    assert response.status_code == 302
    body = html(client.get(f"/claims/{claim.id}"))
    assert "verdict approved" in body and "Erin" in body and "Rita" in body
    assert fresh(seeded, claim.id).status == "published"


def test_drafter_sees_no_approve_button_and_a_forged_post_is_refused(
    client, as_user, seeded, users
):
    claim = prepare_in_review(seeded, users, drafter="editor")
    as_user("editor")
    assert "Approve and publish" not in html(client.get(f"/claims/{claim.id}"))
    response = client.post(f"/claims/{claim.id}/approve", data={"version": claim.version})
    # Post/redirect/get, refusals included: back to the claim page, which says why.
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/claims/{claim.id}")
    assert "another editor must approve it" in html(client.get(f"/claims/{claim.id}"))
    assert fresh(seeded, claim.id).status == "in_review"


@pytest.mark.parametrize("role", ["reviewer", "reviewer2"])
def test_reviewers_cannot_approve_return_assign_or_reopen(client, as_user, seeded, users, role):
    claim = prepare_in_review(seeded, users)
    as_user(role)
    v = claim.version
    assert client.post(f"/claims/{claim.id}/approve", data={"version": v}).status_code == 403
    assert (
        client.post(f"/claims/{claim.id}/return", data={"version": v, "reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/claims/{claim.id}/assign", data={"version": v, "assignee": users[role].id}
        ).status_code
        == 403
    )
    assert fresh(seeded, claim.id).status == "in_review"


def test_other_reviewer_cannot_touch_an_assigned_claim(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=1)
    seeded.commit()
    as_user("reviewer2")
    response = client.post(
        f"/claims/{claim.id}/sources",
        data={
            "url": "https://a.example/",
            "title": "t",
            "stance": "supports",
            "kind": "other",
            "reliability": 3,
        },
    )
    assert response.status_code == 403
    assert client.get(f"/claims/{claim.id}/edit").status_code == 403


def test_return_with_reason_then_reopen_with_correction(client, as_user, seeded, users):
    claim = prepare_in_review(seeded, users)
    as_user("editor")
    response = client.post(
        f"/claims/{claim.id}/return", data={"version": claim.version, "reason": ""}
    )
    assert response.status_code == 400 and "This field is required." in html(response)
    client.post(
        f"/claims/{claim.id}/return",
        data={"version": claim.version, "reason": "Needs a second source."},
    )
    claim = fresh(seeded, claim.id)
    assert claim.status == "researching"
    assert "Returned for a redraft" in html(client.get(f"/claims/{claim.id}"))
    wf.draft_verdict(
        seeded,
        users["reviewer"],
        claim,
        rating="false",
        summary="s",
        rationale="r",
        expected_version=claim.version,
    )
    wf.approve(seeded, users["editor2"], claim, expected_version=claim.version)
    seeded.commit()
    # Redrafted and published: the return is history, not a note leading the page; the
    # earlier verdict is listed by its label.
    page = html(client.get(f"/claims/{claim.id}"))
    assert "Returned for a redraft" not in page
    assert "(Returned: Needs a second source." in page
    response = client.post(
        f"/claims/{claim.id}/reopen",
        data={"version": claim.version, "note": "The toll was revised."},
    )
    assert response.status_code == 302
    body = html(client.get(f"/claims/{claim.id}"))
    assert "The toll was revised." in body and "Needs a second source." in body


def test_not_checkable_and_restore(client, as_user, seeded):
    claim = seed_claim(seeded, "C7")
    as_user("reviewer")
    client.post(f"/claims/{claim.id}/not-checkable", data={"version": 1, "reason": "Private."})
    assert fresh(seeded, claim.id).status == "not_checkable"
    assert client.post(f"/claims/{claim.id}/restore", data={"version": 2}).status_code == 403
    client.post("/logout")
    as_user("editor")
    client.post(f"/claims/{claim.id}/restore", data={"version": 2})
    assert fresh(seeded, claim.id).status == "unreviewed"


def test_comment(client, as_user, seeded):
    claim = seed_claim(seeded)
    as_user("reviewer2")
    assert client.post(f"/claims/{claim.id}/comments", data={"body": ""}).status_code == 400
    client.post(f"/claims/{claim.id}/comments", data={"body": "Check the Haaretz piece."})
    assert "Check the Haaretz piece." in html(client.get(f"/claims/{claim.id}"))


def test_stale_edit_shows_the_change_and_keeps_my_input(client, as_user, seeded, users):
    claim = seed_claim(seeded)
    as_user("editor")
    form = html(client.get(f"/claims/{claim.id}/edit"))
    assert 'name="version" type="hidden" value="1"' in form
    wf.update_claim(
        seeded,
        users["editor2"],
        claim,
        wf.ClaimInput(text="Someone else's wording.", claim_type="death"),
        expected_version=1,
    )
    seeded.commit()
    response = client.post(
        f"/claims/{claim.id}/edit",
        data={
            "version": 1,
            "text": "My careful wording.",
            "claim_type": "death",
            "priority": 1,
        },
        follow_redirects=True,
    )
    assert [r.status_code for r in response.history] == [303]  # post/redirect/get
    assert response.status_code == 409
    body = html(response)
    assert "My careful wording." in body
    # Shown once: a reload is a GET of the plain form, nothing posted again.
    again = html(client.get(f"/claims/{claim.id}/edit"))
    assert "My careful wording." not in again and "Someone else&#39;s wording." in again
    assert "Someone else&#39;s wording." in body  # what changed meanwhile
    assert fresh(seeded, claim.id).text == "Someone else's wording."
    # Resubmitting deliberately, now on top of version 2, applies it.
    response = client.post(
        f"/claims/{claim.id}/edit",
        data={
            "version": 2,
            "text": "My careful wording.",
            "claim_type": "death",
            "priority": 1,
        },
    )
    assert response.status_code == 302
    assert fresh(seeded, claim.id).text == "My careful wording."


def test_new_claim_by_hand_and_unknown_quote(client, as_user, seeded):
    as_user("reviewer")
    response = client.post(
        "/claims/new",
        data={"article_id": 0, "text": "A claim by hand.", "claim_type": "other", "priority": 3},
    )
    assert response.status_code == 302
    article_id = seed_claim(seeded).article_id
    response = client.post(
        "/claims/new",
        data={
            "article_id": article_id,
            "text": "x",
            "quote": "words that are not there",
            "claim_type": "other",
            "priority": 3,
        },
    )
    assert response.status_code == 400
    assert "This quote does not occur in the article" in html(response)


def test_csrf_is_enforced_when_enabled(app, seeded, users):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_page = html(client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert (
        client.post(
            "/login", data={"username": "rita", "password": "correct horse battery"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/login",
            data={"username": "rita", "password": "correct horse battery", "csrf_token": token},
        ).status_code
        == 302
    )
    claim = seed_claim(seeded)
    events = seeded.scalar(select(func.count()).select_from(HistoryEvent))
    seeded.commit()
    assert client.post(f"/claims/{claim.id}/comments", data={"body": "hi"}).status_code == 400
    page = html(client.get(f"/claims/{claim.id}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            f"/claims/{claim.id}/comments", data={"body": "hi", "csrf_token": token}
        ).status_code
        == 302
    )
    seeded.commit()
    assert seeded.scalar(select(func.count()).select_from(HistoryEvent)) == events + 1


def test_unknown_claim_is_404(client, as_user, seeded):
    as_user("reviewer")
    assert client.get("/claims/999999").status_code == 404
    assert client.post("/claims/999999/take", data={"version": 1}).status_code == 404


def edited_meanwhile(seeded, users, as_user) -> Claim:
    """A claim the editor (signed in) loaded at version 1, which editor2 then changed."""
    claim = seed_claim(seeded)
    as_user("editor")
    wf.update_claim(seeded, users["editor2"], claim,
                    wf.ClaimInput(text="Someone else's wording.", claim_type="death"),
                    expected_version=1)  # fmt: skip
    seeded.commit()
    return claim


def test_a_kept_conflict_is_shown_only_by_the_page_it_was_sent_to(client, as_user, seeded, users):
    """A conflict kept for the edit page, then another page opened first: that page shows
    nothing of it (no error), and the kept form is gone."""
    claim = edited_meanwhile(seeded, users, as_user)
    stale = {"version": 1, "text": "Mine.", "claim_type": "death", "priority": 1}
    posted = client.post(f"/claims/{claim.id}/edit", data=stale)
    kept_at = posted.headers["Location"]
    assert posted.status_code == 303 and urlsplit(kept_at).path.endswith("/edit")
    key = parse_qs(urlsplit(kept_at).query)["kept"][0]
    assert client.get(f"/claims/{claim.id}?kept={key}").status_code == 200
    assert "Mine." not in html(client.get(f"/claims/{claim.id}?kept={key}"))
    assert "Mine." not in html(client.get(f"/claims/{claim.id}/edit"))


def test_a_kept_conflict_keeps_only_the_forms_own_fields(client, as_user, seeded, users):
    """An outsider padded a stale edit with 4.5 MB of extra fields: all of it was stored."""
    claim = edited_meanwhile(seeded, users, as_user)
    stale = {"version": 1, "text": "Mine.", "claim_type": "death", "priority": 1}
    posted = client.post(f"/claims/{claim.id}/edit", data={**stale, "pad": "x" * 100_000})
    assert posted.status_code == 303
    stored = seeded.scalars(select(KeptForm)).one()
    assert "Mine." in str(stored.payload) and "pad" not in str(stored.payload)


def test_a_kept_conflict_survives_a_reload_until_saved(app, client, as_user, seeded, users):
    """Issue 18: the page a conflict sends the user to names the kept form (`?kept=`), so a
    reload shows their input again; the plain address shows the fresh page; nobody else sees
    it; it lasts ten minutes, and the user's next successful save drops it. The claim page's
    forms (a verdict) keep theirs the same way."""
    claim = edited_meanwhile(seeded, users, as_user)
    stale = {"version": 1, "text": "My careful wording.", "claim_type": "death", "priority": 1}
    kept_at = client.post(f"/claims/{claim.id}/edit", data=stale).headers["Location"]
    for _reload in range(2):
        again = client.get(kept_at)
        assert again.status_code == 409
        assert "My careful wording." in html(again)
    assert "My careful wording." not in html(client.get(f"/claims/{claim.id}/edit"))
    someone_else = app.test_client()
    login(someone_else, users["editor2"].username)
    assert "My careful wording." not in html(someone_else.get(kept_at))
    assert "My careful wording." in html(client.get(kept_at))
    saved = client.post(kept_at, data={**stale, "version": 2})
    assert saved.status_code == 302
    assert fresh(seeded, claim.id).text == "My careful wording."
    after = client.get(kept_at)
    assert after.status_code == 200 and "also changed by someone else" not in html(after).lower()
    assert seeded.scalar(select(func.count()).select_from(KeptForm)) == 0

    # Ten minutes on, the kept form is no longer shown.
    wf.update_claim(seeded, users["editor2"], fresh(seeded, claim.id),
                    wf.ClaimInput(text="Yet another wording.", claim_type="death"),
                    expected_version=3)  # fmt: skip
    seeded.commit()
    kept_at = client.post(f"/claims/{claim.id}/edit", data={**stale, "version": 3})
    kept_at = kept_at.headers["Location"]
    assert "My careful wording." in html(client.get(kept_at))
    seeded.execute(update(KeptForm).values(created_at=utcnow() - timedelta(minutes=11)))
    seeded.commit()
    assert "My careful wording." not in html(client.get(kept_at))

    # A claim page form: a verdict refused by a conflict is kept across reloads too.
    other = seed_claim(seeded, "C17")
    wf.assign(seeded, users["editor"], other, users["reviewer"], expected_version=other.version)
    attach_source(seeded, users["reviewer"], other, stance="supports")
    seeded.commit()
    as_user("reviewer")
    stale_version = fresh(seeded, other.id).version
    wf.update_claim(seeded, users["editor2"], fresh(seeded, other.id),
                    wf.ClaimInput(text="Edited meanwhile.", claim_type="death"),
                    expected_version=stale_version)  # fmt: skip
    seeded.commit()
    verdict = {"rating": "false", "summary": "My one line.", "rationale": "My reasons.",
               "version": stale_version}  # fmt: skip
    posted = client.post(f"/claims/{other.id}/verdict", data=verdict)
    assert posted.status_code == 303 and "kept=" in posted.headers["Location"]
    for _reload in range(2):
        assert "My reasons." in html(client.get(posted.headers["Location"]))
    assert "My reasons." not in html(client.get(f"/claims/{other.id}"))


def test_the_assign_form_starts_from_the_claims_assignee_and_due_date(
    client, as_user, seeded, users
):
    """An outsider changed only the due date and was told to choose a person: the form now
    starts from who has the claim (nobody is chosen on an unassigned one)."""
    claim = seed_claim(seeded)
    as_user("editor")
    unassigned = html(client.get(f"/claims/{claim.id}"))
    assert re.search(r'<option selected value="">Choose a person', unassigned)
    wf.assign(seeded, users["editor"], claim, users["reviewer"], expected_version=claim.version,
              due_date=date(2026, 12, 24))  # fmt: skip
    seeded.commit()
    claim = fresh(seeded, claim.id)
    page = html(client.get(f"/claims/{claim.id}"))
    assert re.search(rf'<option selected value="{users["reviewer"].id}">', page)
    assert 'value="2026-12-24"' in page
    response = client.post(
        f"/claims/{claim.id}/assign",
        data={"version": claim.version, "assignee": users["reviewer"].id, "due_date": "2027-01-08"},
    )
    assert response.status_code == 302
    assert fresh(seeded, claim.id).due_date == date(2027, 1, 8)
