"""The life of a post or reply: the one module that changes what readers can see of it.

Building, publishing, holding, removing, restoring, erasing, moving between tags in a merge, and
loading in bulk all go through here, and each keeps four things in step with the change:
the post's listing on its tags (post_tags.listed_at), its reply count and last activity, the
versions of the tag pages that show it (tags.touch) and its search document. Nothing else
writes those; a cache keyed on tag versions is only as right as this module.
None of these functions commits: they are steps of the calling service's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, or_, select, text, update

from forum.domain.models import (
    ExperienceStatus,
    Post,
    PostKind,
    PostStatus,
    PostTag,
    Reply,
    Revision,
    Tag,
    User,
    utcnow,
)
from forum.domain.models.post import MAX_EXCERPT_LENGTH
from forum.domain.services import search_index
from forum.domain.services import tags as tag_service
from forum.extensions import db
from forum.text import RENDERER_VERSION, excerpt, render_user_text


def render_into(obj, source: str, *, min_heading: int = 3) -> None:
    """Store new text for a post, reply or article: the source, its cached safe HTML, and its
    search document. Every change of text goes through here (set the title first)."""
    obj.body = source
    obj.body_html = str(
        render_user_text(source, min_heading=min_heading, wiki=tag_service.wiki_resolver())
    )
    obj.body_html_version = RENDERER_VERSION
    search_index.sync(obj)


def sync_listing(post: Post) -> None:
    """Keep post_tags.listed_at in step with the post (set while public, NULL otherwise), and
    mark its tag pages changed. Call it after any change a post card shows."""
    listed_at = post.published_at if post.status is PostStatus.PUBLISHED else None
    for link in post.tag_links:
        link.listed_at = listed_at
    tag_service.touch(link.tag_id or link.tag.id for link in post.tag_links)


def set_tags(post: Post, tags: list[Tag]) -> None:
    """Put the post on exactly these tags; every tag page it leaves or joins changes."""
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
        slug=slug_for(title, kind),
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
    # [[wiki]] links query tags while rendering: don't flush the half-built post meanwhile.
    with db.session.no_autoflush:
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


def slug_for(title: str, kind: PostKind) -> str:
    """The readable part of a post's URL; a title of only symbols still gets one."""
    return tag_service.slugify(title)[:80].strip("-") or kind.value


def refresh_text(obj: Post | Reply, body: str) -> None:
    """New text for a post or reply: its cached HTML, and a post's excerpt."""
    if isinstance(obj, Post):
        obj.excerpt = excerpt(body, MAX_EXCERPT_LENGTH)
    render_into(obj, body)


def uncount_reply(post: Post) -> None:
    """One published reply fewer on `post`, counted in the database (two deletes at once
    both count)."""
    db.session.execute(
        update(Post).where(Post.id == post.id).values(reply_count=Post.reply_count - 1)
    )
    tag_service.touch(link.tag_id for link in post.tag_links)  # cards show reply counts


def publish(obj: Post | Reply) -> bool:
    """Make it public; True when this is its first publication (followers are told then)."""
    now = utcnow()
    was_published = obj.is_published
    first = obj.published_at is None
    obj.status = PostStatus.PUBLISHED
    obj.removed_at = obj.removed_by_id = obj.removal_reason = None
    if obj.published_at is None:
        obj.published_at = now
    if isinstance(obj, Post):
        obj.last_activity_at = max(obj.last_activity_at, now)
        sync_listing(obj)
    elif not was_published:
        obj.post.reply_count += 1
        obj.post.last_activity_at = max(obj.post.last_activity_at, now)
        tag_service.touch(link.tag_id for link in obj.post.tag_links)
    return first


def unpublish(obj: Post | Reply, status: PostStatus) -> None:
    """Take it off its tags' listings (held, rejected or removed); a reply stops counting."""
    was_published = obj.is_published
    obj.status = status
    if isinstance(obj, Post):
        sync_listing(obj)
    elif was_published:
        obj.post.reply_count -= 1
        tag_service.touch(link.tag_id for link in obj.post.tag_links)


def reject(obj: Post | Reply, *, reason: str) -> None:
    """Not published after review: off the listings, with the reason its author revises to."""
    unpublish(obj, PostStatus.REJECTED)
    obj.removal_reason = reason


def remove(obj: Post | Reply, *, by: User, reason: str | None = None) -> None:
    """A moderator's removal: off the listings, uncounted, marked with who and why."""
    unpublish(obj, PostStatus.REMOVED)
    obj.removed_at = utcnow()
    obj.removed_by_id = by.id
    obj.removal_reason = reason


