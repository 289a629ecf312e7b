"""CSV exports (claims, sources, history; streamed, under the claims list's filters) and the CSV
import of claims. Editors only: exports carry everyone's work, imports create claims in bulk."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    current_app,
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
from factcheck.workflow.errors import WorkflowError
from factcheck.workflow.imports import import_plans, plan_import, prepare_import

from .actions import run_action, show_error
from .auth import editor_required
from .database import closing_session, db, end_read_phase, read_session
from .forms import BaseForm

bp = Blueprint("exports", __name__)


def wants_bom() -> bool:
    """The download links write a UTF-8 byte-order mark (for Excel) unless `?bom=0`."""
    return request.args.get("bom", "1") != "0"


def csv_download(name: str, header, rows) -> Response:
    """A streamed CSV attachment: the body is produced chunk by chunk as the client reads it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    body = stream_with_context(closing_session(csv_chunks(header, rows, bom=wants_bom())))
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
    if request.method == "GET":
        return render_template("exports/import.html", form=form, problems=[])
    limit = current_app.config["MAX_CSV_UPLOAD_BYTES"]
    read: dict = {}

    def read_upload() -> bool:
        """The file is read and checked with no lock held; then one transaction."""
        read["data"] = form.file.data.stream.read(limit + 1)
        if len(read["data"]) <= limit:
            end_read_phase(db())
            actor = current_user._get_current_object()
            filename = form.file.data.filename or "upload.csv"
            try:
                read["plans"] = plan_import(read["data"])
                # Rows, ids and history built with no lock held; written as they are, or
                # moved past rows created meanwhile (import_plans checks, else rebuilds).
                with read_session() as session:
                    read["prepared"] = prepare_import(session, actor, read["plans"], filename)
            except CsvFileError as exc:
                read["problems"] = exc.problems
        return True

    def run(session):
        if len(read["data"]) > limit:
            raise _TooLarge(f"The file is larger than {limit // 1024} KiB.", field="file")
        if "problems" in read:
            raise _Refused(read["problems"])
        # The user itself, not the proxy: its id is read for every row and event.
        actor = current_user._get_current_object()
        try:
            return import_plans(
                session,
                actor,
                read["plans"],
                form.file.data.filename or "upload.csv",
                read.get("prepared"),
            )
        except CsvFileError as exc:
            raise _Refused(exc.problems) from exc

    def refused(exc: WorkflowError | None, status: int):
        if exc is not None and not isinstance(exc, _Refused):
            show_error(form, exc)
        problems = exc.problems if isinstance(exc, _Refused) else []
        return render_template("exports/import.html", form=form, problems=problems), status

    return run_action(
        form,
        run,
        prepare=read_upload,
        redirect_to=url_for("claims.index", sort="activity"),
        message=lambda result: (
            f"Imported {len(result.created)} claim(s) from {result.filename}; "
            f"{result.skipped} already present, {result.sources_created} source(s) added."
        ),
        show_errors=False,
        rerender=refused,
    )


class _TooLarge(WorkflowError):
    status_code = 413


class _Refused(WorkflowError):
    """The file's problems, listed by line and column on the page (not one message)."""

    def __init__(self, problems: list) -> None:
        super().__init__("The file cannot be imported.")
        self.problems = problems
