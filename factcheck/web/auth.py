"""Sign in and out. Sessions are tied to the user's `session_generation`, so logout, a password
reset or a deactivation ends every session of that user on every device."""

from __future__ import annotations

import time
from functools import wraps
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
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from factcheck.models import utcnow
from factcheck.workflow import accounts, throttle
from factcheck.workflow.states import Role

from .database import db

bp = Blueprint("auth", __name__)
GENERIC_FAILURE = "Unknown username or wrong password."
LOCKED_MESSAGE = "Too many failed attempts. Try again in a few minutes."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class EmptyForm(FlaskForm):
    """For button-only actions: carries the CSRF token and nothing else."""


def role_required(*roles: Role):
    """Allow only signed-in users with one of `roles`; others get 403 (anonymous: sign-in)."""
    allowed = {r.value for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


editor_required = role_required(Role.EDITOR, Role.ADMIN)
admin_required = role_required(Role.ADMIN)


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes home (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("claims.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("claims.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), (400 if form.errors else 200)
    s = db()
    config = current_app.config
    now = utcnow()
    keys = [throttle.user_key(form.username.data), throttle.ip_key(request.remote_addr)]
    if throttle.locked_until(s, keys, now) is not None:
        accounts.check_password(None, form.password.data)  # same cost as a real check
        form.password.errors.append(LOCKED_MESSAGE)
        return render_template("auth/login.html", form=form), 429
    user = accounts.find_user(s, form.username.data)
    if user is None or not user.active or not accounts.check_password(user, form.password.data):
        failures = throttle.record_failure(
            s,
            keys,
            now,
            max_failures=config["LOGIN_MAX_FAILURES"],
            lock_seconds=config["LOGIN_LOCK_SECONDS"],
        )
        s.commit()
        time.sleep(throttle.delay_for(failures, config["LOGIN_SLOWDOWN_SECONDS"]))
        form.password.errors.append(GENERIC_FAILURE)
        return render_template("auth/login.html", form=form), 401
    throttle.clear(s, keys[0])
    s.commit()
    session.clear()  # a fresh session at login: nothing from before carries over
    login_user(user)
    flash(f"Signed in as {user.display_name}.", "success")
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
@login_required
def logout():
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
