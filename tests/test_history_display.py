"""The claim page's history as a person reads it (issue 18): a time as the page shows times, an
assignee by display name, a claimant record by its name, never a raw timestamp, username or id;
the names are read in one statement per kind."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from factcheck.models import HistoryEvent
from factcheck.queries.claim_page import history_names
from factcheck.workflow import claims as wf
from tests.factories import attach_source, make_claim, make_claimant


def html(response) -> str:
    return response.get_data(as_text=True)


def changes(body: str) -> list[str]:
    """Each change line of the history, its tags stripped."""
    lines = re.findall(r'<ul class="changes">(.*?)</ul>', body, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
            for block in lines for li in re.findall(r"<li>(.*?)</li>", block, re.S)]  # fmt: skip


def test_history_shows_times_display_names_and_claimant_names(client, as_user, db_session, users):
    users["reviewer"].display_name = "Rita Reviewer"
    claim = make_claim(db_session, users["editor"], claimant=None)
    wf.assign(db_session, users["editor"], claim, users["reviewer"], expected_version=None)
    record = make_claimant(db_session, users["editor"], "Ministry of Works", kind="organisation")
    wf.update_claim(db_session, users["editor"], claim,
                    wf.ClaimInput(text=claim.text, claim_type=claim.claim_type,
                                  claimant="Ministry of Works", claimant_id=record.id),
                    expected_version=None)  # fmt: skip
    attach_source(db_session, users["reviewer"], claim)
    wf.draft_verdict(db_session, users["reviewer"], claim, rating="true", summary="First.",
                     rationale="So.", expected_version=None)  # fmt: skip
    wf.approve(db_session, users["editor"], claim, expected_version=None)
    wf.reopen(db_session, users["editor2"], claim, note="Figure.", expected_version=None)
    wf.draft_verdict(db_session, users["reviewer"], claim, rating="false", summary="Again.",
                     rationale="Still.", expected_version=None)  # fmt: skip
    wf.approve(db_session, users["editor2"], claim, expected_version=None)
    db_session.commit()

    as_user("editor")
    shown = changes(html(client.get(f"/claims/{claim.id}")))
    assert "assignee: — → Rita Reviewer" in shown, shown
    assert "claimant: — → Ministry of Works" in shown, shown
    revised = next(line for line in shown if line.startswith("revised at:"))
    assert re.fullmatch(r"revised at: — → \d{4}-\d\d-\d\d \d\d:\d\d UTC", revised), revised
    assert not any(re.search(r"\d\d:\d\d:\d\d|\+00:00| → rita$| → \d+$", x) for x in shown)


def test_history_names_take_one_statement_per_kind(db_session, users):
    claim = make_claim(db_session, users["editor"], claimant=None)
    for who in ("reviewer", "reviewer2", "reviewer"):
        wf.assign(db_session, users["editor"], claim, users[who], expected_version=None)
    record = make_claimant(db_session, users["editor"], "Ministry of Works", kind="organisation")
    wf.update_claim(db_session, users["editor"], claim,
                    wf.ClaimInput(text=claim.text, claim_type=claim.claim_type,
                                  claimant="Ministry of Works", claimant_id=record.id),
                    expected_version=None)  # fmt: skip
    db_session.commit()
    history = list(
        db_session.scalars(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id))
    )
    statements = []
    engine = db_session.get_bind()

    def count(*_args) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        names = history_names(db_session, history)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 2
    # Rows the page has loaded already (its staff, the claim's record) take no statement.
    statements.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        known = history_names(db_session, history, known_users=users.values(),
                              known_claimants=[record])  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == [] and known == names
    assert names.people == {"rita": "Rita", "rob": "Rob"}
    assert names.claimants == {record.id: "Ministry of Works"}
    assert history_names(db_session, []).people == {}
