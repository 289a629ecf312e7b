"""Synthetic newsroom data for demos and load tests: users, articles, claims in every status with
their sources, comments, verdicts, corrections and a complete, hash-chained history.

Fast: rows are planned as plain dicts, a batch of claims at a time, and written in one
transaction: SQLite by DBAPI `executemany` with the columns' own conversions, PostgreSQL by
`COPY ... FROM STDIN`. Ids are drawn before the insert (see `_Ids`), so this works on SQLite and
PostgreSQL alike and never fights the sequences. With several batches, a second process plans
them while this one writes the previous batch; the random sequence is the same, so a seed still
gives the same data. The planning process does all the work that needs no ids (values converted
to their stored form, each event's details as JSON and the id-free parts of its hash input, see
`_Formats`) and sends plain values (`marshal`); this one fills in the ids, hashes the events and
inserts. Python's cyclic garbage collector is paused meanwhile (see `_gc_paused`).

The history is what the workflow services would have recorded for the same actions (same actions,
same `details`, same version bumps), hashed with `workflow.history.event_hash`, so
`verify-history` passes and `workflow.replay.replay_claim` rebuilds each claim's status, assignee,
rating and approved verdict. No Flask here.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import multiprocessing
import pickle
import random
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Date, Engine, Table, insert, select
from sqlalchemy.orm import Session

from factcheck.db import NewIds, copy_rows, write_bind
from factcheck.models import (
    Article,
    Claim,
    Comment,
    Correction,
    HistoryChainHead,
    HistoryEvent,
    Source,
    User,
    Verdict,
)
from factcheck.models.base import UTCDateTime
from factcheck.workflow.accounts import hash_password
from factcheck.workflow.history import (
    SYSTEM_CHAIN,
    chain_for,
    head_row,
    history_key,
    lock_heads,
    move_heads,
)
from factcheck.workflow.history import (
    canonical_json as _canonical_json,
)
from factcheck.workflow.states import (
    Action,
    ClaimStatus,
    ClaimType,
    Rating,
    Role,
    SourceKind,
    Stance,
    VerdictState,
    is_editor,
    next_status,
)

DEMO_PASSWORD = "demo-password"  # noqa: S105 -- every demo account's password, on purpose
BATCH_SIZE = 5000
SQLITE_CACHE_KIB = 256 * 1024  # SQLite page cache while generating (the default is 2 MiB)
ORIGIN = "demo"

# (role, how many); usernames are demo-<role>-NN.
DEMO_ROLES: tuple[tuple[Role, int], ...] = ((Role.REVIEWER, 20), (Role.EDITOR, 8), (Role.ADMIN, 2))

# How the generated claims spread over the statuses (every status occurs).
STATUS_WEIGHTS: dict[ClaimStatus, int] = {
    ClaimStatus.UNREVIEWED: 15,
    ClaimStatus.RESEARCHING: 25,
    ClaimStatus.IN_REVIEW: 15,
    ClaimStatus.PUBLISHED: 35,
    ClaimStatus.NOT_CHECKABLE: 10,
}
TYPE_WEIGHTS: dict[ClaimType, int] = {
    ClaimType.ARREST: 4,
    ClaimType.ABUSE: 4,
    ClaimType.DEATH: 2,
    ClaimType.DENIAL: 3,
    ClaimType.OFFICIAL_ACTION: 4,
    ClaimType.OTHER: 3,
}
RATING_WEIGHTS: dict[Rating, int] = {
    Rating.TRUE: 10,
    Rating.MOSTLY_TRUE: 10,
    Rating.MIXED: 6,
    Rating.MOSTLY_FALSE: 6,
    Rating.FALSE: 7,
    Rating.MISLEADING: 6,
    Rating.UNPROVEN: 5,
}
HISTORY_SPAN_DAYS = 540  # claims are created over the last year and a half


class _Random(random.Random):
    """`random.Random` with the same sequence, minus some checks in its hottest methods (every
    claim takes about a hundred draws)."""

    def choice(self, seq: Any) -> Any:
        # `_randbelow_with_getrandbits(len(seq))`, inlined: the same draws.
        n = len(seq)
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return seq[r]

    def randint(self, a: int, b: int) -> int:
        n = b - a + 1
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return a + r


def _weighted(weights: dict[Any, int]) -> tuple[Any, ...]:
    """A population in which each value occurs `weight` times: `rng.choice` on it is a weighted
    choice, and much cheaper than `rng.choices` for millions of draws."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


STATUSES = _weighted(STATUS_WEIGHTS)
TYPES = _weighted(TYPE_WEIGHTS)
RATINGS = _weighted(RATING_WEIGHTS)
STANCES = _weighted({Stance.SUPPORTS.value: 5, Stance.REFUTES.value: 3, Stance.CONTEXT.value: 2})
RELIABILITIES = _weighted({1: 1, 2: 2, 3: 4, 4: 5, 5: 3})
PRIORITIES = _weighted({1: 1, 2: 3, 3: 5, 4: 3, 5: 1})
# How many sources / comments each kind of claim gets, at each point of its life.
SOURCES_UNWORKED = _weighted({0: 2, 1: 3, 2: 3, 3: 2})
SOURCES_FIRST = _weighted({1: 1, 2: 3, 3: 4, 4: 3, 5: 1})
SOURCES_AFTER_RETURN = _weighted({0: 2, 1: 3, 2: 1})
SOURCES_AFTER_REOPEN = _weighted({0: 1, 1: 3, 2: 1})
COMMENTS_UNWORKED = _weighted({0: 2, 1: 3, 2: 3, 3: 2, 4: 1})
COMMENTS_WORKED = _weighted({0: 1, 1: 2, 2: 3, 3: 3, 4: 3, 5: 2, 6: 1, 7: 1})


@dataclass
class DemoSummary:
    users: int = 0  # accounts created (existing demo accounts are reused, see users_reused)
    users_reused: int = 0
    articles: int = 0
    claims: int = 0
    sources: int = 0
    comments: int = 0
    verdicts: int = 0
    corrections: int = 0
    events: int = 0  # history events, claim chains and system chain together
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Amina",
    "Boris",
    "Chen",
    "Dana",
    "Elif",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Katya",
    "Luis",
    "Mira",
    "Nadia",
    "Omar",
    "Pavel",
    "Quinn",
    "Rosa",
    "Samir",
    "Tamar",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
    "Zeynep",
    "Aleksei",
    "Beatriz",
    "Chiara",
    "Dmitri",
    "Emeka",
]
LAST_NAMES = [
    "Abbott",
    "Bauer",
    "Castillo",
    "Demir",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Santos",
    "Tanaka",
    "Usman",
    "Vasquez",
    "Weber",
    "Yilmaz",
    "Zhang",
]
PUBLISHERS = (
    ("The Daily Ledger", "dailyledger.example.com"),
    ("Caucasus Monitor", "caucasus-monitor.example.org"),
    ("Northern Herald", "northernherald.example.com"),
    ("Metro Observer", "metro-observer.example.net"),
    ("Regional Wire", "regionalwire.example.com"),
    ("The Evening Post", "eveningpost.example.co.uk"),
    ("Open Record", "openrecord.example.org"),
    ("Civic Times", "civictimes.example.com"),
)
SOURCE_SITES = (
    ("Human Rights Observatory", "hro.example.org", SourceKind.NGO_REPORT),
    ("Ministry of Internal Affairs", "mvd.example.gov", SourceKind.OFFICIAL_STATEMENT),
    ("Office of the Prosecutor", "prosecutor.example.gov", SourceKind.OFFICIAL_STATEMENT),
    ("Regional Court Registry", "courts.example.gov", SourceKind.PRIMARY_DOCUMENT),
    ("Open Data Portal", "data.example.gov", SourceKind.DATASET),
    ("Amnesty Desk", "amnesty-desk.example.org", SourceKind.NGO_REPORT),
    ("Wire Service", "wire.example.com", SourceKind.NEWS_REPORT),
    ("Investigative Collective", "investigations.example.net", SourceKind.NEWS_REPORT),
    ("Parliament Records", "parliament.example.gov", SourceKind.PRIMARY_DOCUMENT),
    ("Statistics Bureau", "stats.example.gov", SourceKind.DATASET),
    ("Radio Free Interview Archive", "interviews.example.org", SourceKind.INTERVIEW),
    ("Community Forum", "forum.example.net", SourceKind.OTHER),
)
PLACES = [
    "Grozny",
    "Argun",
    "Gudermes",
    "Shali",
    "Urus-Martan",
    "Nazran",
    "Makhachkala",
    "Vladikavkaz",
    "Nalchik",
    "Kizlyar",
    "Khasavyurt",
    "Magas",
    "Beslan",
    "Derbent",
    "Cherkessk",
]
OFFICIALS = (
    "the regional governor",
    "the interior minister",
    "the head of the republic",
    "a police spokesperson",
    "the prosecutor's office",
    "the federal ombudsman",
    "a presidential envoy",
    "the city administration",
    "a senior security official",
    "the health ministry",
)
GROUPS = (
    "activists",
    "journalists",
    "students",
    "local residents",
    "human-rights workers",
    "opposition supporters",
    "lawyers",
    "relatives of the detained",
    "migrant workers",
    "religious leaders",
)
ORGS = (
    "the UN Human Rights Council",
    "the Council of Europe",
    "the OSCE",
    "the European Parliament",
    "a parliamentary committee",
    "the Supreme Court",
    "the regional legislature",
    "the national election commission",
)
TOPICS = ("detentions", "protests", "elections", "public health", "press freedom", "policing")

