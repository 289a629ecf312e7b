"""Races against gunicorn on a real database (issue 13): the same create form sent several
times at once (a double click, a resent request) creates one thing; concurrent saves of one
source never overwrite silently; an approval racing a change of the evidence never publishes
evidence the editor did not see.
"""

from __future__ import annotations

import re
import threading

import pytest
import requests
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from factcheck.db import make_engine, session_factory
from factcheck.devsupport.live_server import PASSWORD, prepare_database, serve
from factcheck.models import Article, Claim, Comment, Source

pytestmark = pytest.mark.slow
COPIES = 6
TEXT = (
    "Police said 40 protesters were arrested, many were beaten, and two died.\n\n"
    "The interior ministry denied that any prisoners had been mistreated."
)


@pytest.fixture
def live_engine(load_database):  # noqa: F811
    """The test's own engine on the served database, disposed even when the test fails (a
    connection left open warns in whichever test the collector runs next)."""
    engine = make_engine(load_database)
    yield engine
    engine.dispose()


def form_fields(page: str, action: str) -> dict[str, str]:
    """What a browser submits for the form posting to `action` as the page shows it."""
    soup = BeautifulSoup(page, "html.parser")
    # A form without an action posts to its own page.
    form = soup.find("form", action=action) or soup.find("form", action=None, method="post")
    assert form is not None, f"no form posting to {action}"
    data: dict[str, str] = {}
    for tag in form.find_all(["input", "textarea", "select"]):
        name = tag.get("name")
        if not name or tag.get("type") == "file":
            continue
        if tag.name == "textarea":
            data[name] = tag.get_text()
        elif tag.name == "select":
            option = tag.find("option", selected=True) or tag.find("option")
            data[name] = option["value"]
        elif tag.get("type") == "checkbox":
            if tag.has_attr("checked"):
                data[name] = tag.get("value", "y")
        else:
            data[name] = tag.get("value", "")
    return data


def signed_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/login", timeout=30).text
    login = {**form_fields(page, "/login"), "username": username, "password": PASSWORD}
    assert http.post(f"{base}/login", data=login, allow_redirects=False).status_code == 302
    return http


Post = tuple[requests.Session, str, dict[str, str]]  # (signed-in session, URL, form data)


def race(posts: dict[str, Post]) -> dict[str, int]:
    """Send the posts at the same moment, each from its own thread; their status codes."""
    start = threading.Barrier(len(posts))
    codes: dict[str, int] = {}

    def send(name: str, http: requests.Session, url: str, data: dict[str, str]) -> None:
        start.wait()
        codes[name] = http.post(url, data=data, allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=send, args=(name, *post)) for name, post in posts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


def post_copies(http: requests.Session, url: str, data: dict[str, str]) -> list[int]:
    """The same form sent COPIES times at the same moment, then once more after they ended."""
    codes = list(race({str(n): (http, url, data) for n in range(COPIES)}).values())
    codes.append(http.post(url, data=data, allow_redirects=False, timeout=60).status_code)
    return codes


def test_every_create_form_sent_twice_creates_once(load_database, live_engine, tmp_path):  # noqa: F811
    prepare_database(load_database, [("rita", "Rita", "reviewer")])
    engine = live_engine
    with serve(load_database, tmp_path, workers=3) as base:
        http = signed_in(base, "rita")

        def send(page_path: str, action: str, **values: str) -> list[int]:
            page = http.get(base + page_path, timeout=30).text
            data = {**form_fields(page, action), **values}
            assert data.get("form_token"), f"{action} has no one-time token"
            codes = post_copies(http, base + action, data)
            assert all(code in (302, 303) for code in codes), (action, codes)
            return codes

        send("/articles/new", "/articles/new", title="Protest report", text=TEXT)
        with session_factory(engine, write=False)() as s:
            article_id = s.scalar(select(Article.id).where(Article.title == "Protest report"))
        article = f"/articles/{article_id}"
        send(article, f"{article}/candidates")
        send(
            article,
            f"{article}/claims",
            quote="The interior ministry denied",
            text="The ministry denied any mistreatment.",
        )
        send("/claims/new", "/claims/new", text="A claim typed by hand, once.")
        with session_factory(engine, write=False)() as s:
            claim_id = s.scalar(select(Claim.id).where(Claim.text.like("A claim typed%")))
        claim = f"/claims/{claim_id}"
        take = form_fields(http.get(base + claim).text, f"{claim}/take")
        assert http.post(base + f"{claim}/take", data=take).status_code == 200
        send(
            claim,
            f"{claim}/sources",
            url="https://example.org/once",
            title="Added once",
            stance="supports",
            kind="news_report",  # chosen, as a person must (issue 18: no risky defaults)
            reliability="3",
        )
        send(claim, f"{claim}/comments", body="Said once.")

    with session_factory(engine, write=False)() as s:

        def count(model, *where) -> int:
            return s.scalar(select(func.count()).select_from(model).where(*where))

        assert count(Article, Article.title == "Protest report") == 1
        assert count(Claim, Claim.article_id == article_id, Claim.origin == "extraction") >= 1
        spans = s.execute(
            select(Claim.span_start, Claim.span_end, func.count())
            .where(Claim.article_id == article_id)
            .group_by(Claim.span_start, Claim.span_end)
            .having(func.count() > 1)
        ).all()
        assert spans == [], "a passage became two claims"
        assert count(Claim, Claim.text == "The ministry denied any mistreatment.") == 1
        assert count(Claim, Claim.text == "A claim typed by hand, once.") == 1
        assert count(Source, Source.title == "Added once") == 1
        assert count(Comment, Comment.body == "Said once.") == 1


