"""Issue 18, the reviewer's day, second round: lists page both ways with a total and a sort
direction; axe-core on the confirmation pages; conflicts and refusals are post/redirect/get;
ticks kept; a resent article lands on the first; after an action, back where the user acted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_reviewers_day import no_axe_violations, sign_in


@pytest.fixture(scope="module")
def desk(live_server, world):
    """This module's own claims: one whose verdict waits for approval, with a source."""
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import User
    from factcheck.workflow import claims as wf
    from factcheck.workflow import review
    from factcheck.workflow.articles import ArticleInput, create_article
    from factcheck.workflow.sources import SourceInput, add_source

    engine = make_engine(live_server["database_url"])
    with transaction(engine) as s:
        people = {u.username: u for u in s.scalars(select(User))}
        rita, eddie = people["rita"], people["eddie"]
        pending = wf.create_claim(
            s, eddie, wf.ClaimInput(text="Quill claim on the canal", priority=4)
        )
        wf.assign(s, eddie, pending, rita, expected_version=pending.version)
        add_source(s, rita, pending, SourceInput(url="https://canal.example/", title="Canal log",
                                                 stance="refutes"))  # fmt: skip
        review.draft_verdict(
            s, rita, pending, rating="false", summary="The log disagrees.",
            rationale="See the canal log.", expected_version=pending.version,
        )  # fmt: skip
        ids = {"pending": pending.id}
        for i in range(52):  # a second page of articles and of public fact-checks
            create_article(s, rita, ArticleInput(title=f"Quill story {i}", text=f"Story {i}."))
            c = wf.create_claim(s, eddie, wf.ClaimInput(text=f"Quill claim {i}", priority=2))
            wf.assign(s, eddie, c, rita, expected_version=c.version)
            add_source(s, rita, c, SourceInput(url=f"https://q.example/{i}", title="Record",
                                               stance="supports"))  # fmt: skip
            review.draft_verdict(
                s, rita, c, rating="true", summary="Right.", rationale="The record.",
                expected_version=c.version,
            )  # fmt: skip
            review.approve(s, people["erin"], c, expected_version=c.version)
    engine.dispose()
    return ids


def test_confirmation_pages_without_javascript_pass_axe(browser, live_server, world, desk):
    """Point 2: approve and publish, remove a source, deactivate an account: each asks on a
    page of its own, reached with JavaScript off, and axe-core finds nothing on it (axe runs
    in the page, so it audits the same address in a context with JavaScript on)."""

    def audit(username: str, address: str, what: str) -> None:
        seen = sign_in(browser, live_server, username)
        seen.goto(address)
        no_axe_violations(seen, what)
        seen.context.close()

    eddie = sign_in(browser, live_server, "eddie", javascript=False)
    eddie.goto(f"/claims/{desk['pending']}")
    eddie.get_by_role("link", name="Approve and publish").click()
    expect(eddie.locator("h1")).to_have_text(f"Approve and publish claim #{desk['pending']}?")
    approve = eddie.url
    eddie.goto(f"/claims/{desk['pending']}")
    eddie.get_by_role("link", name="remove").click()
    expect(eddie.locator("h1")).to_have_text("Remove the source “Canal log”?")
    remove = eddie.url
    eddie.context.close()
    audit("eddie", approve, "approve and publish, confirm")
    audit("eddie", remove, "remove a source, confirm")

    ada = sign_in(browser, live_server, "ada", javascript=False)
    ada.goto("/admin/users")
    ada.locator("tr", has_text="erin").get_by_role("link", name="Deactivate").click()
    expect(ada.locator("h1")).to_have_text("Deactivate erin?")
    deactivate = ada.url
    ada.context.close()
    audit("ada", deactivate, "deactivate an account, confirm")


def first_id(page) -> int:
    return int(page.locator("tbody tr").first.locator("td").first.inner_text())


