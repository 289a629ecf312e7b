"""Intake pages: adding an article from a URL (fetched by a background job), the feeds the desk
follows (editors subscribe), and, for admins, the background work that failed."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from factcheck import jobs, limits
from factcheck.intake.fetch import policy_from
from factcheck.queries import intake as queries
from factcheck.vocabulary import RequestStatus
from factcheck.workflow import intake as wf
from factcheck.workflow import permissions as can
from factcheck.workflow.errors import WorkflowError

from .actions import error_page, run_action, show_error
from .auth import EmptyForm
from .database import db, end_read_phase
from .forms import OnceForm

bp = Blueprint("intake", __name__)


class UrlForm(OnceForm):
    url = StringField(
        "Web address of the article",
        validators=[DataRequired(), Length(max=limits.URL)],
        description="The page is fetched and reduced to its text, title, publisher, author "
        "and date.",
    )


class FeedForm(OnceForm):
    url = StringField(
        "Feed address (RSS or Atom)", validators=[DataRequired(), Length(max=limits.URL)]
    )
    title = StringField("Name", validators=[Optional(), Length(max=limits.TITLE)])
    interval_minutes = IntegerField(
        "Poll every (minutes)",
        default=60,
        validators=[
            DataRequired(),
            NumberRange(min=wf.MIN_INTERVAL_MINUTES, max=wf.MAX_INTERVAL_MINUTES),
        ],
    )


def _policy():
    return policy_from(current_app.config)


@bp.route("/articles/from-url", methods=["GET", "POST"])
def from_url():
    form = UrlForm()
    if request.method == "GET":
        return render_template("intake/from_url.html", form=form)
    policy = _policy()
    return run_action(
        form,
        lambda s: wf.request_article(s, current_user, form.url.data, policy),
        # The address's host is looked up (the SSRF guard) before any write: not while
        # holding SQLite's write lock, which this request's transaction took up front.
        prepare=_end_read_phase,
        reserve_after=True,
        redirect_to=lambda asked: url_for(".request_status", request_id=asked.id),
        fallback=url_for(".from_url"),
        message=None,
        # After the commit: the job reads the request's row.
        after_commit=lambda asked: jobs.fetch_article(asked.id),
        rerender=lambda _exc, status: (
            render_template("intake/from_url.html", form=form),
            status,
        ),
    )


def _end_read_phase() -> bool:
    end_read_phase(db())
    return True


@bp.get("/articles/from-url/<int:request_id>")
def request_status(request_id: int):
    asked = queries.intake_request(db(), request_id)
    if asked is None:
        abort(404)
    if asked.status == RequestStatus.DONE and asked.article is not None:
        if asked.article.created_at < asked.created_at:  # known before this request
            flash("This article is already on the desk; here it is.", "info")
        else:
            flash("Article added from the web. Confirm the suggested claims.", "success")
        return redirect(url_for("articles.show", article_id=asked.article_id))
    if asked.status == RequestStatus.FAILED:
        form = UrlForm(formdata=None, data={"url": asked.url})
        message = asked.error or "The page could not be fetched."
        show_error(form, WorkflowError(message, field="url"))
        return render_template("intake/from_url.html", form=form), 422
    return render_template("intake/pending.html", asked=asked)


@bp.get("/feeds")
def feeds():
    form = FeedForm(formdata=None) if can.can_manage_feeds(current_user) else None
    return _render_feeds(form)


def _render_feeds(form: FeedForm | None, status: int = 200):
    return render_template(
        "intake/feeds.html",
        feeds=queries.feeds(db()),
        form=form,
        can_edit=can.can_manage_feeds(current_user),
        can_see_failures=can.is_administrator(current_user),
        action_form=EmptyForm(formdata=None),
    ), status


@bp.post("/feeds")
def subscribe():
    if not can.can_manage_feeds(current_user):
        abort(403)
    form = FeedForm()
    policy = _policy()
    return run_action(
        form,
        lambda s: wf.subscribe(
            s,
            current_user,
            wf.FeedInput(form.url.data, form.interval_minutes.data, form.title.data),
            policy,
        ),
        prepare=_end_read_phase,  # the host lookup comes first, as in from_url
        reserve_after=True,
        redirect_to=lambda feed: url_for(".feed", feed_id=feed.id),
        fallback=url_for(".feeds"),
        message="Feed added; its first poll is under way.",
        after_commit=lambda feed: jobs.poll_feed(feed.id),
        rerender=lambda _exc, status: _render_feeds(form, status),
    )


@bp.get("/feeds/<int:feed_id>")
def feed(feed_id: int):
    s = db()
    found = queries.feed(s, feed_id)
    if found is None:
        abort(404)
    return render_template(
        "intake/feed.html",
        feed=found,
        articles=queries.feed_articles(s, feed_id),
        can_edit=can.can_manage_feeds(current_user),
        action_form=EmptyForm(formdata=None),
    )


@bp.post("/feeds/<int:feed_id>/poll")
def poll_now(feed_id: int):
    if not can.can_manage_feeds(current_user):
        abort(403)
    return run_action(
        EmptyForm(),
        lambda s: wf.get_feed(s, feed_id),  # nothing written: the job is queued after
        redirect_to=url_for(".feed", feed_id=feed_id),
        message="Poll requested.",
        after_commit=lambda _feed: jobs.poll_feed(feed_id),
        show_errors=False,
        rerender=error_page,
    )


@bp.post("/feeds/<int:feed_id>/delete")
def unsubscribe(feed_id: int):
    return run_action(
        EmptyForm(),
        lambda s: wf.unsubscribe(s, current_user, feed_id),
        redirect_to=url_for(".feeds"),
        message="Feed removed; the articles it brought stay.",
        show_errors=False,
        rerender=error_page,
    )


@bp.get("/jobs/failed")
def failed_jobs():
    if not can.is_administrator(current_user):
        abort(403)
    jobs_failed, requests, failing = queries.failed_work(db())
    return render_template(
        "intake/failed_jobs.html", jobs=jobs_failed, requests=requests, feeds=failing
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
