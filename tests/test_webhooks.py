"""Signed webhooks: endpoints registered by admins, the outbox written with each change, and its
delivery to a receiver on 127.0.0.1 started by the test (tests/webhook_receiver.py).

Deliveries are made in-process by calling the unit of work (`webhook_runs.deliver`) with a clock
the test moves; the queue hand-off after the commit is replaced by a list, so a test sees what
would have been queued. The "send test event" test runs the real hand-off (huey in immediate
mode), and one test runs the real consumer."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config import BASE_DIR, TestingConfig
from factcheck import create_app, jobs, webhook_runs
from factcheck.models import HistoryEvent, WebhookDelivery, WebhookEndpoint, utcnow
from factcheck.workflow import claims as claim_wf
from factcheck.workflow import deliveries, review
from factcheck.workflow import webhooks as wf
from tests.conftest import BufferedClient
from tests.factories import attach_source, make_article, make_claim, publish, submit
from tests.webhook_receiver import Receiver, verify

ALL_EVENTS = [e.value for e in wf.SUBSCRIBABLE]


@pytest.fixture
def app(database_url):
    application = create_app(
        TestingConfig, DATABASE_URL=database_url, WEBHOOK_ALLOWED_HOSTS="127.0.0.1"
    )
    application.test_client_class = BufferedClient
    yield application
    application.extensions["factcheck_engine"].dispose()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The deliveries handed to the queue after each commit (instead of being sent)."""
    handed: list[int] = []
    monkeypatch.setattr(jobs, "deliver_webhook", handed.append)
    return handed


