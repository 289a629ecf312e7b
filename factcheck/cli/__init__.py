"""Operator commands: `flask --app factcheck <command>`, one module per area.

- `database`: migrate, backup, verify-history
- `accounts`: create-user, ensure-admin
- `data`: seed, ingest, report, export, import
- `demo`: generate-demo-data

Each command is a module-level click command, thin like a view: it parses options, opens a
transaction, calls the workflow or the queries, and prints. `create_app` registers them all with
`register_cli`.
"""

from __future__ import annotations

from flask import Flask

from factcheck.db import upgrade_database  # noqa: F401  (where the tests and bench once found it)

from . import accounts, data, database, demo

COMMANDS = (*database.COMMANDS, *accounts.COMMANDS, *data.COMMANDS, *demo.COMMANDS)


def register_cli(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
