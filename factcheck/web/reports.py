"""The claim status report for editors (and admins), as a page with SVG charts, CSV and JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, render_template, request
from markupsafe import Markup
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from factcheck import charts
from factcheck.queries.claims import article_choices, clean_id
from factcheck.queries.reports import Report, ReportFilters, build_report
from factcheck.rating_scale import RatingScale
from factcheck.vocabulary import ClaimStatus, ClaimType

from .auth import editor_required
from .cache import REPORT, cached
from .database import db
from .exports import csv_download
from .forms import BaseForm, enum_choices
from .ratings import current_scale

bp = Blueprint("reports", __name__)


class ReportFilterForm(BaseForm):
    """Filters arrive in the query string (a GET form), so links and downloads keep them."""

    class Meta:
        csrf = False

    article_id = SelectField("Article", choices=[], validate_choice=False)
    claim_type = SelectField("Type", choices=[], validate_choice=False)
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])

    def validate_article_id(self, field) -> None:
        if field.data and clean_id(field.data) is None:
            raise ValidationError("Choose an article from the list.")

    def validate_claim_type(self, field) -> None:
        if field.data and field.data not in {t.value for t in ClaimType}:
            raise ValidationError("Choose a claim type from the list.")

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end of the period is before its start.")

    def filters(self) -> ReportFilters:
        return ReportFilters(
            article_id=clean_id(self.article_id.data),
            claim_type=self.claim_type.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )


def _form() -> ReportFilterForm:
    form = ReportFilterForm(formdata=request.args)
    articles = article_choices(db(), clean_id(request.args.get("article_id")))
    form.article_id.choices = [("", "any")] + [
        (str(a.id), (a.title or f"Article #{a.id}")[:60]) for a in articles
    ]
    form.claim_type.choices = [("", "any"), *enum_choices(ClaimType)]
    return form


def _svg(svg: str) -> Markup:
    return Markup(svg)  # noqa: S704 - factcheck.charts escapes every label it draws


def _charts(report: Report, scale: RatingScale) -> dict[str, Markup]:
    return {
        "status": _svg(
            charts.bar_chart(
                [(s.label, report.totals[s.value]) for s in ClaimStatus], title="Claims by status"
            )
        ),
        "verdicts": _svg(
            charts.bar_chart(
                [(r.label, report.verdicts.get(r.slug, 0)) for r in scale],
                title="Published verdicts by rating",
            )
        ),
        "weekly": _svg(
            charts.line_chart(
                [(w["week"], w["count"]) for w in report.weekly_published],
                title="Fact-checks published per week",
            )
        ),
    }


@bp.get("/reports")
@bp.get("/reports.<any(csv, json):fmt>")
@editor_required
def index(fmt: str = "html"):
    form = _form()
    if not form.validate():
        return render_template("reports/index.html", form=form, report=None), 400
    s = db()
    # As of the start of this minute (the page shows minutes), so a repeat view in the same
    # minute with no change to the data is served from the cache.
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    filters = form.filters()
    report = cached(
        s,
        REPORT,
        (filters, now),
        lambda: build_report(s, filters, now=now, ratings=current_scale().slugs),
    )
    if fmt == "json":
        return jsonify(report.as_dict())
    if fmt == "csv":
        header = ("section", "row", "column", "value")
        return csv_download("factcheck-report", header, report.figures())
    return render_template(
        "reports/index.html",
        form=form,
        report=report,
        charts=_charts(report, current_scale()),
        statuses=list(ClaimStatus),
        types=list(ClaimType),
        ratings=list(current_scale()),
        args=report.filters.as_args(),
    )