class Clock:
    """The real time, moved forward by `advance`: a frozen start would fall behind events
    written later in a slow test and make them look not yet due."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self):
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(app, clock) -> webhook_runs.Context:
    made = webhook_runs.Context.from_config(app.extensions["factcheck_sessions"][True], app.config)
    made.clock = clock
    return made


def readme_check():
    """The signature check printed in the README's webhook section."""
    readme = (BASE_DIR / "README.md").read_text("utf-8")
    section = readme[readme.index("## Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own README
    return namespace["check"]


def register(client, url: str, events=("claim.published",)) -> tuple[int, str]:
    """Register an endpoint through the admin page: (its id, the secret shown once)."""
    response = client.post(
        "/admin/webhooks", data={"url": url, "events": list(events), "active": "y"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 201, page
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="webhook-secret">([^<]+)<', page).group(1)
    endpoint_id = int(re.search(r"/admin/webhooks/(\d+)/test", page).group(1))
    return endpoint_id, secret


def _deliveries(db_session) -> list[WebhookDelivery]:
    db_session.commit()  # end the read transaction: see what the others committed
    statement = select(WebhookDelivery).order_by(WebhookDelivery.id)
    return list(db_session.scalars(statement.execution_options(populate_existing=True)))


def test_a_published_claim_is_delivered_signed(
    app, client, db_session, users, as_user, receiver, queued, ctx
):
    as_user("admin")
    endpoint_id, secret = register(client, receiver.url)
    assert secret.startswith("whsec_")
    assert secret not in client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)

    claim = make_claim(db_session, users["editor"])
    publish(db_session, users["reviewer"], users["editor"], claim)
    db_session.commit()
    [delivery] = _deliveries(db_session)
    assert queued == [delivery.id]  # handed to the queue once committed

    assert webhook_runs.deliver(ctx, delivery.id) == ("delivered", None)
    [got] = receiver.received
    assert verify(secret, got.headers, got.body)
    assert not verify(secret + "x", got.headers, got.body)
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Factcheck-Event"] == "claim.published"
    assert abs(int(got.headers["X-Factcheck-Timestamp"]) - time.time()) < 60
    body = json.loads(got.body)
    assert got.headers["X-Factcheck-Event-Id"] == body["id"] == delivery.event_id
    assert body["type"] == "claim.published" and body["actor"] == users["editor"].username
    assert body["data"]["claim"]["id"] == claim.id
    assert body["data"]["claim"]["published_rating"] == "false"
    # A replayed message with a new timestamp but the old signature does not verify.
    replayed = dict(got.headers, **{"X-Factcheck-Timestamp": str(int(time.time()) + 999)})
    assert not verify(secret, replayed, got.body)

    log = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert delivery.event_id in log and 'class="delivery-delivered"' in log
    assert webhook_runs.deliver(ctx, delivery.id) == ("skipped", None)  # done: never twice
    assert len(receiver.received) == 1


def test_a_change_rolled_back_is_never_delivered(
    app, client, db_session, users, as_user, receiver, queued, ctx, clock
):
    as_user("admin")
    register(client, receiver.url, events=["claim.assigned", "claim.published"])
    claim = make_claim(db_session, users["editor"])
    db_session.commit()

    claim_wf.assign(db_session, users["editor"], claim, users["reviewer"], expected_version=None)
    assert db_session.scalar(select(func.count(WebhookDelivery.id))) == 1  # in the transaction
    db_session.rollback()
    db_session.commit()
    assert queued == []
    assert _deliveries(db_session) == []

    # The same session commits something else afterwards: only that is handed on.
    claim = db_session.get(type(claim), claim.id)
    claim_wf.assign(db_session, users["editor"], claim, users["reviewer2"], expected_version=None)
    db_session.commit()
    [delivery] = _deliveries(db_session)
    assert queued == [delivery.id]
    assert json.loads(delivery.body)["data"]["claim"]["assignee"] == users["reviewer2"].username

    # An approval refused through the page writes nothing either.
    as_user("reviewer")
    refused = client.post(f"/claims/{claim.id}/approve", data={"version": claim.version})
    assert refused.status_code in (303, 400, 403, 409)  # a refused button: back to the page
    clock.advance(3600)
    assert webhook_runs.sweep(ctx) == [delivery.id]  # the one committed, nothing else
    assert len(_deliveries(db_session)) == 1


def test_a_failing_receiver_gets_retries_with_backoff_then_succeeds(
    app, client, db_session, users, as_user, queued, ctx, clock
):
    as_user("admin")
    with Receiver(statuses=[500, 503]) as receiver:
        endpoint_id, secret = register(client, receiver.url)
        publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, None))
        db_session.commit()
        [delivery] = _deliveries(db_session)

        assert webhook_runs.deliver(ctx, delivery.id) == ("pending", 30.0)
        assert webhook_runs.deliver(ctx, delivery.id) == ("skipped", None)  # not due yet
        [row] = _deliveries(db_session)
        assert (row.attempts, row.response_code) == (1, 500)
        assert row.error == "The receiver answered 500 Internal Server Error."
        clock.advance(30)
        assert webhook_runs.deliver(ctx, delivery.id) == ("pending", 60.0)  # doubled
        clock.advance(60)
        assert webhook_runs.deliver(ctx, delivery.id) == ("delivered", None)

    assert [r.headers["X-Factcheck-Event-Id"] for r in receiver.received] == [delivery.event_id] * 3
    assert {r.body for r in receiver.received} == {delivery.body.encode()}
    assert all(verify(secret, r.headers, r.body) for r in receiver.received)
    [row] = _deliveries(db_session)
    assert (row.status, row.attempts, row.response_code, row.error) == ("delivered", 3, 200, None)


def test_retries_stop_at_the_limit_and_the_delivery_is_failed(
    app, client, db_session, users, as_user, queued, ctx, clock
):
    ctx.max_attempts = 2
    as_user("admin")
    with Receiver(statuses=[500] * 5) as receiver:
        endpoint_id, _secret = register(client, receiver.url)
        publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, None))
        db_session.commit()
        [delivery] = _deliveries(db_session)
        assert webhook_runs.deliver(ctx, delivery.id)[0] == "pending"
        clock.advance(30)
        assert webhook_runs.deliver(ctx, delivery.id) == ("failed", None)
        clock.advance(3600)
        assert webhook_runs.sweep(ctx) == []  # failed is final
    assert len(receiver.received) == 2
    log = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert 'class="delivery-failed"' in log and "500 Internal Server Error" in log