def test_a_form_token_is_in_every_create_form():
    """The token pattern the service accepts matches the tokens the forms issue."""
    from factcheck.web.forms import new_form_token
    from factcheck.workflow.submissions import valid_token

    assert valid_token(new_form_token())
    assert valid_token("short") is None and valid_token("x" * 65) is None
    assert re.fullmatch(r"[A-Za-z0-9_-]+", new_form_token())


def test_concurrent_saves_of_one_source_never_overwrite_silently(
    load_database, live_engine, tmp_path
):  # noqa: F811
    """Two editors (here six) save the same source, loaded at the same version, at once: one
    save wins, the others get a conflict; none is reverted without a word."""
    prepare_database(load_database, [("eddie", "Eddie", "editor")])
    engine = live_engine
    with session_factory(engine, write=False)() as s:
        claim_id = s.scalar(select(Claim.id).order_by(Claim.id))
    with serve(load_database, tmp_path, workers=3) as base:
        http = signed_in(base, "eddie")
        claim = f"{base}/claims/{claim_id}"
        add = form_fields(http.get(claim).text, f"/claims/{claim_id}/sources")
        add.update(url="https://example.org/a", title="Shared source", stance="supports")
        add.update(kind="news_report", reliability="3")  # chosen, as a person must
        assert http.post(f"{claim}/sources", data=add, allow_redirects=False).status_code == 302
        with session_factory(engine, write=False)() as s:
            source_id = s.scalar(select(Source.id).where(Source.title == "Shared source"))
        edit = f"{claim}/sources/{source_id}/edit"
        loaded = form_fields(http.get(edit).text, None)
        codes = race(
            {
                f"excerpt {n}": (http, edit, {**loaded, "excerpt": f"excerpt {n}"})
                for n in range(COPIES)
            }
        )
    winners = [excerpt for excerpt, code in codes.items() if code == 302]
    # A conflict is sent (303) to the edit page, which shows it: post/redirect/get.
    assert len(winners) == 1 and sorted(codes.values()) == [302] + [303] * (COPIES - 1), codes
    with session_factory(engine, write=False)() as s:
        assert s.get(Source, source_id).excerpt == winners[0]


def test_an_approval_racing_a_source_removal_never_publishes_unseen_evidence(
    load_database,  # noqa: F811
    live_engine,
    tmp_path,
):
    """The reviewer removes the only source while the editor approves what they saw: one of
    the two wins; never both (which would publish a verdict on evidence nobody saw)."""
    from factcheck.db import transaction
    from factcheck.models import User
    from tests.factories import submit

    prepare_database(load_database, [("rita", "Rita", "reviewer"), ("eddie", "Eddie", "editor")])
    engine = live_engine
    with transaction(engine) as s:
        rita = s.scalars(select(User).where(User.username == "rita")).one()
        claims = list(s.scalars(select(Claim).order_by(Claim.id).limit(COPIES)))
        for claim in claims:
            submit(s, rita, claim, "false")
        rounds = [(claim.id, claim.sources[0].id) for claim in claims]
    with serve(load_database, tmp_path, workers=3) as base:
        reviewer, editor = signed_in(base, "rita"), signed_in(base, "eddie")
        outcomes = []
        for claim_id, source_id in rounds:
            path = f"/claims/{claim_id}"
            # Both actions ask first: their forms are on the confirmation pages.
            seen = form_fields(editor.get(f"{base}{path}/approve/confirm").text, f"{path}/approve")
            removal = form_fields(
                reviewer.get(f"{base}{path}/sources/{source_id}/delete/confirm").text,
                f"{path}/sources/{source_id}/delete",
            )
            removal_url = f"{base}{path}/sources/{source_id}/delete"
            codes = race(
                {
                    "approve": (editor, f"{base}{path}/approve", seen),
                    "remove": (reviewer, removal_url, removal),
                }
            )
            outcomes.append(codes)
    for codes in outcomes:
        assert all(code < 500 for code in codes.values()), codes
        assert [codes["approve"], codes["remove"]].count(302) == 1, codes
    with session_factory(engine, write=False)() as s:
        for claim_id, _source in rounds:
            claim = s.get(Claim, claim_id)
            if claim.status == "published":
                assert len(claim.sources) == 1  # what the editor saw
