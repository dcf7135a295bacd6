"""Accounts: joining, proving an email address, passwords, exporting and erasing one’s data.

Each public function is one unit of work and commits once. Emails are composed by the web
layer (forum/auth/emails.py) from the tokens made here, after the change is committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.domain.models import (
    Draft,
    OutboxEmail,
    Post,
    PostStatus,
    PostTag,
    Reply,
    Revision,
    User,
    UserRole,
    UserStatus,
    name_key,
    utcnow,
)
from forum.domain.services import conversations, credentials, search
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotAllowed, Problems
from forum.extensions import db


def hash_password(password: str) -> str:
    """scrypt via Werkzeug: memory-hard and salted, with no extra dependency."""
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def build_user(
    *, pseudonym: str, email: str, password_hash: str | None, role: UserRole, verified: bool
) -> User:
    """A new member added to the session (not committed)."""
    now = utcnow()
    user = User(
        pseudonym=pseudonym,
        pseudonym_key=name_key(pseudonym),
        email=normalize_email(email),
        password_hash=password_hash,
        role=role,
        status=UserStatus.ACTIVE,
        session_version=1,
        email_verified_at=now if verified else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(user)
    return user


# A real scrypt hash of a random password: checking against it when no account matches keeps
# "no such email" as slow as "wrong password", so timing doesn't reveal who has an account.
_DUMMY_HASH = generate_password_hash("not-a-real-password-dummy", method="scrypt")


def _hash_for_nothing(password: str) -> None:
    """As much work as hashing or checking `password`, on a path that has no hash to make or
    check: login with an unknown email, sign-up with a known one. Timing then tells nothing."""
    check_password_hash(_DUMMY_HASH, password)


LOGIN_FAILED = "That email and password don’t match an account. Check both and try again."


def authenticate(email: str, password: str) -> User:
    """The member with this email and password who may log in. One message for every failure."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.password_hash:
        _hash_for_nothing(password)
        raise DomainError(LOGIN_FAILED)
    if not password_matches(user, password) or not user.is_active:
        raise DomainError(LOGIN_FAILED)
    return user


# --- joining -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUp:
    pseudonym: str
    email: str
    password: str
    age_confirmed: bool
    health_consent: bool
    accept_pseudonym_warning: bool = False


class PseudonymWarning(DomainError):
    """The pseudonym may identify the person; the form asks them to confirm or change it."""


@dataclass(frozen=True)
class SignUpResult:
    user: User | None  # None when the email already had an account (told by email, not here)
    existing: User | None = None


def sign_up_problems(draft: SignUp) -> list[DomainError]:
    """Everything sign_up would refuse, each on its field, for a form whose own checks (the
    email's shape) failed: the person fixes it all in one go. Saves nothing."""
    return _checked(draft)[1]


def _checked(draft: SignUp) -> tuple[str, list[DomainError]]:
    """The pseudonym with spaces tidied, and every problem with the sign-up."""
    email = normalize_email(draft.email)
    problems: list[DomainError] = []
    pseudonym = draft.pseudonym
    try:
        pseudonym = credentials.check_pseudonym_shape(draft.pseudonym)
        if db.session.scalar(select(User.id).where(User.pseudonym_key == name_key(pseudonym))):
            raise DomainError("That pseudonym is taken. Please choose another.", field="pseudonym")
    except DomainError as err:
        problems.append(err)
    try:
        credentials.check_password(draft.password, pseudonym=pseudonym, email=email)
    except DomainError as err:
        problems.append(err)
    if not draft.age_confirmed:
        problems.append(
            DomainError("Cohort is for people aged 16 or older.", field="age_confirmed")
        )
    if not draft.health_consent:
        problems.append(
            DomainError(
                "We need your consent to store the health information you choose to share; "
                "without it we can’t hold your account.",
                field="health_consent",
            )
        )
    return pseudonym, problems