CLAIM_TEMPLATES: dict[ClaimType, tuple[tuple[str, str], ...]] = {
    # (quote as it appears in the article, the checkable claim paraphrased)
    ClaimType.ARREST: (
        (
            "Police detained at least {n} {group} in {place} during the night of {day}.",
            "At least {n} {group} were detained in {place} on {day}.",
        ),
        (
            "More than {n} {group} have been held without charge in {place} since {month}.",
            "Over {n} {group} have been held without charge in {place} since {month}.",
        ),
        (
            "Security forces arrested {n} {group} at a checkpoint outside {place}.",
            "{n} {group} were arrested at a checkpoint near {place}.",
        ),
    ),
    ClaimType.ABUSE: (
        (
            "Former detainees say they were beaten and given electric shocks in a facility "
            "near {place}.",
            "Detainees were tortured in a detention facility near {place}.",
        ),
        (
            "At least {n} {group} reported ill-treatment in custody in {place} this {season}.",
            "{n} {group} were ill-treated in custody in {place} this {season}.",
        ),
        (
            "Witnesses described {group} being forced to record public apologies in {place}.",
            "{group_cap} in {place} were coerced into recording public apologies.",
        ),
    ),
    ClaimType.DEATH: (
        (
            "{n} people have died in custody in {place} since {month}, according to relatives.",
            "{n} people died in custody in {place} since {month}.",
        ),
        (
            "A {group_one} from {place} was found dead two days after being detained.",
            "A detained {group_one} from {place} died within two days of arrest.",
        ),
    ),
    ClaimType.DENIAL: (
        (
            "{official_cap} said there were no detentions of {group} in {place}.",
            "{official_cap} denied that any {group} were detained in {place}.",
        ),
        (
            '{official_cap} called the reports from {place} "complete fabrications".',
            "{official_cap} dismissed the reports from {place} as fabricated.",
        ),
        (
            "{official_cap} insisted that nobody in {place} had been harmed.",
            "{official_cap} claimed nobody in {place} was harmed.",
        ),
    ),
    ClaimType.OFFICIAL_ACTION: (
        (
            "{org_cap} adopted a resolution on {topic} in the region by {n} votes.",
            "{org_cap} passed a resolution on {topic} with {n} votes in favour.",
        ),
        (
            "{official_cap} announced an investigation into {topic} in {place} on {day}.",
            "{official_cap} opened an investigation into {topic} in {place}.",
        ),
        (
            "{org_cap} called on the authorities to release {n} detained {group}.",
            "{org_cap} demanded the release of {n} detained {group}.",
        ),
    ),
    ClaimType.OTHER: (
        (
            "Turnout in {place} reached {pct} per cent, the highest in the country.",
            "Turnout in {place} was {pct}%, the highest nationally.",
        ),
        (
            "Spending on {topic} in {place} has risen by {pct} per cent in two years.",
            "{place} increased spending on {topic} by {pct}% over two years.",
        ),
        (
            "A survey found that {pct} per cent of residents of {place} distrust the police.",
            "{pct}% of {place} residents distrust the police, a survey found.",
        ),
    ),
}
FILLER_SENTENCES = (
    "The claims could not be independently verified.",
    "Officials did not respond to requests for comment.",
    "The situation in the region has drawn growing international attention.",
    "Rights groups have documented similar cases in previous years.",
    "Lawyers for several of the families declined to speak on the record.",
    "The account is consistent with testimony gathered by local reporters.",
    "The ministry said it would publish its own figures next month.",
    "Several witnesses asked not to be named, citing fears for their safety.",
    "Independent observers were not allowed to visit the facility.",
    "The reports prompted calls for an international inquiry.",
    "Local media have largely ignored the story.",
    "Diplomats raised the issue at a meeting in Geneva.",
)
TITLE_TEMPLATES = (
    "Reports of {topic} crackdown in {place} draw international concern",
    "{place}: families describe {topic} and fear",
    "Officials deny new allegations from {place}",
    "Inside the {topic} controversy in {place}",
    "What we know about the {place} {topic} reports",
    "{org_cap} weighs response to events in {place}",
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SEASONS = ("spring", "summer", "autumn", "winter")
NOT_CHECKABLE_REASONS = (
    "Opinion, not a factual claim.",
    "A prediction about the future; nothing to check yet.",
    "Too vague to verify: no place, date or number given.",
    "Relies entirely on anonymous testimony we cannot reach.",
    "Duplicate of another claim in this article.",
)
RETURN_REASONS = (
    "The rationale relies on a single source; find a second, independent one.",
    "The rating seems too strong for the evidence. Consider 'mostly true'.",
    "Please add the official response before we publish.",
    "The numbers in the summary do not match the cited report.",
    "Archive the primary sources first.",
)
CORRECTION_NOTES = (
    "New official figures changed the count; the rating is under review.",
    "A reader pointed out that the cited report was later revised.",
    "The original verdict misattributed a quote; corrected after review.",
    "Additional evidence has come to light; reopened for research.",
)
COMMENTS = (
    "I have reached out to the ministry's press office.",
    "There is a court filing that may confirm this; checking.",
    "The NGO report has the same figure, but it cites the article itself.",
    "Can someone with Russian check the original statement?",
    "Archived the page in case it changes.",
    "Two of the sources are the same wire story; counting them once.",
    "The date in the quote looks off by a week.",
    "Good catch, updating the rationale.",
    "Priority raised: this is being shared widely.",
    "Spoke to a lawyer for one family; they confirm the detention.",
    "The official denial was made on state television, transcript attached as a source.",
    "Waiting for the statistics bureau to answer.",
)
SUMMARIES: dict[Rating, tuple[str, ...]] = {
    Rating.TRUE: ("Documented by several independent sources.", "Confirmed by official records."),
    Rating.MOSTLY_TRUE: (
        "Broadly accurate; the exact figure is slightly lower.",
        "Accurate, but omits some context.",
    ),
    Rating.MIXED: ("Partly supported; key details are disputed.",),
    Rating.MOSTLY_FALSE: ("Contains a grain of truth but the main point is wrong.",),
    Rating.FALSE: (
        "Contradicted by the available records.",
        "No evidence supports this; the records show otherwise.",
    ),
    Rating.MISLEADING: ("Technically accurate but presented out of context.",),
    Rating.UNPROVEN: ("There is not enough evidence either way.",),
}
RATIONALE = (
    "We compared the statement with {k} sources, including {src}. "
    "{stance_note} The claimant did not respond to our request for comment."
)


# --------------------------------------------------------------------------------------------
# Per-claim simulation: the same state changes and history details as workflow.claims
# --------------------------------------------------------------------------------------------


class _Batch:
    """Rows planned for one batch of claims; foreign keys to rows of the same batch are local
    indexes until the database has assigned ids."""

    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.verdicts: list[dict[str, Any]] = []
        self.corrections: list[dict[str, Any]] = []
        self.article_events: list[dict[str, Any]] = []
        # per claim: [(event dict, refs [(details key, kind, local index)])]
        self.claim_events: list[list[tuple[dict[str, Any], list[tuple[str, str, int]]]]] = []
        # The same, prepared for writing (`_Formats.prepare`): the rows as columns, the events
        # as tuples with their details already JSON.
        self.counts: dict[str, int] = {}
        self.tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
        self.prepared_article_events: list[tuple[Any, ...]] = []
        self.prepared_claim_events: list[list[tuple[Any, ...]]] = []


@dataclass
class _Person:
    id: int
    username: str
    role: str

    @property
    def is_editor(self) -> bool:
        return is_editor(self.role)


@functools.cache
def _next_status(status: str, action: Action) -> str | None:
    """`next_status` on status values, remembered (claims take about half a million steps)."""
    new = next_status(ClaimStatus(status), action)
    return None if new is None else new.value


def _source_json(fields: dict[str, Any]) -> dict[str, Any]:
    """`jsonable(fields)` for a source's fields (only its dates need converting), faster."""
    out = dict(fields)
    out["published_on"] = fields["published_on"].isoformat()
    out["accessed_on"] = fields["accessed_on"].isoformat()
    return out


class _ClaimSim:
    def __init__(self, batch: _Batch, index: int, row: dict[str, Any]) -> None:
        self.batch = batch
        self.index = index  # local index of the claim in the batch
        self.row = row
        self.events: list[tuple[dict[str, Any], list[tuple[str, str, int]]]] = []
        self.assignee: _Person | None = None
        self.pending: int | None = None  # local verdict index
        self.approved: int | None = None
        self.sources = 0

    # -- bookkeeping ------------------------------------------------------------------------
    def _event(
        self,
        t: datetime,
        actor: _Person | None,
        action: str,
        details: dict[str, Any],
        *,
        bump: bool = True,
        refs: list[tuple[str, str, int]] | None = None,
    ) -> None:
        row = self.row
        row["last_activity_at"] = t
        if bump:
            row["version"] += 1
            row["updated_at"] = t
            row["updated_by_id"] = actor.id if actor else None
        event = {
            "claim_id": self.index,
            "article_id": row["article_id"],
            "actor_id": actor.id if actor else None,
            "action": action,
            "claim_version": row["version"],
            "details": details,
            "created_at": t,
        }
        self.events.append((event, refs or []))

    def _set_status(self, action: Action) -> list[str]:
        """Apply `action` through the workflow's own transition table (the plan must follow it)."""
        old = self.row["status"]
        new = _next_status(old, action)
        if new is None:
            raise AssertionError(f"demo plan: {action.value} is not allowed from {old}")
        self.row["status"] = new
        return [old, new]

    # -- actions ----------------------------------------------------------------------------
    def created(self, t: datetime, actor: _Person | None) -> None:
        row = self.row
        row.update(created_at=t, updated_at=t, last_activity_at=t, version=1)
        row["created_by_id"] = row["updated_by_id"] = actor.id if actor else None
        # `jsonable` of these fields: all plain JSON values already but the due date.
        due_date = row["due_date"]
        fields = {key: row[key] for key in ("text", "quote", "claimant", "claim_type", "priority")}
        fields["due_date"] = None if due_date is None else due_date.isoformat()
        self._event(t, actor, "claim_created", {"origin": ORIGIN, "fields": fields}, bump=False)

    def edited(self, t: datetime, actor: _Person, priority: int) -> None:
        diff = {"priority": [self.row["priority"], priority]}
        self.row["priority"] = priority
        self._event(t, actor, "claim_edited", {"changes": diff})

    def assigned(self, t: datetime, actor: _Person, assignee: _Person, due: int | None) -> None:
        diff: dict[str, Any] = {}
        if self.assignee is None or self.assignee.id != assignee.id:
            diff["assignee"] = [
                self.assignee.username if self.assignee else None,
                assignee.username,
            ]
            self.assignee = assignee
            self.row["assignee_id"] = assignee.id
        if due is not None:
            due_date = (t + timedelta(days=due)).date()
            if due_date != self.row["due_date"]:
                old = self.row["due_date"]
                diff["due_date"] = [old.isoformat() if old else None, due_date.isoformat()]
                self.row["due_date"] = due_date
        if self.row["status"] == ClaimStatus.UNREVIEWED:
            diff["status"] = self._set_status(Action.ASSIGN)
        self._event(t, actor, "assigned", {"changes": diff})

    def taken(self, t: datetime, actor: _Person) -> None:
        self.assignee = actor
        self.row["assignee_id"] = actor.id
        diff = {
            "assignee": [None, actor.username],
            "status": self._set_status(Action.TAKE),
        }
        self._event(t, actor, "taken", {"changes": diff})

    def source_added(self, t: datetime, actor: _Person, fields: dict[str, Any]) -> None:
        batch = self.batch
        index = len(batch.sources)
        batch.sources.append(
            {**fields, "claim_id": self.index, "added_by_id": actor.id, "added_at": t}
        )
        self.sources += 1
        self._event(
            t,
            actor,
            "source_added",
            {"source_id": None, "fields": _source_json(fields)},
            bump=False,
            refs=[("source_id", "sources", index)],
        )

    def commented(self, t: datetime, actor: _Person, body: str) -> None:
        batch = self.batch
        index = len(batch.comments)
        batch.comments.append(
            {"claim_id": self.index, "author_id": actor.id, "body": body, "created_at": t}
        )
        self._event(
            t,
            actor,
            "commented",
            {"comment_id": None, "body": body},
            bump=False,
            refs=[("comment_id", "comments", index)],
        )

    def drafted(
        self, t: datetime, actor: _Person, rating: Rating, summary: str, rationale: str
    ) -> None:
        batch = self.batch
        index = len(batch.verdicts)
        batch.verdicts.append(
            {
                "claim_id": self.index,
                "rating": rating.value,
                "summary": summary,
                "rationale": rationale,
                "state": VerdictState.DRAFT.value,
                "drafted_by_id": actor.id,
                "drafted_at": t,
                "decided_by_id": None,
                "decided_at": None,
                "return_reason": None,
            }
        )
        self.pending = index
        diff = {"status": self._set_status(Action.SUBMIT_VERDICT)}
        self._event(
            t,
            actor,
            "verdict_drafted",
            {"changes": diff, "verdict_id": None, "rating": rating.value, "summary": summary},
            refs=[("verdict_id", "verdicts", index)],
        )

    def approved_by(self, t: datetime, actor: _Person) -> None:
        assert self.pending is not None
        verdicts = self.batch.verdicts
        verdict = verdicts[self.pending]
        refs = [("verdict_id", "verdicts", self.pending)]
        details: dict[str, Any] = {"verdict_id": None}
        if self.approved is not None:
            verdicts[self.approved]["state"] = VerdictState.SUPERSEDED.value
            details["superseded_verdict_id"] = None
            refs.append(("superseded_verdict_id", "verdicts", self.approved))
        verdict.update(state=VerdictState.APPROVED.value, decided_by_id=actor.id, decided_at=t)
        details["changes"] = {
            "status": self._set_status(Action.APPROVE),
            "published_rating": [self.row["published_rating"], verdict["rating"]],
        }
        self.row["published_rating"] = verdict["rating"]
        self.row["published_at"] = t
        self.approved, self.pending = self.pending, None
        self._event(t, actor, "verdict_approved", details, refs=refs)

    def returned(self, t: datetime, actor: _Person, reason: str) -> None:
        assert self.pending is not None
        index, self.pending = self.pending, None
        self.batch.verdicts[index].update(
            state=VerdictState.RETURNED.value, decided_by_id=actor.id, decided_at=t,
            return_reason=reason,
        )  # fmt: skip
        diff = {"status": self._set_status(Action.RETURN)}
        self._event(
            t,
            actor,
            "verdict_returned",
            {"changes": diff, "verdict_id": None, "reason": reason},
            refs=[("verdict_id", "verdicts", index)],
        )

    def reopened(self, t: datetime, actor: _Person, note: str) -> None:
        batch = self.batch
        index = len(batch.corrections)
        batch.corrections.append(
            {
                "claim_id": self.index,
                "verdict_id": self.approved,  # local index, resolved after the verdicts
                "note": note,
                "claim_text": self.row["text"],
                "created_by_id": actor.id,
                "created_at": t,
            }
        )
        diff = {
            "status": self._set_status(Action.REOPEN),
            "published_rating": [self.row["published_rating"], None],
        }
        self.row["published_rating"] = None
        self._event(
            t,
            actor,
            "reopened",
            {"changes": diff, "correction_note": note, "correction_id": None},
            refs=[("correction_id", "corrections", index)],
        )

    def marked_not_checkable(self, t: datetime, actor: _Person, reason: str) -> None:
        diff = {
            "status": self._set_status(Action.MARK_NOT_CHECKABLE),
            "status_note": [self.row["status_note"], reason],
        }
        self.row["status_note"] = reason
        self._event(t, actor, "marked_not_checkable", {"changes": diff, "reason": reason})

    def restored(self, t: datetime, actor: _Person) -> None:
        diff = {
            "status": self._set_status(Action.RESTORE),
            "status_note": [self.row["status_note"], None],
        }
        self.row["status_note"] = None
        self._event(t, actor, "restored", {"changes": diff})


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Words(dict[str, Any]):
    """Template words, drawn when a template first asks for them (`str.format_map`)."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> Any:
        rng = self.rng
        if key == "n":
            value: Any = rng.choice((3, 5, 7, 12, 15, 20, 26, 40, 60, 100, 150, 300))
        elif key == "pct":
            value = rng.randint(12, 97)
        elif key == "group":
            value = rng.choice(GROUPS)
        elif key == "group_cap":
            value = self["group"][0].upper() + self["group"][1:]
        elif key == "group_one":
            value = self["group"].rstrip("s").replace("relatives of the detained", "relative")
        elif key == "place":
            value = rng.choice(PLACES)
        elif key == "official_cap":
            official = rng.choice(OFFICIALS)
            value = official[0].upper() + official[1:]
        elif key == "org_cap":
            org = rng.choice(ORGS)
            value = org[0].upper() + org[1:]
        elif key == "topic":
            value = rng.choice(TOPICS)
        elif key == "day":
            value = f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"
        elif key == "month":
            value = rng.choice(MONTHS)
        elif key == "season":
            value = rng.choice(SEASONS)
        else:
            raise KeyError(key)
        self[key] = value
        return value


class _Generator:
    def __init__(self, rng: random.Random, now: datetime, people: list[_Person]) -> None:
        self.rng = rng
        self.now = now
        self.reviewers = [p for p in people if p.role == Role.REVIEWER.value]
        self.editors = [p for p in people if p.role == Role.EDITOR.value]
        self.admins = [p for p in people if p.role == Role.ADMIN.value]
        self.deciders = self.editors * 4 + self.admins  # admins decide now and then
        self.everyone = self.reviewers + self.editors + self.admins
        self.statuses = list(STATUS_WEIGHTS)
        self.types = list(TYPE_WEIGHTS)
        self.claim_counter = 0

    # -- text -------------------------------------------------------------------------------
    def _words(self) -> _Words:
        return _Words(self.rng)

    def _claim_text(self, claim_type: ClaimType) -> tuple[str, str, str]:
        """(quote, claim text, claimant)"""
        words = self._words()
        quote, text = self.rng.choice(CLAIM_TEMPLATES[claim_type])
        claimant = (
            words["official_cap"]
            if claim_type == ClaimType.DENIAL
            else self.rng.choice(("the article", "the article", words["group_cap"], "witnesses"))
        )
        return quote.format_map(words), text.format_map(words), claimant

    def _person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _article(
        self, batch: _Batch, claims: list[tuple[int, str]], created: datetime, editor: _Person
    ) -> list[tuple[int, int]]:
        """Plan an article whose text holds each claim's quote; returns the quotes' spans."""
        rng = self.rng
        words = self._words()
        publisher, domain = rng.choice(PUBLISHERS)
        title = rng.choice(TITLE_TEMPLATES).format_map(words)
        title = title[0].upper() + title[1:]
        published_on = (created - timedelta(hours=rng.randint(1, 96))).date()
        slug_words = "".join(c if c.isalnum() else "-" for c in title.lower()).split("-")
        path = "-".join(w for w in slug_words if w)[:80]
        day = published_on.isoformat().replace("-", "/")  # as %Y/%m/%d, faster
        url = f"https://{domain}/{day}/{path}-{rng.randint(1000, 99999)}"
        pieces: list[str] = [
            f"{words['place'].upper()} — {rng.choice(FILLER_SENTENCES)}",
        ]
        spans: list[tuple[int, int]] = []
        text = ""
        paragraph_len = 0
        quotes = list(claims)
        fillers = rng.randint(4, 10)
        order = ["q"] * len(quotes) + ["f"] * fillers
        rng.shuffle(order)
        for kind in order:
            sentence = quotes.pop(0)[1] if kind == "q" else rng.choice(FILLER_SENTENCES)
            pieces.append(sentence if kind == "f" else "\0" + sentence)
        for piece in pieces:
            is_quote = piece.startswith("\0")
            sentence = piece[1:] if is_quote else piece
            if text:
                if paragraph_len >= 3:
                    text += "\n\n"
                    paragraph_len = 0
                else:
                    text += " "
            if is_quote:
                spans.append((len(text), len(text) + len(sentence)))
            text += sentence
            paragraph_len += 1
        batch.articles.append(
            {
                "slug": None,
                "title": title,
                "publisher": publisher,
                "author": self._person_name(),
                "url": url,
                "published_on": published_on,
                "text": text,
                "created_at": created,
                "created_by_id": editor.id,
            }
        )
        batch.article_events.append(
            {
                "claim_id": None,
                "article_id": len(batch.articles) - 1,  # local until the insert
                "actor_id": editor.id,
                "action": "article_added",
                "claim_version": None,
                "details": {"article_id": None, "title": title, "url": url},
                "created_at": created,
            }
        )
        return spans

    def _source_fields(self, t: datetime) -> dict[str, Any]:
        rng = self.rng
        publisher, domain, kind = rng.choice(SOURCE_SITES)
        published = (t - timedelta(days=rng.randint(0, 400))).date()
        accessed = t.date()
        doc = rng.randint(100, 999999)
        url = f"{rng.choice(('https', 'https', 'https', 'http'))}://{domain}/reports/{doc}"
        title = f"{publisher}: {rng.choice(TOPICS)} in {rng.choice(PLACES)} ({published.year})"
        return {
            "url": url,
            "title": title,
            "publisher": publisher,
            "kind": kind.value,
            "published_on": published,
            "accessed_on": accessed,
            "archive_url": (
                f"https://web.archive.org/web/{accessed.isoformat().replace('-', '')}000000/{url}"
                if rng.random() < 0.35
                else None
            ),
            "excerpt": rng.choice(FILLER_SENTENCES) if rng.random() < 0.6 else None,
            "stance": rng.choice(STANCES),
            "reliability": rng.choice(RELIABILITIES),
        }

    def _verdict_text(self, rating: Rating, sources: int) -> tuple[str, str]:
        rng = self.rng
        summary = rng.choice(SUMMARIES[rating])
        rationale = RATIONALE.format(
            k=max(sources, 1),
            src=rng.choice(SOURCE_SITES)[0],
            stance_note=rng.choice(FILLER_SENTENCES),
        )
        return summary, rationale

    # -- plans ------------------------------------------------------------------------------
    def _other_decider(self, *not_ids: int) -> _Person:
        while True:
            person = self.rng.choice(self.deciders)
            if person.id not in not_ids:
                return person

    def _plan(self, sim: _ClaimSim, status: ClaimStatus) -> list[Callable[[datetime], None]]:
        """The claim's life as a list of steps; each is called with its time, in order."""
        rng = self.rng
        steps: list[Callable[[datetime], None]] = []
        add = steps.append
        creator = rng.choice(self.editors) if rng.random() < 0.6 else rng.choice(self.reviewers)
        add(lambda t, c=creator: sim.created(t, c))
        editor = rng.choice(self.editors)
        if rng.random() < 0.15:
            priority = rng.choice([p for p in range(1, 6) if p != sim.row["priority"]])
            add(lambda t, e=editor, p=priority: sim.edited(t, e, p))

        def sources(who: _Person, k: int) -> None:
            for _ in range(k):
                add(lambda t, w=who: sim.source_added(t, w, self._source_fields(t)))

        def draft(who: _Person) -> None:
            rating = rng.choice(RATINGS)

            def step(t: datetime) -> None:
                summary, rationale = self._verdict_text(rating, sim.sources)
                sim.drafted(t, who, rating, summary, rationale)

            add(step)

        if status in (ClaimStatus.UNREVIEWED, ClaimStatus.NOT_CHECKABLE):
            if rng.random() < 0.15:
                marker = rng.choice(self.reviewers)
                reason = rng.choice(NOT_CHECKABLE_REASONS)
                add(lambda t, m=marker, r=reason: sim.marked_not_checkable(t, m, r))
                restorer = rng.choice(self.deciders)
                add(lambda t, r=restorer: sim.restored(t, r))
            sources(editor, rng.choice(SOURCES_UNWORKED))
            if status == ClaimStatus.NOT_CHECKABLE:
                marker = rng.choice(self.everyone)
                reason = rng.choice(NOT_CHECKABLE_REASONS)
                add(lambda t, m=marker, r=reason: sim.marked_not_checkable(t, m, r))
            comments = rng.choice(COMMENTS_UNWORKED)
        else:
            assignee = rng.choice(self.reviewers) if rng.random() < 0.85 else editor
            if rng.random() < 0.3:
                add(lambda t, a=assignee: sim.taken(t, a))
            else:
                due = rng.randint(2, 21) if rng.random() < 0.6 else None
                add(lambda t, e=editor, a=assignee, d=due: sim.assigned(t, e, a, d))
            if rng.random() < 0.15:
                first = assignee
                sources(first, rng.randint(0, 1))
                assignee = rng.choice([r for r in self.reviewers if r.id != first.id])
                due = rng.randint(2, 14) if rng.random() < 0.5 else None
                reassigner = rng.choice(self.deciders)
                add(lambda t, e=reassigner, a=assignee, d=due: sim.assigned(t, e, a, d))
            sources(assignee, rng.choice(SOURCES_FIRST))
            if rng.random() < 0.3:  # a returned draft first
                draft(assignee)
                decider = self._other_decider(assignee.id)
                reason = rng.choice(RETURN_REASONS)
                add(lambda t, d=decider, r=reason: sim.returned(t, d, r))
                sources(assignee, rng.choice(SOURCES_AFTER_RETURN))
            reopen_chance = 0.15 if status == ClaimStatus.RESEARCHING else 0.1
            if status != ClaimStatus.IN_REVIEW and rng.random() < reopen_chance:
                draft(assignee)
                approver = self._other_decider(assignee.id)
                add(lambda t, a=approver: sim.approved_by(t, a))
                reopener = rng.choice(self.deciders)
                note = rng.choice(CORRECTION_NOTES)
                add(lambda t, r=reopener, n=note: sim.reopened(t, r, n))
                sources(assignee, rng.choice(SOURCES_AFTER_REOPEN))
            if status in (ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED):
                draft(assignee)
            if status == ClaimStatus.PUBLISHED:
                approver = self._other_decider(assignee.id)
                add(lambda t, a=approver: sim.approved_by(t, a))
            comments = rng.choice(COMMENTS_WORKED)
        for _ in range(comments):
            author = rng.choice(self.everyone)
            body = rng.choice(COMMENTS)
            # Anywhere after the creation: anybody may comment at any time.
            steps.insert(
                rng.randint(1, len(steps)), lambda t, a=author, b=body: sim.commented(t, a, b)
            )
        return steps

    def _times(self, start: datetime, count: int) -> list[datetime]:
        """`count` increasing times from `start`, ending well before now."""
        rng = self.rng
        available = (self.now - start).total_seconds() - 600
        span = min(available, rng.uniform(0.5, 60) * 86400) if count > 1 else 0
        gaps = [rng.expovariate(1.0) for _ in range(count - 1)]
        total = sum(gaps) or 1.0
        times = [start]
        elapsed = 0.0
        for gap in gaps:
            elapsed += gap
            times.append(start + timedelta(seconds=max(1, int(span * elapsed / total))))
        for i in range(1, count):  # strictly increasing, a second at least
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + timedelta(seconds=1)
        return times

    def plan_batch(self, count: int) -> _Batch:
        rng = self.rng
        batch = _Batch()
        claim_rows: list[dict[str, Any]] = []
        # Claims with an article come in groups; about one article per ten claims.
        remaining = count
        groups: list[int] = []  # claims per article, 0 = a claim without an article
        while remaining > 0:
            if rng.random() < 0.1:
                groups.append(0)
                remaining -= 1
            else:
                size = min(remaining, rng.randint(6, 12))
                groups.append(size)
                remaining -= size
        for size in groups:
            start = self.now - timedelta(seconds=rng.uniform(3600, HISTORY_SPAN_DAYS * 86400))
            specs = []
            for _ in range(max(size, 1)):
                n = self.claim_counter
                self.claim_counter += 1
                # The first claims cycle through every status and type, so all occur.
                if n < len(self.statuses) * len(self.types):
                    status = self.statuses[n % len(self.statuses)]
                    claim_type = self.types[(n // len(self.statuses)) % len(self.types)]
                else:
                    status = rng.choice(STATUSES)
                    claim_type = rng.choice(TYPES)
                quote, text, claimant = self._claim_text(claim_type)
                specs.append((status, claim_type, quote, text, claimant))
            spans: list[tuple[int, int] | None] = [None] * len(specs)
            article_index = None
            if size:
                editor = rng.choice(self.editors)
                spans = list(self._article(batch, [(i, s[2]) for i, s in enumerate(specs)],
                                           start, editor))  # fmt: skip
                article_index = len(batch.articles) - 1
            for (status, claim_type, quote, text, claimant), span in zip(specs, spans, strict=True):
                created = start + timedelta(seconds=rng.randint(600, 3 * 86400))
                if created > self.now - timedelta(minutes=30):
                    created = self.now - timedelta(minutes=30)
                row = {
                    "external_key": None,
                    "article_id": article_index,
                    "text": text,
                    "quote": quote if span else None,
                    "span_start": span[0] if span else None,
                    "span_end": span[1] if span else None,
                    "claimant": claimant if span or rng.random() < 0.5 else None,
                    "claim_type": claim_type.value,
                    "status": ClaimStatus.UNREVIEWED.value,
                    "status_note": None,
                    "priority": rng.choice(PRIORITIES),
                    "assignee_id": None,
                    "due_date": (
                        (created + timedelta(days=rng.randint(3, 30))).date()
                        if rng.random() < 0.2
                        else None
                    ),
                    "published_rating": None,
                    "published_at": None,
                    "origin": ORIGIN,
                    "created_at": created,
                    "created_by_id": None,
                    "updated_at": created,
                    "updated_by_id": None,
                    "last_activity_at": created,
                    "version": 1,
                }
                sim = _ClaimSim(batch, len(claim_rows), row)
                claim_rows.append(row)
                steps = self._plan(sim, status)
                for step, t in zip(steps, self._times(created, len(steps)), strict=True):
                    step(t)
                assert row["status"] == status.value, (row["status"], status)
                batch.claim_events.append(sim.events)
        batch.claims = claim_rows
        return batch


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


class _Ids(NewIds):
    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert `rows` with new ids; returns the ids, in the same order."""
        ids = self.take(table, len(rows))
        for row, row_id in zip(rows, ids, strict=True):
            row["id"] = row_id
        _insert(self.conn, table, rows)
        return ids


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _iso_text(value: date | datetime | None) -> str | None:
    """ISO text for PostgreSQL's COPY (UTC datetimes keep their "+00:00")."""
    return None if value is None else value.isoformat()


def _bind_processor(type_: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's own bind processor; for UTC datetimes and dates a faster equivalent,
    used only when it gives exactly the same text as the real one."""
    processor = type_.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return None
    if isinstance(type_, UTCDateTime):
        samples: tuple[Any, ...] = (
            datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
            datetime(1999, 12, 31, tzinfo=UTC),
            None,
        )
        if all(processor(v) == _utc_text(v) for v in samples):
            return _utc_text
    elif isinstance(type_, Date):
        samples = (date(2001, 2, 3), date(1999, 12, 31), None)
        if all(processor(v) == _date_text(v) for v in samples):
            return _date_text
    return processor


def _copies(conn: Connection) -> bool:
    """Whether rows go in by COPY: PostgreSQL through psycopg 3 (the only driver configured)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert; every row has the same keys."""
    if not rows:
        return
    names = list(rows[0])
    if _copies(conn):
        # psycopg adapts the Python values itself (dates, aware datetimes, ...).
        copy_rows(
            conn, table, names, list(zip(*[[r[n] for r in rows] for n in names], strict=True))
        )
        return
    if conn.dialect.paramstyle != "qmark":
        for i in range(0, len(rows), BATCH_SIZE):
            conn.execute(insert(table), rows[i : i + BATCH_SIZE])
        return
    # SQLite: the statement compiled once and the values converted by the columns' own bind
    # processors (the same conversions SQLAlchemy applies), a column at a time, then one DBAPI
    # executemany: several times faster than SQLAlchemy's per-row parameter handling.
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    positions = list(compiled.positiontup or [])
    dialect = conn.dialect
    columns = []
    for name in positions:
        proc = _bind_processor(table.c[name].type, dialect)
        values = [r[name] for r in rows]
        columns.append(values if proc is None else [proc(v) for v in values])
    conn.exec_driver_sql(compiled.string, list(zip(*columns, strict=True)))


# The history columns in the order the event rows below are built.
EVENT_COLUMNS = (
    "id",
    "claim_id",
    "article_id",
    "actor_id",
    "action",
    "claim_version",
    "details",
    "created_at",
    "chain",
    "seq",
    "prev_hash",
    "hash",
)
_sha256 = hashlib.sha256


class _Formats:
    """How each column's values are stored. Everything that does not need the ids is done
    while planning (in the planning process): the rows' values converted, the events' details
    as JSON, their timestamps as text and the id-free parts of their canonical JSON. The writer
    fills in the ids and hashes the events."""

    TABLES = (
        ("articles", Article),
        ("claims", Claim),
        ("sources", Source),
        ("comments", Comment),
        ("verdicts", Verdict),
        ("corrections", Correction),
    )

    def __init__(self, conn: Connection) -> None:
        dialect = conn.dialect
        self.postgres = _copies(conn)
        self.sqlite = not self.postgres and dialect.paramstyle == "qmark"
        self.converters: dict[str, dict[str, Callable[[Any], Any] | None]] = {}
        for kind, model in self.TABLES:
            converters: dict[str, Callable[[Any], Any] | None] = {}
            for column in model.__table__.c:
                if self.sqlite:
                    converters[column.name] = _bind_processor(column.type, dialect)
                elif self.postgres and isinstance(column.type, UTCDateTime | Date):
                    # COPY sends text either way; ISO text (with its offset) is what psycopg
                    # would send, and text travels between the processes much faster.
                    converters[column.name] = _iso_text
                else:  # SQLAlchemy converts the Python values for other databases
                    converters[column.name] = None
            self.converters[kind] = converters
        created_at = _bind_processor(HistoryEvent.__table__.c.created_at.type, dialect)
        self.fast_event_time = self.sqlite and created_at is _utc_text
        self.event_time = created_at if self.sqlite else None

    def columns(self, kind: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[Any]]:
        """The planned columns' names (the id first) and `rows` column by column; the ids are
        left out until they are drawn."""
        names = ["id", *(name for name in rows[0] if name != "id")] if rows else ["id"]
        return names, [[], *([row[name] for row in rows] for name in names[1:])]

    def convert(self, kind: str, names: list[str], columns: list[list[Any]]) -> None:
        """Convert the values of `columns` to their stored form, in place."""
        converters = self.converters[kind]
        for position, name in enumerate(names):
            converter = converters[name]
            if converter is not None and name != "id":
                columns[position] = [converter(v) for v in columns[position]]

    def event(self, event: dict[str, Any], refs: list[tuple[str, str, int]]) -> tuple[Any, ...]:
        """(action, actor_id, claim_version, details JSON, stored created_at, refs, canonical
        head, canonical middle); the details' refs are null until the ids are known.

        The head and middle are the parts of `event_hash`'s canonical JSON (keys sorted) before
        "article_id" and between "claim_id" and the details: they need no ids, so the planning
        process builds them and the writer only joins the pieces and hashes them."""
        created = event["created_at"]
        if created.tzinfo is not UTC:
            created = created.astimezone(UTC)
        created_iso = created.isoformat()
        if self.postgres:
            stored = created_iso
        elif self.fast_event_time:  # "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" to SQLite's text
            stored = f"{created_iso[:10]} {created_iso[11:19]}.{created.microsecond:06d}"
        else:
            stored = self.event_time(created) if self.event_time is not None else created
        details = event["details"]
        for key, _kind, _local in refs:
            details[key] = None
        action = event["action"]
        actor_id = event["actor_id"]
        version = event["claim_version"]
        head = (
            f'{{"action":{_json_string(action)},'
            f'"actor_id":{"null" if actor_id is None else int(actor_id)},"article_id":'
        )
        middle = (
            f',"claim_version":{"null" if version is None else int(version)},'
            f'"created_at":"{created_iso}","details":'
        )
        return (action, actor_id, version, _canonical_json(details), stored, refs, head, middle)

    def prepare(self, batch: _Batch) -> _Batch:
        """Turn the planned rows into converted columns and the events into tuples, in place."""
        batch.counts = {kind: len(getattr(batch, kind)) for kind, _model in self.TABLES}
        batch.tables = {kind: self.columns(kind, getattr(batch, kind)) for kind, _ in self.TABLES}
        for kind, (names, columns) in batch.tables.items():
            self.convert(kind, names, columns)
        batch.prepared_article_events = [
            self.event(event, [("article_id", "articles", event["article_id"])])
            for event in batch.article_events
        ]
        batch.prepared_claim_events = [
            [self.event(event, refs) for event, refs in events] for events in batch.claim_events
        ]
        for kind, _model in self.TABLES:
            setattr(batch, kind, [])
        batch.article_events = []
        batch.claim_events = []
        return batch


def _json_string(value: str) -> str:
    """`value` as canonical JSON; plain printable text without quotes or backslashes as is."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return _canonical_json(value)


class _Chains:
    """Seq and hash of each chain's last event, so new events link onto it, read from (and
    written back to) the chains' heads, as `workflow.history.link` does for the services."""

    def __init__(self, conn: Connection, formats: _Formats) -> None:
        self.conn = conn
        self.formats = formats
        self.key = history_key()
        self.last: dict[str, tuple[int, str | None]] = {}
        self.headless: set[str] = set()  # chains with no head row yet
        self.moved: set[str] = set()  # chains linked onto since the last flush
        self.rows: list[tuple[Any, ...]] = []  # linked events not yet inserted

    def preload(self, chains: list[str]) -> None:
        """Read (and lock) the heads of many chains at once (new claims' chains have none, but
        a chain is never assumed empty)."""
        wanted = [chain for chain in chains if chain not in self.last]
        heads = lock_heads(self.conn, wanted)
        for chain in wanted:
            self.last[chain] = heads.get(chain, (0, None))
            if chain not in heads:
                self.headless.add(chain)

    def link(
        self,
        events: list[tuple[Any, ...]],
        chain: str,
        claim_id: int | None,
        article_id: int | None,
        ids: dict[str, list[int]],
        event_ids: Iterator[int],
    ) -> None:
        """Give prepared `events` (in order, see `_Formats.event`) their ids, seq, prev_hash
        and hash; the rows to insert are kept in `rows` (see `flush`)."""
        if chain not in self.last:
            self.preload([chain])
        seq, prev = self.last.pop(chain)
        append = self.rows.append
        # The canonical JSON's ids, the same for every event of the chain here.
        ids_json = (
            f"{'null' if article_id is None else int(article_id)},"
            f'"chain":{_json_string(chain)},'
            f'"claim_id":{"null" if claim_id is None else int(claim_id)}'
        )
        prev_json = "null" if prev is None else _json_string(prev)
        for action, actor_id, version, details_json, stored, refs, head, middle in events:
            seq += 1
            for key, kind, local in refs:
                details_json = details_json.replace(
                    f'"{key}":null', f'"{key}":{int(ids[kind][local])}', 1
                )
            canonical = (
                f'{head}{ids_json}{middle}{details_json},"prev_hash":{prev_json},"seq":{seq}}}'
            )
            hash_ = _sha256(canonical.encode()).hexdigest()
            prev_json = f'"{hash_}"'  # a hex digest needs no escaping
            append((
                next(event_ids), claim_id, article_id, actor_id, action, version, details_json,
                stored, chain, seq, prev, hash_,
            ))  # fmt: skip
            prev = hash_
        self.last[chain] = (seq, prev)
        self.moved.add(chain)

    def flush(self) -> int:
        """Insert the linked events; returns how many."""
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        _insert_rows(self.conn, HistoryEvent.__table__, list(EVENT_COLUMNS), rows, self.formats)
        heads = [head_row(chain, *self.last[chain], self.key) for chain in sorted(self.moved)]
        self.moved.clear()
        started = [head for head in heads if head["chain"] in self.headless]
        started_chains = {head["chain"] for head in started}
        self.headless -= started_chains
        if started:
            names, values = list(started[0]), [tuple(head.values()) for head in started]
            _insert_rows(self.conn, HistoryChainHead.__table__, names, values, self.formats)
        move_heads(self.conn, [head for head in heads if head["chain"] not in started_chains])
        return len(rows)


def _insert_rows(
    conn: Connection,
    table: Table,
    names: list[str],
    rows: list[tuple[Any, ...]],
    formats: _Formats,
) -> None:
    """Insert rows already in their stored form (see `_Formats`)."""
    if not rows:
        return
    if formats.postgres:
        copy_rows(conn, table, names, rows)
    elif formats.sqlite:
        # The columns in the rows' own order: no reordering of a million tuples.
        quote = conn.dialect.identifier_preparer.quote
        statement = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)})"
            f" VALUES ({', '.join('?' for _ in names)})"
        )
        for i in range(0, len(rows), 50_000):
            conn.exec_driver_sql(statement, rows[i : i + 50_000])
    else:  # any other database: through SQLAlchemy, with JSON values and datetimes again
        dicts = [dict(zip(names, row, strict=True)) for row in rows]
        if table is HistoryEvent.__table__:
            for row in dicts:
                row["details"] = json.loads(row["details"])
        for i in range(0, len(dicts), BATCH_SIZE):
            conn.execute(insert(table), dicts[i : i + BATCH_SIZE])


