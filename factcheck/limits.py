"""Limits shared by the models (column sizes, CHECK constraints), the forms, the services and
the queries: each is defined once here, so a form can never accept what the database refuses.

A leaf module: it imports nothing of the application.
"""

from __future__ import annotations

# The largest id accepted in a URL, a filter, a CLI option or a CSV span: the ids are INTEGER
# columns (32-bit signed on PostgreSQL), so anything larger is "not found" rather than an error.
MAX_ID = 2**31 - 1

# Text lengths, in characters.
USERNAME = 64
DISPLAY_NAME = 120
EMAIL = 254
PASSWORD = 256  # the longest password accepted (zxcvbn and the hash both stay cheap)

SLUG = 120
EXTERNAL_KEY = 120
ARTICLE_TEXT = 200_000
TITLE = 300
PUBLISHER = 200
AUTHOR = 200
URL = 2000

CLAIM_TEXT = 1000
QUOTE = 5000
CLAIMANT = 200
CLAIMANT_DESCRIPTION = 500
CLAIMANT_LINKS = 10  # `sameAs` addresses per claimant
# ClaimReview consumers cut `claimReviewed` past this: a claim keeps a short form within it.
CLAIM_SHORT_TEXT = 75
STATUS_NOTE = 1000

SOURCE_EXCERPT = 10_000

VERDICT_SUMMARY = 300
RATIONALE = 20_000
RETURN_REASON = 2000  # the column; the form and the service take at most REASON
REASON = 1000

# The rating scale the admins define: a label's name and meaning, and the top of the numeric
# scale a label may take a place on (ClaimReview's ratingValue).
RATING_LABEL = 40
RATING_MEANING = 1000
RATING_SCALE_MAX = 10
RATING_SLUG = 20  # the key verdicts and claims store; lowercase words joined by underscores
RATING_SLUG_PATTERN = rf"^[a-z][a-z0-9_]{{0,{RATING_SLUG - 1}}}$"
RATING_COLOUR = 7  # "#rrggbb"

# A source's archive attempt: the service's last error.
ARCHIVE_ERROR = 500

COMMENT_BODY = 10_000
NOTIFICATION_TEXT = 500  # a notification's one line, as listed and e-mailed
CORRECTION_NOTE = 5000

# Integer scales: a claim's priority (1 urgent … 5 whenever) and a source's reliability.
SCALE_MIN, SCALE_MAX = 1, 5

SEARCH_QUERY = 200  # the claims list's text search (pages and API)
FILENAME = 200  # an uploaded file's name as recorded in history

API_TOKEN_NAME = 100
API_TOKEN_SECRET = 100  # longer than any secret we issue: refused before any lookup

# Intake: a feed's or a fetch request's last error, and a failed background job's record.
FETCH_ERROR = 1000
JOB_TASK = 200
JOB_ID = 64  # huey task ids are UUIDs
JOB_ARGUMENTS = 2000  # how much of a failed job's arguments is kept (a Text column)
JOB_ERROR = 2000

# Webhooks
WEBHOOK_DESCRIPTION = 200
WEBHOOK_ERROR = 1000
