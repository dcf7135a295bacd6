"""Rules for passwords and pseudonyms, and the signed links sent by email.

Passwords: at least MIN_PASSWORD_LENGTH characters, not one of the ten thousand most common
passwords (zxcvbn's ranked list, which also covers what they are usually made of), and not
built from the member's own pseudonym or email. Pseudonyms: unique, a sensible shape; one that
looks like an email address or a real full name gets a warning the member can override.

Links: itsdangerous signatures with a purpose-specific salt and an expiry. A password-reset
link also carries a fingerprint of the current password hash, so it stops working the moment
the password changes: single use, with no token table.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.domain.models import User
from forum.domain.models.user import MAX_PSEUDONYM_LENGTH
from forum.errors import DomainError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS_CHECKED = 10_000
MIN_PSEUDONYM_LENGTH = 3

VERIFY_MAX_AGE = 3 * 24 * 3600  # seconds a sign-up or new-address link stays valid
RESET_MAX_AGE = 3600  # seconds a password-reset link stays valid

_PSEUDONYM_SHAPE = re.compile(r"^[\w][\w .'\-]*[\w.]$", re.UNICODE)
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+|[\w.+-]+(?:\.|\s)(?:com|org|net|co\.uk|edu)$", re.I)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_CHECKED])


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    first = frozenset(FREQUENCY_LISTS["male_names"]) | frozenset(FREQUENCY_LISTS["female_names"])
    return first, frozenset(FREQUENCY_LISTS["surnames"][:20_000])


def check_password(password: str, *, pseudonym: str = "", email: str = "") -> None:
    """Raise DomainError(field="password") with a helpful message if it is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Use at least {MIN_PASSWORD_LENGTH} characters. A few ordinary words strung "
            "together are easy to remember and hard to guess.",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            f"That is longer than we can store; keep it under {MAX_PASSWORD_LENGTH} characters.",
            field="password",
        )
    folded = password.casefold()
    squashed = re.sub(r"[^a-z0-9]", "", folded)
    if folded in _common_passwords() or squashed in _common_passwords():
        raise DomainError(
            "That password is one of the most common ones, so it is easy to guess. "
            "Please choose another.",
            field="password",
        )
    personal = [pseudonym.casefold(), email.casefold().split("@")[0]]
    if any(len(part) >= 4 and part in folded for part in personal):
        raise DomainError(
            "Please don’t build your password from your pseudonym or email address.",
            field="password",
        )


def check_pseudonym_shape(pseudonym: str) -> str:
    """The pseudonym with spaces tidied, or DomainError(field="pseudonym")."""
    cleaned = " ".join(pseudonym.split())
    if not MIN_PSEUDONYM_LENGTH <= len(cleaned) <= MAX_PSEUDONYM_LENGTH:
        raise DomainError(
            f"Use between {MIN_PSEUDONYM_LENGTH} and {MAX_PSEUDONYM_LENGTH} characters.",
            field="pseudonym",
        )
    if "@" in cleaned:
        raise DomainError(
            "A pseudonym can’t contain “@”: it would show an email address to everyone.",
            field="pseudonym",
        )
    if not _PSEUDONYM_SHAPE.match(cleaned):
        raise DomainError(
            "Use letters, numbers, spaces, dots, hyphens, apostrophes or underscores, "
            "starting and ending with a letter or number.",
            field="pseudonym",
        )
    if cleaned.casefold().startswith("former-member") or cleaned.casefold() in {
        "admin", "administrator", "moderator", "cohort", "a former member", "staff",
    }:  # fmt: skip
        raise DomainError("That name is reserved. Please choose another.", field="pseudonym")
    return cleaned


def pseudonym_warning(pseudonym: str) -> str | None:
    """A gentle warning when a pseudonym may identify the person; None if it looks safe."""
    if _EMAIL_LIKE.search(pseudonym):
        return (
            "This looks like an email address or web address. Everyone can see your "
            "pseudonym, so it is safer to use one that can’t be traced to you."
        )
    words = [w for w in re.split(r"[\s._\-]+", pseudonym.casefold()) if w]
    first_names, surnames = _names()
    if 2 <= len(words) <= 3 and words[0] in first_names and words[-1] in surnames:
        return (
            "This looks like it might be a real name. Everyone can see your pseudonym on "
            "what you write about your health, so a made-up name protects your privacy."
        )
    return None


# --- signed links -------------------------------------------------------------------------------


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cohort.{purpose}")


def password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    """The payload, or DomainError saying the link expired or is not valid."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as err:
        raise DomainError("That link has expired. You can ask for a new one below.") from err
    except BadSignature as err:
        raise DomainError(
            "That link isn’t valid. It may have been cut short, or already used."
        ) from err
    if not isinstance(payload, dict):
        raise DomainError("That link isn’t valid.")
    return payload