def _write_batch(
    conn: Connection,
    ids_: _Ids,
    batch: _Batch,
    chains: _Chains,
    formats: _Formats,
    summary: DemoSummary,
) -> None:
    """Write a prepared batch: ids drawn, local references replaced by them, rows inserted."""
    ids: dict[str, list[int]] = {}

    def write(kind: str, model: Any, local_refs: dict[str, str]) -> None:
        names, columns = batch.tables[kind]
        table = model.__table__
        ids[kind] = columns[0] = ids_.take(table, batch.counts[kind])
        if not ids[kind]:
            return
        for name, target in local_refs.items():
            position = names.index(name)
            targets = ids[target]
            columns[position] = [None if i is None else targets[i] for i in columns[position]]
        _insert_rows(conn, table, names, list(zip(*columns, strict=True)), formats)

    write("articles", Article, {})
    write("claims", Claim, {"article_id": "articles"})
    write("sources", Source, {"claim_id": "claims"})
    write("comments", Comment, {"claim_id": "claims"})
    write("verdicts", Verdict, {"claim_id": "claims"})
    write("corrections", Correction, {"claim_id": "claims", "verdict_id": "verdicts"})

    total = len(batch.prepared_article_events) + sum(
        len(events) for events in batch.prepared_claim_events
    )
    event_ids = iter(ids_.take(HistoryEvent.__table__, total))
    article_ids = ids["articles"]
    for event in batch.prepared_article_events:
        refs = event[5]  # [("article_id", "articles", local index)]
        article_id = article_ids[refs[0][2]]
        chains.link([event], SYSTEM_CHAIN, None, article_id, ids, event_ids)
    claim_ids = ids["claims"]
    chains.preload([chain_for(claim_id) for claim_id in claim_ids])
    names, columns = batch.tables["claims"]
    claim_article_ids = columns[names.index("article_id")] if claim_ids else []
    for claim_id, article_id, events in zip(
        claim_ids, claim_article_ids, batch.prepared_claim_events, strict=True
    ):
        chains.link(events, chain_for(claim_id), claim_id, article_id, ids, event_ids)
    events_written = chains.flush()

    summary.articles += batch.counts["articles"]
    summary.claims += batch.counts["claims"]
    summary.sources += batch.counts["sources"]
    summary.comments += batch.counts["comments"]
    summary.verdicts += batch.counts["verdicts"]
    summary.corrections += batch.counts["corrections"]
    summary.events += events_written


