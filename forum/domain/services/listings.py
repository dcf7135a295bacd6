"""Lists of posts and replies: tag pages, the latest posts, a member's profile, a post's replies.

Listings are keyset-paginated on (published_at, id), newest first: the cursor names the last
item shown, so page 1,000 costs what page 1 costs, and a post published between two clicks
lands above the cursor instead of pushing an item onto the next page twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from forum.domain import policies
from forum.domain.models import (
    Post,
    PostStatus,
    PostTag,
    Reply,
    Tag,
    TagKind,
    User,
)
from forum.errors import DomainError
from forum.extensions import db

T = TypeVar("T")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """Where a listing page ends: the (published_at, id) of its last item."""

    at: datetime
    id: int

    def encode(self) -> str:
        return f"{(self.at - _EPOCH) // timedelta(microseconds=1)}.{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            micros, _, ident = raw.partition(".")
            at = _EPOCH + timedelta(microseconds=int(micros))
            cursor = cls(at, int(ident))
        except (ValueError, OverflowError) as err:
            raise DomainError(
                "That “view more” link is broken or was cut short. Start again from the newest."
            ) from err
        if cursor.id < 0:
            raise DomainError("That “view more” link is not valid. Start again from the newest.")
        return cursor


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: Cursor | None


def card_options():
    """What a post card shows: author and tags, loaded in a fixed number of queries."""
    return (joinedload(Post.author), selectinload(Post.tags))


def page_of_posts(query: Select, limit: int, key) -> Page[Post]:
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, key(items[-1]) if more and items else None)


def tag_listing(tag: Tag, *, before: Cursor | None = None, limit: int = 20) -> Page[Post]:
    """Published posts under `tag`, newest first: one range scan of ix_post_tags_listing."""
    query = (
        select(Post)
        .join(PostTag, PostTag.post_id == Post.id)
        .where(PostTag.tag_id == tag.id, PostTag.listed_at.is_not(None))
        .order_by(PostTag.listed_at.desc(), PostTag.post_id.desc())
        .options(*card_options())
    )
    if before is not None:
        query = query.where(tuple_(PostTag.listed_at, PostTag.post_id) < (before.at, before.id))
    return page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def pinned_in(tag: Tag) -> list[Post]:
    """Posts moderators pinned on this tag's page (published ones), most recently pinned first."""
    return list(
        db.session.scalars(
            select(Post)
            .join(PostTag, PostTag.post_id == Post.id)
            .where(
                PostTag.tag_id == tag.id,
                PostTag.pinned_at.is_not(None),
                PostTag.listed_at.is_not(None),
            )
            .order_by(PostTag.pinned_at.desc())
            .limit(5)
            .options(*card_options())
        ).unique()
    )


def latest(*, before: Cursor | None = None, limit: int = 10) -> Page[Post]:
    """Published posts across the site, newest first."""
    query = (
        select(Post)
        .where(Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .options(*card_options())
    )
    if before is not None:
        query = query.where(tuple_(Post.published_at, Post.id) < (before.at, before.id))
    return page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def by_author(author: User, *, before: Cursor | None = None, limit: int = 20) -> Page[Post]:
    """A member's published posts for their profile, newest first."""
    query = (
        select(Post)
        .where(Post.author_id == author.id, Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .options(*card_options())
    )
    if before is not None:
        query = query.where(tuple_(Post.published_at, Post.id) < (before.at, before.id))
    return page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def replies_page(post: Post, *, viewer, after: int | None = None, limit: int = 100) -> Page[Reply]:
    """Replies oldest first, keyset on id."""
    query = (
        select(Reply)
        .where(Reply.post_id == post.id, policies.visible_replies(viewer))
        .order_by(Reply.id)
        .options(joinedload(Reply.author))
    )
    if after is not None:
        query = query.where(Reply.id > after)
    rows = list(db.session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, Cursor(items[-1].created_at, items[-1].id) if more else None)


def sorted_tags(tags: list[Tag]) -> list[Tag]:
    """Drugs first, then conditions, then topics; by name within each."""
    order = {TagKind.DRUG: 0, TagKind.CONDITION: 1, TagKind.TOPIC: 2}
    return sorted(tags, key=lambda t: (order[t.kind], t.name_key))
