"""Following tags, and the personal feed of what was published in them."""

from __future__ import annotations

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import contains_eager

from forum.domain.models import (
    DigestFrequency,
    FollowMode,
    Post,
    PostTag,
    Tag,
    TagFollow,
    User,
    utcnow,
)
from forum.domain.services.listings import Cursor, Page, card_options, page_of_posts
from forum.errors import DomainError
from forum.extensions import db


def mode_for(user: User, tag: Tag) -> FollowMode | None:
    follow = db.session.get(TagFollow, (user.id, tag.id))
    return follow.mode if follow is not None else None


def follow(user: User, tag: Tag, mode: FollowMode = FollowMode.FEED) -> TagFollow:
    """Follow a tag (the canonical one: callers resolve aliases first) or change how."""
    if getattr(tag, "merged_into_id", None):
        raise DomainError("That tag was merged into another; follow that one instead.")
    row = db.session.get(TagFollow, (user.id, tag.id))
    if row is None:
        row = TagFollow(user_id=user.id, tag_id=tag.id, mode=mode, created_at=utcnow())
        db.session.add(row)
    row.mode = mode
    db.session.commit()
    return row


def unfollow(user: User, tag: Tag) -> None:
    db.session.execute(
        delete(TagFollow).where(TagFollow.user_id == user.id, TagFollow.tag_id == tag.id)
    )
    db.session.commit()


def followed(user: User) -> list[TagFollow]:
    """The tags `user` follows, each with its tag loaded (one query however many)."""
    return list(
        db.session.scalars(
            select(TagFollow)
            .join(TagFollow.tag)
            .where(TagFollow.user_id == user.id)
            .options(contains_eager(TagFollow.tag))
            .order_by(Tag.kind, Tag.name_key)
        )
    )


def save_choices(
    user: User,
    modes: dict[int, FollowMode | None],
    *,
    digest_frequency: DigestFrequency | None,
    email_notifications: bool,
) -> None:
    """The settings page in one go: how each followed tag reaches me (None unfollows), how often
    digests come, and whether notifications are also emailed."""
    for row in followed(user):
        if row.tag_id in modes:
            if modes[row.tag_id] is None:
                db.session.delete(row)
            else:
                row.mode = modes[row.tag_id]
    if digest_frequency is not None:
        user.digest_frequency = digest_frequency.value
    user.email_notifications = email_notifications
    db.session.commit()


def unheard_digest_tags(user: User) -> list[str]:
    """Tags set to reach `user` only by digest while their digests are off: they would hear
    nothing about them at all, which the settings page says."""
    if user.digest_frequency != DigestFrequency.NEVER.value:
        return []
    return [row.tag.name for row in followed(user) if row.mode is FollowMode.DIGEST]


def unsubscribe_all(user: User) -> None:
    """The one-click unsubscribe: no digests and no notification emails (in-app stays)."""
    user.digest_frequency = DigestFrequency.NEVER.value
    user.email_notifications = False
    db.session.commit()


def feed(
    user: User, *, tag: Tag | None = None, before: Cursor | None = None, limit: int = 20
) -> Page[Post]:
    """Published posts in the tags `user` follows (or one of them), newest first, keyset."""
    tag_ids = select(TagFollow.tag_id).where(TagFollow.user_id == user.id)
    if tag is not None:
        tag_ids = tag_ids.where(TagFollow.tag_id == tag.id)
    listing = (
        select(PostTag.post_id, PostTag.listed_at)
        .where(PostTag.tag_id.in_(tag_ids), PostTag.listed_at.is_not(None))
        .distinct()
    )
    if before is not None:
        listing = listing.where(tuple_(PostTag.listed_at, PostTag.post_id) < (before.at, before.id))
    listing = (
        listing.order_by(PostTag.listed_at.desc(), PostTag.post_id.desc())
        .limit(limit + 1)
        .subquery()
    )
    query = (
        select(Post)
        .join(listing, listing.c.post_id == Post.id)
        .order_by(listing.c.listed_at.desc(), Post.id.desc())
        .options(*card_options())
    )
    return page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))
