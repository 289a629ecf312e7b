"""CSV exports (claims, sources, history; streamed, under the claims list's filters) and the CSV
import of claims. Editors only: exports carry everyone's work, imports create claims in bulk."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from factcheck.csv_io import CsvFileError, csv_chunks
from factcheck.queries.claims import parse_filters
from factcheck.queries.exports import EXPORTS, export_rows
from factcheck.workflow.imports import import_plans, plan_import

from .auth import editor_required
from .database import closing_session, commit, db, end_read_phase
from .forms import BaseForm

bp = Blueprint("exports", __name__)


def csv_download(name: str, header, rows) -> Response:
    """A streamed CSV attachment: the body is produced chunk by chunk as the client reads it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    body = stream_with_context(closing_session(csv_chunks(header, rows)))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/exports/<any(claims, sources, history):kind>.csv")
@editor_required
def export_csv(kind: str):
    filters = parse_filters(request.args)
    return csv_download(f"factcheck-{kind}", EXPORTS[kind], export_rows(db(), kind, filters))


class ImportForm(BaseForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])


@bp.route("/imports/claims", methods=["GET", "POST"])
@editor_required
def import_view():
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        limit = current_app.config["MAX_CSV_UPLOAD_BYTES"]
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            form.file.errors.append(f"The file is larger than {limit // 1024} KiB.")
            return render_template("exports/import.html", form=form, problems=[]), 413
        session = db()
        end_read_phase(session)  # the file is checked with no lock held; then one transaction
        try:
            plans = plan_import(data)
            # The user itself, not the proxy: its id is read for every row and event.
            actor = current_user._get_current_object()
            result = import_plans(session, actor, plans, upload.filename or "upload.csv")
            commit(session)
        except CsvFileError as exc:
            session.rollback()
            problems = exc.problems
        else:
            flash(
                f"Imported {len(result.created)} claim(s) from {result.filename}; "
                f"{result.skipped} already present, {result.sources_created} source(s) added.",
                "success",
            )
            return redirect(url_for("claims.index", sort="activity"))
    status = 400 if (problems or form.errors) else 200
    return render_template("exports/import.html", form=form, problems=problems), status