def remove_by_author(obj: Post | Reply, *, author: User) -> None:
    """The author's own (soft) delete: off the listings; a published reply stops counting."""
    was_published = obj.is_published
    obj.status = PostStatus.REMOVED
    obj.removed_at = utcnow()
    obj.removed_by_id = author.id
    if isinstance(obj, Post):
        sync_listing(obj)
    elif was_published:
        uncount_reply(obj.post)


def erase(posts: list[Post], replies: list[Reply], *, by: User) -> None:
    """Account erasure: blank the writing of a member who asked for it, keep the rows as
    tombstones (threads keep their shape and counts stay true), drop its history, its listings
    and its search documents."""
    now = utcnow()
    touched = {link.tag_id for post in posts for link in post.tag_links}
    for post in posts:
        post.title, post.body, post.body_html, post.excerpt = "[removed]", "", "", ""
        post.experience_duration = post.experience_status = None
        if post.status is not PostStatus.REMOVED:
            post.status, post.removed_at, post.removed_by_id = PostStatus.REMOVED, now, by.id
            post.removal_reason = None
    for reply in replies:
        if reply.status is PostStatus.PUBLISHED:
            reply.post.reply_count -= 1
            touched |= {link.tag_id for link in reply.post.tag_links}
        reply.body, reply.body_html = "", ""
        if reply.status is not PostStatus.REMOVED:
            reply.status, reply.removed_at, reply.removed_by_id = PostStatus.REMOVED, now, by.id
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
    search_index.forget(posts, replies)  # the words leave the index too
    tag_service.touch(touched)


def disown(posts: list[Post], replies: list[Reply], *, author: User) -> None:
    """Account erasure, keeping the writing: it stays, shown as by "a former member", so the
    cards of its tags change too."""
    for obj in (*posts, *replies):
        obj.author_id = None
        if obj.removed_by_id == author.id:
            obj.removed_by_id = None
    db.session.execute(
        update(Revision).where(Revision.editor_id == author.id).values(editor_id=None)
    )
    tag_service.touch(link.tag_id for post in posts for link in post.tag_links)


# --- tags merged and unmerged ---------------------------------------------------------------------


def list_on_tag(tag_id: int, pinned: dict[int, datetime | None]) -> None:
    """Put posts (ids, with when each was pinned) back on a tag, listed while they are public:
    undoing a merge. The caller touches the tag pages a merge changes."""
    if not pinned:
        return
    rows = db.session.execute(
        select(Post.id, Post.status, Post.published_at).where(Post.id.in_(pinned))
    ).all()
    db.session.execute(
        insert(PostTag),
        [
            {
                "post_id": post_id,
                "tag_id": tag_id,
                "listed_at": published_at if status is PostStatus.PUBLISHED else None,
                "pinned_at": pinned[post_id],
            }
            for post_id, status, published_at in rows
        ],
    )


# --- bulk loading (benchmarks) --------------------------------------------------------------------


def list_bulk_loaded(first_post: int, last_post: int) -> None:
    """Posts first_post..last_post and their replies were inserted as rows (demo/bulk.py): list
    the published ones on their tags, count their replies, index them for search (posts and
    replies mixed, in publication order, as a real site would have written them) and mark
    their tag pages changed. Plain SQL that SQLite (3.33+) and PostgreSQL both run."""
    span = {"first": first_post, "last": last_post}
    db.session.execute(
        text(
            "UPDATE post_tags SET listed_at = p.published_at FROM posts AS p"
            " WHERE p.id = post_tags.post_id AND p.status = 'published'"
            " AND p.id BETWEEN :first AND :last"
        ),
        span,
    )
    db.session.execute(
        text(
            "UPDATE posts SET reply_count = c.n, last_activity_at = c.latest FROM"
            " (SELECT post_id, count(*) AS n, max(published_at) AS latest FROM replies"
            "  WHERE post_id BETWEEN :first AND :last AND status = 'published'"
            "  GROUP BY post_id) AS c"
            " WHERE posts.id = c.post_id"
        ),
        span,
    )
    db.session.execute(
        text(
            "INSERT INTO search_documents (post_id, reply_id, title, body, updated_at)"
            " SELECT post_id, reply_id, title, body, at FROM ("
            "  SELECT id AS post_id, NULL AS reply_id, title, body, published_at AS at FROM posts"
            "   WHERE id BETWEEN :first AND :last"
            "  UNION ALL SELECT post_id, id, '', body, published_at FROM replies"
            "   WHERE post_id BETWEEN :first AND :last) AS written ORDER BY at"
        ),
        span,
    )
    tag_service.touch(
        db.session.scalars(
            select(PostTag.tag_id).where(PostTag.post_id.between(first_post, last_post)).distinct()
        )
    )
