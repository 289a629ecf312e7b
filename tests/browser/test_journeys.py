"""Whole user journeys in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def open_claim(page, text: str):
    page.goto("/?q=" + text.replace(" ", "+"))
    page.get_by_role("link", name=re.compile(text, re.I)).first.click()
    expect(page.locator("h1.claim-text")).to_be_visible()


def add_source(page, url: str, title: str, stance: str):
    page.get_by_text("Add a source").click()
    form = page.locator("form[action$='/sources']")
    form.get_by_label("URL", exact=True).fill(url)
    form.get_by_label("Title", exact=True).fill(title)
    form.get_by_label("Stance").select_option(stance)
    form.get_by_label("Kind").select_option("news_report")
    form.get_by_label("Reliability (1-5)").select_option("3")
    form.get_by_role("button", name="Add source").click()
    expect(page.get_by_role("status")).to_contain_text("Source added.")


def test_reviewer_drafts_and_editor_publishes_the_death_toll(new_page):
    rita = new_page("rita")
    open_claim(rita, "death toll among gay men")
    rita.get_by_role("button", name="Take this claim").click()
    expect(rita.get_by_role("status")).to_contain_text("The claim is yours.")
    add_source(
        rita, "https://novayagazeta.example/2017/04/26", "Death toll rises to 26", "supports"
    )
    add_source(
        rita, "https://government.example/statement", "No victims, says spokesman", "refutes"
    )
    expect(rita.locator("h3.stance-supports .count")).to_have_text("1")
    expect(rita.locator("h3.stance-refutes .count")).to_have_text("1")
    verdict = rita.locator("form[action$='/verdict']")
    verdict.get_by_label("Rating").select_option("unproven")
    verdict.get_by_label("Summary (one line)").fill("One outlet's count; not confirmed.")
    verdict.get_by_label("Rationale").fill("Only Novaya Gazeta reports the figure of 26.")
    verdict.get_by_role("button", name="Submit for approval").click()
    expect(rita.get_by_role("status")).to_contain_text("Verdict submitted")
    expect(rita.locator(".claim-head .badge").first).to_have_text("in review")
    expect(rita.get_by_role("link", name="Approve and publish")).to_have_count(0)

    eddie = new_page("eddie")
    eddie.get_by_role("link", name="My queue").click()
    waiting = eddie.locator("section", has_text="Verdicts waiting for my approval")
    waiting.get_by_role("link", name=re.compile("death toll")).click()
    eddie.get_by_role("link", name="Approve and publish").click()
    eddie.get_by_role("button", name="Approve and publish").click()
    expect(eddie.get_by_role("status")).to_contain_text("the fact-check is published")
    expect(eddie.locator(".claim-head .badge").first).to_have_text("published")
    timeline = eddie.locator("aside .timeline")
    expected = [
        ("Eddie Editor", "verdict approved"),
        ("Rita Reviewer", "verdict drafted"),
        ("Rita Reviewer", "source added"),
        ("Rita Reviewer", "source added"),
        ("Rita Reviewer", "taken"),
        ("system", "claim created"),
    ]
    heads = timeline.locator(".event-head")
    expect(heads).to_have_count(len(expected))
    for i, (actor, action) in enumerate(expected):
        expect(heads.nth(i)).to_contain_text(actor)
        expect(heads.nth(i)).to_contain_text(action)
    ARTIFACTS.mkdir(exist_ok=True)
    eddie.set_viewport_size({"width": 1280, "height": 1000})
    eddie.screenshot(path=str(ARTIFACTS / "claim-page.png"), full_page=True)


def test_drafter_cannot_approve_their_own_verdict(new_page):
    eddie = new_page("eddie")
    open_claim(eddie, "transgender son")
    claim_url = eddie.url
    expect(eddie.get_by_label("Assign to")).to_have_value("")  # nobody is chosen for them
    eddie.locator("form[action$='/assign']").get_by_label("Assign to").select_option(
        label="Eddie Editor (editor)"
    )
    eddie.get_by_role("button", name="Assign").click()
    add_source(eddie, "https://profile.example/", "Profile", "supports")
    verdict = eddie.locator("form[action$='/verdict']")
    verdict.get_by_label("Summary (one line)").fill("Confirmed by family interviews.")
    verdict.get_by_label("Rationale").fill("Public interviews.")
    # No rating is chosen for the editor: the browser will not send the form without one.
    expect(verdict.get_by_label("Rating")).to_have_value("")
    verdict.get_by_role("button", name="Submit for approval").click()
    expect(verdict.locator("select:invalid")).to_have_count(1)
    expect(eddie.get_by_role("status")).not_to_contain_text("Verdict submitted")
    verdict.get_by_label("Rating").select_option("true")
    verdict.get_by_role("button", name="Submit for approval").click()
    expect(eddie.get_by_role("status")).to_contain_text("Verdict submitted")
    expect(eddie.get_by_role("link", name="Approve and publish")).to_have_count(0)
    # A forged POST with a valid CSRF token from the page is still refused.
    token = eddie.locator("input[name=csrf_token]").first.get_attribute("value")
    version = eddie.locator("form[action$='/assign'] input[name=version]").get_attribute("value")
    response = eddie.request.post(
        claim_url + "/approve", form={"csrf_token": token, "version": version}, max_redirects=0
    )
    assert response.status == 303, response.status  # refusals too: post/redirect/get
    eddie.reload()
    expect(eddie.get_by_role("status")).to_contain_text("another editor must approve it")
    expect(eddie.locator("form[action$='/return']")).to_have_count(0)  # nor return it
    eddie.reload()
    expect(eddie.locator(".claim-head .badge").first).to_have_text("in review")


def test_two_editors_edit_the_same_claim(new_page):
    eddie, erin = new_page("eddie"), new_page("erin")
    open_claim(eddie, "Holocaust Museum has condemned")
    eddie.get_by_role("link", name="Edit claim").click()
    open_claim(erin, "Holocaust Museum has condemned")
    erin.get_by_role("link", name="Edit claim").click()

    eddie.get_by_label("Claimant (who made the claim)").fill("U.S. Holocaust Memorial Museum")
    eddie.get_by_label("Claim (as a reviewer phrases it)").fill("Eddie's wording.")
    eddie.get_by_role("button", name="Save changes").click()
    expect(eddie.get_by_role("status")).to_contain_text("Claim updated.")

    # Erin changed the wording too (a true conflict) and the priority (hers alone).
    erin.get_by_label("Claim (as a reviewer phrases it)").fill("Erin's own careful wording.")
    erin.get_by_label("Priority").select_option("1")
    erin.get_by_role("button", name="Save changes").click()
    expect(erin.get_by_role("alert")).to_contain_text("Someone else changed this claim")
    expect(erin.get_by_role("alert")).to_contain_text("U.S. Holocaust Memorial Museum")
    expect(erin.get_by_label("Claim (as a reviewer phrases it)")).to_have_value(
        "Erin's own careful wording."
    )
    # Eddie's change is filled in where Erin changed nothing; nothing was saved yet.
    expect(erin.get_by_label("Claimant (who made the claim)")).to_have_value(
        "U.S. Holocaust Memorial Museum"
    )
    eddie.reload()
    expect(eddie.locator("h1.claim-text")).to_have_text("Eddie's wording.")
    # Saving again, deliberately, keeps Eddie's claimant and applies Erin's changes.
    erin.get_by_role("button", name="Save changes").click()
    expect(erin.get_by_role("status")).to_contain_text("Claim updated.")
    expect(erin.locator("h1.claim-text")).to_have_text("Erin's own careful wording.")
    expect(erin.locator(".claim-head")).to_contain_text("U.S. Holocaust Memorial Museum")
    expect(erin.locator(".claim-head")).to_contain_text("priority 1")


def test_article_and_typed_quote_are_highlighted(new_page):
    rita = new_page("rita")
    rita.get_by_role("link", name="Articles").click()
    rita.get_by_role("link", name="Add article").click()
    rita.get_by_label("Title").fill("Budget hearing")
    rita.get_by_label("Full text").fill(
        "The council approved a budget of 4.2 million euros.\n\n"
        "The mayor said no services would be cut."
    )
    rita.get_by_role("button", name="Add article").click()
    expect(rita.get_by_role("status")).to_contain_text("Article added")
    rita.get_by_label("Quote from the article").fill("a budget of 4.2 million euros")
    rita.get_by_label("Claim (as a reviewer phrases it)").fill("The budget is 4.2 million euros.")
    rita.get_by_label("Type", exact=True).select_option("official_action")
    rita.get_by_role("button", name="Create claim").click()
    expect(rita.get_by_role("status")).to_contain_text("created from the article")
    mark = rita.locator("#article-text mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("a budget of 4.2 million euros")
    mark.get_by_role("link").click()
    expect(rita.locator("h1.claim-text")).to_have_text("The budget is 4.2 million euros.")


def test_stored_script_payloads_never_run(new_page, live_server):
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import User
    from factcheck.workflow.articles import ArticleInput, create_article
    from factcheck.workflow.claims import ClaimInput, add_comment, create_claim
    from tests.xss_payloads import PAYLOADS

    engine = make_engine(live_server["database_url"])
    hostile = " ".join(PAYLOADS)
    with transaction(engine) as session:
        actor = session.scalars(select(User).where(User.username == "rita")).one()
        article = create_article(
            session,
            actor,
            ArticleInput(title=hostile, publisher=hostile, text=f"Before {hostile} after."),
        )
        claim = create_claim(
            session,
            actor,
            ClaimInput(text=hostile, claimant=hostile, quote=hostile),
            article=article,
        )
        add_comment(session, actor, claim, hostile)
        claim_id, article_id = claim.id, article.id
    engine.dispose()
    rita = new_page("rita")
    for path in (f"/claims/{claim_id}", f"/articles/{article_id}", "/?q=img", "/articles/"):
        rita.goto(path)
        assert rita.evaluate("window.__xss") is None, path
        assert rita.locator("img[src=x]").count() == 0, path
        assert rita.locator("svg[onload]").count() == 0, path
    rita.goto(f"/claims/{claim_id}")
    expect(rita.locator(".comments .body")).to_contain_text("<script>window.__xss = 1</script>")


def test_suggested_claims_are_confirmed_in_one_action(new_page):
    rita = new_page("rita")
    rita.goto(rita.url.split("/", 3)[0] + "//" + rita.url.split("/", 3)[2] + "/articles/new")
    rita.get_by_label("Title").fill("Protest")
    rita.get_by_label("Full text").fill(
        "Police said 40 protesters were arrested, many were beaten, and two died.\n\n"
        "The interior ministry denied that any prisoners had been mistreated."
    )
    rita.get_by_role("button", name="Add article").click()
    expect(rita.locator("#suggestions tbody tr")).to_have_count(4)
    expect(rita.locator("#article-text .candidate")).to_have_count(4)
    rita.get_by_label("Keep suggestion 3").uncheck()
    rita.get_by_label("Claimant of suggestion 2").fill("the police")
    rita.get_by_role("button", name="Create the ticked claims").click()
    expect(rita.get_by_role("status")).to_contain_text("3 claim(s) created")
    expect(rita.locator("#article-text mark")).to_have_count(3)


def test_a_returned_verdict_is_redrafted_from_the_last_draft(new_page):
    """After a return the draft form holds the returned verdict, so nothing is retyped; a new
    source's stance is never chosen for the reviewer."""
    rita = new_page("rita")
    open_claim(rita, "21 Democrats")
    rita.get_by_role("button", name="Take this claim").click()
    rita.get_by_text("Add a source").click()
    sources = rita.locator("form[action$='/sources']")
    expect(sources.get_by_label("Stance")).to_have_value("")
    sources.get_by_label("URL", exact=True).fill("https://rights.example/report")
    sources.get_by_label("Title", exact=True).fill("Rights group report")
    expect(sources.get_by_label("Kind")).to_have_value("")  # nor the kind, nor the reliability
    expect(sources.get_by_label("Reliability (1-5)")).to_have_value("")
    sources.get_by_role("button", name="Add source").click()
    expect(sources.locator("select:invalid")).to_have_count(3)  # none chosen: none sent
    sources.get_by_label("Kind").select_option("news_report")
    sources.get_by_label("Reliability (1-5)").select_option("4")
    sources.get_by_role("button", name="Add source").click()
    expect(sources.locator("select:invalid")).to_have_count(1)  # the stance, still unchosen
    sources.get_by_label("Stance").select_option("refutes")
    sources.get_by_role("button", name="Add source").click()
    expect(rita.get_by_role("status")).to_contain_text("Source added.")
    verdict = rita.locator("form[action$='/verdict']")
    verdict.get_by_label("Rating").select_option("false")
    verdict.get_by_label("Summary (one line)").fill("The denial is contradicted.")
    verdict.get_by_label("Rationale").fill("Witnesses describe the detentions in detail.")
    verdict.get_by_role("button", name="Submit for approval").click()
    expect(rita.get_by_role("status")).to_contain_text("Verdict submitted")
    expect(rita).to_have_url(re.compile(r"#verdict-title$"))  # back at the verdict
    claim_url = rita.url.split("#")[0]  # (a goto to the same fragment would not reload)

    eddie = new_page("eddie")
    eddie.goto(claim_url)
    eddie.get_by_text("Return to the reviewer").click()
    eddie.locator("form[action$='/return']").get_by_label("Reason").fill("Cite the report's date.")
    eddie.get_by_role("button", name="Return with this reason").click()
    expect(eddie.get_by_role("status")).to_contain_text("returned")

    rita.goto(claim_url)
    returned = rita.locator(".verdict.returned")
    expect(returned).to_contain_text("Returned for a redraft by Eddie Editor")
    expect(returned.locator(".return-reason")).to_have_text("Cite the report's date.")
    verdict = rita.locator("form[action$='/verdict']")
    expect(verdict.get_by_label("Rating")).to_have_value("false")
    expect(verdict.get_by_label("Summary (one line)")).to_have_value("The denial is contradicted.")
    expect(verdict.get_by_label("Rationale")).to_have_value(
        "Witnesses describe the detentions in detail."
    )
