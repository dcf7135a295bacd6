"""Stories and threads (one Post model with a kind), their tags, and replies."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import RemovableMixin, RenderedMixin, TimestampMixin, db, utcnow

if TYPE_CHECKING:
    from forum.domain.models.tag import Tag
    from forum.domain.models.user import User

MAX_TITLE_LENGTH = 150
MAX_BODY_LENGTH = 20_000
MAX_REPLY_LENGTH = 10_000
MAX_EXCERPT_LENGTH = 280
MAX_TAGS_PER_POST = 6
MAX_DURATION_LENGTH = 120


class PostKind(enum.Enum):
    STORY = "story"  # a first-person experience report
    THREAD = "thread"  # a question or discussion

    @property
    def label(self) -> str:
        return {"story": "Story", "thread": "Thread"}[self.value]


class PostStatus(enum.Enum):
    PENDING = "pending"  # held for review: only the author and moderators see it
    PUBLISHED = "published"
    REJECTED = "rejected"  # the author keeps the text to revise and resubmit
    REMOVED = "removed"  # soft-deleted by the author or a moderator; see RemovableMixin


class ExperienceStatus(enum.Enum):
    """Where a story's author stands with the drug; data on the post, not a second table."""

    TAKING = "taking"
    STOPPED = "stopped"
    SWITCHED = "switched"

    @property
    def label(self) -> str:
        return {"taking": "Still taking it", "stopped": "Stopped", "switched": "Switched"}[
            self.value
        ]


class Post(TimestampMixin, RemovableMixin, RenderedMixin, db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind]
    status: Mapped[PostStatus] = mapped_column(default=PostStatus.PENDING)
    # NULL when the author erased their account and chose to keep posts anonymously.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    slug: Mapped[str] = mapped_column(String(80), default="")
    excerpt: Mapped[str] = mapped_column(String(MAX_EXCERPT_LENGTH + 8), default="")
    experience_duration: Mapped[str | None] = mapped_column(String(MAX_DURATION_LENGTH))
    experience_status: Mapped[ExperienceStatus | None]
    published_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    edited_at: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(back_populates="posts", foreign_keys=[author_id])
    tag_links: Mapped[list[PostTag]] = relationship(
        back_populates="post", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(secondary="post_tags", viewonly=True)

    __table_args__ = (
        # Home page and site-wide feeds: newest published first, keyset on (published_at, id).
        Index("ix_posts_status_published_at_id", "status", "published_at", "id"),
        # A member's profile and data export.
        Index("ix_posts_author_id_published_at", "author_id", "published_at"),
    )

    @property
    def is_published(self) -> bool:
        return self.status is PostStatus.PUBLISHED

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.kind.value} {self.status.value}>"


class PostTag(db.Model):
    """A post under a tag. `listed_at` copies the post's published_at while the post is public
    and is NULL otherwise, so a tag page is one range scan of ix_post_tags_listing, whatever
    the number of posts (forum.domain.services.posts keeps it in step)."""

    __tablename__ = "post_tags"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    listed_at: Mapped[datetime | None]
    # Set when a moderator pins the post at the top of this tag's page.
    pinned_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship(back_populates="tag_links")
    tag: Mapped[Tag] = relationship()

    __table_args__ = (Index("ix_post_tags_listing", "tag_id", "listed_at", "post_id"),)


class Reply(TimestampMixin, RemovableMixin, RenderedMixin, db.Model):
    """A reply in a thread, or a comment on a story."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[PostStatus] = mapped_column(default=PostStatus.PENDING)
    published_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    __table_args__ = (
        Index("ix_replies_post_id_id", "post_id", "id"),
        Index("ix_replies_author_id", "author_id"),
    )

    @property
    def is_published(self) -> bool:
        return self.status is PostStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Reply {self.id} on {self.post_id} {self.status.value}>"