def sign_up(draft: SignUp) -> SignUpResult:
    """Create an unverified member. Raises Problems (every problem, each on its field),
    PseudonymWarning, or DomainError (a race for the pseudonym).

    An email that already has an account is *not* reported on the page (that would tell anyone
    who is a member), nor by the time taken; the caller emails that address instead and shows
    the same next step. Another member's pending (unconfirmed) move to the address reserves
    nothing: that change is refused if they confirm it later."""
    email = normalize_email(draft.email)
    pseudonym, problems = _checked(draft)
    if problems:
        raise Problems(problems)
    warning = credentials.pseudonym_warning(pseudonym)
    if warning and not draft.accept_pseudonym_warning:
        raise PseudonymWarning(warning, field="pseudonym")
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        _hash_for_nothing(draft.password)  # as slow as making the new account's hash below
        return SignUpResult(None, existing)
    now = utcnow()
    user = build_user(
        pseudonym=pseudonym,
        email=email,
        password_hash=hash_password(draft.password),
        role=UserRole.MEMBER,
        verified=False,
    )
    user.age_confirmed_at = now
    user.health_consent_at = now
    try:
        db.session.commit()
    except IntegrityError as err:  # a race with another sign-up for the same name or email
        db.session.rollback()
        raise DomainError(
            "That pseudonym is taken. Please choose another.", field="pseudonym"
        ) from err
    return SignUpResult(user)


def verification_token(user: User, email: str | None = None) -> str:
    return credentials.make_token("verify-email", {"uid": user.id, "email": email or user.email})


def read_verification_link(token: str) -> None:
    """Check a link before asking its visitor to log in. Raises DomainError (expired, broken,
    or for an account that no longer exists)."""
    _verification_account(token)


def _verification_account(token: str) -> tuple[User, str | None]:
    payload = credentials.read_token("verify-email", token, credentials.VERIFY_MAX_AGE)
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.is_erased:
        raise DomainError("That link isn’t valid any more.")
    return user, payload.get("email")


class Confirmation(Enum):
    CONFIRMED = "confirmed"  # the sign-up address is confirmed
    CHANGED = "changed"  # the account moved to the new address
    ALREADY = "already"  # nothing left to do: a link opened twice


def verify_email(token: str, *, viewer: User) -> Confirmation:
    """Confirm the address in the link for the member it was sent to, who must be `viewer`:
    the link proves the address, the login proves the person (a link alone is no login).

    A change ends the account's other sessions (the caller logs this one back in), so whoever
    else was logged in with the address (someone who signed up with it, say) is logged out.
    Raises NotAllowed (another member is logged in), or DomainError: the link is expired or
    broken, was for an address the account no longer uses, or another account now has it
    (then the pending change is dropped)."""
    user, email = _verification_account(token)
    if user.id != viewer.id:
        raise NotAllowed(
            "This link is for a different account from the one you are logged in to, so "
            "nothing has changed."
        )
    if email == user.email:
        if user.email_verified_at is not None:
            return Confirmation.ALREADY
        outcome = Confirmation.CONFIRMED
    elif email is not None and email == user.pending_email:
        if db.session.scalar(select(User.id).where(User.email == email, User.id != user.id)):
            user.pending_email = None  # it can never be confirmed now; stop offering it
            db.session.commit()
            raise DomainError(
                f"Another account now uses {email}, so yours can’t move to it. Your address "
                f"stays {user.email}."
            )
        user.email, user.pending_email = email, None
        outcome = Confirmation.CHANGED
    else:
        raise DomainError("That link is for an address this account no longer uses.")
    user.email_verified_at = utcnow()
    user.session_version += 1
    db.session.commit()
    return outcome


# --- passwords -----------------------------------------------------------------------------------


def find_for_reset(email: str) -> User | None:
    """The account a reset email should go to, if any (the page never says which)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    return user if user is not None and user.is_active else None


def reset_token(user: User) -> str:
    return credentials.make_token(
        "reset-password", {"uid": user.id, "pw": credentials.password_fingerprint(user)}
    )


def user_for_reset_token(token: str) -> User:
    payload = credentials.read_token("reset-password", token, credentials.RESET_MAX_AGE)
    user = db.session.get(User, payload.get("uid"))
    if (
        user is None
        or not user.is_active
        or payload.get("pw") != credentials.password_fingerprint(user)
    ):
        raise DomainError("That link has already been used or is no longer valid.")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; ends every session, and proves the email."""
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # they read an email sent to this address
    db.session.commit()
    return user


