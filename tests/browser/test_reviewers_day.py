"""Issue 18, the reviewer's day: risky defaults, confirmations without JavaScript,
post/redirect/get, returned work in the queue, the error summary, lists, readable history,
navigation, small screens, selecting a passage, suggestion boxes, and axe-core on every main
page. One server and one browser; the claims these tests need are made through the services."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from factcheck.devsupport.live_server import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(browser, live_server, username, *, javascript=True, **options):
    context = browser.new_context(
        base_url=live_server["base_url"], java_script_enabled=javascript, **options
    )
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


def no_axe_violations(page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_snapshot()}"


def test_confirmations_without_javascript_and_post_redirect_get(browser, live_server, world):
    """Points 1, 2, 6, 10: nobody is assigned by default (the form shows who has the claim);
    approving, removing a source and deactivating an account each ask first on a page of
    their own (JavaScript off); every
    result and refusal of a button or a row is a redirect; the published claim links to its
    public fact-check."""
    eddie = sign_in(browser, live_server, "eddie", javascript=False)
    eddie.goto(f"/claims/{world['waiting']}")
    # An assigned claim's form starts from who has it; on an unassigned one nobody is chosen
    # (tests/test_web_claims.py): the form never picks a person the claim does not have.
    chosen = eddie.get_by_label("Assign to").locator("option:checked")
    expect(chosen).to_have_text("Rita Reviewer (reviewer)")
    eddie.get_by_role("link", name="Approve and publish").click()
    expect(eddie).to_have_url(re.compile(rf"/claims/{world['waiting']}/approve/confirm"))
    expect(eddie.locator("h1")).to_have_text(f"Approve and publish claim #{world['waiting']}?")
    expect(eddie.locator(".consequences")).to_contain_text("Mostly false: Short of the record.")
    expect(eddie.locator(".consequences")).to_contain_text("public site")
    eddie.get_by_role("button", name="Approve and publish").click()
    expect(eddie).to_have_url(re.compile(rf"/claims/{world['waiting']}$"))  # redirected
    expect(eddie.get_by_role("status")).to_contain_text("the fact-check is published")
    eddie.get_by_role("link", name="Public fact-check").click()
    expect(eddie).to_have_url(re.compile(rf"/fact-checks/{world['waiting']}$"))
    # Asking again (a stale link) leads back to the claim, saying why.
    eddie.goto(f"/claims/{world['waiting']}/approve/confirm")
    expect(eddie).to_have_url(re.compile(rf"/claims/{world['waiting']}$"))
    expect(eddie.locator(".flash-error")).to_contain_text("no verdict on this claim")

    rita = sign_in(browser, live_server, "rita", javascript=False)
    rita.goto(f"/claims/{world['returned']}")
    rita.get_by_role("link", name="remove").click()
    expect(rita.locator("h1")).to_have_text("Remove the source “Minutes”?")
    expect(rita.locator(".consequences")).to_contain_text("stay in the claim's history")
    rita.get_by_role("button", name="Remove the source").click()
    expect(rita).to_have_url(re.compile(rf"/claims/{world['returned']}$"))
    expect(rita.get_by_role("status")).to_contain_text("Source removed")

    ada = sign_in(browser, live_server, "ada", javascript=False)
    ada.goto("/admin/users")
    row = ada.locator("tr", has_text="zed")
    row.get_by_role("link", name="Deactivate").click()
    expect(ada.locator("h1")).to_have_text("Deactivate zed?")
    expect(ada.locator(".consequences")).to_contain_text("can no longer sign in")
    ada.get_by_role("button", name="Deactivate").click()
    expect(ada).to_have_url(re.compile(r"/admin/users$"))
    expect(ada.get_by_role("status")).to_contain_text("zed deactivated")
    # A refused role change (the admin's own) comes back by a redirect too: a reload is a GET.
    own = ada.locator("tr", has_text="ada")
    own.get_by_label("Role of ada").select_option("reviewer")
    with ada.expect_navigation() as navigation:
        own.get_by_role("button", name="Change").click()
    assert navigation.value.request.method == "GET"
    expect(ada).to_have_url(re.compile(r"/admin/users$"))
    expect(ada.locator(".flash-error")).to_contain_text("You cannot remove your own admin role")
    for page in (eddie, rita, ada):
        page.context.close()


def test_a_reviewers_day(browser, live_server, world):
    """Points 3, 5, 6, 8, 10, 4, 11: the queue says "returned" and why; a refused form leads
    with a summary whose links reach each field, focus on it, with a 4xx and no redirect of
    the input; history reads as words; no empty actions card; a favicon; an empty article;
    selecting marked text with the mouse and from the keyboard; suggestion boxes fit."""
    rita = sign_in(browser, live_server, "rita")
    rita.get_by_role("link", name="My queue").click()
    row = rita.locator("tr", has_text="Zephyr returned claim")
    expect(row.locator(".badge")).to_have_text("returned")
    expect(row.locator(".return-reason")).to_contain_text("Returned by Erin Editor")
    expect(row.locator(".return-reason")).to_contain_text("Cite the minutes' date.")

    # The published claim: readable history, the extractor's score and reasons, no empty card.
    rita.goto(f"/claims/{world['published']}")
    timeline = rita.locator("aside .timeline")
    expect(timeline).to_contain_text("Mostly true")
    expect(timeline).to_contain_text("In review")
    expect(timeline).not_to_contain_text("mostly_true")
    expect(timeline).not_to_contain_text("in_review")
    expect(timeline.locator(".extraction")).to_contain_text("0.82")
    expect(timeline.locator(".extraction")).to_contain_text("Official action")
    expect(timeline.locator(".extraction li")).to_have_text(["names a number", "reported speech"])
    expect(rita.locator("aside h2", has_text="Actions")).to_have_count(0)
    expect(rita.get_by_role("link", name="Public fact-check")).to_be_visible()
    icon = rita.locator("link[rel=icon]").get_attribute("href")
    answer = rita.request.get(icon)
    assert answer.status == 200 and "svg" in answer.headers["content-type"]

    rita.goto(f"/articles/{world['empty']}")
    expect(rita.get_by_text("No claims yet.")).to_be_visible()
    expect(rita.locator("ol li", has_text="No claims yet.")).to_have_count(0)

    # The error summary: a refused form names each problem at the top, focus goes there.
    rita.goto(f"/articles/{world['marked']}")
    with rita.expect_response(re.compile(r"/articles/\d+/claims$")) as posted:
        rita.get_by_role("button", name="Create claim").click()
    assert posted.value.status == 400  # shown again with the input: a 4xx, never a 200
    summary = rita.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("Claim"))
    link.click()
    expect(rita.get_by_label("Claim (as a reviewer phrases it)")).to_be_focused()

    # Selecting a passage inside a claim's mark: no link is followed, the quote is filled.
    rita.goto(f"/articles/{world['marked']}")
    url = rita.url
    mark = rita.locator("#article-text mark a")
    box = mark.bounding_box()
    rita.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    rita.mouse.down()
    rita.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2, steps=8)
    rita.mouse.up()
    assert rita.url == url
    quote = rita.get_by_label("Quote from the article")
    expect(quote).to_have_value(re.compile(r"^the bridge"))
    expect(quote).to_be_focused()
    # From the keyboard: a selection made without the mouse (caret browsing), then Enter.
    quote.fill("")
    rita.locator("#article-text").focus()
    rita.evaluate(
        """() => { const text = document.querySelector('#article-text mark a').firstChild;
        const range = document.createRange(); range.setStart(text, 4); range.setEnd(text, 10);
        const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range); }"""
    )
    rita.keyboard.press("Enter")
    assert rita.url == url
    expect(quote).to_have_value("bridge")
    expect(quote).to_be_focused()

    # Suggested claims: each edit box shows its whole text without scrolling.
    boxes = rita.locator("#suggestions textarea")
    expect(boxes.first).to_be_visible()
    for i in range(boxes.count()):
        fits = boxes.nth(i).evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        assert fits, f"suggestion box {i} scrolls"
    # A refused "create the ticked claims": a 4xx with the input, the summary links the row.
    rita.locator("#suggestions tbody tr").first.get_by_role("checkbox").check()
    boxes.first.fill("")
    with rita.expect_response(re.compile(r"/articles/\d+/candidates$")) as posted:
        rita.get_by_role("button", name="Create the ticked claims").click()
    assert 400 <= posted.value.status < 500, posted.value.status
    summary = rita.locator(".error-summary")
    expect(summary).to_be_focused()
    # Issue 18: the summary names the suggestion; its message is not flashed a second time.
    expect(summary.get_by_role("link").first).to_have_text(
        re.compile(r"^Suggestion \d+ \(claim text\): ")
    )
    expect(rita.get_by_role("status")).to_have_text(["Nothing was created."])
    summary.get_by_role("link").first.click()
    expect(boxes.first).to_be_focused()
    rita.context.close()


def test_lists_small_screens_and_accessibility(browser, live_server, world):
    """Points 7, 9 and axe-core: previous and next pages, the total from the kept counts, the
    sort's direction, the CSV links; no sideways scrolling at 375 px; 0 axe violations."""
    eddie = sign_in(browser, live_server, "eddie")
    eddie.goto("/")
    expect(eddie.get_by_label("Sort by")).to_contain_text("most urgent first")
    all_tab = eddie.locator("nav.tabs a", has_text="All").locator(".count").inner_text()
    expect(eddie.locator(".pager .total")).to_contain_text(f"of {all_tab} claims")
    first_row = eddie.locator("table.claims tbody tr").first.inner_text()
    eddie.get_by_role("link", name="Next page").click()
    expect(eddie.locator("table.claims tbody tr").first).not_to_have_text(first_row)
    eddie.get_by_role("link", name="Previous page").click()
    expect(eddie.locator("table.claims tbody tr").first).to_have_text(first_row)
    expect(eddie.get_by_role("link", name="Previous page")).to_have_count(0)
    for kind in ("Sources", "History"):
        href = eddie.get_by_role("link", name=f"{kind} CSV").get_attribute("href")
        answer = eddie.request.get(href)
        assert answer.status == 200 and "text/csv" in answer.headers["content-type"], kind

    pages = {
        "claims list": "/",
        "my queue": "/queue",
        "claim": f"/claims/{world['published']}",
        "article": f"/articles/{world['marked']}",
        "seeded article, claims in highlights": "/articles/1",
        "articles": "/articles/",
        "new article": "/articles/new",
        "reports": "/reports",
        "public fact-checks": "/fact-checks",
        "public fact-check": f"/fact-checks/{world['published']}",
    }
    for what, path in pages.items():
        eddie.goto(path)
        no_axe_violations(eddie, what)

    ARTIFACTS.mkdir(exist_ok=True)
    eddie.set_viewport_size({"width": 375, "height": 800})
    for what, path in {
        "list": "/",
        "claim": f"/claims/{world['published']}",
        "article": f"/articles/{world['marked']}",
    }.items():
        eddie.goto(path)
        eddie.screenshot(path=str(ARTIFACTS / f"375-{what}.png"), full_page=True)
        wide = eddie.evaluate("document.documentElement.scrollWidth")
        wider = eddie.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e =>
            e.getBoundingClientRect().right > 376 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        assert wide <= 375, f"{what} scrolls sideways: {wide}px, {wider}"
        sign_out = eddie.get_by_role("button", name="Sign out").bounding_box()
        assert sign_out["x"] + sign_out["width"] <= 375, what
    eddie.context.close()

    ada = sign_in(browser, live_server, "ada")
    confirm = f"/admin/users/{world['ada']}/deactivate/confirm"
    for what, path in {"accounts": "/admin/users", "confirm": confirm, "login": "/login"}.items():
        if path == "/login":
            ada.context.clear_cookies()
        ada.goto(path)
        no_axe_violations(ada, what)
    ada.context.close()


def test_seeded_article_and_accounts_at_375_px(browser, live_server, world):
    """The seeded article's claim links inside highlights pass axe-core at 375 px as at
    1280 px (underlined: colour alone does not set them apart); the accounts list does not
    scroll sideways at 375 px (its table scrolls in its own box)."""
    eddie = sign_in(browser, live_server, "eddie", viewport={"width": 375, "height": 800})
    eddie.goto("/articles/1")
    expect(eddie.locator("#article-text mark a").first).to_be_visible()
    no_axe_violations(eddie, "seeded article at 375 px")
    eddie.context.close()
    ada = sign_in(browser, live_server, "ada", viewport={"width": 375, "height": 800})
    ada.goto("/admin/users")
    ARTIFACTS.mkdir(exist_ok=True)
    ada.screenshot(path=str(ARTIFACTS / "375-accounts.png"), full_page=True)
    wide = ada.evaluate("document.documentElement.scrollWidth")
    assert wide <= 375, f"the accounts page scrolls sideways: {wide}px"
    ada.context.close()
