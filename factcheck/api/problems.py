"""Errors as RFC 9457 problem details (`application/problem+json`), naming the field at fault.

Bad input is never a 500: schema errors (webargs) and the services' domain errors both become
a problem with `field` and `errors`; a stale version is a 409 with the claim as it is now."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, current_app, g, json, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from factcheck.workflow.errors import WorkflowError

log = logging.getLogger("factcheck")
PROBLEM_TYPE = "application/problem+json"
DETAILS = {
    401: "Send a valid API token: `Authorization: Bearer <token>`.",
    403: "This token or its user may not do that.",
    404: "There is nothing here.",
    405: "That method is not available on this resource.",
    413: "The request body is too large.",
    429: "Too many requests for this token; slow down.",
}


class ApiProblem(Exception):
    """Raised by the API's views for an answer that is not a domain error (401, 428…)."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.extra = extra


def problem(
    status: int,
    detail: str | None = None,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or DETAILS.get(status) or HTTP_STATUS_CODES.get(status, "Error"),
        "instance": request.path,
    }
    if errors and field is None:
        field = errors[0]["field"]
    if field is not None or errors:
        body["field"] = field
        body["errors"] = errors or [{"field": field, "message": body["detail"]}]
    if g.get("request_id"):
        body["request_id"] = g.request_id
    body.update(extra)
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_TYPE, headers=headers
    )
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
    return response


def _flatten(messages: Any, path: str = "") -> list[dict[str, Any]]:
    """webargs' nested messages ({"json": {"sources": {"0": {"url": [...]}}}}) as a flat list
    of {"field": "sources.0.url", "message": ...}; the location is left out of the path."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            key = str(key)
            sub = key if not path else f"{path}.{key}"
            if not path and key in {"json", "query", "headers", "form", "files"}:
                sub = ""
            if key == "_schema":
                sub = path
            out += _flatten(value, sub)
        return out
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return [{"field": path or None, "message": m} for m in messages]
    if isinstance(messages, list | tuple):
        return [item for m in messages for item in _flatten(m, path)]
    return [{"field": path or None, "message": str(messages)}]


def from_http_exception(exc: HTTPException) -> Response:
    code = exc.code or 500
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    headers = {}
    if code == 429:
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "retry-after"}
    if messages:
        errors = _flatten(messages)
        if code == 400:  # webargs: the body is not JSON at all
            return problem(400, "The request body is not valid JSON.", errors=errors)
        return problem(422, "The request's fields are not valid.", errors=errors)
    detail = DETAILS.get(code) or exc.description
    return problem(code, detail, headers=headers or None)


def from_workflow_error(exc: WorkflowError) -> Response:
    status = 422 if exc.status_code == 400 else exc.status_code
    return problem(status, exc.message, field=exc.field)


def from_api_problem(exc: ApiProblem) -> Response:
    return problem(exc.status, exc.detail, field=exc.field, **exc.extra)