def change_password(user: User, *, current: str, new: str) -> User:
    """Change a password; other sessions end (the caller logs this one back in)."""
    if not password_matches(user, current):
        raise DomainError("That isn’t your current password.", field="current_password")
    _set_password(user, new, field="new_password")
    db.session.commit()
    return user


def _set_password(user: User, password: str, field: str = "password") -> None:
    try:
        credentials.check_password(password, pseudonym=user.pseudonym, email=user.email or "")
    except DomainError as err:
        raise DomainError(err.message, field=field) from err
    user.password_hash = hash_password(password)
    user.session_version += 1


def request_email_change(user: User, *, password: str, new_email: str) -> str:
    """Remember the new address until its link is followed; returns the token for the email."""
    if not password_matches(user, password):
        raise DomainError("That isn’t your current password.", field="password")
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise DomainError("That is already your email address.", field="new_email")
    user.pending_email = new_email
    db.session.commit()
    return verification_token(user, new_email)


def email_is_taken(email: str, *, by_other_than: User) -> bool:
    return (
        db.session.scalar(
            select(User.id).where(User.email == normalize_email(email), User.id != by_other_than.id)
        )
        is not None
    )


# --- export and erasure --------------------------------------------------------------------------


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
    touched_tags = {link.tag_id for post in posts for link in post.tag_links}
    if choice is ErasureChoice.DELETE_POSTS:
        for post in posts:
            post.title, post.body, post.body_html, post.excerpt = "[removed]", "", "", ""
            post.experience_duration = post.experience_status = None
            if post.status is not PostStatus.REMOVED:
                post.status, post.removed_at, post.removed_by_id = PostStatus.REMOVED, now, user.id
                post.removal_reason = None
        for reply in replies:
            if reply.status is PostStatus.PUBLISHED:
                reply.post.reply_count -= 1
                touched_tags |= {link.tag_id for link in reply.post.tag_links}
            reply.body, reply.body_html = "", ""
            if reply.status is not PostStatus.REMOVED:
                reply.status, reply.removed_at, reply.removed_by_id = (
                    PostStatus.REMOVED,
                    now,
                    user.id,
                )
        db.session.execute(
            delete(Revision).where(
                or_(
                    Revision.post_id.in_([p.id for p in posts]),
                    Revision.reply_id.in_([r.id for r in replies]),
                )
            )
        )
        db.session.execute(
            update(PostTag).where(PostTag.post_id.in_([p.id for p in posts])).values(listed_at=None)
        )
        search.forget(posts, replies)  # the words leave the index too
    else:
        for obj in (*posts, *replies):
            obj.author_id = None
            if obj.removed_by_id == user.id:
                obj.removed_by_id = None
        db.session.execute(
            update(Revision).where(Revision.editor_id == user.id).values(editor_id=None)
        )
    db.session.execute(delete(Draft).where(Draft.author_id == user.id))
    conversations.forget(user)  # private conversations with the moderators go too
    if user.email:
        db.session.execute(delete(OutboxEmail).where(OutboxEmail.to_address == user.email))
    user.pseudonym = user.pseudonym_key = f"former-member-{user.id}"
    user.email = user.pending_email = user.password_hash = None
    user.age_confirmed_at = user.health_consent_at = user.email_verified_at = None
    user.status, user.erased_at = UserStatus.ERASED, now
    user.session_version += 1
    tag_service.touch(touched_tags)
    db.session.commit()


# --- operators ----------------------------------------------------------------------------------


def create_user(*, email: str, pseudonym: str, password: str, role: UserRole) -> User:
    """A verified account made by an operator (the first admin, moderators, editors)."""
    pseudonym = credentials.check_pseudonym_shape(pseudonym)
    email = normalize_email(email)
    credentials.check_password(password, pseudonym=pseudonym, email=email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise DomainError(f"An account with {email} already exists.", field="email")
    if db.session.scalar(select(User.id).where(User.pseudonym_key == name_key(pseudonym))):
        raise DomainError(f"The pseudonym {pseudonym} is taken.", field="pseudonym")
    user = build_user(
        pseudonym=pseudonym,
        email=email,
        password_hash=hash_password(password),
        role=role,
        verified=True,
    )
    user.age_confirmed_at = user.health_consent_at = utcnow()
    db.session.commit()
    return user
