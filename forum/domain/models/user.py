"""Members and staff."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from forum.domain.models.base import TimestampMixin, db

if TYPE_CHECKING:
    from forum.domain.models.post import Post

MAX_PSEUDONYM_LENGTH = 40


class UserRole(enum.Enum):
    MEMBER = "member"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"


class UserStatus(enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # may read and log in, may not post, until suspended_until
    BANNED = "banned"  # may not log in
    ERASED = "erased"  # personal data blanked; the row stays as a tombstone


def name_key(name: str) -> str:
    """Case- and space-insensitive key for names that must be unique (pseudonyms, tag names)."""
    return " ".join(name.split()).casefold()


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(MAX_PSEUDONYM_LENGTH))
    pseudonym_key: Mapped[str] = mapped_column(String(MAX_PSEUDONYM_LENGTH), unique=True)
    # Lower-cased; NULL once the account is erased.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(default=UserRole.MEMBER)
    status: Mapped[UserStatus] = mapped_column(default=UserStatus.ACTIVE)
    email_verified_at: Mapped[datetime | None]
    # A new address waiting for its verification link; the old one stays in use until then.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Declared at sign-up: 16 or older; and the separate, explicit consent to store the health
    # information they choose to share (GDPR Art. 9), each with its time.
    age_confirmed_at: Mapped[datetime | None]
    health_consent_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    # Email preferences: a digest of followed tags and unread notifications, and whether each
    # notification is also emailed. Calm by default.
    digest_frequency: Mapped[str] = mapped_column(
        String(10), default="weekly", server_default="weekly"
    )
    email_notifications: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_digest_at: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    # Bumped to end every other session (password change, erasure); part of the login cookie id.
    session_version: Mapped[int] = mapped_column(default=1)

    posts: WriteOnlyMapped[Post] = relationship(
        back_populates="author", foreign_keys="Post.author_id", passive_deletes=True
    )

    # Flask-Login protocol, written out so the login cookie carries the session version.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status in (UserStatus.ACTIVE, UserStatus.SUSPENDED)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_erased(self) -> bool:
        return self.status is UserStatus.ERASED

    @property
    def is_staff(self) -> bool:
        return self.role is not UserRole.MEMBER

    def __repr__(self) -> str:
        return f"<User {self.id} {self.pseudonym!r} {self.role.value}>"
