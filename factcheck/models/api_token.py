"""Personal API tokens: a user's named secret for scripts and other systems, stored hashed.

Only the SHA-256 of the secret is kept (the secret is shown once, when the token is made); a
random 256-bit secret needs no slow hash. A token reads, or reads and writes, as its user; it
stops working when revoked or when its user is deactivated."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import TokenScope

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .user import User

TOKEN_SCOPES = tuple(scope.value for scope in TokenScope)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        enum_check("scope", TOKEN_SCOPES),
        length_check("name", limits.API_TOKEN_NAME),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(limits.API_TOKEN_NAME))
    # Hex SHA-256 of the whole secret; the lookup key of every API request.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The secret's first characters, shown in the list so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(10), default=TokenScope.READ.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def __repr__(self) -> str:
        return f"<ApiToken #{self.id} {self.prefix}… {self.scope}>"
