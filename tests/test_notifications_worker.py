"""A notification e-mail through the real huey consumer (a separate process, its queue a SQLite
file) to the test's local SMTP server: queued by the commit of an assignment on the page, sent by
the worker, never by the request. The other notification tests run the task in-process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import select

from config import BASE_DIR, TestingConfig
from factcheck import create_app, jobs
from factcheck.models import Notification
from factcheck.workflow import notifications
from tests.conftest import BufferedClient, login
from tests.factories import make_claim, make_user
from tests.test_notifications import SENDER, Inbox, _free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def test_the_worker_emails_an_assignment(database_url, backend, smtp, tmp_path):
    if backend != "sqlite":
        pytest.skip("one real-consumer test: SQLite only")
    queue_name, queue_file = f"factcheck-test-{uuid.uuid4().hex[:10]}", tmp_path / "huey.db"
    mail = {
        "FACTCHECK_SMTP_HOST": "127.0.0.1",
        "FACTCHECK_SMTP_PORT": str(smtp.port),
        "FACTCHECK_SMTP_TLS": "none",
        "FACTCHECK_MAIL_FROM": SENDER,
    }
    app = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        HUEY_IMMEDIATE=False,
        HUEY_NAME=queue_name,
        HUEY_FILE=str(queue_file),
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=smtp.port,
        MAIL_SMTP_TLS="none",
        MAIL_FROM=SENDER,
    )
    app.test_client_class = BufferedClient
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "HUEY_"))}
    env |= mail | {
        "FACTCHECK_CONFIG": "testing",
        "FACTCHECK_TEST_DATABASE_URL": database_url,
        "FACTCHECK_HUEY_IMMEDIATE": "0",
        "FACTCHECK_HUEY_NAME": queue_name,
        "FACTCHECK_HUEY_FILE": str(queue_file),
    }
    log = open(tmp_path / "consumer.log", "wb")  # noqa: SIM115
    consumer = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "factcheck.worker.huey"]
        + ["--workers", "1", "--worker-type", "thread", "--delay", "0.05", "--no-periodic"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        sessions = app.extensions["factcheck_sessions"][False]
        with sessions() as s:
            rita = make_user(s, "reviewer", "rita")
            make_user(s, "editor", "eddie")
            notifications.set_email_settings(s, rita, email="rita@example.org", kinds=["assigned"])
            claim = make_claim(s)
            s.commit()
            claim_id, version, rita_id = claim.id, claim.version, rita.id
        client = app.test_client()
        login(client, "eddie")
        response = client.post(
            f"/claims/{claim_id}/assign", data={"assignee": rita_id, "version": version}
        )
        assert response.status_code == 302

        deadline = time.monotonic() + 30
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        [(recipients, message)] = smtp.messages
        assert recipients == ["rita@example.org"]
        assert f"claim #{claim_id}" in message.get_content()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with sessions() as s:
                row = s.scalars(select(Notification)).one()
                if row.emailed_at is not None:
                    break
            time.sleep(0.1)
        assert row.emailed_at is not None and row.email_due_at is None
    finally:
        consumer.send_signal(signal.SIGINT)
        try:
            consumer.wait(10)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()
        jobs.huey.flush()
        app.extensions["factcheck_engine"].dispose()