def test_the_sweep_sends_out_deliveries_whose_queue_message_was_lost(
    app, client, db_session, users, as_user, receiver, queued, ctx, clock
):
    as_user("admin")
    register(client, receiver.url)
    publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, None))
    db_session.commit()
    [delivery] = _deliveries(db_session)
    assert webhook_runs.sweep(ctx) == []  # just queued: not lost yet
    clock.advance(deliveries.SWEEP_GRACE.total_seconds() + 1)
    assert webhook_runs.sweep(ctx) == [delivery.id]
    # A worker that took it and died holds it until its lease is over.
    with ctx.sessions() as session, session.begin():
        deliveries.take_delivery(session, delivery.id, clock(), ctx.lease)
    assert webhook_runs.sweep(ctx) == []
    clock.advance((ctx.lease + deliveries.SWEEP_GRACE).total_seconds() + 1)
    assert webhook_runs.sweep(ctx) == [delivery.id]
    assert webhook_runs.deliver(ctx, delivery.id) == ("delivered", None)
    assert _deliveries(db_session)[0].attempts == 2
    assert len(receiver.received) == 1


def test_each_event_type_is_written_for_its_change(
    app, client, db_session, users, as_user, receiver, queued
):
    as_user("admin")
    register(client, receiver.url, events=ALL_EVENTS)
    register(client, receiver.url + "/articles-only", events=["article.added"])
    article = make_article(db_session)
    claim = make_claim(db_session, users["editor"], article=article)
    editor, reviewer = users["editor"], users["reviewer"]
    claim_wf.assign(db_session, editor, claim, reviewer, expected_version=None)
    attach_source(db_session, reviewer, claim)

    def draft():
        claim_wf.draft_verdict(
            db_session,
            reviewer,
            claim,
            rating="false",
            summary="Rated false.",
            rationale="Checked.",
            expected_version=None,
        )

    draft()
    review.return_verdict(db_session, editor, claim, reason="More.", expected_version=None)
    draft()
    review.approve(db_session, editor, claim, expected_version=None)
    review.reopen(db_session, editor, claim, note="Typo.", expected_version=None)
    draft()
    review.approve(db_session, users["editor2"], claim, expected_version=None)
    db_session.commit()
    rows = _deliveries(db_session)
    assert [(r.endpoint_id, r.event) for r in rows] == [
        (1, "article.added"),
        (2, "article.added"),
        (1, "claim.assigned"),
        (1, "claim.returned"),
        (1, "claim.published"),
        (1, "claim.corrected"),
    ]
    assert rows[0].event_id == rows[1].event_id  # one event, told to two endpoints
    assert json.loads(rows[0].body)["data"]["article"]["id"] == article.id
    assert sorted(queued) == [r.id for r in rows]


def test_loopback_is_refused_at_registration_and_delivery_unless_allowed(
    app, client, db_session, users, as_user, receiver, queued, ctx
):
    as_user("admin")
    endpoint_id, _secret = register(client, receiver.url)
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ""
    refused = client.post(
        "/admin/webhooks", data={"url": receiver.url, "events": ["claim.published"]}
    )
    assert refused.status_code == 400
    assert "loopback" in refused.get_data(as_text=True)
    for url in ("http://10.0.0.8/hook", "http://169.254.169.254/latest", "ftp://example.org/"):
        answer = client.post("/admin/webhooks", data={"url": url, "events": ["claim.published"]})
        assert answer.status_code == 400, url
    db_session.commit()
    assert db_session.scalar(select(func.count(WebhookEndpoint.id))) == 1

    publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, None))
    db_session.commit()
    [delivery] = _deliveries(db_session)
    ctx.policy = wf.policy(app.config)  # the setting no longer allows 127.0.0.1
    assert webhook_runs.deliver(ctx, delivery.id) == ("failed", None)  # no retry
    assert receiver.received == []
    assert "loopback" in _deliveries(db_session)[0].error


