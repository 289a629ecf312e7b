"""Webhook endpoints (admins only, as the whole admin blueprint): the list with a form for a
new one, each endpoint's page with its settings and delivery log, rotating its secret, and
sending it a test event. A secret is shown once, in the answer to the POST that made it (like
an API token's), never stored in a cookie or shown again."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask import render_template as render
from flask_login import current_user
from wtforms import BooleanField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from factcheck import limits
from factcheck.queries import webhooks as q
from factcheck.workflow import webhooks as wf

from ..actions import error_page, run_action
from ..auth import EmptyForm
from ..database import db
from ..forms import BaseForm, OnceForm
from . import bp

NO_STORE = {"Cache-Control": "no-store"}


class EndpointForm(BaseForm):
    url = StringField(
        "Address",
        validators=[DataRequired(), Length(max=limits.URL)],
        description="The receiver's https:// address; it is sent a POST with a JSON body.",
    )
    description = StringField(
        "Description", validators=[Optional(), Length(max=limits.WEBHOOK_DESCRIPTION)]
    )
    events = SelectMultipleField(
        "Events",
        choices=[SelectChoice(e.value, e.label) for e in wf.SUBSCRIBABLE],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    active = BooleanField("Active", default=True)


class NewEndpointForm(OnceForm, EndpointForm):
    pass


def _fields(form: EndpointForm) -> dict:
    return {
        "url": form.url.data,
        "description": form.description.data,
        "events": form.events.data or [],
        "active": bool(form.active.data),
        "checked": wf.policy(current_app.config),
    }


def list_page(form: NewEndpointForm | None = None, status: int = 200):
    return render(
        "admin/webhooks.html",
        endpoints=q.endpoints(db()),
        form=form or NewEndpointForm(formdata=None),
    ), status


def endpoint_page(
    endpoint_id: int,
    form: EndpointForm | None = None,
    *,
    secret: str | None = None,
    status: int = 200,
):
    endpoint = q.endpoint(db(), endpoint_id)
    if endpoint is None:
        abort(404)
    if form is None:
        form = EndpointForm(formdata=None, obj=endpoint)
        form.events.data = endpoint.event_list
    body = render(
        "admin/webhook.html",
        endpoint=endpoint,
        form=form,
        secret=secret,
        deliveries=q.delivery_log(db(), endpoint_id),
        empty_form=EmptyForm(),  # not `button_form`: the template's macro has that name
    )
    return body, status, NO_STORE


@bp.get("/webhooks")
def webhooks():
    return list_page()


@bp.post("/webhooks")
def create_webhook():
    form = NewEndpointForm()
    return run_action(
        form,
        lambda s: wf.create_endpoint(s, current_user, **_fields(form)),
        redirect_to=lambda made: url_for(".webhook", endpoint_id=made[0].id),
        message="Webhook endpoint registered.",
        fallback=url_for(".webhooks"),  # sent again (a reload): the list, not a 500
        # No redirect: the secret is shown in this answer only.
        respond=lambda made: endpoint_page(made[0].id, secret=made[1], status=201),
        rerender=lambda _exc, status: list_page(form, status),
    )


@bp.get("/webhooks/<int:endpoint_id>")
def webhook(endpoint_id: int):
    return endpoint_page(endpoint_id)


@bp.post("/webhooks/<int:endpoint_id>")
def update_webhook(endpoint_id: int):
    form = EndpointForm()
    return run_action(
        form,
        lambda s: wf.update_endpoint(s, current_user, endpoint_id, **_fields(form)),
        redirect_to=url_for(".webhook", endpoint_id=endpoint_id),
        message="Webhook endpoint saved.",
        rerender=lambda _exc, status: endpoint_page(endpoint_id, form, status=status),
    )


@bp.post("/webhooks/<int:endpoint_id>/rotate")
def rotate_webhook_secret(endpoint_id: int):
    return run_action(
        EmptyForm(),
        lambda s: wf.rotate_secret(s, current_user, endpoint_id),
        redirect_to=url_for(".webhook", endpoint_id=endpoint_id),
        message="New secret made; the old one no longer signs anything.",
        respond=lambda made: endpoint_page(endpoint_id, secret=made[1]),
        show_errors=False,
        rerender=error_page,
    )


@bp.post("/webhooks/<int:endpoint_id>/test")
def test_webhook(endpoint_id: int):
    return run_action(
        EmptyForm(),
        lambda s: wf.send_test(s, current_user, endpoint_id),
        redirect_to=url_for(".webhook", endpoint_id=endpoint_id),
        message="Test event queued; its delivery shows in the log below.",
        show_errors=False,
        rerender=error_page,
    )
