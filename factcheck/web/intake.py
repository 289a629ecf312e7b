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
from factcheck.models import Feed
from factcheck.queries import intake as queries
from factcheck.workflow import intake as wf
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.submissions import AlreadySubmitted, fulfil, reserve

from .actions import already_submitted, show_error, submitted
from .auth import EmptyForm
from .database import commit, db, end_read_phase
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
    if not submitted(form):
        return render_template("intake/from_url.html", form=form), 400
    s = db()
    if done := form.already_done(s):
        return done
    # The address's host is looked up (the SSRF guard) before any write: not while holding
    # SQLite's write lock, which this request's transaction took up front.
    end_read_phase(s)
    try:
        asked = wf.request_article(s, current_user, form.url.data, _policy())
        ticket = reserve(s, current_user, form.form_token.data)
        fulfil(ticket, url_for(".request_status", request_id=asked.id))
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".from_url"))
    except WorkflowError as exc:
        s.rollback()
        show_error(form, exc)
        return render_template("intake/from_url.html", form=form), exc.status_code
    jobs.fetch_article(asked.id)  # after the commit: the job reads the request's row
    return redirect(url_for(".request_status", request_id=asked.id))


@bp.get("/articles/from-url/<int:request_id>")
def request_status(request_id: int):
    asked = queries.intake_request(db(), request_id)
    if asked is None:
        abort(404)
    if asked.status == "done" and asked.article_id is not None:
        flash("Article added from the web. Confirm the suggested claims.", "success")
        return redirect(url_for("articles.show", article_id=asked.article_id))
    if asked.status == "failed":
        form = UrlForm(formdata=None, data={"url": asked.url})
        form.url.errors = [asked.error or "The page could not be fetched."]
        return render_template("intake/from_url.html", form=form), 422
    return render_template("intake/pending.html", asked=asked)


@bp.get("/feeds")
def feeds():
    form = FeedForm(formdata=None) if current_user.is_editor else None
    return _render_feeds(form)


def _render_feeds(form: FeedForm | None, status: int = 200):
    return render_template(
        "intake/feeds.html",
        feeds=queries.feeds(db()),
        form=form,
        can_edit=current_user.is_editor,
        can_see_failures=current_user.is_admin,
        action_form=EmptyForm(formdata=None),
    ), status


@bp.post("/feeds")
def subscribe():
    if not current_user.is_editor:
        abort(403)
    form = FeedForm()
    if not submitted(form):
        return _render_feeds(form, 400)
    s = db()
    if done := form.already_done(s):
        return done
    end_read_phase(s)  # the host lookup comes first, as in from_url
    try:
        feed = wf.subscribe(
            s,
            current_user,
            wf.FeedInput(form.url.data, form.interval_minutes.data, form.title.data),
            _policy(),
        )
        ticket = reserve(s, current_user, form.form_token.data)
        fulfil(ticket, url_for(".feed", feed_id=feed.id))
        commit(s)
    except AlreadySubmitted:
        return already_submitted(s, form, url_for(".feeds"))
    except WorkflowError as exc:
        s.rollback()
        show_error(form, exc)
        return _render_feeds(form, exc.status_code)
    jobs.poll_feed(feed.id)
    flash("Feed added; its first poll is under way.", "success")
    return redirect(url_for(".feed", feed_id=feed.id))


@bp.get("/feeds/<int:feed_id>")
def feed(feed_id: int):
    s = db()
    found = s.get(Feed, feed_id)
    if found is None:
        abort(404)
    return render_template(
        "intake/feed.html",
        feed=found,
        articles=queries.feed_articles(s, feed_id),
        can_edit=current_user.is_editor,
        action_form=EmptyForm(formdata=None),
    )


@bp.post("/feeds/<int:feed_id>/poll")
def poll_now(feed_id: int):
    if not current_user.is_editor:
        abort(403)
    form = EmptyForm()
    submitted(form)
    if db().get(Feed, feed_id) is None:
        abort(404)
    jobs.poll_feed(feed_id)
    flash("Poll requested.", "success")
    return redirect(url_for(".feed", feed_id=feed_id))


@bp.post("/feeds/<int:feed_id>/delete")
def unsubscribe(feed_id: int):
    form = EmptyForm()
    submitted(form)
    s = db()
    try:
        wf.unsubscribe(s, current_user, feed_id)
        commit(s)
    except WorkflowError as exc:
        s.rollback()
        abort(exc.status_code, exc.message)
    flash("Feed removed; the articles it brought stay.", "success")
    return redirect(url_for(".feeds"))


@bp.get("/jobs/failed")
def failed_jobs():
    if not current_user.is_admin:
        abort(403)
    jobs_failed, requests, failing = queries.failed_work(db())
    return render_template(
        "intake/failed_jobs.html", jobs=jobs_failed, requests=requests, feeds=failing
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
