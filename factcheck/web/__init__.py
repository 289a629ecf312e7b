"""The web layer: blueprints, forms and request plumbing. Views stay thin: load, authorise,
validate, call a workflow service, commit, redirect."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from factcheck.extensions import csrf, login_manager

from . import cache, database, errors, security, templating

# Reachable without signing in. Everything else requires a user: a new route is private by default.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "healthz"})
PUBLIC_BLUEPRINTS = frozenset({"public"})
# Top navigation, shown when the endpoint exists (areas register their blueprints below).
NAV_LINKS = [
    ("claims.queue", "My queue"),
    ("articles.index", "Articles"),
    ("reports.index", "Reports"),
    ("public.index", "Published"),
    ("admin.users", "Accounts"),
]


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route accepts only ids a database integer column can hold, so an
    absurd id is a 404 rather than a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_web(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    cache.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import admin, articles, auth, claims, exports, public, reports

    for module in (auth, claims, articles, reports, exports, public, admin):
        app.register_blueprint(module.bp)

    @app.get("/healthz")
    def healthz():
        """Liveness for load balancers; also the benchmark's bare baseline (no database)."""
        return (
            "ok\n",
            200,
            {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
        )

    @app.before_request
    def require_login():
        endpoint = request.endpoint or ""
        if endpoint in PUBLIC_ENDPOINTS or request.blueprint in PUBLIC_BLUEPRINTS:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    @app.context_processor
    def inject_layout():
        from .auth import EmptyForm

        links = [
            (endpoint, label) for endpoint, label in NAV_LINKS if endpoint in app.view_functions
        ]
        if current_user.is_authenticated and not current_user.is_admin:
            links = [(e, label) for e, label in links if not e.startswith("admin.")]
        return {"logout_form": EmptyForm(formdata=None), "nav_links": links}
