"""The claim page's verdict form (issue 18): it says beforehand what evidence a verdict needs, a
refusal for missing evidence is in the page's error summary (once, at the form), and after a
return or a reopen the prefilled redraft is shown open."""

from __future__ import annotations

import re

import pytest

from factcheck.workflow import claims as wf
from tests.factories import attach_source, make_claim, publish, submit

NEEDED = "needs at least one source that supports or refutes the claim"  # the form's note


def html(response) -> str:
    return response.get_data(as_text=True)


def verdict_details(body: str) -> str:
    """The opening tag of the "Draft a verdict" disclosure."""
    found = re.search(r"<details[^>]*>\s*<summary>Draft a verdict</summary>", body)
    assert found, "no verdict form on the page"
    return found.group(0)


@pytest.fixture
def assigned(db_session, users):
    claim = make_claim(db_session, users["editor"])
    wf.assign(db_session, users["editor"], claim, users["reviewer"], expected_version=None)
    db_session.commit()
    return claim


def test_the_form_says_a_decisive_source_is_needed_and_a_refusal_is_summarised(
    client, as_user, db_session, users, assigned
):
    as_user("reviewer")
    page = html(client.get(f"/claims/{assigned.id}"))
    assert NEEDED in page
    assert 'aria-describedby="verdict-evidence"' in page

    drafted = {"rating": "false", "summary": "Wrong.", "rationale": "Because.",
               "version": assigned.version}  # fmt: skip
    response = client.post(f"/claims/{assigned.id}/verdict", data=drafted)
    assert response.status_code == 400
    body = html(response)
    summary = re.search(r'<section class="error-summary".*?</section>', body, re.S)
    assert summary, "no error summary"
    assert 'href="#rating"' in summary.group(0)
    message = "Add at least one source before submitting or approving a verdict."
    assert message in summary.group(0)
    assert body.count(message) == 2  # the summary and the field; no flash besides
    assert 'class="flash flash-error"' not in body
    assert "Wrong." in body and "Because." in body  # the input kept
    assert "<details open><summary>Draft a verdict" in body

    attach_source(db_session, users["reviewer"], assigned, stance="context")
    db_session.commit()
    page = html(client.get(f"/claims/{assigned.id}"))
    assert NEEDED in page  # context is not enough
    attach_source(db_session, users["reviewer"], assigned, stance="refutes",
                  url="https://example.org/refutes")  # fmt: skip
    db_session.commit()
    page = html(client.get(f"/claims/{assigned.id}"))
    assert NEEDED not in page


@pytest.mark.parametrize("how", ["returned", "reopened"])
def test_a_prefilled_redraft_is_shown_open(client, as_user, db_session, users, how):
    claim = make_claim(db_session, users["editor"])
    if how == "returned":
        submit(db_session, users["reviewer"], claim, summary="First go.")
        wf.return_verdict(db_session, users["editor"], claim, reason="Cite the date.",
                          expected_version=None)  # fmt: skip
        actor = "reviewer"
    else:
        publish(db_session, users["reviewer"], users["editor"], claim, summary="First go.")
        wf.reopen(db_session, users["editor"], claim, note="A figure was wrong.",
                  expected_version=None)  # fmt: skip
        actor = "editor"
    db_session.commit()
    as_user(actor)
    body = html(client.get(f"/claims/{claim.id}"))
    assert 'value="First go."' in body  # prefilled
    assert " open" in verdict_details(body)
