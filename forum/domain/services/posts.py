"""Stories, threads and replies: building them, listing them, and who sees what.

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
    ExperienceStatus,
    Post,
    PostKind,
    PostStatus,
    PostTag,
    Reply,
    Tag,
    TagKind,
    User,
    utcnow,
)
from forum.domain.models.post import MAX_EXCERPT_LENGTH
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotFound, Removal, Removed
from forum.extensions import db
from forum.text import RENDERER_VERSION, excerpt, render_user_text

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


def _card_options():
    """What a post card shows: author and tags, loaded in a fixed number of queries."""
    return (joinedload(Post.author), selectinload(Post.tags))


def _page_of_posts(query: Select, limit: int, key) -> Page[Post]:
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
        .options(*_card_options())
    )
    if before is not None:
        query = query.where(tuple_(PostTag.listed_at, PostTag.post_id) < (before.at, before.id))
    return _page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def latest(*, before: Cursor | None = None, limit: int = 10) -> Page[Post]:
    """Published posts across the site, newest first."""
    query = (
        select(Post)
        .where(Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .options(*_card_options())
    )
    if before is not None:
        query = query.where(tuple_(Post.published_at, Post.id) < (before.at, before.id))
    return _page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def get_visible_or_404(post_id: int, *, viewer) -> Post:
    """The post if `viewer` may read it. Raises NotFound, or Removed (410) for other readers
    of a removed post; its author and moderators still see it."""
    post = db.session.get(Post, post_id, options=[joinedload(Post.author), selectinload(Post.tags)])
    if post is None:
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    if post.status is PostStatus.REMOVED and not policies.can_read_removed_text(viewer, post):
        raise Removed(
            Removal(
                what=post.kind.value,
                removed_at=post.removed_at or post.updated_at,
                by_author=post.removed_by_id is not None and post.removed_by_id == post.author_id,
                reason=post.removal_reason,
            )
        )
    if not policies.can_see_post(viewer, post):
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    return post


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


# --- building content (used by the posting service, the demo and the tests) ------------------


def render_into(obj, source: str, *, min_heading: int = 3) -> None:
    """Store the source and refresh its cached safe HTML."""
    obj.body = source
    obj.body_html = str(
        render_user_text(source, min_heading=min_heading, wiki=tag_service.wiki_resolver())
    )
    obj.body_html_version = RENDERER_VERSION


def sync_listing(post: Post) -> None:
    """Keep post_tags.listed_at in step with the post (set while public, NULL otherwise), and
    mark its tag pages changed. Call it after any change a post card shows."""
    listed_at = post.published_at if post.status is PostStatus.PUBLISHED else None
    for link in post.tag_links:
        link.listed_at = listed_at
    tag_service.touch(link.tag_id or link.tag.id for link in post.tag_links)


def set_tags(post: Post, tags: list[Tag]) -> None:
    wanted = {tag.id: tag for tag in tags}
    dropped = [link.tag_id for link in post.tag_links if link.tag_id not in wanted]
    tag_service.touch(dropped)
    post.tag_links = [link for link in post.tag_links if link.tag_id in wanted]
    have = {link.tag_id for link in post.tag_links}
    for tag_id, tag in wanted.items():
        if tag_id not in have:
            post.tag_links.append(PostTag(tag=tag, tag_id=tag_id))
    sync_listing(post)


def build_post(
    *,
    author: User | None,
    kind: PostKind,
    title: str,
    body: str,
    tags: list[Tag],
    status: PostStatus,
    at: datetime | None = None,
    experience_duration: str | None = None,
    experience_status: ExperienceStatus | None = None,
) -> Post:
    """A new post with its tags and rendered body, added to the session (not committed)."""
    at = at or utcnow()
    post = Post(
        kind=kind,
        author=author,
        title=" ".join(title.split()),
        slug=tag_service.slugify(title)[:80],
        status=status,
        created_at=at,
        updated_at=at,
        last_activity_at=at,
        reply_count=0,
        published_at=at if status is PostStatus.PUBLISHED else None,
        experience_duration=experience_duration,
        experience_status=experience_status,
        excerpt=excerpt(body, MAX_EXCERPT_LENGTH),
    )
    render_into(post, body)
    db.session.add(post)
    set_tags(post, tags)
    return post


def build_reply(
    *, post: Post, author: User | None, body: str, status: PostStatus, at: datetime | None = None
) -> Reply:
    """A new reply, added to the session (not committed); a published one counts on the post."""
    at = at or utcnow()
    reply = Reply(
        post=post,
        author=author,
        status=status,
        created_at=at,
        updated_at=at,
        published_at=at if status is PostStatus.PUBLISHED else None,
    )
    render_into(reply, body)
    db.session.add(reply)
    if status is PostStatus.PUBLISHED:
        post.reply_count += 1
        post.last_activity_at = max(post.last_activity_at, at)
        tag_service.touch(link.tag_id for link in post.tag_links)  # cards show reply counts
    return reply
