"""Planning the demo data: for each batch, articles and claims drawn from the vocabulary, and
each claim's life as steps (`Generator._plan`) played through `ClaimSim` at increasing times.
Deterministic: everything is drawn from one seeded `random.Random`, in order."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from factcheck.vocabulary import HistoryAction
from factcheck.workflow import permissions as can
from factcheck.workflow.articles import ArticleInput, article_columns
from factcheck.workflow.events import article_added_details
from factcheck.workflow.history import new_event
from factcheck.workflow.states import (
    Action,
    ClaimStatus,
    ClaimType,
    Rating,
    Role,
    evidence_problem,
)

from .simulation import Batch, ClaimSim, Person
from .vocabulary import (
    CLAIM_TEMPLATES,
    COMMENTS,
    COMMENTS_UNWORKED,
    COMMENTS_WORKED,
    CORRECTION_NOTES,
    FILLER_SENTENCES,
    FIRST_NAMES,
    HISTORY_SPAN_DAYS,
    LAST_NAMES,
    NOT_CHECKABLE_REASONS,
    PLACES,
    PRIORITIES,
    PUBLISHERS,
    RATINGS,
    RATIONALE,
    RELIABILITIES,
    RETURN_REASONS,
    SOURCE_SITES,
    SOURCES_AFTER_REOPEN,
    SOURCES_AFTER_RETURN,
    SOURCES_FIRST,
    SOURCES_UNWORKED,
    STANCES,
    STATUS_WEIGHTS,
    STATUSES,
    SUMMARIES,
    TITLE_TEMPLATES,
    TOPICS,
    TYPE_WEIGHTS,
    TYPES,
    Words,
)


class Generator:
    def __init__(
        self, rng: random.Random, now: datetime, people: list[Person], *, script: bool = False
    ) -> None:
        self.rng = rng
        self.script = script  # note each claim's actions for the reference mode
        self.now = now
        self.reviewers = [p for p in people if p.role == Role.REVIEWER.value]
        self.editors = [p for p in people if p.role == Role.EDITOR.value]
        self.admins = [p for p in people if p.role == Role.ADMIN.value]
        self.everyone = self.reviewers + self.editors + self.admins
        # Who may take each action: asked of the workflow's permissions.
        self.may = {
            action: [p for p in self.everyone if can.role_may(p, action)] for action in Action
        }
        self.statuses = list(STATUS_WEIGHTS)
        self.types = list(TYPE_WEIGHTS)
        self.claim_counter = 0

    # -- text -------------------------------------------------------------------------------
    def _words(self) -> Words:
        return Words(self.rng)

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
        self, batch: Batch, claims: list[tuple[int, str]], created: datetime, editor: Person
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
        data = ArticleInput(
            text=text, title=title, publisher=publisher, author=self._person_name(), url=url,
            published_on=published_on,
        )  # fmt: skip
        row = article_columns(editor.id, data)
        batch.articles.append({**row, "created_at": created})
        batch.article_events.append(
            new_event(
                actor=editor,
                action=HistoryAction.ARTICLE_ADDED,
                claim_id=None,
                article_id=len(batch.articles) - 1,  # local until the insert
                claim_version=None,
                details=article_added_details(None, row["title"], row["url"]),
                created_at=created,
            )
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
    def _other_decider(self, action: Action, drafter: Person) -> Person:
        """Who approves or returns (`action`) `drafter`'s verdict: the workflow's two-person
        rule (`permissions.may_decide`)."""
        while True:
            person = self.rng.choice(self.may[action])
            if can.may_decide(person, action, drafter.id):
                return person

    def _plan(self, sim: ClaimSim, status: ClaimStatus) -> list[Callable[[datetime], None]]:
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

        def sources(who: Person, k: int) -> None:
            for _ in range(k):
                add(lambda t, w=who: sim.source_added(t, w, self._source_fields(t)))

        def draft(who: Person) -> None:
            drawn = rng.choice(RATINGS)

            def step(t: datetime) -> None:
                # The workflow's evidence rule: a rating the sources cannot carry is unproven.
                stances = [source["stance"] for source in sim.sources]
                rating = Rating.UNPROVEN if evidence_problem(drawn, stances) else drawn
                summary, rationale = self._verdict_text(rating, len(sim.sources))
                sim.drafted(t, who, rating, summary, rationale)

            add(step)

        if status in (ClaimStatus.UNREVIEWED, ClaimStatus.NOT_CHECKABLE):
            if rng.random() < 0.15:
                marker = rng.choice(self.reviewers)
                reason = rng.choice(NOT_CHECKABLE_REASONS)
                add(lambda t, m=marker, r=reason: sim.marked_not_checkable(t, m, r))
                restorer = rng.choice(self.may[Action.RESTORE])
                add(lambda t, r=restorer: sim.restored(t, r))
            sources(editor, rng.choice(SOURCES_UNWORKED))
            if status == ClaimStatus.NOT_CHECKABLE:
                marker = rng.choice(self.may[Action.MARK_NOT_CHECKABLE])
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
                reassigner = rng.choice(self.may[Action.ASSIGN])
                add(lambda t, e=reassigner, a=assignee, d=due: sim.assigned(t, e, a, d))
            sources(assignee, rng.choice(SOURCES_FIRST))
            if rng.random() < 0.3:  # a returned draft first
                draft(assignee)
                decider = self._other_decider(Action.RETURN, assignee)
                reason = rng.choice(RETURN_REASONS)
                add(lambda t, d=decider, r=reason: sim.returned(t, d, r))
                sources(assignee, rng.choice(SOURCES_AFTER_RETURN))
            reopen_chance = 0.15 if status == ClaimStatus.RESEARCHING else 0.1
            if status != ClaimStatus.IN_REVIEW and rng.random() < reopen_chance:
                draft(assignee)
                approver = self._other_decider(Action.APPROVE, assignee)
                add(lambda t, a=approver: sim.approved_by(t, a))
                reopener = rng.choice(self.may[Action.REOPEN])
                note = rng.choice(CORRECTION_NOTES)
                add(lambda t, r=reopener, n=note: sim.reopened(t, r, n))
                sources(assignee, rng.choice(SOURCES_AFTER_REOPEN))
            if status in (ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED):
                draft(assignee)
            if status == ClaimStatus.PUBLISHED:
                approver = self._other_decider(Action.APPROVE, assignee)
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

    def plan_batch(self, count: int) -> Batch:
        rng = self.rng
        batch = Batch()
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
                # The claim's input; its other columns are what `create_claim` would set
                # (`ClaimSim.created`) and what the later steps change.
                row = {
                    "article_id": article_index,
                    "text": text,
                    "quote": quote if span else None,
                    "claimant": claimant if span or rng.random() < 0.5 else None,
                    "claim_type": claim_type.value,
                    "priority": rng.choice(PRIORITIES),
                    "due_date": (
                        (created + timedelta(days=rng.randint(3, 30))).date()
                        if rng.random() < 0.2
                        else None
                    ),
                    "status_note": None,
                    "assignee_id": None,
                    "published_rating": None,
                    "published_at": None,
                    "revised_at": None,
                }
                article = batch.articles[article_index] if span else None
                sim = ClaimSim(batch, len(claim_rows), row, span, article, script=self.script)
                claim_rows.append(row)
                steps = self._plan(sim, status)
                for step, t in zip(steps, self._times(created, len(steps)), strict=True):
                    step(t)
                assert row["status"] == status.value, (row["status"], status)
                batch.claim_events.append(sim.events)
                if sim.script is not None:
                    batch.scripts.append(sim.script)
        batch.claims = claim_rows
        return batch
