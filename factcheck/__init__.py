"""factcheck: a claim-verification workflow for newsroom fact-checkers."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from config import CONFIGS, INSTANCE_DIR, Config

from . import data_version
from .db import make_engine


def create_app(config_class: type[Config] | None = None, **overrides: Any) -> Flask:
    """The app factory. `overrides` win over the config class (tests use them)."""
    if config_class is None:
        config_class = CONFIGS[os.environ.get("FACTCHECK_CONFIG", "development")]
    config_class.finalise()
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="static",
    )
    app.config.from_object(config_class)
    app.config.update(overrides)

    app.extensions["factcheck_engine"] = make_engine(app.config["DATABASE_URL"])  # counts writes
    data_version.forget_versions_at_transaction_end()  # the per-transaction counter read

    from . import api
    from .cli import register_cli
    from .web import register_web

    register_web(app)
    api.init_app(app)
    register_cli(app)
    _register_intake(app)
    return app


def _register_intake(app: Flask) -> None:
    """Background jobs (huey, configured from the app's settings) and the intake pages."""
    from . import jobs
    from .web import intake

    jobs.init_app(app)
    intake.init_app(app)
