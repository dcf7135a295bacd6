"""Background jobs about new writing: fan-out to followers and participants, and emails to
those who asked for them. Run by the RQ worker, or inline without Redis."""

from __future__ import annotations

from sqlalchemy import select

from forum import mail
from forum.domain.models import Post, Reply, User
from forum.domain.services import notifications
from forum.extensions import db


def _email_opted_in(user_ids: list[int], subject: str, template: str, **context) -> None:
    if not user_ids:
        return
    for user in db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.email_notifications.is_(True))
    ):
        if user.email:
            mail.queue(user.email, subject, template, user=user, **context)
    db.session.commit()
    mail.deliver_pending()


def announce_post(post_id: int) -> int:
    told = notifications.fan_out_post(post_id)
    post = db.session.get(Post, post_id)
    if post is not None and told:
        _email_opted_in(
            told,
            f"New on Cohort: {post.title}",
            "notification_post",
            post=post,
            link=mail.external_url("posts.show", post_id=post.id, slug=post.slug),
        )
    return len(told)


def announce_reply(reply_id: int) -> int:
    told = notifications.fan_out_reply(reply_id)
    reply = db.session.get(Reply, reply_id)
    if reply is not None and told:
        post = reply.post
        _email_opted_in(
            told,
            f"New reply: {post.title}",
            "notification_reply",
            post=post,
            link=mail.external_url(
                "posts.show", post_id=post.id, slug=post.slug, _anchor=f"reply-{reply.id}"
            ),
        )
    return len(told)
