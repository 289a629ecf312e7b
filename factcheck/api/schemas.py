"""Marshmallow schemas: what the API accepts (validated before any service runs) and what it
returns. The OpenAPI description is generated from them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from factcheck import limits
from factcheck.queries.claims import SORTS
from factcheck.vocabulary import ClaimOrigin
from factcheck.workflow.cleaning import CONTROL_MESSAGE, has_control
from factcheck.workflow.states import ClaimStatus, ClaimType, SourceKind, Stance

DB_ID = validate.Range(min=0, max=limits.MAX_ID)


def _values(enum) -> list[str]:
    return [member.value for member in enum]


def _id(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=DB_ID, **kwargs)


# ---- errors -------------------------------------------------------------------------------


# A rating is a key of the admins' scale (the `ratings` table): the service checks it exists.
RATING_KEY = validate.Regexp(limits.RATING_SLUG_PATTERN, error="Not a rating.")


class FieldErrorSchema(Schema):
    field = fields.String(allow_none=True, metadata={"description": "dotted path of the field"})
    message = fields.String()


class ProblemSchema(Schema):
    """RFC 9457 problem details (`application/problem+json`)."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    field = fields.String(allow_none=True, metadata={"description": "the field at fault"})
    errors = fields.List(fields.Nested(FieldErrorSchema))
    request_id = fields.String()
    current_version = fields.Integer(metadata={"description": "409: the claim's version now"})
    current = fields.Dict(metadata={"description": "409: the claim as it is now"})


# ---- output -------------------------------------------------------------------------------


class UserRefSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()


class ArticleRefSchema(Schema):
    id = fields.Integer()
    title = fields.String(allow_none=True)


class ClaimSummarySchema(Schema):
    id = fields.Integer()
    text = fields.String()
    claim_type = fields.String()
    claimant = fields.String(allow_none=True)
    claimant_id = fields.Integer(
        allow_none=True, metadata={"description": "the confirmed claimant record"}
    )
    short_text = fields.String(allow_none=True)
    status = fields.String()
    priority = fields.Integer()
    due_date = fields.Date(allow_none=True)
    published_rating = fields.String(allow_none=True)
    last_activity_at = fields.DateTime()
    version = fields.Integer()
    article = fields.Nested(ArticleRefSchema, allow_none=True)
    assignee = fields.Nested(UserRefSchema, allow_none=True)


class ClaimPageSchema(Schema):
    items = fields.List(fields.Nested(ClaimSummarySchema))
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "pass as `cursor` for the next page"}
    )


class SourceSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    title = fields.String()
    publisher = fields.String(allow_none=True)
    kind = fields.String()
    stance = fields.String()
    reliability = fields.Integer()
    published_on = fields.Date(allow_none=True)
    accessed_on = fields.Date(allow_none=True)
    archive_url = fields.String(allow_none=True)
    excerpt = fields.String(allow_none=True)
    added_by = fields.Nested(UserRefSchema, allow_none=True)
    added_at = fields.DateTime()
    version = fields.Integer()


