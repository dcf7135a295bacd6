"""Daily and weekly email digests: new posts in the tags a member follows with "digest", and
their unread notifications. Sent by `flask --app forum send-digests` (cron) or by the worker.
A member with nothing new gets no email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from forum import mail
from forum.domain.models import (
    DigestFrequency,
    FollowMode,
    Post,
    PostTag,
    Tag,
    TagFollow,
    User,
    UserStatus,
    utcnow,
)
from forum.domain.services import notifications
from forum.extensions import db

PERIODS = {
    # A little under a day or a week, so a cron job at the same hour never skips someone.
    DigestFrequency.DAILY: timedelta(hours=20),
    DigestFrequency.WEEKLY: timedelta(days=6, hours=12),
}
LOOKBACK = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
PER_TAG = 8


@dataclass
class Digest:
    user: User
    since: datetime
    by_tag: list[tuple[Tag, list[Post]]]
    unread: list[notifications.Item]

    @property
    def empty(self) -> bool:
        return not self.by_tag and not self.unread


def due(frequency: DigestFrequency, now: datetime) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.digest_frequency == frequency.value,
                User.status.in_((UserStatus.ACTIVE, UserStatus.SUSPENDED)),
                User.email.is_not(None),
                User.email_verified_at.is_not(None),
                or_(User.last_digest_at.is_(None), User.last_digest_at < now - PERIODS[frequency]),
            )
            .order_by(User.id)
        )
    )


def collect(user: User, frequency: DigestFrequency, now: datetime) -> Digest:
    since = max(filter(None, [user.last_digest_at, now - LOOKBACK[frequency]]))
    by_tag = []
    for follow in db.session.scalars(
        select(TagFollow).where(TagFollow.user_id == user.id, TagFollow.mode == FollowMode.DIGEST)
    ):
        new = list(
            db.session.scalars(
                select(Post)
                .join(PostTag, PostTag.post_id == Post.id)
                .where(
                    PostTag.tag_id == follow.tag_id,
                    PostTag.listed_at > since,
                    Post.author_id.is_distinct_from(user.id),
                )
                .order_by(PostTag.listed_at.desc())
                .limit(PER_TAG)
            )
        )
        if new:
            by_tag.append((follow.tag, new))
    return Digest(user, since, by_tag, notifications.unread_since(user, since))


def send_due_digests(frequency: str = "weekly", *, dry_run: bool = False) -> tuple[int, int]:
    """(sent, had nothing new). Safe to run often: each member gets at most one per period."""
    freq = DigestFrequency(frequency)
    now = utcnow()
    sent = skipped = 0
    for user in due(freq, now):
        digest = collect(user, freq, now)
        if digest.empty:
            skipped += 1
            continue
        sent += 1
        if dry_run:
            continue
        mail.queue(
            user.email,
            f"Your {freq.value} Cohort digest",
            "digest",
            user=user,
            digest=digest,
            frequency=freq.value,
            post_url=lambda p: mail.external_url("posts.show", post_id=p.id, slug=p.slug),
            following=mail.external_url("feeds.following"),
            notifications_url=mail.external_url("feeds.notifications_page"),
        )
        user.last_digest_at = now
        db.session.commit()
    if not dry_run:
        mail.deliver_pending(limit=max(50, sent))
    return sent, skipped