def _demo_people(
    conn: Connection,
    ids_: _Ids,
    rng: random.Random,
    now: datetime,
    password: str,
    chains: _Chains,
    summary: DemoSummary,
) -> list[_Person]:
    """The demo accounts: existing ones with the right role are reused, others are created
    (a taken name with another role or an inactive account gets the next free number)."""
    existing = {
        row.username: row
        for row in conn.execute(
            select(User.id, User.username, User.role, User.active).where(
                User.username.like("demo-%")
            )
        )
    }
    people: list[_Person] = []
    new_rows: list[dict[str, Any]] = []
    password_hash: str | None = None
    for role, count in DEMO_ROLES:
        number = 0
        for _ in range(count):
            while True:
                number += 1
                username = f"demo-{role.value}-{number:02d}"
                found = existing.get(username)
                if found is None:
                    break
                if found.role == role.value and found.active:
                    break
            if found is not None:
                people.append(_Person(found.id, username, role.value))
                summary.users_reused += 1
                continue
            if password_hash is None:
                password_hash = hash_password(password)  # one (slow) hash for every account
            display = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            new_rows.append(
                {
                    "username": username,
                    "display_name": f"{display} (demo {role.value})",
                    "email": f"{username}@demo.example.org",
                    "password_hash": password_hash,
                    "role": role.value,
                    "active": True,
                    "session_generation": 0,
                    "must_change_password": False,
                    "created_at": now - timedelta(days=HISTORY_SPAN_DAYS + 30),
                }
            )
            people.append(_Person(0, username, role.value))
    ids = ids_.insert(User.__table__, new_rows)
    by_name = {row["username"]: user_id for row, user_id in zip(new_rows, ids, strict=True)}
    for person in people:
        if person.username in by_name:
            person.id = by_name[person.username]
    events = [
        {
            "claim_id": None,
            "article_id": None,
            "actor_id": None,
            "action": "user_created",
            "claim_version": None,
            "details": {
                "user_id": by_name[row["username"]],
                "username": row["username"],
                "role": row["role"],
            },  # fmt: skip
            "created_at": row["created_at"],
        }
        for row in new_rows
    ]
    event_ids = iter(ids_.take(HistoryEvent.__table__, len(events)))
    prepared = [chains.formats.event(event, []) for event in events]
    chains.link(prepared, SYSTEM_CHAIN, None, None, {}, event_ids)
    summary.events += chains.flush()
    summary.users += len(new_rows)
    return people


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: the batches are millions of small containers
    (tuples, lists, dicts) that the collector would scan over and over while they are alive,
    and planning and writing them creates no reference cycles to speak of. Forked while
    paused, the planning process never collects either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(
    conn: Connection,
    claims: int,
    seed: int,
    progress: Callable[[int], None] | None,
    now: datetime,
    password: str,
    batch_size: int,
) -> DemoSummary:
    started = time.perf_counter()
    summary = DemoSummary()
    rng = _Random(seed)
    formats = _Formats(conn)
    chains = _Chains(conn, formats)
    ids_ = _Ids(conn)
    # Accounts draw from their own generator: reusing them leaves the claims unchanged.
    people = _demo_people(
        conn, ids_, random.Random(f"users-{seed}"), now, password, chains, summary
    )
    generator = _Generator(rng, now, people)
    sizes = [min(batch_size, claims - done) for done in range(0, claims, batch_size)]
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # a bigger page cache for this connection while the indexes grow
        cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
    batches = _planned_batches(generator, sizes, formats)
    try:
        done = 0
        for batch in batches:
            _write_batch(conn, ids_, batch, chains, formats, summary)
            done += batch.counts["claims"]
            if progress is not None:
                progress(done)
    finally:
        batches.close()
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache_size)}")
    summary.seconds = time.perf_counter() - started
    return summary


