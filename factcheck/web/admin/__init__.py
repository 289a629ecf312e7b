"""Account administration (admins only): list, create, change role, (de)activate, reset password;
and the webhook endpoints (`webhooks.py`).

`views.py` holds the page (GET), `actions.py` the changes (POST, through
`web.actions.run_action`), `forms.py` the forms.
"""

from __future__ import annotations

from flask import Blueprint

from ..auth import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _admins_only():
    return None


from . import actions, ratings, views, webhooks  # noqa: E402, F401 -- register the routes on `bp`
