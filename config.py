"""Configuration classes: everything comes from the environment, with safe defaults for a laptop.

`create_app()` picks one by `FACTCHECK_CONFIG` (development, testing, production) unless a class is
passed in. Production refuses to start without a secret key; development keeps a generated one under
`instance/` so sessions survive restarts.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FACTCHECK_INSTANCE_DIR", BASE_DIR / "instance"))


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'factcheck.db'}"


def is_local_address(url: str) -> bool:
    """A URL that only this machine can reach (localhost, a loopback or unspecified address):
    never the public address of ClaimReview `url` and `author.url` fields."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    # What each process keeps until the next commit anywhere (factcheck/web/cache.py), per
    # region: claims-list pages, status counts and reports (each); article suggestions; signed-in
    # users. PAGE_CACHE_ENTRIES = 0 turns the whole cache off.
    PAGE_CACHE_ENTRIES = _env_int("FACTCHECK_PAGE_CACHE_ENTRIES", 128)
    SUGGESTION_CACHE_ENTRIES = _env_int("FACTCHECK_SUGGESTION_CACHE_ENTRIES", 32)
    USER_CACHE_ENTRIES = _env_int("FACTCHECK_USER_CACHE_ENTRIES", 1024)
    CLAIM_PAGE_CACHE_ENTRIES = _env_int("FACTCHECK_CLAIM_PAGE_CACHE_ENTRIES", 1024)
    DATABASE_URL = os.environ.get("FACTCHECK_DATABASE_URL", _default_database_url())
    SECRET_KEY = os.environ.get("FACTCHECK_SECRET_KEY")
    ORGANISATION_NAME = os.environ.get("FACTCHECK_ORG_NAME", "Factcheck Desk")
    # The organisation's address in ClaimReview `author.url`; unset, the site's public home page.
    ORGANISATION_URL = os.environ.get("FACTCHECK_ORG_URL")
    # Absolute base used in ClaimReview `url` fields; required in production, development falls
    # back to the request's host.
    PUBLIC_BASE_URL = os.environ.get("FACTCHECK_PUBLIC_BASE_URL")
    MAX_CONTENT_LENGTH = _env_int("FACTCHECK_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
    MAX_CSV_UPLOAD_BYTES = _env_int("FACTCHECK_MAX_CSV_BYTES", 4 * 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    # Claim extraction stops past this much work (characters examined) or wall time and the
    # article page says how far it read; text processing is linear, so this is a safety net.
    EXTRACTION_MAX_STEPS = _env_int("FACTCHECK_EXTRACTION_MAX_STEPS", 50_000_000)
    EXTRACTION_MAX_SECONDS = float(os.environ.get("FACTCHECK_EXTRACTION_MAX_SECONDS") or 3.0)
    # An article this long (characters) is saved at once and its claims are extracted by a
    # background job (its page says "extracting…" meanwhile); a shorter one's on its page.
    EXTRACTION_JOB_FROM_CHARS = _env_int("FACTCHECK_EXTRACTION_JOB_FROM_CHARS", 20_000)
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_SECONDS = 300
    LOGIN_SLOWDOWN_SECONDS = 0.25  # added per recent failure of the same client on an account
    # Proxies in front of the app whose X-Forwarded-For may be believed (0: none; the client's
    # address is the connection's). The sign-in throttle counts failures per client address.
    TRUSTED_PROXIES = _env_int("FACTCHECK_TRUSTED_PROXIES", 0)
    # A session older than this (seconds since sign-in) is refused by the server.
    SESSION_MAX_AGE = _env_int("FACTCHECK_SESSION_MAX_AGE", 12 * 3600)
    HSTS_SECONDS = 0  # Strict-Transport-Security max-age; 0 sends none
    # Intake (articles by URL, feeds). Hosts fetched even though they resolve to a loopback or
    # private address (comma-separated; for tests and intranets). Everything else private is
    # refused.
    FETCH_ALLOWED_HOSTS = os.environ.get("FACTCHECK_FETCH_ALLOWED_HOSTS", "")
    FETCH_TIMEOUT_SECONDS = float(os.environ.get("FACTCHECK_FETCH_TIMEOUT_SECONDS") or 10.0)
    FETCH_MAX_BYTES = _env_int("FACTCHECK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
    FETCH_MAX_REDIRECTS = 5
    # Background jobs (huey): Redis when a URL is given, else a SQLite file under instance/.
    # The archive service asked for a snapshot of each new source (Save Page Now's shape:
    # GET {base}/save/{url}); empty turns archiving off.
    ARCHIVE_SERVICE_URL = os.environ.get("FACTCHECK_ARCHIVE_URL", "https://web.archive.org")
    ARCHIVE_TIMEOUT_SECONDS = float(os.environ.get("FACTCHECK_ARCHIVE_TIMEOUT_SECONDS") or 60.0)

    HUEY_NAME = os.environ.get("FACTCHECK_HUEY_NAME", "factcheck")
    HUEY_URL = os.environ.get("HUEY_URL") or os.environ.get("FACTCHECK_REDIS_URL")
    HUEY_FILE = os.environ.get("FACTCHECK_HUEY_FILE", str(INSTANCE_DIR / "huey.db"))
    HUEY_IMMEDIATE = False  # run jobs inline, in the caller (tests without a consumer)
    # A URL request or feed poll whose worker went silent this long is sent out again.
    INTAKE_LEASE_SECONDS = _env_int("FACTCHECK_INTAKE_LEASE_SECONDS", 600)
    # Webhooks: hosts that may be called although they resolve to a loopback or private address
    # (comma-separated, as FETCH_ALLOWED_HOSTS); attempts per delivery, and the first retry's
    # delay in seconds (doubled after each failure).
    WEBHOOK_ALLOWED_HOSTS = os.environ.get("FACTCHECK_WEBHOOK_ALLOWED_HOSTS", "")
    WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS") or 10.0)
    WEBHOOK_MAX_ATTEMPTS = _env_int("FACTCHECK_WEBHOOK_MAX_ATTEMPTS", 6)
    WEBHOOK_RETRY_SECONDS = _env_int("FACTCHECK_WEBHOOK_RETRY_SECONDS", 30)
    # The JSON API's requests per token (Flask-Limiter syntax), and where they are counted:
    # memory:// is per process (tests, development); with several workers use a shared store,
    # e.g. redis://localhost:6379/0 (needs the `redis` package: pip install -e '.[redis]').
    API_RATE_LIMIT = os.environ.get("FACTCHECK_API_RATE_LIMIT", "300 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("FACTCHECK_RATELIMIT_STORAGE_URL", "memory://")
    # Notification e-mails (factcheck/mailing.py), sent by the task queue. No host or no sender:
    # no e-mail at all (notifications stay in the app). TLS: none, starttls or ssl.
    MAIL_SMTP_HOST = os.environ.get("FACTCHECK_SMTP_HOST", "")
    MAIL_SMTP_PORT = _env_int("FACTCHECK_SMTP_PORT", 0)  # 0: 587 starttls, 465 ssl, 25 none
    MAIL_SMTP_TLS = os.environ.get("FACTCHECK_SMTP_TLS", "starttls")
    MAIL_SMTP_USER = os.environ.get("FACTCHECK_SMTP_USER", "")
    MAIL_SMTP_PASSWORD = os.environ.get("FACTCHECK_SMTP_PASSWORD", "")
    MAIL_SMTP_TIMEOUT = float(os.environ.get("FACTCHECK_SMTP_TIMEOUT") or 10.0)
    MAIL_FROM = os.environ.get("FACTCHECK_MAIL_FROM", "")
    # The app's own address, for links in the e-mails (e.g. https://desk.example.org).
    MAIL_BASE_URL = os.environ.get("FACTCHECK_MAIL_BASE_URL", "")
    TESTING = False
    DEBUG = False

    @classmethod
    def finalise(cls) -> None:
        """Hook for variants that must check or derive settings before the app starts."""


class DevelopmentConfig(Config):
    DEBUG = False  # the reloader/debugger stay off unless `flask run --debug` is asked for

    @classmethod
    def finalise(cls) -> None:
        if not cls.SECRET_KEY:
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
            key_file = INSTANCE_DIR / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_hex(32))
                key_file.chmod(0o600)
            cls.SECRET_KEY = key_file.read_text().strip()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    WTF_CSRF_ENABLED = False
    DATABASE_URL = os.environ.get("FACTCHECK_TEST_DATABASE_URL", "sqlite://")
    LOGIN_LOCK_SECONDS = 60
    LOGIN_SLOWDOWN_SECONDS = 0.0
    # Jobs run inline unless a test starts a real consumer (which sets this to 0).
    HUEY_IMMEDIATE = os.environ.get("FACTCHECK_HUEY_IMMEDIATE", "1") == "1"
    # Off, unless a test points it at its local fake (the consumer test, by the environment).
    ARCHIVE_SERVICE_URL = os.environ.get("FACTCHECK_TEST_ARCHIVE_URL", "")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600
    MIN_SECRET_KEY_BYTES = 32

    @classmethod
    def finalise(cls) -> None:
        if not cls.SECRET_KEY:
            raise RuntimeError("FACTCHECK_SECRET_KEY must be set in production")
        if len(cls.SECRET_KEY.encode()) < cls.MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                f"FACTCHECK_SECRET_KEY must be at least {cls.MIN_SECRET_KEY_BYTES} bytes "
                "(e.g. secrets.token_hex(32))"
            )
        if not cls.PUBLIC_BASE_URL:
            # Public fact-check URLs must not be built from the request's Host header.
            raise RuntimeError("FACTCHECK_PUBLIC_BASE_URL must be set in production")
        for name in ("PUBLIC_BASE_URL", "ORGANISATION_URL"):
            value = getattr(cls, name)
            if value and is_local_address(value):
                raise RuntimeError(
                    f"FACTCHECK_{name.replace('ORGANISATION', 'ORG')} must be a "
                    f"public address in production, not {value}"
                )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
