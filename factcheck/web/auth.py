"""Sign in and out, and change one's own password. Sessions are tied to the user's
`session_generation`, so logout, a password change or reset, or a deactivation ends every session
of that user on every device; the server also refuses a session older than SESSION_MAX_AGE.

A browser that signed in to an account keeps a signed, long-lived "known device" cookie naming
it: the sign-in throttle lets such a client in with the right password even while the account is
locked for everyone else (see workflow/throttle.py)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from factcheck import limits
from factcheck.models import User, utcnow
from factcheck.workflow import accounts, throttle
from factcheck.workflow import permissions as can

from .actions import run_action
from .database import db, read_session
from .forms import BaseForm

bp = Blueprint("auth", __name__)
GENERIC_FAILURE = "Unknown username or wrong password."
LOCKED_MESSAGE = "Too many failed attempts. Try again in {wait}."
DEVICE_COOKIE = "factcheck_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_ACCOUNTS = 10  # accounts one browser is remembered for


class LoginForm(BaseForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=limits.USERNAME)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=limits.PASSWORD)])


class EmptyForm(BaseForm):
    """For button-only actions: carries the CSRF token and nothing else."""


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=limits.PASSWORD)]
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=limits.PASSWORD)],
        description=f"At least {accounts.MIN_PASSWORD_LENGTH} characters, hard to guess, and "
        "not containing your username: a few unrelated words work well.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two do not match.")],
    )


def permission_required(allowed: Callable[[Any], bool]):
    """Allow only signed-in users `allowed` (a `workflow.permissions` predicate) lets in;
    others get 403 (anonymous: sign-in)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Who may do what is `workflow.permissions`'s, read here and nowhere else in the web layer.
editor_required = permission_required(can.is_desk_editor)
admin_required = permission_required(can.is_administrator)


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else (another host, however spelled: `//x`, `////x`,
    `/\\x`, a scheme, control characters that would split the header) goes home."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("claims.index")


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="factcheck-known-device")


def _known_device() -> dict:
    """The browser's known-device record ({"id", "accounts"}), empty when absent or forged."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw:
        try:
            value = _device_serializer().loads(raw, max_age=DEVICE_MAX_AGE)
            if isinstance(value, dict) and isinstance(value.get("accounts"), list):
                return value
        except BadSignature:
            pass
    return {}


def _remember_device(response, device: dict, account: str) -> None:
    names = [account, *(n for n in device.get("accounts", []) if n != account)]
    value = {
        "id": device.get("id") or secrets.token_urlsafe(12),
        "accounts": names[:DEVICE_ACCOUNTS],
    }
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(value),
        max_age=DEVICE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def start_session(user) -> None:
    """Sign `user` in on a fresh session stamped with the time, for the maximum age."""
    session.clear()  # nothing from before carries over
    login_user(user)
    session["signed_in_at"] = int(time.time())


def session_expired() -> bool:
    started = session.get("signed_in_at")
    max_age = current_app.config["SESSION_MAX_AGE"]
    return not isinstance(started, int) or time.time() - started > max_age


def _duration(seconds: int) -> str:
    """'45 seconds', '1 minute', '16 minutes': how long a lock lasts, in words."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in. Not `run_action`: the throttle's record of the attempt is committed whether the
    password was right or wrong (a failure that rolled back would never lock anyone out), and
    the answer to a failure is a 401 or 429 page, not a workflow error put back on the form."""
    if current_user.is_authenticated:
        return redirect(url_for("claims.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), (400 if form.errors else 200)
    config = current_app.config
    account = throttle.account_name(form.username.data)
    device = _known_device()
    # The password is checked before any write (SQLite's write lock is not held while hashing),
    # and always exactly once, for unknown names too.
    with read_session() as reading:
        user = accounts.find_user(reading, form.username.data)
    correct = accounts.check_password(user, form.password.data)
    # Judged with no lock held too (the estimator takes a moment), for the right password only.
    outdated = correct and accounts.password_outdated(user, form.password.data)
    s = db()
    attempt = throttle.record_attempt(
        s,
        account=account,
        address=request.remote_addr,
        device=device.get("id") if account in device.get("accounts", []) else None,
        success=correct,
        now=utcnow(),
        max_failures=config["LOGIN_MAX_FAILURES"],
        lock_seconds=config["LOGIN_LOCK_SECONDS"],
        step_seconds=config["LOGIN_SLOWDOWN_SECONDS"],
    )
    if outdated and attempt.allowed and not user.must_change_password:
        accounts.require_password_change(s, user.id)
        user.must_change_password = True
    s.commit()
    time.sleep(attempt.delay)
    if not attempt.allowed:
        form.password.errors.append(LOCKED_MESSAGE.format(wait=_duration(attempt.retry_after)))
        page = render_template("auth/login.html", form=form)
        return page, 429, {"Retry-After": str(attempt.retry_after)}
    if not correct:
        form.password.errors.append(GENERIC_FAILURE)
        return render_template("auth/login.html", form=form), 401
    start_session(user)
    flash(f"Signed in as {user.display_name}.", "success")
    target = safe_next(request.args.get("next"))
    if user.must_change_password:
        target = url_for("auth.change_password")
        if outdated:
            flash("Your password no longer meets the rules: choose a new one.", "info")
    response = redirect(target)
    _remember_device(response, device, account)
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if request.method == "GET":
        return render_template("auth/password.html", form=form)

    def change(s) -> User:
        user = s.merge(current_user._get_current_object())
        accounts.change_password(
            s,
            user,
            current_password=form.current_password.data,
            new_password=form.password.data,
        )
        return user

    def carry_on(user: User) -> None:
        started = session.get("signed_in_at")
        start_session(user)  # this session carries on under the new generation; others end
        session["signed_in_at"] = started

    return run_action(
        form,
        change,
        redirect_to=url_for("claims.index"),
        message="Password changed; your other sessions were signed out.",
        after_commit=carry_on,
        rerender=lambda _exc, status: (render_template("auth/password.html", form=form), status),
    )


@bp.post("/logout")
@login_required
def logout():
    """Sign out. Not `run_action`: no workflow rule can refuse it (there is no form to show an
    error on), and its message is an "info" flash where `run_action` flashes "success"."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    s = db()
    user = s.merge(current_user._get_current_object())
    accounts.end_sessions(user)
    s.commit()
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