def test_bad_endpoint_input_gets_field_errors(app, client, users, as_user):
    as_user("admin")
    cases = [
        ({"url": "", "events": ["claim.published"]}, "This field is required"),
        ({"url": "http://127.0.0.1/x"}, "Choose at least one event"),
        ({"url": "http://127.0.0.1/x", "events": ["claim.deleted"]}, "not a valid choice"),
        ({"url": "http://127.0.0.1/" + "x" * 2100, "events": ["claim.published"]}, "2000"),
        ({"url": "http://127.0.0.1/x", "events": ["test"]}, "not a valid choice"),
        ({"url": "http://127.0.0.1/\x00", "events": ["claim.published"]}, "control characters"),
    ]
    for data, message in cases:
        response = client.post("/admin/webhooks", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert client.get("/admin/webhooks/999").status_code == 404
    assert client.post("/admin/webhooks/999/test").status_code == 404
    assert client.post("/admin/webhooks/999/rotate").status_code == 404


def test_send_test_event_and_rotate_secret(app, client, db_session, users, as_user, receiver):
    """The real hand-off after the commit: huey in immediate mode sends it at once."""
    as_user("admin")
    endpoint_id, old = register(client, receiver.url)
    sent = client.post(f"/admin/webhooks/{endpoint_id}/test")
    assert sent.status_code == 302
    [got] = receiver.received
    assert got.headers["X-Factcheck-Event"] == "test" and verify(old, got.headers, got.body)
    page = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "Test event queued" in page and 'class="delivery-delivered"' in page

    assert readme_check()(old, got.headers, got.body)  # the README's snippet, as printed
    assert not readme_check()(old, got.headers, got.body + b" ")

    rotated = client.post(f"/admin/webhooks/{endpoint_id}/rotate")
    new = re.search(r'id="webhook-secret">([^<]+)<', rotated.get_data(as_text=True)).group(1)
    assert rotated.status_code == 200 and new != old
    assert new not in client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    client.post(f"/admin/webhooks/{endpoint_id}/test")
    latest = receiver.received[-1]
    assert verify(new, latest.headers, latest.body)
    assert not verify(old, latest.headers, latest.body)


def test_settings_are_saved_and_an_inactive_endpoint_gets_nothing(
    app, client, db_session, users, as_user, receiver, queued
):
    as_user("admin")
    endpoint_id, _secret = register(client, receiver.url)
    saved = client.post(
        f"/admin/webhooks/{endpoint_id}",
        data={"url": receiver.url, "description": "CMS", "events": ["claim.returned"]},
    )
    assert saved.status_code == 302
    db_session.commit()
    endpoint = db_session.get(WebhookEndpoint, endpoint_id)
    assert (endpoint.active, endpoint.events, endpoint.description) == (
        False,
        "claim.returned",
        "CMS",
    )
    client.post(f"/admin/webhooks/{endpoint_id}/rotate")
    db_session.commit()
    history = db_session.scalars(
        select(HistoryEvent).where(HistoryEvent.action.like("webhook%")).order_by(HistoryEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in history] == [
        ("webhook_created", users["admin"].id),
        ("webhook_changed", users["admin"].id),
        ("webhook_secret_rotated", users["admin"].id),
    ]
    assert history[1].details["changes"]["active"] == [True, False]
    assert _secret not in json.dumps([e.details for e in history])
    db_session.refresh(endpoint)
    assert endpoint.secret not in json.dumps([e.details for e in history])

    claim = make_claim(db_session, None)
    submit(db_session, users["reviewer"], claim)
    review.return_verdict(db_session, users["editor"], claim, reason="No.", expected_version=None)
    db_session.commit()
    assert _deliveries(db_session) == []


def test_only_admins_reach_the_webhook_pages(app, client, db_session, users, as_user):
    endpoint = WebhookEndpoint(url="https://example.org/hook", events="claim.published", secret="s")
    db_session.add(endpoint)
    db_session.commit()
    paths = [
        ("GET", "/admin/webhooks"),
        ("POST", "/admin/webhooks"),
        ("GET", f"/admin/webhooks/{endpoint.id}"),
        ("POST", f"/admin/webhooks/{endpoint.id}"),
        ("POST", f"/admin/webhooks/{endpoint.id}/rotate"),
        ("POST", f"/admin/webhooks/{endpoint.id}/test"),
    ]
    for method, path in paths:
        anonymous = app.test_client().open(path, method=method)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role in ("reviewer", "editor"):
        as_user(role)
        for method, path in paths:
            assert client.open(path, method=method).status_code == 403, (role, path)
    db_session.commit()
    assert db_session.scalar(select(func.count(WebhookDelivery.id))) == 0
    assert db_session.get(WebhookEndpoint, endpoint.id).secret == "s"


def test_webhook_forms_need_a_csrf_token(app, users, receiver):
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = True
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    csrf = token.search(client.get("/login").get_data(as_text=True)).group(1)
    login_data = {"username": "ada", "password": "correct horse battery", "csrf_token": csrf}
    assert client.post("/login", data=login_data).status_code == 302
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    csrf = token.search(listing).group(1)
    once = re.search(r'name="form_token" type="hidden" value="([^"]+)"', listing).group(1)
    data = {"url": receiver.url, "events": ["claim.published"], "active": "y", "form_token": once}
    assert client.post("/admin/webhooks", data=data).status_code == 400
    made = client.post("/admin/webhooks", data={**data, "csrf_token": csrf})
    assert made.status_code == 201
    endpoint_id = int(re.search(r"/admin/webhooks/(\d+)/test", made.get_data(as_text=True))[1])
    assert client.post(f"/admin/webhooks/{endpoint_id}/test").status_code == 400
    assert client.post(f"/admin/webhooks/{endpoint_id}/rotate").status_code == 400
    assert receiver.received == []
    # The page's own buttons carry their token: they work from the page.
    page = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    for action in ("test", "rotate"):
        form = re.search(rf'action="/admin/webhooks/{endpoint_id}/{action}".*?</form>', page, re.S)
        button_token = token.search(form.group(0)).group(1)
        answer = client.post(
            f"/admin/webhooks/{endpoint_id}/{action}", data={"csrf_token": button_token}
        )
        assert answer.status_code in (200, 302, 303), action
    # The creation sent again (a reload after the 201): the list, not a 500.
    again = client.post("/admin/webhooks", data={**data, "csrf_token": csrf})
    assert again.status_code in (302, 303)


@pytest.mark.slow
def test_the_worker_delivers_a_published_claim(database_url, db_session, users, tmp_path):
    """The real consumer (a separate process) on a SQLite queue: the commit queues the delivery,
    the worker sends it."""
    name = f"factcheck-test-{uuid.uuid4().hex[:10]}"
    queue_file = str(tmp_path / "huey.db")
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        HUEY_IMMEDIATE=False,
        HUEY_NAME=name,
        HUEY_FILE=queue_file,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "HUEY_"))}
    env |= {
        "FACTCHECK_CONFIG": "testing",
        "FACTCHECK_TEST_DATABASE_URL": database_url,
        "FACTCHECK_HUEY_IMMEDIATE": "0",
        "FACTCHECK_HUEY_NAME": name,
        "FACTCHECK_HUEY_FILE": queue_file,
        "FACTCHECK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    }
    log = open(tmp_path / "consumer.log", "wb")  # noqa: SIM115
    consumer = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "factcheck.worker.huey"]
        + ["--workers", "1", "--worker-type", "thread", "--delay", "0.05", "--max-delay", "0.5"]
        + ["--no-periodic"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        with Receiver() as receiver, application.app_context():
            endpoint, secret = wf.create_endpoint(
                db_session,
                users["admin"],
                url=receiver.url,
                description=None,
                events=["claim.published"],
                active=True,
                checked=wf.policy(application.config),
            )
            publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, None))
            db_session.commit()  # queues the delivery for the worker
            deadline = time.monotonic() + 30
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.1)
            assert receiver.received, (tmp_path / "consumer.log").read_text()
            [got] = receiver.received
            assert verify(secret, got.headers, got.body)
            while time.monotonic() < deadline:
                if _deliveries(db_session)[0].status == "delivered":
                    break
                time.sleep(0.1)
            assert _deliveries(db_session)[0].status == "delivered"
    finally:
        consumer.send_signal(signal.SIGINT)
        try:
            consumer.wait(10)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()
        jobs.huey.flush()
        application.extensions["factcheck_engine"].dispose()
