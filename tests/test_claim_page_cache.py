"""The claim page's cached body (issue 16): kept by a write to another claim, rebuilt by every
change to what the page shows, and never showing one user's buttons or token to another."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from factcheck.models import Source
from factcheck.workflow import archives
from factcheck.workflow import claims as wf
from tests.conftest import login, running_app
from tests.factories import PASSWORD, attach_source, make_article, make_claim
from tests.test_query_counts import counting


def page(client, claim_id: int) -> str:
    response = client.get(f"/claims/{claim_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rebuilt(app, client, claim_id: int) -> bool:
    """Whether viewing the page read the claim's history (so built its body afresh)."""
    with counting(app.extensions["factcheck_engine"]) as statements:
        page(client, claim_id)
    return any("FROM history_events" in s for s in statements)


def test_a_comment_on_one_claim_keeps_another_claims_cached_page(
    app, client, as_user, users, db_session
):
    a = make_claim(db_session, text="Claim A about bridges.")
    b = make_claim(db_session, text="Claim B about tunnels.")
    db_session.commit()
    as_user("editor")
    assert rebuilt(app, client, b.id)
    assert not rebuilt(app, client, b.id)  # the second view: from the cache
    response = client.post(f"/claims/{a.id}/comments", data={"body": "A note on A."})
    assert response.status_code == 302
    assert not rebuilt(app, client, b.id)  # claim B is unchanged: its page is kept
    assert "A note on A." in page(client, a.id)  # while A's shows the comment at once


def test_every_change_to_a_claim_shows_at_once_on_its_cached_page(
    app, client, as_user, users, db_session
):
    claim = make_claim(db_session, text="A claim about ferries.")
    db_session.commit()
    as_user("editor")
    page(client, claim.id)
    assert not rebuilt(app, client, claim.id)
    # A comment made elsewhere (another worker, a script): no new version, new activity.
    wf.add_comment(db_session, users["reviewer"], claim, "Seen by Rita.")
    db_session.commit()
    assert "Seen by Rita." in page(client, claim.id)
    # A source added elsewhere (by the editor: the claim is nobody's yet).
    source = attach_source(db_session, users["editor2"], claim, title="Ferry timetable")
    db_session.commit()
    assert "Ferry timetable" in page(client, claim.id)
    # The archiving job bumps no version and records no history: its stamp still shows.
    archives.record_snapshot(
        db_session, source.id, "https://archive.example/ferry", datetime.now(UTC)
    )
    db_session.commit()
    assert "https://archive.example/ferry" in page(client, claim.id)
    assert db_session.scalar(select(Source.archive_url).where(Source.id == source.id))
    # A name shown on the page (the comment's author) changes elsewhere.
    users["reviewer"].display_name = "Rita Renamed"
    db_session.commit()
    assert "Rita Renamed" in page(client, claim.id)


def test_one_users_cached_buttons_never_show_to_another(app, users, db_session):
    claim = make_claim(db_session, text="A claim about trams.")
    db_session.commit()
    pages = {}
    for name in ("eddie", "rita", "erin"):  # an editor, a reviewer, another editor
        client = app.test_client()
        assert login(client, name).status_code == 302
        pages[name] = page(client, claim.id)
    assign = f'action="/claims/{claim.id}/assign"'
    assert assign in pages["eddie"]
    assert assign not in pages["rita"]  # editors only
    assert "Take this claim" in pages["rita"]
    assert pages["erin"].count("/assign") == pages["eddie"].count("/assign")

    def token(html: str) -> set[str]:
        return set(re.findall(r'name="csrf_token" type="hidden" value="([^"]*)"', html))

    with running_app(app.config["DATABASE_URL"]) as with_tokens:
        with_tokens.config["WTF_CSRF_ENABLED"] = True
        tokens = []
        for name in ("eddie", "erin"):  # the same buttons: one cached body for both
            client = with_tokens.test_client()
            first = token(client.get("/login").get_data(as_text=True)).pop()
            response = client.post(
                "/login", data={"username": name, "password": PASSWORD, "csrf_token": first}
            )
            assert response.status_code == 302
            found = token(page(client, claim.id))
            assert len(found) == 1  # every form of the page carries this session's token
            tokens.append(found.pop())
            response = client.post(
                f"/claims/{claim.id}/comments",
                data={"body": f"From {name}.", "csrf_token": tokens[-1]},
            )
            assert response.status_code == 302  # and the token works
        assert tokens[0] != tokens[1]


def test_each_view_of_a_cached_page_has_its_own_one_time_form_tokens(
    app, client, as_user, db_session
):
    """A create form's one-time token makes a resent form lead to the first result: a token
    cached with the page would make everyone's second comment a "resend", not saved."""
    claim = make_claim(db_session, text="A claim about canals.")
    db_session.commit()
    as_user("editor")

    def tokens() -> list[str]:
        return re.findall(
            r'name="form_token" type="hidden" value="([^"]+)"', page(client, claim.id)
        )

    first, second = tokens(), tokens()  # the second view comes from the cache
    assert len(first) == 2 and len(set(first)) == 2  # the source form's and the comment form's
    assert not set(first) & set(second)
    for n, token in enumerate((first[-1], second[-1])):  # the comment form comes last
        response = client.post(
            f"/claims/{claim.id}/comments", data={"body": f"Comment {n}.", "form_token": token}
        )
        assert response.status_code == 302
    shown = page(client, claim.id)
    assert "Comment 0." in shown and "Comment 1." in shown


def test_an_archive_check_saved_with_an_earlier_clock_still_shows(
    client, as_user, users, db_session
):
    """Two archiving threads (or a worker whose clock is behind): the second source's copy,
    stamped earlier than the first's check, shows at once all the same."""
    claim = make_claim(db_session, text="A claim about buses.")
    db_session.commit()
    first = attach_source(db_session, users["editor2"], claim, title="Bus timetable")
    second = attach_source(
        db_session, users["editor2"], claim, title="Bus map", url="https://example.org/map"
    )
    db_session.commit()
    now = datetime.now(UTC)
    archives.record_snapshot(db_session, first.id, "https://archive.example/one", now)
    db_session.commit()
    as_user("editor")
    assert "https://archive.example/one" in page(client, claim.id)
    earlier = now - timedelta(milliseconds=5)
    archives.record_snapshot(db_session, second.id, "https://archive.example/two", earlier)
    db_session.commit()
    assert "https://archive.example/two" in page(client, claim.id)


def test_a_very_long_claim_page_is_served_but_not_kept(app, client, as_user, db_session):
    """A claim quoting a one-paragraph article of 80 KB shows all of it: kept, a thousand such
    pages would hold 80 MB per worker."""
    filler = "The council met and talked about the budget for a long time. " * 1300
    quote = "12 people were detained on Monday."
    article = make_article(db_session, text=f"{filler}{quote} {filler}")
    claim = make_claim(db_session, text=quote, quote=quote, article=article)
    short = make_claim(db_session, text="A claim about ferries.")
    db_session.commit()
    as_user("editor")
    assert rebuilt(app, client, claim.id) and rebuilt(app, client, claim.id)
    assert quote in page(client, claim.id)
    assert rebuilt(app, client, short.id) and not rebuilt(app, client, short.id)
