"""Erasing an account: a member's personal data goes for good, and their writing is blanked
(lifecycle.erase) or kept, shown as written by "a former member"."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import delete, select

from forum.domain.models import (
    Draft,
    OutboxEmail,
    Post,
    Reply,
    User,
    UserStatus,
    utcnow,
)
from forum.domain.services import conversations, lifecycle
from forum.domain.services.accounts import password_matches
from forum.errors import DomainError
from forum.extensions import db


class ErasureChoice(Enum):
    DELETE_POSTS = "delete"  # their stories, threads and replies are removed and blanked
    KEEP_ANONYMOUSLY = "keep"  # they stay, shown as written by "a former member"


def erase_account(user: User, *, password: str, choice: ErasureChoice) -> None:
    """Erase a member’s personal data for good; their writing is blanked or kept anonymously.

    Rows stay as tombstones (ids, timestamps) so threads keep their shape and counts stay true."""
    if not password_matches(user, password):
        raise DomainError("That isn’t your password.", field="password")
    now = utcnow()
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id)).all()
    replies = db.session.scalars(select(Reply).where(Reply.author_id == user.id)).all()
    if choice is ErasureChoice.DELETE_POSTS:
        lifecycle.erase(posts, replies, by=user)
    else:
        lifecycle.disown(posts, replies, author=user)
    db.session.execute(delete(Draft).where(Draft.author_id == user.id))
    conversations.forget(user)  # private conversations with the moderators go too
    if user.email:
        db.session.execute(delete(OutboxEmail).where(OutboxEmail.to_address == user.email))
    user.pseudonym = user.pseudonym_key = f"former-member-{user.id}"
    user.email = user.pending_email = user.password_hash = None
    user.age_confirmed_at = user.health_consent_at = user.email_verified_at = None
    user.status, user.erased_at = UserStatus.ERASED, now
    user.session_version += 1
    db.session.commit()
