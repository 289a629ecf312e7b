"""Claimant records (issue 21, item 1): migration 0015 moving free-text claimants into records,
matching and confirming them, editing and merging, and ClaimReview reading their kind."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select, text

from factcheck.db import make_engine
from factcheck.models import Claimant, HistoryEvent
from factcheck.workflow import claimants as wfc
from factcheck.workflow import claims as wf
from factcheck.workflow.errors import PermissionDenied, ValidationFailed
from factcheck.workflow.history import verify_chains
from tests.factories import make_claim, make_claimant, publish
from tests.test_migrations import alembic_config
from tests.test_rating_scale import SCALE


def html(response) -> str:
    return response.get_data(as_text=True)


def test_name_key_ignores_case_accents_punctuation_and_spacing():
    assert wfc.name_key("Dr. José  Pérez") == wfc.name_key("dr jose perez") == "dr jose perez"
    assert wfc.name_key("Interior Ministry.") == wfc.name_key("INTERIOR  ministry")
    assert not wfc.is_claimant_name("The article")
    assert not wfc.is_claimant_name("  ")


# --- migration 0015: free text into records -------------------------------------------------

_CLAIM = (
    "INSERT INTO claims (text, claimant, claim_type, status, priority, origin, created_at, "
    "updated_at, last_activity_at, version) VALUES (:t, :c, 'other', 'unreviewed', 3, "
    "'manual', :now, :now, :now, 1)"
)


def test_migration_moves_free_text_claimants_into_deduplicated_records(database_url):
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0012")
    engine = make_engine(database_url)
    texts = [
        "Interior Ministry",
        "Interior Ministry",
        "interior  ministry.",
        "Dr. José Pérez",
        "dr jose perez",
        "the article",
        None,
    ]
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as connection:
        for i, claimant in enumerate(texts):
            connection.execute(text(_CLAIM), {"t": f"Claim {i}", "c": claimant, "now": now})
    command.upgrade(cfg, "head")
    with engine.connect() as connection:
        records = connection.execute(
            text("SELECT id, name, name_key, kind FROM claimants ORDER BY name_key")
        ).all()
        linked = dict(
            connection.execute(text("SELECT text, claimant_id FROM claims ORDER BY id")).all()
        )
        kept = [c for (c,) in connection.execute(text("SELECT claimant FROM claims ORDER BY id"))]
    assert [(r.name, r.name_key, r.kind) for r in records] == [
        ("Dr. José Pérez", "dr jose perez", None),  # equal counts: the first spelling in order
        ("Interior Ministry", "interior ministry", None),  # the most used spelling
    ]
    doctor, ministry = (r.id for r in records)
    assert [linked[f"Claim {i}"] for i in range(len(texts))] == [
        ministry,
        ministry,
        ministry,
        doctor,
        doctor,
        None,  # the article's own statement names nobody
        None,
    ]
    assert kept == texts  # the text each claim was written with stays
    engine.dispose()
    command.downgrade(cfg, "0012")  # and back, and up again, cleanly
    command.upgrade(cfg, "head")


# --- the services ---------------------------------------------------------------------------


def test_claims_from_suggestions_link_to_a_matching_record(db_session, users):
    from factcheck.workflow.candidates import _record_id

    ministry = make_claimant(db_session, users["editor"], "Interior Ministry", "organisation")
    assert _record_id(db_session, "the  interior ministry") is None  # other words: no match
    assert _record_id(db_session, "INTERIOR ministry.") == ministry.id
    assert _record_id(db_session, "the article") is None


def test_a_reviewer_confirms_a_new_record_on_the_claim(db_session, users):
    claim = make_claim(db_session, claimant="Jane Roe")
    wf.update_claim(
        db_session,
        users["editor"],
        claim,
        wf.ClaimInput(text=claim.text, claim_type=claim.claim_type, claimant="Jane Roe"),
        expected_version=claim.version,
        new_claimant_kind="person",
    )
    record = db_session.get(Claimant, claim.claimant_id)
    assert (record.name, record.kind) == ("Jane Roe", "person")
    with pytest.raises(ValidationFailed) as refused:  # a twin is chosen, not made again
        wfc.create_claimant(
            db_session, users["editor"], wfc.ClaimantInput(name="jane roe", kind="person")
        )
    assert refused.value.field == "name"
    with pytest.raises(ValidationFailed) as refused:
        wf.update_claim(
            db_session,
            users["editor"],
            claim,
            wf.ClaimInput(text=claim.text, claim_type=claim.claim_type, claimant="Someone"),
            expected_version=claim.version,
            new_claimant_kind="",
        )
    assert refused.value.field == "claimant_kind"  # where the claim's form shows it


def test_merging_moves_claims_with_history_and_keeps_the_chains(db_session, users):
    editor = users["editor"]
    keep = make_claimant(db_session, editor, "Interior Ministry", "organisation")
    twin = make_claimant(db_session, editor, "Ministry of the Interior", "organisation")
    older = make_claimant(db_session, editor, "MoI", "organisation")
    wfc.merge_claimants(db_session, editor, older, twin.id)
    claims = [make_claim(db_session, claimant_id=twin.id) for _ in range(2)]
    versions = [c.version for c in claims]
    with pytest.raises(PermissionDenied):
        wfc.merge_claimants(db_session, users["reviewer"], twin, keep.id)
    with pytest.raises(ValidationFailed):
        wfc.merge_claimants(db_session, editor, twin, twin.id)
    moved = wfc.merge_claimants(db_session, editor, twin, keep.id)
    db_session.commit()
    assert moved == [c.id for c in claims]
    assert all(c.claimant_id == keep.id for c in claims)
    assert [c.version for c in claims] == [v + 1 for v in versions]  # open forms merge it
    assert twin.merged_into_id == keep.id and older.merged_into_id == keep.id
    assert wfc.find_match(db_session, "Ministry of the Interior") is None
    assert wfc.current(db_session, older.id) == keep.id  # a merged record's survivor
    edits = db_session.scalars(
        select(HistoryEvent).where(
            HistoryEvent.claim_id == claims[0].id, HistoryEvent.action == "claim_edited"
        )
    ).all()
    assert edits[-1].details == {"changes": {"claimant_id": [twin.id, keep.id]}}
    merged = db_session.scalars(
        select(HistoryEvent).where(HistoryEvent.action == "claimants_merged")
    ).all()
    assert merged[-1].details["claim_ids"] == moved and merged[-1].claim_id is None
    _read, problems = verify_chains(db_session, key=None)
    assert problems == []


def test_editing_a_record_checks_its_fields(db_session, users):
    record = make_claimant(db_session, users["editor"], "Jane Roe")
    for data, field in [
        (wfc.ClaimantInput(name="Jane Roe", kind="martian"), "kind"),
        (wfc.ClaimantInput(name="Jane Roe", kind="person", same_as=["javascript:x"]), "same_as"),
        (wfc.ClaimantInput(name="", kind="person"), "name"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            wfc.update_claimant(db_session, users["editor"], record, data)
        assert refused.value.field == field
    with pytest.raises(PermissionDenied):
        wfc.update_claimant(
            db_session, users["reviewer"], record, wfc.ClaimantInput("Jane", "person")
        )


# --- the pages --------------------------------------------------------------------------------


def test_edit_form_proposes_and_confirms_a_claimant(client, as_user, db_session, users):
    claim = make_claim(db_session, claimant="Jane Roe", origin="extraction")
    db_session.commit()
    as_user("editor")
    page = html(client.get(f"/claims/{claim.id}/edit"))
    # Offered, not forced: an unrelated edit saves without a kind.
    assert '<option value="new">New record: “Jane Roe”</option>' in page
    assert "No record has this name yet" in page
    form = {
        "version": claim.version,
        "text": claim.text,
        "claimant": "Jane Roe",
        "claim_type": claim.claim_type,
        "priority": 3,
        "claimant_id": "new",
        "claimant_kind": "",
        "short_text": "x" * 76,
    }
    refused = client.post(f"/claims/{claim.id}/edit", data=form)
    assert refused.status_code == 400
    assert "Field cannot be longer than 75 characters." in html(refused)
    refused = client.post(f"/claims/{claim.id}/edit", data={**form, "short_text": "Short."})
    assert refused.status_code == 400
    assert re.search(r'id="claimant_kind-err">Choose a person or an organisation', html(refused))
    for junk in ("abc", "99999"):
        sent = {**form, "short_text": "Short.", "claimant_kind": "person", "claimant_id": junk}
        refused = client.post(f"/claims/{claim.id}/edit", data=sent)
        assert refused.status_code in (400, 422) and 'id="claimant_id-err"' in html(refused)
    done = client.post(
        f"/claims/{claim.id}/edit",
        data={**form, "short_text": "Short.", "claimant_kind": "person"},
    )
    assert done.status_code == 302
    db_session.commit()
    record = db_session.scalar(select(Claimant).where(Claimant.name == "Jane Roe"))
    db_session.refresh(claim)
    assert (claim.claimant_id, claim.short_text, record.kind) == (record.id, "Short.", "person")
    page = html(client.get(f"/claims/{claim.id}/edit"))  # now chosen, no proposal
    assert f'<option selected value="{record.id}">Jane Roe (person)</option>' in page
    assert "save to confirm" not in page
    other = make_claim(db_session, claimant="JANE ROE.")  # names her: her record is proposed
    db_session.commit()
    page = html(client.get(f"/claims/{other.id}/edit"))
    assert f'<option selected value="{record.id}">Jane Roe (person)</option>' in page
    assert "save to confirm" in page


def test_claimant_pages_roles_and_merge(app, client, as_user, db_session, users):
    keep = make_claimant(db_session, users["editor"], "Interior Ministry", "organisation")
    twin = make_claimant(db_session, users["editor"], "Ministry of Interior", None)
    checked = make_claim(db_session, text="Checked claim.", claimant_id=keep.id)
    publish(db_session, users["reviewer"], users["editor"], checked, rating="false")
    moving = make_claim(db_session, text="Open claim.", claimant_id=twin.id)
    db_session.commit()
    as_user("reviewer")
    listing = html(client.get("/claimants"))
    assert "Interior Ministry" in listing and "not set" in listing
    page = html(client.get(f"/claimants/{keep.id}"))
    assert "Checked claim." in page and "False" in page and "Merge" not in page
    assert client.get(f"/claimants/{keep.id}/edit").status_code == 403
    assert client.post(f"/claimants/{twin.id}/merge", data={"into": keep.id}).status_code == 403
    assert client.get("/claimants/999").status_code == 404

    client.post("/logout")
    as_user("editor")
    bad = client.post(
        f"/claimants/{keep.id}/edit",
        data={"name": "Interior Ministry", "kind": "organisation", "same_as": "not a link"},
    )
    assert bad.status_code == 400 and 'id="same_as-err"' in html(bad)
    clash = client.post(
        f"/claimants/{keep.id}/edit", data={"name": "ministry of interior", "kind": "person"}
    )
    assert clash.status_code == 400 and "merge the two instead" in html(clash)
    itself = client.post(f"/claimants/{keep.id}/merge", data={"into": keep.id})
    assert itself.status_code == 400 and 'id="into-err"' in html(itself)

    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/claimants/{twin.id}/merge", data={"into": keep.id}).status_code == 400
    page = html(client.get(f"/claimants/{twin.id}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    merged = client.post(f"/claimants/{twin.id}/merge", data={"into": keep.id, "csrf_token": token})
    assert merged.status_code == 302 and merged.location.endswith(f"/claimants/{keep.id}")
    db_session.commit()
    db_session.refresh(moving)
    assert moving.claimant_id == keep.id
    assert "Merged into" in html(client.get(f"/claimants/{twin.id}"))
    report = html(client.get("/reports"))
    assert "Verdicts by claimant" in report
    row = re.search(r"Interior Ministry</a></td><td>organisation</td><td>(\d+)</td>", report)
    assert row and row.group(1) == "1"


# --- ClaimReview ------------------------------------------------------------------------------


def _check(**fields):
    from factcheck.claimreview import FactCheck

    base = dict(
        claim_id=1,
        claim_text=(
            "The minister said that forty thousand new homes were built across the whole "
            "country last year."
        ),
        claimant="the minister",
        rating="false",
        summary="Fewer.",
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
        article_title="Minister's speech",
    )
    return FactCheck(**{**base, **fields})


def _item(check) -> dict:
    from factcheck.claimreview import claim_review

    review = claim_review(
        check, url="https://x.example/1", organisation="D", organisation_url="u", scale=SCALE
    )
    return review["itemReviewed"]


def test_claimreview_takes_the_kind_and_links_from_the_record():
    person = _check(
        claimant_name="Jane Roe",
        claimant_kind="person",
        claimant_same_as=["https://www.wikidata.org/wiki/Q1"],
    )
    assert _item(person)["author"] == {
        "@type": "Person",
        "name": "Jane Roe",
        "sameAs": ["https://www.wikidata.org/wiki/Q1"],
    }
    # A newspaper is an organisation because its record says so, not because of a word.
    paper = _check(claimant="The Daily Times", claimant_name="Jane", claimant_kind="organisation")
    assert _item(paper)["author"] == {"@type": "Organization", "name": "Jane"}


def test_claimreview_guesses_no_author():
    assert "author" not in _item(_check())  # a name with no record: kind unknown
    assert "author" not in _item(_check(claimant_name="Jane Roe", claimant_kind=None))
    # The article's own statement: its author or publisher, never its headline.
    assert "author" not in _item(_check(claimant="the article"))
    assert "author" not in _item(_check(claimant=None))
    own = _check(claimant="the article", article_publisher="Example News")
    assert _item(own)["author"] == {"@type": "Organization", "name": "Example News"}


def test_claim_reviewed_is_the_short_form_within_75_characters():
    from factcheck.claimreview import claim_review, short_claim

    long = _check()
    cut = short_claim(long.claim_text)
    assert cut == "The minister said that forty thousand new homes were built across the…"
    assert len(cut) <= 75 and long.claim_text.startswith(cut[:-1])
    assert short_claim("Short enough.") == "Short enough."
    assert short_claim("x" * 100) == "x" * 74 + "…"
    review = claim_review(
        _check(short_text="Homes built last year"),
        url="u",
        organisation="D",
        organisation_url="u",
        scale=SCALE,
    )
    assert review["claimReviewed"] == "Homes built last year"


@pytest.mark.parametrize(
    "base",
    ["http://127.0.0.1:5000", "http://localhost", "https://[::1]/", "http://0.0.0.0:8000"],
)
def test_production_refuses_a_local_public_address(base):
    from config import ProductionConfig
    from factcheck import create_app

    settings = {"SECRET_KEY": "x" * 32, "PUBLIC_BASE_URL": base}
    with pytest.raises(RuntimeError, match="public address"):
        create_app(type("Prod", (ProductionConfig,), settings))


def test_claims_export_names_the_record_and_the_short_form(client, as_user, db_session, users):
    import csv
    import io

    record = make_claimant(db_session, users["editor"], "Jane Roe", "person")
    make_claim(db_session, claimant="jane roe", claimant_id=record.id, short_text="Homes.")
    db_session.commit()
    as_user("editor")
    body = client.get("/exports/claims.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = csv.DictReader(io.StringIO(body))
    assert (row["claimant"], row["claimant_record"], row["claimant_kind"]) == (
        "jane roe",
        "Jane Roe",
        "person",
    )
    assert row["short_text"] == "Homes."


def test_opposite_merges_at_once_leave_one_survivor(app, db_session, users):
    """Two editors merge A into B and B into A at the same moment: one wins, the other is
    refused; never a loop, a record merged into itself or twice (a race on PostgreSQL)."""
    sessions = app.extensions["factcheck_sessions"][True]
    user_class = type(users["editor"])
    editors = {name: users[name].id for name in ("editor", "editor2")}
    for round_ in range(4):
        a = make_claimant(db_session, users["editor"], f"Race A{round_}")
        b = make_claimant(db_session, users["editor"], f"Race B{round_}")
        make_claim(db_session, claimant_id=a.id, text=f"Claim of A{round_}.")
        db_session.commit()
        a_id, b_id = a.id, b.id
        db_session.rollback()  # no snapshot held over the race (SQLite's WAL keeps it)
        start = threading.Barrier(2, timeout=30)
        outcomes: list[str] = []

        def merge(merged_id, into_id, editor, start=start, outcomes=outcomes) -> None:
            start.wait()  # before the session's first statement (SQLite: its write lock)
            with sessions() as session:
                actor = session.get(user_class, editors[editor])
                merged = session.get(Claimant, merged_id)
                try:
                    wfc.merge_claimants(session, actor, merged, into_id)
                    session.commit()
                    outcomes.append("merged")
                except ValidationFailed:
                    session.rollback()
                    outcomes.append("refused")

        threads = [
            threading.Thread(target=merge, args=(a_id, b_id, "editor")),
            threading.Thread(target=merge, args=(b_id, a_id, "editor2")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["merged", "refused"], round_
        with sessions() as fresh:
            merged_into = dict(
                fresh.execute(
                    select(Claimant.id, Claimant.merged_into_id).where(
                        Claimant.id.in_((a_id, b_id))
                    )
                ).all()
            )
        survivors = [key for key, into in merged_into.items() if into is None]
        assert len(survivors) == 1, (round_, merged_into)
        assert set(merged_into.values()) == {None, survivors[0]}, (round_, merged_into)
    assert verify_chains(db_session)[1] == []


def test_a_twin_made_meanwhile_is_refused_at_the_name(db_session, users, monkeypatch):
    """Two editors create the same claimant at once: both pass the check (simulated), the
    second insert meets the unique index of live names and gets the same kind of refusal."""
    wfc.create_claimant(
        db_session, users["editor"], wfc.ClaimantInput(name="Dup Person", kind="person")
    )
    db_session.commit()
    monkeypatch.setattr(wfc, "find_match", lambda session, name: None)  # the check raced
    with pytest.raises(ValidationFailed, match="just made a claimant") as refused:
        wfc.create_claimant(
            db_session, users["editor2"], wfc.ClaimantInput(name="dup  person", kind="person")
        )
    assert refused.value.field == "name"
    db_session.rollback()
    live = db_session.scalars(select(Claimant).where(Claimant.merged_into_id.is_(None))).all()
    assert [c.name for c in live].count("Dup Person") == 1