class VerdictSchema(Schema):
    id = fields.Integer()
    rating = fields.String()
    summary = fields.String()
    rationale = fields.String()
    state = fields.String()
    drafted_by = fields.Nested(UserRefSchema)
    drafted_at = fields.DateTime()
    decided_by = fields.Nested(UserRefSchema, allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    return_reason = fields.String(allow_none=True)


class HistoryEventSchema(Schema):
    seq = fields.Integer()
    action = fields.String()
    actor = fields.Nested(UserRefSchema, allow_none=True)
    created_at = fields.DateTime()
    claim_version = fields.Integer(allow_none=True)
    details = fields.Dict()


class ClaimSchema(ClaimSummarySchema):
    quote = fields.String(allow_none=True)
    status_note = fields.String(allow_none=True)
    origin = fields.String(validate=validate.OneOf(_values(ClaimOrigin)))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    revised_at = fields.DateTime(allow_none=True)
    sources = fields.List(fields.Nested(SourceSchema))
    verdicts = fields.List(fields.Nested(VerdictSchema), metadata={"description": "oldest first"})
    pending_verdict = fields.Nested(VerdictSchema, allow_none=True)
    published_verdict = fields.Nested(VerdictSchema, allow_none=True)
    history = fields.List(fields.Nested(HistoryEventSchema))


class ArticleSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    published_on = fields.Date(allow_none=True)
    claims = fields.Integer(metadata={"description": "number of claims"})


class ArticlePageSchema(Schema):
    items = fields.List(fields.Nested(ArticleSummarySchema))
    next_before = fields.Integer(
        allow_none=True, metadata={"description": "pass as `before` for the next page"}
    )


class ArticleClaimSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    status = fields.String()
    claim_type = fields.String()


class ArticleSchema(Schema):
    id = fields.Integer()
    title = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    published_on = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    text = fields.String()
    claims = fields.List(fields.Nested(ArticleClaimSchema))


class FactCheckSchema(Schema):
    claim_id = fields.Integer()
    claim_text = fields.String()
    claim_reviewed = fields.String(metadata={"description": "ClaimReview's short form"})
    claimant = fields.String(allow_none=True)
    claimant_name = fields.String(allow_none=True)
    claimant_kind = fields.String(allow_none=True)
    rating = fields.String()
    summary = fields.String()
    published_at = fields.DateTime()
    modified_at = fields.DateTime(allow_none=True)
    under_revision = fields.Boolean()
    article_url = fields.String(allow_none=True)
    article_title = fields.String(allow_none=True)
    article_publisher = fields.String(allow_none=True)
    article_author = fields.String(allow_none=True)
    article_published_on = fields.Date(allow_none=True)


class FactCheckPageSchema(Schema):
    items = fields.List(fields.Nested(FactCheckSchema))
    next_before = fields.Integer(allow_none=True)


class ReportSchema(Schema):
    """The status report, the same figures as `/reports.json`."""

    filters = fields.Dict()
    generated_at = fields.String()
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    status_by_type = fields.Dict()
    verdicts = fields.Dict(keys=fields.String(), values=fields.Integer())
    workload = fields.List(fields.Dict())
    aging = fields.Dict(keys=fields.String(), values=fields.Integer())
    overdue = fields.Integer()
    oldest_open = fields.List(fields.Dict())
    time_to_publication = fields.Dict()
    weekly_published = fields.List(fields.Dict())
    articles = fields.List(fields.Dict())


# ---- input --------------------------------------------------------------------------------


class Text(fields.String):
    """A string anyone typed: control characters (NUL and the like) are refused, as by every
    form (workflow/cleaning.py)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if has_control(text):
            raise ValidationError(CONTROL_MESSAGE)
        return text


CURSOR = validate.Regexp(r"^[A-Za-z0-9_-]{1,200}$", error="Not a cursor this API gave out.")


class ClaimQuerySchema(Schema):
    status = Text(validate=validate.OneOf(_values(ClaimStatus)))
    claim_type = Text(validate=validate.OneOf(_values(ClaimType)))
    article_id = _id()
    assignee_id = _id(metadata={"description": "0: unassigned"})
    rating = Text(validate=RATING_KEY, metadata={"description": "a key of the rating scale"})
    q = Text(validate=validate.Length(max=limits.SEARCH_QUERY))
    sort = Text(load_default="priority", validate=validate.OneOf(list(SORTS)))
    cursor = Text(validate=CURSOR)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class BeforeQuerySchema(Schema):
    before = _id(metadata={"description": "only items with a smaller id (the next page)"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class ReportQuerySchema(Schema):
    article_id = _id()
    claim_type = Text(validate=validate.OneOf(_values(ClaimType)))
    date_from = fields.Date()
    date_to = fields.Date()

    @validates_schema
    def _period(self, data, **_kwargs) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("The end of the period is before its start.", "date_to")


def _text(limit: int, **kwargs) -> fields.String:
    return Text(validate=validate.Length(max=limit), **kwargs)


class ArticleCreateSchema(Schema):
    text = Text(
        load_default=None,
        allow_none=True,
        metadata={"description": "the article's plain text; without it, `url` is fetched"},
    )
    title = _text(limits.TITLE, allow_none=True)
    publisher = _text(limits.PUBLISHER, allow_none=True)
    author = _text(limits.AUTHOR, allow_none=True)
    url = _text(limits.URL, allow_none=True)
    published_on = fields.Date(allow_none=True)


class ArticleRequestSchema(Schema):
    """An article asked for by URL: a background job fetches the page (202 Accepted); poll
    `Location` until `status` is `done` (then `article_id` names it) or `failed` (`error`)."""

    id = fields.Integer()
    url = fields.String()
    status = fields.String(metadata={"description": "pending, done or failed"})
    article_id = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ClaimCreateSchema(Schema):
    text = _text(limits.CLAIM_TEXT, required=True)
    claim_type = Text(
        load_default=ClaimType.OTHER.value, validate=validate.OneOf(_values(ClaimType))
    )
    claimant = _text(limits.CLAIMANT, allow_none=True)
    quote = _text(
        limits.QUOTE, allow_none=True, metadata={"description": "placed in the article's text"}
    )
    priority = fields.Integer(
        load_default=3, validate=validate.Range(limits.SCALE_MIN, limits.SCALE_MAX)
    )
    due_date = fields.Date(allow_none=True)
    article_id = _id(allow_none=True)


VERSION_HELP = "the claim's version as last read (or send it as If-Match)"


class SourceCreateSchema(Schema):
    url = _text(limits.URL, required=True)
    title = _text(limits.TITLE, required=True)
    stance = Text(required=True, validate=validate.OneOf(_values(Stance)))
    kind = Text(load_default=SourceKind.OTHER.value, validate=validate.OneOf(_values(SourceKind)))
    publisher = _text(limits.PUBLISHER, allow_none=True)
    published_on = fields.Date(allow_none=True)
    accessed_on = fields.Date(allow_none=True)
    archive_url = _text(limits.URL, allow_none=True)
    excerpt = _text(limits.SOURCE_EXCERPT, allow_none=True)
    reliability = fields.Integer(
        load_default=3, validate=validate.Range(limits.SCALE_MIN, limits.SCALE_MAX)
    )
    version = fields.Integer(metadata={"description": VERSION_HELP})


class VersionSchema(Schema):
    version = fields.Integer(metadata={"description": VERSION_HELP})


class AssignSchema(VersionSchema):
    assignee_id = _id(required=True)
    due_date = fields.Date(allow_none=True)


class VerdictCreateSchema(VersionSchema):
    # A key of the admins' scale (GET /methodology lists them); an unknown one is a 400.
    rating = Text(required=True, validate=RATING_KEY)
    summary = _text(limits.VERDICT_SUMMARY, required=True)
    rationale = _text(limits.RATIONALE, required=True)


class ReasonSchema(VersionSchema):
    reason = _text(limits.REASON, required=True)
