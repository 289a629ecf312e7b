"""The ORM models, one module per concept. Import from here so every mapper is configured."""

from .api_token import ApiToken
from .article import Article
from .base import Base, utcnow
from .claim import Claim
from .claim_status_count import ClaimStatusCount
from .comment import Comment
from .correction import Correction
from .data_version import DataVersion
from .form_submission import FormSubmission
from .history import HistoryChainHead, HistoryEvent
from .intake import ArticleAddress, FailedJob, Feed, IntakeRequest
from .login_throttle import LoginThrottle
from .rating import Rating
from .source import Source
from .user import User
from .verdict import Verdict

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAddress",
    "Base",
    "Claim",
    "ClaimStatusCount",
    "Comment",
    "Correction",
    "DataVersion",
    "FailedJob",
    "Feed",
    "FormSubmission",
    "HistoryChainHead",
    "HistoryEvent",
    "IntakeRequest",
    "LoginThrottle",
    "Rating",
    "Source",
    "User",
    "Verdict",
    "utcnow",
]