def _dump_batch(batch: _Batch) -> bytes:
    """A prepared batch as bytes for the pipe. Its values are plain strings, numbers and None
    by now (see `_Formats.convert`), which `marshal` writes several times faster than `pickle`
    (no memo of millions of small objects); anything else, such as the datetimes kept for
    databases other than SQLite and PostgreSQL, goes by pickle."""
    payload = (
        batch.counts,
        batch.tables,
        batch.prepared_article_events,
        batch.prepared_claim_events,
    )
    try:
        return b"m" + marshal.dumps(payload)
    except ValueError:
        return b"p" + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _load_batch(data: bytes) -> _Batch:
    """The batch `_dump_batch` wrote, or the planning process's failure raised here."""
    kind, body = data[:1], memoryview(data)[1:]
    if kind == b"e":
        raise RuntimeError(f"planning demo data failed:\n{bytes(body).decode()}")
    batch = _Batch()
    # Both come from our own planning process, never from outside.
    payload = (
        marshal.loads(body)  # noqa: S302
        if kind == b"m"
        else pickle.loads(body)  # noqa: S301
    )
    batch.counts, batch.tables, batch.prepared_article_events, batch.prepared_claim_events = payload
    return batch


def _plan_batches(generator: _Generator, sizes: list[int], formats: _Formats, send: Any) -> None:
    """The planning process: each batch's rows, prepared, in order, down the pipe."""
    try:
        for size in sizes:
            send.send_bytes(_dump_batch(formats.prepare(generator.plan_batch(size))))
    except BaseException:  # noqa: BLE001 -- reported to the writing process, which raises
        send.send_bytes(b"e" + traceback.format_exc().encode())
    finally:
        send.close()


