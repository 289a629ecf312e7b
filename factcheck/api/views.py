"""The API's resources. Thin like the web views: parse (schemas), authorise (token scope; the
services check roles and rules), call one query or service, commit, answer."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request, url_for
from flask_smorest import Blueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from factcheck.models import Article, User
from factcheck.queries.claim_record import ClaimRecord, claim_record
from factcheck.queries.claims import ClaimFilters, is_cursor, list_claims
from factcheck.web.archiving import archiving_on, queue_archive
from factcheck.web.database import commit, db, roll_back_request_session, with_retries
from factcheck.web.errors import CLASHED, UNAVAILABLE, is_clash
from factcheck.workflow import claims as wf
from factcheck.workflow.errors import ConflictError, WorkflowError
from factcheck.workflow.sources import SourceInput, add_source
from factcheck.workflow.submissions import (
    AlreadySubmitted,
    fulfil,
    previous_result,
    reserve,
    valid_token,
)

from . import schemas as sc
from .auth import api_user, authenticate, require_write
from .problems import (
    PROBLEM_TYPE,
    ApiProblem,
    from_api_problem,
    from_http_exception,
    from_workflow_error,
    problem,
)

bp = Blueprint(
    "api",
    __name__,
    description="Claims, articles, published fact-checks and the status report.",
)
bp.before_request(authenticate)
# Unknown fields are refused everywhere, query strings too: a misspelt filter is an error, not
# a list that silently ignores it.
bp.ARGUMENTS_PARSER = FlaskParser(unknown=RAISE)
ETAG_HEADER = {"description": "the claim's version", "schema": {"type": "string"}}
ERROR_TEXT = {
    401: "no valid token",
    403: "the token's scope or the user's role does not allow it",
    404: "no such resource",
    409: "a stale version (the body holds the current state) or a repeated Idempotency-Key",
    428: "the claim's version is missing (send If-Match or `version`)",
}


def problems(*codes: int):
    """Document the problem answers a route may give."""

    def decorate(view):
        for code in codes:
            view = bp.alt_response(
                code,
                schema=sc.ProblemSchema,
                description=ERROR_TEXT.get(code, ""),
                content_type=PROBLEM_TYPE,
            )(view)
        return view

    return decorate


@bp.errorhandler(ApiProblem)
def _api_problem(exc: ApiProblem):
    return from_api_problem(exc)


@bp.errorhandler(WorkflowError)
def _workflow_error(exc: WorkflowError):
    roll_back_request_session()
    return from_workflow_error(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return from_http_exception(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, UNAVAILABLE) and "database is locked" not in str(getattr(exc, "orig", exc)):
        return problem(503, "The database does not answer; try again in a minute.")
    propagate = current_app.config.get("TESTING") and current_app.config.get(
        "PROPAGATE_TEST_ERRORS", True
    )
    if is_clash(exc) and not propagate:  # see web.errors.clashed
        roll_back_request_session()
        return problem(409, CLASHED)
    current_app.logger.exception("unhandled API error (request id %s)", g.get("request_id"))
    if propagate:
        raise exc
    roll_back_request_session()
    return problem(500, "Something went wrong on our side.")


@bp.route("/openapi.json", methods=["GET"])
@bp.doc(security=[], summary="This API's OpenAPI description")
def openapi():
    return current_app.extensions["factcheck_api"].spec.to_dict()


# ---- helpers ------------------------------------------------------------------------------


class ClaimView:
    """A claim and its history, read by `ClaimSchema` as one object."""

    def __init__(self, record: ClaimRecord) -> None:
        self._claim = record.claim
        self.history = record.history
        self.published_verdict = record.claim.approved_verdict

    def __getattr__(self, name: str) -> Any:
        return getattr(self._claim, name)


def _claim_answer(claim_id: int, status: int = 200):
    record = claim_record(db(), claim_id)
    if record is None:
        raise ApiProblem(404, f"Claim #{claim_id} does not exist.")
    headers = {"ETag": f'"{record.claim.version}"', "Cache-Control": "no-store"}
    if status == 201:
        headers["Location"] = url_for(".claim", claim_id=claim_id)
    return ClaimView(record), status, headers


_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def expected_version(data: dict[str, Any], *, required: bool) -> int | None:
    """The version the client last read: `If-Match` (an ETag from a GET) or the `version`
    field; a stale one is a 409, a missing one (where required) a 428."""
    header = request.headers.get("If-Match")
    if header is not None:
        match = _IF_MATCH.match(header)
        if match is None:
            raise ApiProblem(
                400, 'If-Match must be an ETag of this API, e.g. "3".', field="If-Match"
            )
        return int(match.group(1))
    version = data.get("version")
    if version is None and required:
        raise ApiProblem(
            428, "Send the claim's version (If-Match or `version`) you last read.", field="version"
        )
    return version


def idempotency_key(user: User) -> str | None:
    """The request's Idempotency-Key as this user's own: another user's same key is another
    key (a shared one would refuse their create and point them at someone else's claim)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if valid_token(key) is None:
        raise ApiProblem(422, "16 to 64 letters, digits, '-' or '_'.", field="Idempotency-Key")
    return hashlib.sha256(f"{user.id}:{key}".encode()).hexdigest()


def _change_claim(
    claim_id: int,
    operation: Callable[[Any, Any], Any],
    status: int = 200,
    after_commit: Callable[[], None] | None = None,
):
    """One unit of work on a claim (locked), retried on a serialization failure; a stale
    version answers 409 with the claim as it is now. `after_commit` runs once it is committed,
    before the answer is read (jobs are queued there)."""
    s = db()
    require_write()

    def unit_of_work() -> None:
        claim = wf.get_claim(s, claim_id, for_update=True)
        operation(s, claim)
        commit(s)

    try:
        with_retries(unit_of_work)
    except ConflictError as exc:
        s.rollback()
        record = claim_record(s, claim_id)
        current = sc.ClaimSchema().dump(ClaimView(record)) if record else None
        raise ApiProblem(
            409,
            exc.message,
            field="version",
            current_version=record.claim.version if record else None,
            current=current,
        ) from exc
    if after_commit is not None:
        after_commit()
    return _claim_answer(claim_id, status)


def run_create(work: Callable[[Any, User], str]) -> str:
    """A create, idempotent per `Idempotency-Key`: `work` returns the new thing's path."""
    s = db()
    require_write()
    user = api_user()
    key = idempotency_key(user)
    try:
        ticket = reserve(s, user, key)
        path = work(s, user)
        fulfil(ticket, path)
        commit(s)
    except AlreadySubmitted as exc:
        s.rollback()
        raise ApiProblem(
            409,
            "This Idempotency-Key was used before; nothing was created twice.",
            field="Idempotency-Key",
            location=previous_result(s, key),
        ) from exc
    return path


# ---- claims -------------------------------------------------------------------------------


@bp.route("/claims", methods=["GET"])
@bp.arguments(sc.ClaimQuerySchema, location="query", as_kwargs=True)
@bp.response(200, sc.ClaimPageSchema)
@problems(401)
def claims(cursor: str | None = None, limit: int = 50, **filters: Any):
    """Claims with the list's filters, a page at a time (keyset: pass `next_cursor` back)."""
    filters["q"] = (filters.get("q") or "").strip() or None
    chosen = ClaimFilters(**filters)
    if cursor and not is_cursor(cursor, chosen.sort):
        message = "Not a cursor this list gave: pass `next_cursor` back."
        raise ApiProblem(422, message, field="cursor")
    page = list_claims(db(), chosen, cursor=cursor, page_size=limit)
    return {"items": page.claims, "next_cursor": page.next_cursor}


@bp.route("/claims/<int:claim_id>", methods=["GET"])
@bp.response(200, sc.ClaimSchema, headers={"ETag": ETAG_HEADER})
@problems(401, 404)
def claim(claim_id: int):
    """One claim with its sources, verdicts and history; its ETag is its version."""
    return _claim_answer(claim_id)


@bp.route("/claims", methods=["POST"])
@bp.arguments(sc.ClaimCreateSchema)
@bp.response(201, sc.ClaimSchema)
@problems(401, 403, 409)
def create_claim(data: dict[str, Any]):
    """Open a claim, by itself or in an article (its quote is placed in the article's text)."""
    article_id = data.pop("article_id", None)

    def work(s, user) -> str:
        article = None
        if article_id is not None:
            article = s.get(Article, article_id)
            if article is None:
                raise ApiProblem(422, f"Article #{article_id} does not exist.", field="article_id")
        claim = wf.create_claim(s, user, wf.ClaimInput(**data), article=article)
        return url_for(".claim", claim_id=claim.id)

    path = run_create(work)
    return _claim_answer(int(path.rsplit("/", 1)[1]), 201)


@bp.route("/claims/<int:claim_id>/sources", methods=["POST"])
@bp.arguments(sc.SourceCreateSchema)
@bp.response(201, sc.ClaimSchema)
@problems(401, 403, 404, 409)
def add_claim_source(data: dict[str, Any], claim_id: int):
    """Attach a source; the claim's version (If-Match or `version`) is checked when given."""
    version = expected_version(data, required=False)
    data.pop("version", None)

    added = []  # the last try's source (a retried unit of work adds it again)

    def operation(s, claim) -> None:
        wf.check_version(claim, version)
        archive = archiving_on(current_app.config)
        added.append(add_source(s, api_user(), claim, SourceInput(**data), archive=archive))

    # Once committed, the snapshot is asked for in the background.
    return _change_claim(claim_id, operation, 201, after_commit=lambda: queue_archive(added[-1]))


@bp.route("/claims/<int:claim_id>/take", methods=["POST"])
@bp.arguments(sc.VersionSchema)
@bp.response(200, sc.ClaimSchema)
@problems(401, 403, 404, 409, 428)
def take(data: dict[str, Any], claim_id: int):
    """Take the claim for yourself (reviewers)."""
    version = expected_version(data, required=True)
    return _change_claim(claim_id, lambda s, c: wf.take(s, api_user(), c, expected_version=version))


@bp.route("/claims/<int:claim_id>/assign", methods=["POST"])
@bp.arguments(sc.AssignSchema)
@bp.response(200, sc.ClaimSchema)
@problems(401, 403, 404, 409, 428)
def assign(data: dict[str, Any], claim_id: int):
    """Assign the claim to someone (editors)."""
    version = expected_version(data, required=True)

    def operation(s, claim) -> None:
        assignee = s.get(User, data["assignee_id"])
        if assignee is None:
            raise ApiProblem(422, "There is no such user.", field="assignee_id")
        wf.assign(
            s,
            api_user(),
            claim,
            assignee,
            due_date=data.get("due_date"),
            expected_version=version,
        )

    return _change_claim(claim_id, operation)


@bp.route("/claims/<int:claim_id>/verdict", methods=["POST"])
@bp.arguments(sc.VerdictCreateSchema)
@bp.response(200, sc.ClaimSchema)
@problems(401, 403, 404, 409, 428)
def draft_verdict(data: dict[str, Any], claim_id: int):
    """Submit a verdict for approval by a second person."""
    version = expected_version(data, required=True)
    return _change_claim(
        claim_id,
        lambda s, c: wf.draft_verdict(
            s,
            api_user(),
            c,
            rating=data["rating"],
            summary=data["summary"],
            rationale=data["rationale"],
            expected_version=version,
        ),
    )


@bp.route("/claims/<int:claim_id>/approve", methods=["POST"])
@bp.arguments(sc.VersionSchema)
@bp.response(200, sc.ClaimSchema)
@problems(401, 403, 404, 409, 428)
def approve(data: dict[str, Any], claim_id: int):
    """Approve the pending verdict (an editor other than its drafter) and publish."""
    version = expected_version(data, required=True)
    return _change_claim(
        claim_id, lambda s, c: wf.approve(s, api_user(), c, expected_version=version)
    )


@bp.route("/claims/<int:claim_id>/return", methods=["POST"])
@bp.arguments(sc.ReasonSchema)
@bp.response(200, sc.ClaimSchema)
@problems(401, 403, 404, 409, 428)
def return_verdict(data: dict[str, Any], claim_id: int):
    """Return the pending verdict to its drafter with a reason (editors)."""
    version = expected_version(data, required=True)
    return _change_claim(
        claim_id,
        lambda s, c: wf.return_verdict(
            s, api_user(), c, reason=data["reason"], expected_version=version
        ),
    )
