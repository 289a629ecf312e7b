"""The signed-in user's notifications (`/notifications`: the list, mark read, mark all read) and
their e-mail choices (`/account/notifications`). A user only ever sees and changes their own."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from factcheck import limits
from factcheck.queries import notifications as read
from factcheck.vocabulary import NotificationKind
from factcheck.workflow import notifications

from .actions import error_page, run_action
from .auth import EmptyForm
from .cache import NOTIFICATIONS, cached
from .database import db
from .forms import BaseForm

bp = Blueprint("notifications", __name__)


class EmailSettingsForm(BaseForm):
    email = StringField(
        "E-mail address",
        validators=[Optional(), Length(max=limits.EMAIL)],
        description="Where the notifications you tick below are sent.",
    )
    kinds = SelectMultipleField(
        "E-mail me when",
        choices=[SelectChoice(kind.value, kind.label) for kind in NotificationKind],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,  # an unknown kind is the service's refusal, at the field
    )


def unread(user_id: int) -> int:
    """The header's unread count, kept until a write to the notifications."""
    s = db()
    return cached(s, NOTIFICATIONS, ("unread", user_id), lambda: read.unread_count(s, user_id))


@bp.get("/notifications")
def index():
    listed = read.latest(db(), current_user.id)
    body = render_template(
        "notifications/list.html",
        notifications=listed,
        button_form=EmptyForm(),
        unread_here=sum(1 for n in listed if n.read_at is None),
    )
    return body, 200, {"Cache-Control": "no-store"}


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int):
    return run_action(
        EmptyForm(),
        lambda s: notifications.mark_read(s, current_user, notification_id),
        redirect_to=url_for(".index"),
        message=None,
        show_errors=False,
        rerender=error_page,
    )


@bp.post("/notifications/read")
def mark_all_read():
    return run_action(
        EmptyForm(),
        lambda s: notifications.mark_all_read(s, current_user),
        redirect_to=url_for(".index"),
        message=lambda count: f"{count} notification(s) marked read.",
        show_errors=False,
        rerender=error_page,
    )


def _settings_page(form: EmailSettingsForm, status: int = 200):
    return render_template("notifications/settings.html", form=form), status


@bp.route("/account/notifications", methods=["GET", "POST"])
def settings():
    form = EmailSettingsForm()
    if form.is_submitted() is False:
        form.email.data = current_user.email
        form.kinds.data = read.email_kinds(db(), current_user.id)
        return _settings_page(form)
    return run_action(
        form,
        lambda s: notifications.set_email_settings(
            s, current_user, email=form.email.data, kinds=form.kinds.data or []
        ),
        redirect_to=url_for(".settings"),
        message="Your e-mail choices are saved.",
        rerender=lambda _exc, status: _settings_page(form, status),
    )
