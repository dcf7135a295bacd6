"""In-app notifications: who hears about what, and reading them.

Fan-out is set-based (one INSERT ... SELECT however many followers a tag has) and runs in a
background job after the publishing request has committed. Every fan-out first checks the
content is still published: nothing is ever sent about held, rejected or removed writing,
and the list a member reads hides anything that stopped being public since.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from forum import jobs
from forum.domain.models import (
    FollowMode,
    Notification,
    NotificationKind,
    Post,
    PostStatus,
    PostTag,
    Reply,
    TagFollow,
    User,
    UserStatus,
    utcnow,
)
from forum.extensions import db

_REACHABLE = (UserStatus.ACTIVE, UserStatus.SUSPENDED)

# Jobs the domain asks for by name; the feeds feature registers what runs them (create_app).
ANNOUNCE_POST = "announce_post"
ANNOUNCE_REPLY = "announce_reply"


def _already(kind: NotificationKind, *, post_id=None, reply_id=None):
    """Correlated NOT EXISTS: makes every fan-out safe to run twice (a retried job)."""
    return ~exists().where(
        Notification.user_id == User.id,
        Notification.kind == kind,
        Notification.post_id == post_id if reply_id is None else Notification.reply_id == reply_id,
    )


def fan_out_post(post_id: int) -> list[int]:
    """Tell followers who asked to be notified of new posts in its tags. Returns who."""
    post = db.session.get(Post, post_id)
    if post is None or post.status is not PostStatus.PUBLISHED:
        return []
    now = utcnow()
    tag_of = (
        select(TagFollow.user_id.label("user_id"), func.min(TagFollow.tag_id).label("tag_id"))
        .join(PostTag, and_(PostTag.tag_id == TagFollow.tag_id, PostTag.post_id == post.id))
        .where(TagFollow.mode == FollowMode.NOTIFY)
        .group_by(TagFollow.user_id)
        .subquery()
    )
    recipients = (
        select(
            User.id,
            literal(NotificationKind.NEW_POST_IN_TAG.value),
            literal(post.id),
            tag_of.c.tag_id,
            literal(""),
            literal(now.replace(tzinfo=None)),
        )
        .join(tag_of, tag_of.c.user_id == User.id)
        .where(
            User.status.in_(_REACHABLE),
            User.id != (post.author_id or 0),
            _already(NotificationKind.NEW_POST_IN_TAG, post_id=post.id),
        )
    )
    return _insert(recipients)


def _insert(recipients) -> list[int]:
    inserted = db.session.scalars(
        insert(Notification)
        .from_select(["user_id", "kind", "post_id", "tag_id", "message", "created_at"], recipients)
        .returning(Notification.user_id)
    ).all()
    db.session.commit()
    return list(inserted)


def fan_out_reply(reply_id: int) -> list[int]:
    """Tell the post's author, and others who replied there, about a published reply."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.status is not PostStatus.PUBLISHED:
        return []
    post = reply.post
    if post.status is not PostStatus.PUBLISHED:
        return []
    sent: list[int] = []
    rows = []
    if post.author_id and post.author_id != reply.author_id:
        rows.append((post.author_id, NotificationKind.REPLY_TO_MY_POST))
    others = aliased(Reply)
    participants = db.session.scalars(
        select(others.author_id)
        .where(
            others.post_id == post.id,
            others.status == PostStatus.PUBLISHED,
            others.author_id.is_not(None),
            others.author_id.not_in([reply.author_id or 0, post.author_id or 0]),
        )
        .distinct()
    ).all()
    rows += [(user_id, NotificationKind.REPLY_IN_THREAD) for user_id in participants]
    for user_id, kind in rows:
        user = db.session.get(User, user_id)
        if user is None or user.status not in _REACHABLE:
            continue
        duplicate = db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == user_id, Notification.reply_id == reply.id
            )
        )
        if duplicate is None:
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    post_id=post.id,
                    reply_id=reply.id,
                    created_at=utcnow(),
                )
            )
            sent.append(user_id)
    db.session.commit()
    return sent


def moderation_notice(
    user: User, *, post_id: int | None, reply_id: int | None, message: str
) -> None:
    """An outcome for the member's own writing ("was not published: ...")."""
    if user.status is UserStatus.ERASED:
        return
    db.session.add(
        Notification(
            user_id=user.id,
            kind=NotificationKind.MODERATION,
            post_id=post_id,
            reply_id=reply_id,
            message=message[:600],
            created_at=utcnow(),
        )
    )
    db.session.commit()


def _visible():
    """What a notification may still point at: moderation notices and private messages always
    (they are about the member); everything else only while its post and reply are published."""
    post, reply = aliased(Post), aliased(Reply)
    return or_(
        Notification.kind.in_((NotificationKind.MODERATION, NotificationKind.MESSAGE)),
        and_(
            select(post.id)
            .where(post.id == Notification.post_id, post.status == PostStatus.PUBLISHED)
            .correlate(Notification)
            .exists(),
            or_(
                Notification.reply_id.is_(None),
                select(reply.id)
                .where(reply.id == Notification.reply_id, reply.status == PostStatus.PUBLISHED)
                .correlate(Notification)
                .exists(),
            ),
        ),
    )


UNREAD_CAP = 100  # the header says "99+" from here on: a count must not cost more per page


def unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_CAP (shown on every page, so bounded)."""
    return db.session.scalar(select(unread_count_column(user)))


def unread_count_column(user: User):
    """unread_count() as a scalar subquery, for the header to fetch with its other counts in
    one round trip (conversations.header_counts)."""
    unread = (
        select(Notification.id)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), _visible())
        .limit(UNREAD_CAP)
        .subquery()
    )
    return select(func.count()).select_from(unread).scalar_subquery()


@dataclass(frozen=True)
class Item:
    notification: Notification
    post: Post | None
    reply: Reply | None = None  # for replies: who wrote it and what they said


PAGE_SIZE = 30  # notifications on one page of /notifications


def recent(user: User, *, before_id: int | None = None, limit: int = PAGE_SIZE) -> list[Item]:
    query = (
        select(Notification, Post, Reply)
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(Reply, Reply.id == Notification.reply_id)
        .where(Notification.user_id == user.id, _visible())
        .order_by(Notification.id.desc())
        .limit(limit)
        .options(joinedload(Post.author), joinedload(Reply.author))
    )
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    return [Item(n, p, r) for n, p, r in db.session.execute(query).unique()]


def unread_since(user: User, since) -> list[Item]:
    """Unread, still visible notifications for a digest."""
    return [
        i
        for i in recent(user, limit=50)
        if i.notification.read_at is None and (since is None or i.notification.created_at >= since)
    ]


def mark_read(user: User, notification_id: int) -> Notification | None:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        return None
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def announce(obj: Post | Reply) -> None:
    """Call after committing a first publication: followers and thread participants are told
    in the background (the jobs ANNOUNCE_POST and ANNOUNCE_REPLY), and only if it is still
    published by then."""
    if isinstance(obj, Post):
        jobs.enqueue(ANNOUNCE_POST, obj.id)
    else:
        jobs.enqueue(ANNOUNCE_REPLY, obj.id)
