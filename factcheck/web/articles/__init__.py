"""Articles: the list, adding one (pasted or uploaded), and the article page where claims are
highlighted in the text, the extractor's suggestions are confirmed, and new claims are created
from a quote (selected with the mouse, or typed).

`views.py` holds the pages (GET), `actions.py` the changes (POST, through
`web.actions.run_action`), `page.py` the article page as both show it, `forms.py` the forms.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("articles", __name__, url_prefix="/articles")

from . import actions, views  # noqa: E402, F401 -- register the routes on `bp`
