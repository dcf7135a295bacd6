"""What members write besides posts: earlier versions (revisions) and unfinished drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import TimestampMixin, db, utcnow
from forum.domain.models.post import (
    MAX_DURATION_LENGTH,
    MAX_TITLE_LENGTH,
    ExperienceStatus,
    PostKind,
)
from forum.domain.models.user import User


class Revision(db.Model):
    """A version of a post or reply as it was before an edit replaced it.

    `written_at` is when that version was written (the original post time or an earlier edit),
    so a post's history is its revisions in order followed by its current text. The two flags
    record what policies.can_see_revision needs to decide who may read it."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(String(MAX_TITLE_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Replaced before the post or reply was first published (a held original, an author's
    # edit while waiting): other readers never saw it.
    before_publication: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A moderator later edited the published text (a redaction): what they took out must not
    # stay readable in the history.
    redacted: Mapped[bool] = mapped_column(default=False, server_default=false())

    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])

    __table_args__ = (
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        Index("ix_revisions_post_id_id", "post_id", "id"),
        Index("ix_revisions_reply_id_id", "reply_id", "id"),
    )


class Draft(TimestampMixin, db.Model):
    """An unfinished story or thread; private to its author, deleted when published."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[PostKind | None]  # None: story or thread not chosen yet
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tag_names: Mapped[str] = mapped_column(String(500), default="")
    experience_duration: Mapped[str | None] = mapped_column(String(MAX_DURATION_LENGTH))
    experience_status: Mapped[ExperienceStatus | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])

    __table_args__ = (Index("ix_drafts_author_id_updated_at", "author_id", "updated_at"),)
