"""Claims: the list (home page), my queue, the claim page and every workflow action on it.

`views.py` holds the pages (GET), `actions.py` the changes (POST, each through
`web.actions.run_action`), `page.py` what both need to show the claim page, `forms.py` the area's
forms. The reads come from `factcheck.queries`, the rules from `factcheck.workflow`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for

bp = Blueprint("claims", __name__)


@bp.app_template_global()
def list_url(filters, **changes: Any) -> str:
    """A link to the claims list with some filters changed, the others kept."""
    args = filters.without(**changes).as_args() if changes else filters.as_args()
    return url_for("claims.index", **args)


from . import actions, views  # noqa: E402, F401 -- register the routes on `bp`
