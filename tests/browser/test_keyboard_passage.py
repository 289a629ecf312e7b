"""Issue 18 point 4, from the keyboard: choosing a passage of an article with no mouse and no
script-made selection. The "Choose a passage with the keyboard" button lists the text's
sentences; arrows move, Shift+arrow extends, Enter quotes the choice in the new claim form,
Escape leaves. The chosen sentences cross a claim's mark and a suggestion's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from factcheck.devsupport.live_server import PASSWORD

TEXT = (
    "The mayor said the bridge repair cost 3 million euros last year. "
    "Opposition councillors claimed the real cost was twice as high. "
    "The ministry denied on Monday that it had paid 6 million euros.\n\n"
    "Nothing else happened."
)
CHOSEN = (
    "Opposition councillors claimed the real cost was twice as high. "
    "The ministry denied on Monday that it had paid 6 million euros."
)
MARKED = "twice as high. The ministry denied"  # a claim's mark across the two sentences


@pytest.fixture(scope="module")
def article(live_server):
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import User
    from factcheck.workflow import claims as wf
    from factcheck.workflow.articles import ArticleInput, create_article

    engine = make_engine(live_server["database_url"])
    with transaction(engine) as s:
        rita = s.scalars(select(User).where(User.username == "rita")).one()
        made = create_article(s, rita, ArticleInput(title="Bridge costs", text=TEXT))
        start = TEXT.index(MARKED)
        wf.create_claim(s, rita, wf.ClaimInput(text="The cost was disputed.", quote=MARKED),
                        article=made, span=(start, start + len(MARKED)))  # fmt: skip
        article_id = made.id
    engine.dispose()
    return article_id


def quote_of(live_server, text: str) -> str | None:
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import Claim

    engine = make_engine(live_server["database_url"])
    with transaction(engine) as s:
        quote = s.scalars(select(Claim.quote).where(Claim.text == text)).one_or_none()
    engine.dispose()
    return quote


def article_page(browser, live_server, article: int, *, javascript: bool = True):
    """Rita signed in (typing, Enter to submit) on the article's page."""
    context = browser.new_context(base_url=live_server["base_url"], java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/")
    page.goto(f"/articles/{article}")
    return page


def tab_to(page, target, most: int = 60) -> None:
    """Press Tab until `target` has focus, as a keyboard user would."""
    for _ in range(most):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_choosing_two_sentences_from_the_keyboard(browser, live_server, article):
    from axe_playwright_python.sync_playwright import Axe

    page = article_page(browser, live_server, article)
    quote = page.get_by_label("Quote from the article")
    expect(quote).to_have_value("")
    expect(page.locator("#article-text mark a").first).to_have_text("twice as high")
    assert page.locator("#article-text a.candidate").count() > 0  # suggestions are marked too

    button = page.get_by_role("button", name="Choose a passage with the keyboard")
    tab_to(page, button)
    page.keyboard.press("Enter")
    sentences = page.get_by_role("listbox", name="Sentences of the article")
    options = sentences.get_by_role("option")
    expect(options).to_have_count(4)
    expect(options.first).to_be_focused()
    expect(button).to_have_attribute("aria-pressed", "true")
    # No link inside the list: the marks stay, the links that would jump away do not.
    expect(sentences.locator("mark")).not_to_have_count(0)
    expect(sentences.locator("a")).to_have_count(0)

    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_be_focused()
    page.keyboard.press("Shift+ArrowDown")
    expect(options.nth(2)).to_be_focused()
    expect(sentences.locator("[aria-selected=true]")).to_have_count(2)
    status = page.locator("#pick-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(f"Sentences 2 to 3 of 4 chosen: {CHOSEN}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_snapshot()

    page.keyboard.press("Enter")
    expect(quote).to_be_focused()
    expect(quote).to_have_value(CHOSEN)
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(page.locator("#article-text mark a").first).to_have_text("twice as high")
    expect(status).to_contain_text("Quoted in the new claim form")

    page.keyboard.press("Tab")
    claim = page.get_by_label("Claim (as a reviewer phrases it)")
    expect(claim).to_be_focused()
    page.keyboard.type("Councillors said the bridge cost twice the mayor's figure.")
    tab_to(page, page.get_by_role("button", name="Create claim"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash", has_text=re.compile(r"Claim #\d+ created"))).to_be_visible()
    assert quote_of(live_server, "Councillors said the bridge cost twice the mayor's figure.") == (
        CHOSEN
    )

    # Escape leaves the list without quoting and gives focus back to the button.
    tab_to(page, button)
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    expect(options.nth(3)).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(quote).to_have_value("")
    page.context.close()


def test_without_javascript_the_quote_is_typed(browser, live_server, article):
    page = article_page(browser, live_server, article, javascript=False)
    expect(page.get_by_role("button", name="Choose a passage with the keyboard")).to_be_hidden()
    quote = page.get_by_label("Quote from the article")
    expect(quote).to_have_accessible_description(
        "Type or paste the passage as it stands in the article."
    )
    page.context.close()
