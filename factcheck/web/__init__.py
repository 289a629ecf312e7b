"""The web layer: blueprints, forms and request plumbing. Views stay thin: load, authorise,
validate, call a workflow service, commit, redirect."""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from factcheck import limits
from factcheck.extensions import csrf, login_manager
from factcheck.workflow import permissions as can

from . import cache, database, errors, security, templating

# Reachable without signing in. Everything else requires a user: a new route is private by default.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "healthz", "readyz"})
# Reachable by a user who must change their password before anything else.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout"})
PUBLIC_BLUEPRINTS = frozenset({"public"})
# The JSON API authenticates each request by its bearer token (factcheck/api/auth.py), never
# by the session cookie; its unknown paths are its own 404s, not a sign-in page.
TOKEN_AUTH_PREFIX = "/api/"  # noqa: S105 - a path, not a password
# Top navigation, shown when the endpoint exists (areas register their blueprints below).
NAV_LINKS = [
    ("claims.queue", "My queue"),
    ("search.index", "Search"),
    ("articles.index", "Articles"),
    ("claimants.index", "Claimants"),
    ("intake.feeds", "Feeds"),
    ("reports.index", "Reports"),
    ("public.index", "Published"),
    ("admin.users", "Accounts"),
    ("admin.webhooks", "Webhooks"),
    ("admin.ratings", "Rating scale"),
    ("account_tokens.index", "API tokens"),
]


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route accepts only ids a database integer column can hold, so an
    absurd id is a 404 rather than a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", limits.MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_web(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # The client's address (for the sign-in throttle) and scheme come from the last
        # `proxies` X-Forwarded-For/-Proto entries; never the Host, which public URLs do not use.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.url_map.converters["int"] = DatabaseIdConverter
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    cache.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import (
        admin,
        articles,
        auth,
        claimants,
        claims,
        exports,
        notifications,
        public,
        reports,
        search,
    )

    for module in (
        auth,
        claims,
        articles,
        claimants,
        reports,
        exports,
        public,
        admin,
        notifications,
        search,
    ):
        app.register_blueprint(module.bp)

    @app.get("/healthz")
    def healthz():
        """Liveness for load balancers; also the benchmark's bare baseline (no database)."""
        return _plain("ok\n", 200)

    @app.get("/readyz")
    def readyz():
        """Readiness: 200 only when the database answers (a 503 takes the worker out of a load
        balancer's rotation while the database is away)."""
        try:
            with database.engine().connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure to reach the database means not ready
            errors.log.warning("readiness check: the database does not answer", exc_info=True)
            return _plain("database unavailable\n", 503)
        return _plain("ready\n", 200)

    @app.before_request
    def require_login():
        endpoint = request.endpoint or ""
        if endpoint in PUBLIC_ENDPOINTS or request.blueprint in PUBLIC_BLUEPRINTS:
            return None
        if request.path.startswith(TOKEN_AUTH_PREFIX):
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        from .auth import session_expired

        if session_expired():  # older than SESSION_MAX_AGE: sign in again
            logout_user()
            session.clear()
            return login_manager.unauthorized()
        if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        return None

    @app.context_processor
    def inject_layout():
        from .auth import EmptyForm

        if not current_user.is_authenticated:
            # No CSRF token either: an anonymous page stays free of a session cookie.
            return {"logout_form": None, "nav_links": [], "unread_notifications": 0}
        links = [
            (endpoint, label) for endpoint, label in NAV_LINKS if endpoint in app.view_functions
        ]
        if not can.is_administrator(current_user):
            links = [(e, label) for e, label in links if not e.startswith("admin.")]
        if not can.is_desk_editor(current_user):
            links = [(e, label) for e, label in links if not e.startswith("reports.")]
        from .notifications import unread

        return {
            "logout_form": EmptyForm(formdata=None),
            "nav_links": links,
            "unread_notifications": unread(current_user.id),
        }


def _plain(body: str, status: int):
    return body, status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
