"""Issue 18, third round, in Chromium: a verdict refused for want of a source is shown in the
error summary, which takes the focus, and the form said so beforehand; a returned verdict's
prefilled redraft is open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_reviewers_day import no_axe_violations, sign_in


@pytest.fixture(scope="module")
def bare(live_server, world):
    """A claim assigned to rita with no source yet."""
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import User
    from factcheck.workflow import claims as wf

    engine = make_engine(live_server["database_url"])
    with transaction(engine) as s:
        people = {u.username: u for u in s.scalars(select(User))}
        claim = wf.create_claim(
            s, people["eddie"], wf.ClaimInput(text="Ochre claim with no source", priority=4)
        )
        wf.assign(s, people["eddie"], claim, people["rita"], expected_version=claim.version)
        ids = {"bare": claim.id}
    engine.dispose()
    return ids


def test_a_verdict_without_a_source_is_refused_in_the_error_summary(browser, live_server, bare):
    rita = sign_in(browser, live_server, "rita")
    rita.goto(f"/claims/{bare['bare']}")
    verdict = rita.locator("form[action$='/verdict']")
    expect(rita.locator("#verdict-evidence")).to_contain_text("supports or refutes")
    verdict.get_by_label("Rating").select_option("false")
    verdict.get_by_label("Summary (one line)").fill("Not so.")
    verdict.get_by_label("Rationale").fill("The record says otherwise.")
    verdict.get_by_role("button", name="Submit for approval").click()
    summary = rita.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Add at least one source")
    expect(rita.get_by_role("status")).to_have_count(0)  # said once, not flashed as well
    expect(verdict.get_by_label("Summary (one line)")).to_have_value("Not so.")
    summary.get_by_role("link").click()
    expect(verdict.get_by_label("Rating")).to_be_focused()
    no_axe_violations(rita, "verdict refused for want of a source")
    rita.context.close()


def test_a_returned_verdicts_redraft_is_open(browser, live_server, world):
    rita = sign_in(browser, live_server, "rita")
    rita.goto(f"/claims/{world['returned']}")
    draft = rita.locator("details", has=rita.locator("summary", has_text="Draft a verdict"))
    expect(draft).to_have_attribute("open", "")
    expect(draft.get_by_label("Summary (one line)")).to_be_visible()
    expect(draft.get_by_label("Summary (one line)")).to_have_value("Short of the record.")
    rita.context.close()
