"""The web layer: blueprints, forms and request plumbing. Views stay thin: load, authorise,
validate, call a workflow service, commit, redirect."""

from __future__ import annotations

from flask import Flask

from factcheck.extensions import csrf, login_manager

from . import database, security


def register_web(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    security.init_app(app)

    from .claims import bp as claims_bp

    app.register_blueprint(claims_bp)
