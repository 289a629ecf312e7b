"""The record's integrity between two people: an approval binds to the evidence the editor saw,
sources and claims are not silently overwritten, conflicts keep the input (issue 13)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from factcheck.models import Claim, Source
from factcheck.workflow import claims as wf
from factcheck.workflow.errors import RuleViolation
from factcheck.workflow.sources import update_source
from tests.factories import attach_source, make_claim, source_input, submit


def html(response) -> str:
    return response.get_data(as_text=True)


def form_value(body: str, action: str | None, name: str) -> str:
    """The value of input `name` in the form posting to `action` (None: the page's only one)."""
    if action is not None:
        form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', body, re.S)
        assert form, f"no form posting to {action}"
        body = form.group(0)
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', body)
    assert match, f"no {name} in the form posting to {action}"
    return match.group(1)


def fresh(session, model, ident):
    session.commit()
    session.expire_all()
    return session.get(model, ident)


@pytest.fixture
def in_review(db_session, users):
    """A claim drafted as false by the reviewer on one supporting source, awaiting approval."""
    claim = make_claim(db_session, users["editor"])
    submit(db_session, users["reviewer"], claim, "false")
    db_session.commit()
    return claim


# ---------------------------------------------------------------- 1. approval binds to evidence


@pytest.mark.parametrize("change", ["remove", "edit", "add refuting"])
def test_approval_fails_when_the_evidence_changed_after_the_editor_looked(
    client, as_user, db_session, users, in_review, change
):
    claim_id = in_review.id
    source_id = in_review.sources[0].id
    as_user("editor")
    approve_url = f"/claims/{claim_id}/approve"
    # The claim page's "Approve and publish…" leads to a confirmation holding what was seen.
    page = html(client.get(f"/claims/{claim_id}"))
    confirm = unescape(re.search(r'href="([^"]*/approve/confirm[^"]*)"', page).group(1))
    seen = form_value(html(client.get(confirm)), approve_url, "version")

    as_user("reviewer")
    if change == "remove":
        response = client.post(f"/claims/{claim_id}/sources/{source_id}/delete", data={})
    elif change == "edit":
        edit_url = f"/claims/{claim_id}/sources/{source_id}/edit"
        version = form_value(html(client.get(edit_url)), None, "version")
        data = {**vars(source_input(excerpt="Nobody was detained.")), "version": version}
        response = client.post(edit_url, data={k: v for k, v in data.items() if v is not None})
    else:
        data = vars(source_input(url="https://example.org/denial", stance="refutes"))
        response = client.post(
            f"/claims/{claim_id}/sources", data={k: v for k, v in data.items() if v is not None}
        )
    assert response.status_code == 302, html(response)

    as_user("editor")
    response = client.post(approve_url, data={"version": seen})
    # Refused and sent back to the claim page (post/redirect/get), which says why and shows
    # the change in its history.
    assert response.status_code == 303
    body = html(client.get(response.headers["Location"]))
    assert "changed by someone else" in body
    assert re.search(r"source (removed|edited|added)", body)
    assert fresh(db_session, Claim, claim_id).status == "in_review"


def test_no_approval_without_a_decisive_source_unless_unproven(db_session, users, in_review):
    source = in_review.sources[0]
    update_source(
        db_session,
        users["reviewer"],
        in_review,
        source.id,
        source_input(stance="context"),
        expected_version=source.version,
    )
    with pytest.raises(RuleViolation, match="supports or refutes"):
        wf.approve(db_session, users["editor2"], in_review, expected_version=in_review.version)
    db_session.rollback()

    # The same evidence under an "unproven" rating is fine; no source at all never is.
    claim = make_claim(db_session, users["editor"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)

    def draft(rating: str) -> None:
        wf.draft_verdict(
            db_session,
            users["reviewer"],
            claim,
            rating=rating,
            summary="s",
            rationale="r",
            expected_version=None,
        )

    with pytest.raises(RuleViolation, match="at least one source"):
        draft("unproven")
    attach_source(db_session, users["reviewer"], claim, stance="context")
    with pytest.raises(RuleViolation, match="supports or refutes"):
        draft("false")
    draft("unproven")
    wf.approve(db_session, users["editor2"], claim, expected_version=claim.version)
    assert claim.status == "published"


# ---------------------------------------------------------------- 3. source versions


def test_a_source_edit_never_silently_reverts_another(client, as_user, db_session, users):
    claim = make_claim(db_session, users["editor"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)
    source = attach_source(db_session, users["reviewer"], claim)
    db_session.commit()
    edit_url = f"/claims/{claim.id}/sources/{source.id}/edit"
    as_user("editor")
    loaded = form_value(html(client.get(edit_url)), None, "version")
    base = {k: v for k, v in vars(source_input()).items() if v is not None}

    # Someone else saves first (their own version is current) ...
    first = client.post(edit_url, data={**base, "title": "First title", "version": loaded})
    assert first.status_code == 302
    # ... then the second save from the same stale form is refused, the input kept.
    second = client.post(
        edit_url,
        data={**base, "excerpt": "Second excerpt", "version": loaded},
        follow_redirects=True,
    )
    assert [r.status_code for r in second.history] == [303]  # post/redirect/get
    assert second.status_code == 409
    body = html(second)
    assert "changed by someone else" in body and "title" in body
    assert "Second excerpt" in body
    kept = fresh(db_session, Source, source.id)
    assert kept.title == "First title" and kept.excerpt is None
    # Saving again, deliberately, on top of the new version applies it.
    again = form_value(body, None, "version")
    assert int(again) == kept.version
    third = client.post(
        edit_url, data={**base, "title": "First title", "excerpt": "Second", "version": again}
    )
    assert third.status_code == 302
    kept = fresh(db_session, Source, source.id)
    assert (kept.title, kept.excerpt) == ("First title", "Second")


def test_a_source_saved_from_a_stale_form_merges_three_ways(client, as_user, db_session, users):
    """Ed changes the title; Eve, on a form loaded before, changes only the publisher: both
    changes stay (her save used to put the old title back). Both changing the excerpt is a
    true conflict: theirs is shown at the field, hers kept, and a resave keeps Ed's title."""
    from html import unescape

    claim = make_claim(db_session, users["editor"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)
    source = attach_source(db_session, users["reviewer"], claim)
    db_session.commit()
    edit_url = f"/claims/{claim.id}/sources/{source.id}/edit"
    as_user("editor")
    page = html(client.get(edit_url))
    stale = {
        **{k: v for k, v in vars(source_input()).items() if v is not None},
        "version": form_value(page, None, "version"),
        "loaded": unescape(form_value(page, None, "loaded")),
    }
    assert client.post(edit_url, data={**stale, "title": "Ed's title"}).status_code == 302
    eve = client.post(edit_url, data={**stale, "publisher": "Eve's publisher"})
    assert eve.status_code == 302
    kept = fresh(db_session, Source, source.id)
    assert (kept.title, kept.publisher) == ("Ed's title", "Eve's publisher")

    page = html(client.get(edit_url))
    stale = {**stale, "version": form_value(page, None, "version"),
             "loaded": unescape(form_value(page, None, "loaded")),
             "title": "Ed's title", "publisher": "Eve's publisher"}  # fmt: skip
    assert client.post(edit_url, data={**stale, "excerpt": "Ed's excerpt"}).status_code == 302
    clash = client.post(edit_url, data={**stale, "excerpt": "Eve's excerpt"}, follow_redirects=True)
    assert [r.status_code for r in clash.history] == [303]  # post/redirect/get
    assert clash.status_code == 409
    body = html(clash)
    assert "Also changed by someone else, to: Ed&#39;s excerpt" in body
    assert "Eve&#39;s excerpt" in body  # her input kept in the field
    assert "Ed&#39;s title" in body  # the fields she left alone show the current values
    resave = {
        "version": form_value(body, None, "version"),
        "loaded": unescape(form_value(body, None, "loaded")),
        **{k: v for k, v in vars(source_input()).items() if v is not None},
        "title": "Ed's title",
        "publisher": "Eve's publisher",
        "excerpt": "Eve's excerpt",
    }
    assert client.post(edit_url, data=resave).status_code == 302
    kept = fresh(db_session, Source, source.id)
    assert (kept.title, kept.publisher, kept.excerpt) == (
        "Ed's title",
        "Eve's publisher",
        "Eve's excerpt",
    )


# ---------------------------------------------------------------- 5. a verdict conflict keeps input


@pytest.mark.parametrize("meanwhile", ["claim edited", "verdict submitted by another"])
def test_a_verdict_conflict_keeps_the_input_in_a_form(
    client, as_user, db_session, users, meanwhile
):
    claim = make_claim(db_session, users["editor"])
    wf.assign(db_session, users["editor"], claim, users["reviewer"], expected_version=None)
    attach_source(db_session, users["reviewer"], claim)
    db_session.commit()
    verdict_url = f"/claims/{claim.id}/verdict"
    as_user("reviewer")
    seen = form_value(html(client.get(f"/claims/{claim.id}")), verdict_url, "version")
    if meanwhile == "claim edited":
        wf.update_claim(
            db_session,
            users["editor"],
            claim,
            wf.ClaimInput(text="Reworded by the editor.", claim_type="arrest"),
            expected_version=None,
        )
    else:
        wf.draft_verdict(
            db_session,
            users["editor"],
            claim,
            rating="true",
            summary="The editor's own draft.",
            rationale="Theirs.",
            expected_version=None,
        )
    db_session.commit()

    mine = {
        "rating": "mostly_false",
        "summary": "My one-line summary",
        "rationale": "My long rationale, typed for an hour.",
        "version": seen,
    }
    response = client.post(verdict_url, data=mine, follow_redirects=True)
    assert [r.status_code for r in response.history] == [303]  # post/redirect/get
    assert response.status_code == 409
    body = html(response)
    form = re.search(rf'<form[^>]*action="{verdict_url}".*?</form>', body, re.S)
    assert form, "the verdict form with the input is not on the page"
    assert 'value="My one-line summary"' in form.group(0)
    assert "My long rationale, typed for an hour." in form.group(0)
    assert re.search(
        r'<option[^>]*selected[^>]*value="mostly_false"|value="mostly_false"[^>]*selected',
        form.group(0),
    )
    # Issue 18: the banner and the form agree on whether the input can be submitted again.
    banner = re.search(r'<section class="card conflict".*?</section>', body, re.S).group(0)
    button = "Submit for approval</button>" in form.group(0)
    if meanwhile == "claim edited":  # still the reviewer's to draft: submit again on top
        assert "submit again" in banner and button
        assert "cannot be submitted now" not in body
    else:  # a verdict waits for approval now: nothing to submit, the input is kept to copy
        assert "submit again" not in banner and not button
        assert "cannot be submitted now" in banner


# ---------------------------------------------------------------- 4. three-way claim edits


def edit_form(body: str) -> dict[str, str]:
    """The claim edit form as a browser submits it."""
    from tests.load.test_integrity_live import form_fields

    return form_fields(body, None)


def test_a_stale_claim_edit_applies_only_the_fields_this_user_changed(
    client, as_user, db_session, users
):
    claim = make_claim(db_session, users["editor"], priority=3)
    db_session.commit()
    url = f"/claims/{claim.id}/edit"
    as_user("editor")
    tab_a = edit_form(html(client.get(url)))
    tab_b = edit_form(html(client.get(url)))
    response = client.post(url, data={**tab_a, "text": "Text changed in tab A."})
    assert response.status_code == 302
    # Tab B changed only the priority: saved on top of A's text, which stays.
    response = client.post(url, data={**tab_b, "priority": "1"})
    assert response.status_code == 302, html(response)
    kept = fresh(db_session, Claim, claim.id)
    assert (kept.text, kept.priority) == ("Text changed in tab A.", 1)


def test_a_true_claim_edit_conflict_is_shown_and_resubmitting_keeps_theirs_elsewhere(
    client, as_user, db_session, users
):
    claim = make_claim(db_session, users["editor"], priority=3, claimant="Officials")
    db_session.commit()
    url = f"/claims/{claim.id}/edit"
    as_user("editor")
    tab_a = edit_form(html(client.get(url)))
    tab_b = edit_form(html(client.get(url)))
    data_a = {**tab_a, "text": "Tab A's wording.", "claimant": "The police"}
    assert client.post(url, data=data_a).status_code == 302
    # B changed the text too, differently, and the priority: a true conflict on the text.
    response = client.post(
        url, data={**tab_b, "text": "Tab B's wording.", "priority": "2"}, follow_redirects=True
    )
    assert [r.status_code for r in response.history] == [303]  # post/redirect/get
    assert response.status_code == 409
    body = html(response)
    assert "same field(s) as you: text" in body and "Also changed by someone else" in body
    shown = edit_form(body)
    assert shown["text"].strip() == "Tab B's wording."  # B's input kept
    assert shown["priority"] == "2"
    assert shown["claimant"] == "The police"  # A's change filled in where B changed nothing
    assert fresh(db_session, Claim, claim.id).text == "Tab A's wording."
    # Submitting again, deliberately, applies B's text and priority and keeps A's claimant.
    assert client.post(url, data=shown).status_code == 302
    kept = fresh(db_session, Claim, claim.id)
    assert (kept.text, kept.priority, kept.claimant) == ("Tab B's wording.", 2, "The police")


def test_one_url_is_one_source_of_a_claim(client, as_user, db_session, users):
    claim = make_claim(db_session, users["editor"])
    db_session.commit()
    as_user("editor")
    data = {k: v for k, v in vars(source_input()).items() if v is not None}
    assert client.post(f"/claims/{claim.id}/sources", data=data).status_code == 302
    # The same address again, from another form (another tab): refused at the field.
    response = client.post(f"/claims/{claim.id}/sources", data={**data, "title": "Again"})
    assert response.status_code == 400
    assert "already source #" in html(response)
    assert len(fresh(db_session, Claim, claim.id).sources) == 1
