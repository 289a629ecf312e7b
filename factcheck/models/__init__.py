"""The ORM models, one module per concept. Import from here so every mapper is configured."""

from .api_token import ApiToken
from .article import Article
from .base import Base, utcnow
from .claim import Claim
from .claim_link import ClaimLink
from .claim_status_count import ClaimStatusCount, ClaimTally
from .claimant import Claimant
from .comment import Comment
from .correction import Correction
from .data_version import DataVersion
from .form_submission import FormSubmission, KeptForm
from .history import HistoryChainHead, HistoryEvent
from .intake import ArticleAddress, FailedJob, Feed, IntakeRequest
from .login_throttle import LoginThrottle
from .notification import EmailPreference, Notification
from .rating import Rating
from .source import Source
from .user import User
from .verdict import Verdict
from .webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAddress",
    "Base",
    "Claim",
    "ClaimLink",
    "Claimant",
    "ClaimStatusCount",
    "ClaimTally",
    "Comment",
    "Correction",
    "DataVersion",
    "EmailPreference",
    "FailedJob",
    "Feed",
    "FormSubmission",
    "KeptForm",
    "HistoryChainHead",
    "HistoryEvent",
    "IntakeRequest",
    "LoginThrottle",
    "Notification",
    "Rating",
    "Source",
    "User",
    "Verdict",
    "WebhookDelivery",
    "WebhookEndpoint",
    "utcnow",
]