def test_lists_page_both_ways_with_a_total_and_an_order(browser, live_server, world, desk):
    """Point 1: the articles and the public fact-checks page forward and back, say their
    total, and run newest or oldest first; the claims list's sort runs either way."""
    eddie = sign_in(browser, live_server, "eddie")
    eddie.goto("/articles/")
    total = eddie.locator(".pager .total strong").inner_text()
    assert int(total.replace(",", "")) > 50
    newest = first_id(eddie)
    eddie.get_by_role("link", name="Older ›").click()
    assert first_id(eddie) < newest
    eddie.get_by_role("link", name="‹ Newer").click()
    assert first_id(eddie) == newest
    expect(eddie.get_by_role("link", name="‹ Newer")).to_have_count(0)
    eddie.get_by_role("link", name="oldest first").click()
    oldest = first_id(eddie)
    assert oldest < newest
    eddie.get_by_role("link", name="Newer ›").click()
    assert first_id(eddie) > oldest
    eddie.get_by_role("link", name="‹ Older").click()
    assert first_id(eddie) == oldest

    eddie.goto("/fact-checks")
    expect(eddie.locator(".pager .total")).to_contain_text("fact-checks")
    rows = eddie.locator("tbody tr")
    first = rows.first.inner_text()
    eddie.get_by_role("link", name="Older ›").click()
    expect(rows.first).not_to_have_text(first)
    eddie.get_by_role("link", name="‹ Newer").click()
    expect(rows.first).to_have_text(first)
    eddie.get_by_role("link", name="oldest first").click()
    expect(rows.first).not_to_have_text(first)
    expect(eddie.get_by_role("link", name="Newer ›")).to_be_visible()

    eddie.goto("/")
    column = eddie.locator("table.claims tbody tr td:nth-child(7)")
    most_urgent = column.first.inner_text()
    eddie.get_by_label("Sort by").select_option("priority")
    eddie.get_by_label("Direction").select_option("desc")
    eddie.get_by_role("button", name="Apply").click()
    expect(eddie).to_have_url(re.compile(r"direction=desc"))
    priorities = column.all_inner_texts()
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > most_urgent
    eddie.get_by_role("link", name="Next page").click()
    expect(eddie).to_have_url(re.compile(r"direction=desc"))
    later = column.all_inner_texts()
    assert later == sorted(later, reverse=True) and later[0] <= priorities[-1]
    eddie.context.close()


NEWS = (
    "Unemployment fell to 4.2 percent in March, the finance minister said on Tuesday.\n\n"
    "The government spent 12 billion euros on hospitals last year, according to the health "
    "ministry.\n\n"
    "Opposition leader Anna Berg claimed that crime rose by 30 percent since 2019."
)


def test_a_pasted_article_sent_again_lands_on_the_first(browser, live_server, world):
    """Points 5 and 4: the back button and a second submission lead to the article made
    by the first, saying so, never a duplicate; a refused "create the ticked claims" shows
    exactly the user's ticks (a preselected one unticked stays unticked)."""
    rita = sign_in(browser, live_server, "rita")
    rita.goto("/articles/new")
    rita.get_by_label("Title").fill("Figures of the week")
    rita.get_by_label("Full text").fill(NEWS)
    rita.get_by_role("button", name="Add article").click()
    expect(rita).to_have_url(re.compile(r"/articles/\d+$"))
    first = rita.url
    rita.go_back()
    expect(rita).to_have_url(re.compile(r"/articles/new$"))
    if not rita.get_by_label("Full text").input_value():  # the form came back empty: paste
        rita.get_by_label("Title").fill("Figures of the week")
        rita.get_by_label("Full text").fill(NEWS)
    rita.get_by_role("button", name="Add article").click()
    expect(rita).to_have_url(first)
    expect(rita.get_by_role("status").first).to_contain_text("already")
    rita.goto("/articles/")
    expect(rita.locator("tbody tr", has_text="Figures of the week")).to_have_count(1)

    rita.goto(first)
    boxes = rita.locator("#suggestions tbody tr").get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, True, False]
    ticks = [False, True, True]
    for i, tick in enumerate(ticks):
        boxes.nth(i).set_checked(tick)
    rita.locator("#suggestions textarea").nth(2).fill("")
    rita.get_by_role("button", name="Create the ticked claims").click()
    expect(rita.locator(".error-summary")).to_be_visible()
    assert [boxes.nth(i).is_checked() for i in range(3)] == ticks
    rita.context.close()


