"""Start the real app under gunicorn on a free loopback port, for browser and load tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from factcheck.db import make_engine, transaction, upgrade_database
from factcheck.seeding import load_seeds
from factcheck.workflow import accounts

PASSWORD = "live test password"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

# gunicorn's worker timeout (s), as README's production command sets it: a big CSV import under
# load runs past gunicorn's default 30 s, and a worker killed mid-request answers 502/500.
WORKER_TIMEOUT = 120


def free_port() -> int:
    """A free loopback port, or FACTCHECK_LIVE_PORT's (a machine shared by several people may
    give each a range of ports to use)."""
    if os.environ.get("FACTCHECK_LIVE_PORT"):
        return int(os.environ["FACTCHECK_LIVE_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, people: list[tuple[str, str, str]]) -> None:
    """Migrate, seed and create the given (username, display name, role) accounts."""
    upgrade_database(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        load_seeds(session)
        for username, name, role in people:
            accounts.create_user(
                session, None, username=username, display_name=name, password=PASSWORD, role=role
            )
    engine.dispose()


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start listening in time")


@contextmanager
def serve(
    database_url: str,
    folder: Path,
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """gunicorn serving the app on 127.0.0.1; yields the base URL; stops it afterwards.
    `env` adds to or overrides the server's environment; `port`: a given one, else a free one."""
    port = port or free_port()
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": database_url,
        "FACTCHECK_CONFIG": "development",
        "FACTCHECK_SECRET_KEY": "live-tests",
        "FACTCHECK_INSTANCE_DIR": str(folder),
        "FACTCHECK_ARCHIVE_URL": "",  # never the real archive service from a test
        **(env or {}),
    }
    with open(folder / f"server-{port}.log", "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                str(WORKER_TIMEOUT),
                "factcheck:create_app()",
            ],
            env=env,
            cwd=PROJECT_ROOT,  # where config.py lives, whatever the caller's directory
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=15)
