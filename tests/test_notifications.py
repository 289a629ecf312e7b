"""Notifications: who is told about what (in the change's own transaction), the list with its
unread count, mark read, a user's own rows only, and the e-mails: chosen per kind on the account
page, queued after the commit, sent by the task (run here in-process) to a local SMTP server
(aiosmtpd) the test starts."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app, jobs
from factcheck.models import Claim, EmailPreference, Notification, User
from factcheck.workflow import claims as wf
from factcheck.workflow import notifications
from tests.conftest import BufferedClient, login
from tests.factories import make_claim, make_user, submit

SENDER = "desk@example.org"


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def app(database_url, smtp, tmp_path):
    """The app with SMTP configured and a real (file) queue no consumer reads: what a commit
    queues stays there, and the test runs the task itself."""
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        HUEY_IMMEDIATE=False,
        HUEY_FILE=str(tmp_path / "huey.db"),
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=smtp.port,
        MAIL_SMTP_TLS="none",
        MAIL_FROM=SENDER,
        MAIL_BASE_URL="https://desk.example.org/",
    )
    application.test_client_class = BufferedClient
    yield application
    jobs.huey.flush()
    application.extensions["factcheck_engine"].dispose()


def run_mail_task(app) -> int:
    """What the worker does with the queued task, in this process."""
    with app.app_context():
        return jobs.send_notification_emails.call_local()


def queued() -> int:
    return len(jobs.huey.pending())


def rows(db_session, **where) -> list[Notification]:
    db_session.commit()  # end the read transaction: see what the app committed
    query = select(Notification).filter_by(**where).order_by(Notification.id)
    query = query.execution_options(populate_existing=True)
    return list(db_session.scalars(query))


def choose_emails(client, username: str, email: str, kinds: list[str]):
    assert login(client, username).status_code == 302
    response = client.post("/account/notifications", data={"email": email, "kinds": kinds})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/logout")


def assign_on_the_page(client, db_session, claim_id: int, assignee: User):
    db_session.commit()
    version = db_session.get(Claim, claim_id).version
    return client.post(
        f"/claims/{claim_id}/assign", data={"assignee": assignee.id, "version": version}
    )


def test_an_assignment_is_listed_and_emailed_to_the_assignee_only(
    app, client, db_session, users, smtp
):
    rita, eddie = users["reviewer"], users["editor"]
    claim = make_claim(db_session)
    db_session.commit()
    choose_emails(client, "rita", "rita@example.org", ["assigned"])
    choose_emails(client, "eddie", "eddie@example.org", ["assigned"])  # the actor: not told
    login(client, "eddie")

    response = assign_on_the_page(client, db_session, claim.id, rita)

    assert response.status_code == 302
    [told] = rows(db_session)
    assert (told.user_id, told.kind, told.actor_id) == (rita.id, "assigned", eddie.id)
    assert f"claim #{claim.id}" in told.text and told.emailed_at is None
    assert smtp.messages == []  # nothing sent inside the request
    assert queued() == 1  # but the task is queued, after the commit

    assert run_mail_task(app) == 1
    [(recipients, message)] = smtp.messages
    assert recipients == ["rita@example.org"]
    assert message["From"] == SENDER
    assert message["Subject"] == "[factcheck] A claim was assigned to you"
    body = message.get_content()
    assert told.text in body
    assert f"https://desk.example.org/claims/{claim.id}" in body
    [sent] = rows(db_session)
    assert sent.emailed_at is not None and sent.email_due_at is None
    assert run_mail_task(app) == 0 and len(smtp.messages) == 1  # sent once


def test_only_the_kinds_a_user_chose_are_emailed(app, client, db_session, users, smtp):
    rita, eddie = users["reviewer"], users["editor"]
    claim = make_claim(db_session)
    db_session.commit()
    choose_emails(client, "rita", "rita@example.org", ["verdict_approved"])
    login(client, "eddie")

    assert assign_on_the_page(client, db_session, claim.id, rita).status_code == 302

    [told] = rows(db_session)
    assert told.user_id == rita.id and told.email_due_at is None  # listed, not e-mailed
    assert queued() == 0
    assert run_mail_task(app) == 0 and smtp.messages == []
    assert eddie.id not in {n.user_id for n in rows(db_session)}


def test_a_rolled_back_change_notifies_and_emails_nobody(app, client, db_session, users, smtp):
    rita = users["reviewer"]
    claim = make_claim(db_session)
    db_session.commit()
    choose_emails(client, "rita", "rita@example.org", ["assigned"])
    with app.app_context():
        sessions = app.extensions["factcheck_sessions"][True]
        with sessions() as s:
            editor = s.get(User, users["editor"].id)
            wf.assign(s, editor, s.get(type(claim), claim.id), s.get(User, rita.id),
                      expected_version=None)  # fmt: skip
            assert len(s.new) == 1  # the notification, about to be written with the change
            s.flush()
            s.rollback()
    # And on the page: a stale version is refused, the whole unit rolled back.
    login(client, "eddie")
    stale = client.post(
        f"/claims/{claim.id}/assign",
        data={"assignee": rita.id, "version": 99},
        follow_redirects=True,
    )
    assert stale.status_code == 409

    assert rows(db_session) == []
    assert queued() == 0
    assert run_mail_task(app) == 0 and smtp.messages == []


def test_who_is_told_about_a_verdict(app, db_session, users):
    rita, eddie, erin, ada = (users[k] for k in ("reviewer", "editor", "editor2", "admin"))
    claim = make_claim(db_session)
    submit(db_session, rita, claim)  # rita takes it herself: nobody is told of that
    db_session.commit()
    awaiting = rows(db_session, kind="awaiting_approval")
    assert sorted(n.user_id for n in awaiting) == sorted([eddie.id, erin.id, ada.id])
    assert rows(db_session, kind="assigned") == []

    wf.return_verdict(db_session, eddie, claim, reason="Add a source.", expected_version=None)
    db_session.commit()
    assert [n.user_id for n in rows(db_session, kind="verdict_returned")] == [rita.id]

    wf.draft_verdict(db_session, eddie, claim, rating="false", summary="Rated false.",
                     rationale="Checked.", expected_version=None)  # fmt: skip
    db_session.commit()
    again = rows(db_session, kind="awaiting_approval")[len(awaiting) :]
    assert eddie.id not in {n.user_id for n in again}  # the drafter is not asked
    assert {n.user_id for n in again} == {erin.id, ada.id}

    wf.approve(db_session, erin, claim, expected_version=None)
    db_session.commit()
    assert [n.user_id for n in rows(db_session, kind="verdict_approved")] == [eddie.id]


def test_unread_count_mark_read_and_mark_all(app, client, db_session, users):
    rita = users["reviewer"]
    for _ in range(3):
        wf.assign(db_session, users["editor"], make_claim(db_session), rita, expected_version=None)
    db_session.commit()
    login(client, "rita")

    page = client.get("/notifications").get_data(as_text=True)
    assert 'aria-label="3 unread"' in page
    first, second, _third = rows(db_session, user_id=rita.id)
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert 'aria-label="2 unread"' in client.get("/notifications").get_data(as_text=True)
    assert client.post(f"/notifications/{first.id}/read").status_code == 302  # twice: no change

    response = client.post("/notifications/read", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 notification(s) marked read." in page
    assert "unread" not in client.get("/").get_data(as_text=True).split("</header>")[0]
    assert all(n.read_at is not None for n in rows(db_session, user_id=rita.id))


def test_a_user_sees_and_marks_only_their_own(app, client, db_session, users):
    rita, rob = users["reviewer"], users["reviewer2"]
    claim = make_claim(db_session, text="Rita's very own claim about the harbour.")
    wf.assign(db_session, users["editor"], claim, rita, expected_version=None)
    db_session.commit()
    [ritas] = rows(db_session)
    login(client, "rob")

    assert "harbour" not in client.get("/notifications").get_data(as_text=True)
    assert client.post(f"/notifications/{ritas.id}/read").status_code == 404
    client.post("/notifications/read")
    assert rows(db_session)[0].read_at is None
    assert rob.id not in {n.user_id for n in rows(db_session)}


def test_the_forms_need_their_csrf_token(app, client, db_session, users):
    wf.assign(db_session, users["editor"], make_claim(db_session), users["reviewer"],
              expected_version=None)  # fmt: skip
    db_session.commit()
    login(client, "rita")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/notifications/read").status_code == 400
    assert client.post("/account/notifications", data={"kinds": ["assigned"]}).status_code == 400
    assert rows(db_session)[0].read_at is None


def test_the_email_settings_page_refuses_bad_input_at_its_field(app, client, db_session, users):
    login(client, "rita")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "A claim is assigned to me" in page

    # Not an address, or more than one mailbox for the SMTP envelope and the To: header.
    for address in ("not an address", "root>,<x@evil.example", "a@b.example>,<postmaster"):
        bad = client.post("/account/notifications", data={"email": address})
        assert bad.status_code == 400, address
        assert "Enter a valid e-mail address" in bad.get_data(as_text=True), address
    none = client.post("/account/notifications", data={"email": "", "kinds": ["assigned"]})
    assert none.status_code == 400 and "E-mail needs an address." in none.get_data(as_text=True)
    odd = client.post(
        "/account/notifications", data={"email": "r@example.org", "kinds": ["everything"]}
    )
    assert odd.status_code == 400

    ok = client.post(
        "/account/notifications",
        data={"email": "r@example.org", "kinds": ["assigned", "verdict_returned"]},
    )
    assert ok.status_code == 302
    db_session.commit()
    assert (
        db_session.get(User, users["reviewer"].id, populate_existing=True).email == "r@example.org"
    )
    chosen = db_session.scalars(select(EmailPreference.kind).order_by(EmailPreference.kind))
    assert list(chosen) == ["assigned", "verdict_returned"]
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'value="r@example.org"' in page and page.count("checked") == 2


def test_an_email_turned_off_before_sending_is_dropped_and_a_failure_retried(
    app, db_session, users, smtp
):
    rita, rob = users["reviewer"], users["reviewer2"]
    for user in (rita, rob):
        notifications.set_email_settings(
            db_session, user, email=f"{user.username}@example.org", kinds=["assigned"]
        )
    wf.assign(db_session, users["editor"], make_claim(db_session), rita, expected_version=None)
    wf.assign(db_session, users["editor"], make_claim(db_session), rob, expected_version=None)
    db_session.commit()
    notifications.set_email_settings(db_session, rob, email="rob@example.org", kinds=[])
    db_session.commit()
    settings = app.extensions["factcheck_mail"]
    app.extensions["factcheck_mail"] = type(settings)(**{**vars(settings), "port": _free_port()})

    assert run_mail_task(app) == 0  # the server is away: nothing sent
    ritas, robs = rows(db_session)
    assert ritas.email_attempts == 1 and ritas.email_due_at is not None  # after the lease
    assert robs.email_due_at is None and robs.email_attempts == 0  # no longer wanted

    app.extensions["factcheck_mail"] = settings
    assert run_mail_task(app) == 0  # still within its lease
    with app.app_context():
        from factcheck import mailing

        later = type(settings)(
            **{**vars(settings), "clock": lambda: ritas.email_due_at}
        )  # the lease has run out
        assert mailing.send_due(app.extensions["factcheck_sessions"][True], later) == 1
    assert [to for to, _m in smtp.messages] == [["rita@example.org"]]


def test_without_smtp_nothing_is_queued_or_sent(database_url, tmp_path):
    application = create_app(
        TestingConfig, DATABASE_URL=database_url, HUEY_IMMEDIATE=False,
        HUEY_FILE=str(tmp_path / "bare.db"),
    )  # fmt: skip
    application.test_client_class = BufferedClient
    try:
        with application.extensions["factcheck_sessions"][False]() as s:
            rita, eddie = make_user(s, "reviewer", "rita"), make_user(s, "editor", "eddie")
            notifications.set_email_settings(s, rita, email="r@example.org", kinds=["assigned"])
            claim = make_claim(s)
            s.commit()
            client = application.test_client()
            login(client, "eddie")
            response = assign_on_the_page(client, s, claim.id, rita)
            assert response.status_code == 302
            assert not application.extensions["factcheck_mail"].configured
            assert queued() == 0
            assert run_mail_task(application) == 0
            assert rows(s)[0].email_due_at is not None  # still owed, should SMTP come
            assert eddie.id not in {n.user_id for n in rows(s)}
    finally:
        jobs.huey.flush()
        application.extensions["factcheck_engine"].dispose()