def in_view_and_focused(page, target: str) -> None:
    heading = page.locator(target)
    expect(heading).to_be_focused()
    assert page.evaluate("scrollY") > 0, "back at the top of the page"
    box = heading.bounding_box()
    assert -2 < box["y"] < page.viewport_size["height"], box


def test_after_an_action_the_user_is_where_they_acted(browser, live_server, world):
    """Point 6: after adding a source, a comment (JavaScript off: the browser scrolls to the
    fragment and focuses its heading by itself) or the ticked claims, the page opens at that
    section, its heading focused, not at the top."""
    rita = sign_in(browser, live_server, "rita", javascript=False)
    claim = f"/claims/{world['returned']}"
    rita.goto(claim)
    rita.locator("#sources summary").click()
    rita.get_by_label("URL", exact=True).fill("https://ferry.example/timetable")
    rita.get_by_label("Title", exact=True).fill("Ferry timetable")
    rita.get_by_label("Stance").select_option("refutes")
    rita.get_by_label("Kind").select_option("dataset")
    rita.get_by_label("Reliability (1-5)").select_option("4")
    rita.get_by_role("button", name="Add source").click()
    expect(rita).to_have_url(re.compile(rf"{claim}#sources-title$"))
    expect(rita.get_by_role("status")).to_contain_text("Source added")
    in_view_and_focused(rita, "#sources-title")
    rita.get_by_label("Comment").fill("The timetable settles it.")
    rita.get_by_role("button", name="Comment").click()
    expect(rita).to_have_url(re.compile(rf"{claim}#comments-title$"))
    in_view_and_focused(rita, "#comments-title")
    expect(rita.locator("#comments")).to_contain_text("The timetable settles it.")
    rita.context.close()

    rita = sign_in(browser, live_server, "rita", viewport={"width": 1000, "height": 500})
    rita.goto(f"/articles/{world['marked']}")
    rita.locator("#suggestions tbody tr").last.get_by_role("checkbox").check()
    rita.get_by_role("button", name="Create the ticked claims").click()
    expect(rita).to_have_url(re.compile(r"/articles/\d+#claims-title$"))
    expect(rita.get_by_role("status")).to_contain_text("1 claim(s) created")
    expect(rita.locator("#claims-title")).to_be_focused()
    rita.context.close()


def test_a_conflict_is_shown_by_a_get_and_a_reload_posts_nothing(browser, live_server, desk):
    """Point 3: a stale claim edit is refused with a redirect; the form page shows the
    user's input and what changed meanwhile, again on a reload (a GET); the plain address
    shows the fresh form."""
    eddie = sign_in(browser, live_server, "eddie")
    edit = f"/claims/{desk['pending']}/edit"
    other = eddie.context.new_page()
    eddie.goto(edit)
    other.goto(edit)
    text = other.locator("#text")
    text.fill("Quill claim on the canal, reworded in the other tab.")
    other.get_by_role("button", name="Save changes").click()
    expect(other).to_have_url(re.compile(rf"/claims/{desk['pending']}$"))

    eddie.locator("#text").fill("Quill claim on the canal, my own wording.")
    with eddie.expect_response(lambda r: r.request.method == "POST") as posted:
        eddie.get_by_role("button", name="Save changes").click()
    assert posted.value.status == 303
    expect(eddie).to_have_url(re.compile(rf"{edit}\?kept=[\w-]+$"))
    expect(eddie.locator(".conflict")).to_contain_text("changed this claim")
    expect(eddie.locator("#text")).to_have_value("Quill claim on the canal, my own wording.")
    expect(eddie.locator("main")).to_contain_text("reworded in the other tab")
    with eddie.expect_navigation() as navigation:
        eddie.reload()
    assert navigation.value.request.method == "GET"
    # Issue 18: a reload keeps the user's wording (the address names the kept form) ...
    expect(eddie.locator(".conflict")).to_contain_text("changed this claim")
    expect(eddie.locator("#text")).to_have_value("Quill claim on the canal, my own wording.")
    # ... and the plain address shows the fresh page.
    eddie.goto(edit)
    expect(eddie.locator(".conflict")).to_have_count(0)
    expect(eddie.locator("#text")).to_have_value(
        "Quill claim on the canal, reworded in the other tab."
    )
    eddie.context.close()
