"""The state-change rules the services and the demo generator share, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from factcheck.workflow.claim_base import published_source, touched
from factcheck.workflow.review import decided_verdict, publication
from factcheck.workflow.states import VerdictState

FIRST = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 2, 1, tzinfo=UTC)


def test_first_publication_sets_the_date_and_no_revision():
    columns, diff = publication(None, None, None, "false", NOW)
    assert columns == {"published_rating": "false", "published_at": NOW}
    assert diff == {"published_rating": [None, "false"]}


def test_a_corrected_republication_keeps_the_first_date_and_sets_revised_at():
    columns, diff = publication(None, FIRST, None, "true", NOW)
    assert columns == {"published_rating": "true", "revised_at": NOW}
    assert diff == {"published_rating": [None, "true"], "revised_at": [None, NOW.isoformat()]}


def test_touch_bumps_the_version_only_for_a_meaningful_change():
    assert touched(4, NOW, 7, bump=False) == {"last_activity_at": NOW}
    assert touched(4, NOW, 7, bump=True) == {
        "last_activity_at": NOW, "updated_at": NOW, "updated_by_id": 7, "version": 5,
    }  # fmt: skip


def test_published_source_keeps_what_the_public_page_showed():
    fields = {"url": "https://a.example/", "title": "T", "publisher": "P", "stance": "supports",
              "excerpt": "E", "archive_url": "https://web.archive.org/web/1/https://a.example/",
              "kind": "web", "notes": "internal"}  # fmt: skip
    shown = ("url", "title", "publisher", "stance", "excerpt", "archive_url")
    assert published_source(fields.__getitem__) == {key: fields[key] for key in shown}


def test_a_returned_verdict_keeps_its_reason():
    assert decided_verdict(VerdictState.RETURNED, 3, NOW, "why") == {
        "state": "returned", "decided_by_id": 3, "decided_at": NOW, "return_reason": "why",
    }  # fmt: skip
