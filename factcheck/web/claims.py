"""Claims: the list (home page)."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from factcheck.models import Claim
from factcheck.workflow.states import ClaimStatus

from .database import db

bp = Blueprint("claims", __name__)


@bp.get("/")
def index():
    session = db()
    claims = session.scalars(
        select(Claim)
        .options(joinedload(Claim.article), joinedload(Claim.assignee))
        .order_by(Claim.priority, Claim.id)
        .limit(200)
    ).all()
    counts = dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    return render_template(
        "claims/list.html",
        claims=claims,
        counts=[(s, counts.get(s.value, 0)) for s in ClaimStatus],
    )
