"""Private conversations between the moderators (as a team) and one member.

Not member-to-member messages: every conversation has exactly one member, and every moderator
and admin may read and answer it (it is the team's inbox). Read state is kept per side on the
conversation itself: the member's, and the team's.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from forum.domain.models.base import RenderedMixin, db, utcnow
from forum.domain.models.moderation import ModerationAction, ReviewItem
from forum.domain.models.user import User

MAX_SUBJECT_LENGTH = 150


class ConversationKind(enum.Enum):
    CARE = "care"  # a moderator checks in on someone who may be struggling
    APPEAL = "appeal"  # the member asks for a decision about their writing to be looked at again
    GENERAL = "general"  # anything else a moderator needs to say privately

    @property
    def label(self) -> str:
        return {"care": "Check-in", "appeal": "Appeal", "general": "Message"}[self.value]


class Conversation(db.Model):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ConversationKind]
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT_LENGTH))
    # What it is about, when it started from the queue or the log (at most one is set).
    review_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_items.id", ondelete="SET NULL")
    )
    moderation_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_actions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who wrote last on each side: unread counts and "waiting for a reply" come from these.
    last_member_message_at: Mapped[datetime | None]
    last_staff_message_at: Mapped[datetime | None]
    member_read_at: Mapped[datetime | None]
    staff_read_at: Mapped[datetime | None]

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    review_item: Mapped[ReviewItem | None] = relationship()
    moderation_action: Mapped[ModerationAction | None] = relationship()
    messages: WriteOnlyMapped[Message] = relationship(
        back_populates="conversation", passive_deletes=True, order_by="Message.id"
    )

    __table_args__ = (
        Index("ix_conversations_member_id_last_message_at", "member_id", "last_message_at"),
        Index("ix_conversations_last_message_at", "last_message_at"),
        # One appeal per moderation decision: a second "Appeal" lands on the first.
        Index(
            "uq_conversations_appeal",
            "moderation_action_id",
            unique=True,
            sqlite_where=db.text("kind = 'appeal'"),
            postgresql_where=db.text("kind = 'appeal'"),
        ),
    )

    @property
    def unread_by_member(self) -> bool:
        staff = self.last_staff_message_at
        return staff is not None and (self.member_read_at is None or self.member_read_at < staff)

    @property
    def awaiting_staff(self) -> bool:
        """The member wrote last: the team owes a reply."""
        member = self.last_member_message_at
        staff = self.last_staff_message_at
        return member is not None and (staff is None or staff < member)

    @property
    def unread_by_staff(self) -> bool:
        member = self.last_member_message_at
        return member is not None and (self.staff_read_at is None or self.staff_read_at < member)


class Message(RenderedMixin, db.Model):
    """One message: Markdown as typed (RenderedMixin), rendered through forum.text."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Whether the team wrote it (kept, so the thread still reads right if an author leaves).
    from_staff: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
