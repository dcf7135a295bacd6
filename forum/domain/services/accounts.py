"""Accounts: creating members and checking passwords."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from forum.domain.models import User, UserRole, name_key, utcnow
from forum.extensions import db


def hash_password(password: str) -> str:
    """scrypt via Werkzeug: memory-hard, salted, and with no extra dependency."""
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def build_user(
    *, pseudonym: str, email: str, password_hash: str | None, role: UserRole, verified: bool
) -> User:
    """A new member added to the session (not committed)."""
    now = utcnow()
    user = User(
        pseudonym=pseudonym,
        pseudonym_key=name_key(pseudonym),
        email=email.strip().lower(),
        password_hash=password_hash,
        role=role,
        email_verified_at=now if verified else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(user)
    return user


# A real scrypt hash of a random password: checking against it when no account matches keeps
# "no such email" as slow as "wrong password", so timing doesn't reveal who has an account.
_DUMMY_HASH = generate_password_hash("not-a-real-password-dummy", method="scrypt")

LOGIN_FAILED = "That email and password don’t match an account. Check both and try again."


def authenticate(email: str, password: str) -> User:
    """The active member with this email and password. One message for every failure."""
    from sqlalchemy import select

    from forum.domain.models import UserStatus
    from forum.errors import DomainError

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        raise DomainError(LOGIN_FAILED)
    if not password_matches(user, password) or user.status in (
        UserStatus.BANNED,
        UserStatus.ERASED,
    ):
        raise DomainError(LOGIN_FAILED)
    return user