def _planned_batches(
    generator: _Generator, sizes: list[int], formats: _Formats
) -> Generator[_Batch, None, None]:
    """The batches to write. With more than one, a second process plans them (the same random
    sequence, so the same data) while this one writes: planning takes about as long as writing.
    Planning happens in this process where `fork` is unavailable."""
    if len(sizes) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for size in sizes:
            yield formats.prepare(generator.plan_batch(size))
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_plan_batches, args=(generator, sizes, formats, send), daemon=True
    )
    worker.start()
    send.close()
    try:
        for _ in sizes:
            try:
                data = receive.recv_bytes()
            except EOFError:
                raise RuntimeError("the demo data planning process stopped early") from None
            yield _load_batch(data)
    finally:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()


def generate(
    session_or_engine: Session | Engine | Connection,
    claims: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
    password: str = DEMO_PASSWORD,
    batch_size: int = BATCH_SIZE,
) -> DemoSummary:
    """Fill an already-migrated database with `claims` synthetic claims and everything around
    them, in one transaction.

    Given an Engine, opens a write transaction and commits it. Given a Session (or Connection),
    works inside its current transaction and leaves the commit to the caller.
    The same seed and `now` give the same data (ids aside; `now` defaults to today, midnight UTC,
    so runs on the same day agree). `progress(n)` is called with the claims written so far after
    each batch.
    """
    if claims < 0:
        raise ValueError("claims must be zero or more")
    if now is None:
        now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    elif now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    args = (claims, seed, progress, now, password, max(1, batch_size))
    if isinstance(session_or_engine, Engine):
        with _gc_paused(), write_bind(session_or_engine).begin() as conn:
            return _generate(conn, *args)
    if isinstance(session_or_engine, Session):
        session_or_engine.flush()
        with _gc_paused():
            return _generate(session_or_engine.connection(), *args)
    with _gc_paused():
        return _generate(session_or_engine, *args)


__all__ = ["DEMO_PASSWORD", "DemoSummary", "generate"]
