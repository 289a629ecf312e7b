"""What every command module uses: the app's engine and whether a person is watching."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Engine

from factcheck.workflow.errors import WorkflowError


def engine() -> Engine:
    return current_app.extensions["factcheck_engine"]


def on_terminal() -> bool:
    return sys.stderr.isatty()


def fail(exc: WorkflowError, default_field: str = "error") -> click.ClickException:
    """A workflow error as the CLI reports it: `field: message`."""
    return click.ClickException(f"{exc.field or default_field}: {exc.message}")


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """A module-level click command that runs inside the app's context, as `@app.cli.command`
    would make it; `register_cli` adds it to the app."""

    def decorator(callback: Callable[..., Any]) -> click.Command:
        return click.command(name, **kwargs)(with_appcontext(callback))

    return decorator
