"""The versioned JSON API (`/api/v1/`), described by an OpenAPI document generated from its
schemas (flask-smorest and marshmallow) and served at `/api/v1/openapi.json`.

Requests authenticate with personal API tokens (`Authorization: Bearer`), never the session
cookie; CSRF is off for this blueprint only. Each token is rate limited (Flask-Limiter, storage
from `RATELIMIT_STORAGE_URI`). Views call the same queries and workflow services as the forms,
so every rule (roles, two-person approval, versions) holds here too."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from factcheck.extensions import csrf

from . import account
from . import articles as _articles  # noqa: F401, E402 - its routes join `bp`
from . import intake as _intake  # noqa: F401, E402 - its routes join `bp`
from .auth import rate_limit_key
from .problems import PROBLEM_TYPE, from_http_exception
from .schemas import ProblemSchema
from .views import bp

API_PREFIX = "/api/v1"


class ProblemApi(Api):
    """flask-smorest's Api, with errors as problem details for the API's paths only: its own
    handler would answer every error of the app (the web pages' too) in JSON."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        # The error responses (422, default) are described as problem details, as sent.
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_TYPE
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE  # success responses stay application/json

    def _register_error_handlers(self) -> None:
        app = self._app
        previous = app.error_handler_spec[None][None].get(HTTPException)

        def http_error(exc: HTTPException):
            # Routing errors (an unknown path, a wrong method) happen outside the blueprint.
            if request.path.startswith(API_PREFIX + "/") or previous is None:
                return from_http_exception(exc)
            return previous(exc)

        app.register_error_handler(HTTPException, http_error)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "factcheck API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", None)  # served by the blueprint itself
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "Claims, sources, verdicts and reports of the fact-checking desk. "
                "Authenticate with a personal API token (`Authorization: Bearer`), made on "
                "/account/tokens. Errors are `application/problem+json`."
            },
            "security": [{"bearerAuth": []}],
            "servers": [{"url": "/"}],
        },
    )
    api = ProblemApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "a personal API token"}
    )
    api.register_blueprint(bp, url_prefix=API_PREFIX)
    csrf.exempt(bp)
    app.extensions["factcheck_api"] = api

    limiter = Limiter(
        key_func=rate_limit_key,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        default_limits=[],
        headers_enabled=True,
        strategy="fixed-window",
    )
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)
    app.extensions["factcheck_api_limiter"] = limiter

    app.register_blueprint(account.bp)
