"""Plain factory functions: sensible defaults, overrides by keyword, unique values from a counter.

Call them inside `with app.app_context():`. Each commits, so what it returns is in the database.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from functools import lru_cache

from forum.domain.models import (
    AliasKind,
    Article,
    ArticleKind,
    ArticlePin,
    ArticleReference,
    ArticleStatus,
    Post,
    PostKind,
    PostStatus,
    RelationKind,
    Reply,
    Tag,
    TagKind,
    User,
    UserRole,
    UserStatus,
    utcnow,
)
from forum.domain.services import accounts, lifecycle, tags
from forum.extensions import db

_seq = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery staple"


@lru_cache
def _hash(password: str) -> str:
    return accounts.hash_password(password)


def make_user(
    *,
    pseudonym: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: str | UserRole = "member",
    verified: bool = True,
    status: str | UserStatus = "active",
    joined: datetime | None = None,
) -> User:
    n = next(_seq)
    user = accounts.build_user(
        pseudonym=pseudonym or f"member{n}",
        email=email or f"member{n}@example.test",
        password_hash=_hash(password),
        role=UserRole(role),
        verified=verified,
    )
    user.status = UserStatus(status)
    user.age_confirmed_at = user.health_consent_at = utcnow()
    if joined is not None:
        user.created_at = joined
    db.session.commit()
    return user


def make_tag(
    *,
    name: str | None = None,
    kind: str | TagKind = "drug",
    definition: str = "",
    description: str = "",
    aliases: tuple[str, ...] | list[str] = (),
    alias_kind: str = "brand",
) -> Tag:
    tag = tags.new_tag(
        TagKind(kind),
        name or f"drug{next(_seq)}",
        definition=definition,
        description=description,
    )
    for alias in aliases:
        tags.new_alias(tag, alias, AliasKind(alias_kind))
    db.session.commit()
    return tag


def relate(subject: Tag, kind: str, obj: Tag) -> None:
    tags.new_relation(subject, RelationKind(kind), obj)
    db.session.commit()


def make_post(
    *,
    author: User | None = None,
    tags: list[Tag] | None = None,
    kind: str = "story",
    status: str = "published",
    title: str | None = None,
    body: str = "I have been taking this for a while and wanted to share how it went.",
    at: datetime | None = None,
    removed: bool = False,
    removed_by: User | None = None,
    removal_reason: str | None = None,
) -> Post:
    n = next(_seq)
    if author is None:
        author = make_user()
    if tags is None:
        tags = [make_tag()]
    post = lifecycle.build_post(
        author=author,
        kind=PostKind(kind),
        title=title or f"Post number {n}",
        body=body,
        tags=tags,
        status=PostStatus(status),
        at=at,
    )
    if removed:
        post.status = PostStatus.REMOVED
        post.removed_at = utcnow()
        post.removed_by_id = (removed_by or author).id
        post.removal_reason = removal_reason
        lifecycle.sync_listing(post)
    db.session.commit()
    return post


def make_reply(
    post: Post,
    *,
    author: User | None = None,
    body: str = "Thanks for sharing this.",
    status: str = "published",
    at: datetime | None = None,
) -> Reply:
    reply = lifecycle.build_reply(
        post=post, author=author or make_user(), body=body, status=PostStatus(status), at=at
    )
    db.session.commit()
    return reply


def make_article(
    *,
    title: str | None = None,
    slug: str | None = None,
    kind: str = "overview",
    status: str = "published",
    body: str = "## What it is\n\nAn overview written by our editors.",
    summary: str = "A short summary of the article.",
    pinned_to: list[Tag] | None = None,
    position: int = 0,
    reviewer_name: str = "Dr. Test Reviewer",
    reviewer_credentials: str = "PharmD",
    last_reviewed_on: date | None = None,
    references: list[dict] | None = None,
    author: User | None = None,
) -> Article:
    n = next(_seq)
    reviewed = last_reviewed_on or (utcnow().date() - timedelta(days=30))
    article = Article(
        kind=ArticleKind(kind),
        status=ArticleStatus(status),
        title=title or f"Article {n}",
        slug=slug or f"article-{n}",
        summary=summary,
        author=author,
        reviewer_name=reviewer_name,
        reviewer_credentials=reviewer_credentials,
        last_reviewed_on=reviewed,
        review_due_on=reviewed + timedelta(days=365),
        published_at=utcnow() if status == "published" else None,
    )
    db.session.add(article)
    lifecycle.render_into(article, body, min_heading=2)
    for tag in pinned_to or []:
        article.pins.append(ArticlePin(tag=tag, position=position))
    for i, ref in enumerate(references or []):
        article.references.append(ArticleReference(position=i, **ref))
    db.session.commit()
    return article


def login(client, user_or_email, password: str = DEFAULT_PASSWORD, *, remember: bool = False):
    """Log in through the real form (CSRF is off in the default test app)."""
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def logout(client):
    return client.post("/logout")


def outbox(app, to: str | None = None) -> list:
    """Emails in the outbox (optionally to one address), oldest first."""
    from sqlalchemy import select

    from forum.domain.models import OutboxEmail

    with app.app_context():
        query = select(OutboxEmail).order_by(OutboxEmail.id)
        if to is not None:
            query = query.where(OutboxEmail.to_address == to)
        emails = db.session.scalars(query).all()
        db.session.expunge_all()
        return emails


def link_in(email, path_fragment: str) -> str:
    """The path of the first link in an email whose URL contains `path_fragment`."""
    import re
    from urllib.parse import urlsplit

    for url in re.findall(r"https?://\S+", email.body_text):
        if path_fragment in url:
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link with {path_fragment!r} in: {email.body_text}")


def signed_in(app, client, **user_overrides) -> int:
    """Make a member (make_user's overrides), log `client` in as them; returns their id."""
    with app.app_context():
        user = make_user(**user_overrides)
        email, user_id = user.email, user.id
    assert login(client, email).status_code == 302
    return user_id
