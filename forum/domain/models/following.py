"""Readers following tags, and what they are told: notifications and email preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import db, utcnow
from forum.domain.models.tag import Tag
from forum.domain.models.user import User


class FollowMode(enum.Enum):
    """One simple choice per followed tag. The default is the calmest."""

    FEED = "feed"  # show in my feed only
    NOTIFY = "notify"  # also notify me of each new post
    DIGEST = "digest"  # and include it in my email digest

    @property
    def label(self) -> str:
        return {
            "feed": "Show in my feed only",
            "notify": "Also notify me of new posts",
            "digest": "Weekly or daily email digest",
        }[self.value]


class TagFollow(db.Model):
    """A reader follows a (canonical) tag. No history: unfollowing deletes the row."""

    __tablename__ = "tag_follows"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[FollowMode] = mapped_column(default=FollowMode.FEED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tag: Mapped[Tag] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_tag_follows_tag_id_mode", "tag_id", "mode"),)


class NotificationKind(enum.Enum):
    REPLY_TO_MY_POST = "reply_to_my_post"
    REPLY_IN_THREAD = "reply_in_thread"  # a thread I took part in
    NEW_POST_IN_TAG = "new_post_in_tag"
    MODERATION = "moderation"  # an outcome for my own writing
    MESSAGE = "message"  # the moderators wrote to me privately (the text stays in Messages)


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind]
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"))
    # Plain words for moderation outcomes ("was not published: ..."); empty otherwise.
    message: Mapped[str] = mapped_column(String(600), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notifications_user_id_read_at_id", "user_id", "read_at", "id"),
        Index("ix_notifications_post_id", "post_id"),
    )


class DigestFrequency(enum.Enum):
    NEVER = "never"
    DAILY = "daily"
    WEEKLY = "weekly"
