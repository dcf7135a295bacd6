"""Moderation: screening rules, the review queue, flags, the append-only log, site settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import db, utcnow
from forum.domain.models.post import Post, Reply
from forum.domain.models.user import User


class RuleMatcher(enum.Enum):
    REGEX = "regex"  # pattern: a regular expression (case-insensitive)
    PHONE = "phone"  # pattern: comma-separated regions for the phonenumbers library
    LINK_DOMAIN = "link_domain"  # pattern: a regular expression tested against each link's host
    ANY_LINK = "any_link"  # no pattern: any link at all


class RuleAction(enum.Enum):
    HOLD = "hold"  # held for a moderator
    HOLD_URGENT = "hold_urgent"  # held, top of the queue, moderators told, crisis resources shown
    WARN_THEN_HOLD = "warn_then_hold"  # the author sees what was found first; if sent, held


class RuleCategory(enum.Enum):
    SPAM = "spam"
    PERSONAL_INFO = "personal_info"
    DOSING = "dosing"
    CRISIS = "crisis"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "spam": "Spam and online pharmacies",
            "personal_info": "Personal information",
            "dosing": "Dosing instructions to others",
            "crisis": "Crisis and self-harm",
            "other": "Other",
        }[self.value]


class ScreeningRule(db.Model):
    """A rule an admin edits in the app: run on every new post, reply and edit."""

    __tablename__ = "screening_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    category: Mapped[RuleCategory]
    matcher: Mapped[RuleMatcher]
    pattern: Mapped[str] = mapped_column(Text, default="")
    # Matches that also match this (case-insensitive) are ignored, e.g. trusted domains.
    exceptions: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[RuleAction]
    new_members_only: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(String(300))  # shown to moderators
    message: Mapped[str] = mapped_column(String(500))  # shown to the author
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReviewState(enum.Enum):
    OPEN = "open"
    HANDLED = "handled"


class ReviewItem(db.Model):
    """A post or reply waiting for a moderator: held by rules or by being new, or flagged.

    Handling is a conditional UPDATE on state = 'open', so when two moderators act at once
    exactly one wins and the other is told who got there first."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    state: Mapped[ReviewState] = mapped_column(default=ReviewState.OPEN)
    urgent: Mapped[bool] = mapped_column(default=False)
    # Why it is here, for moderators ("Matched pii.phone: looks like a phone number") and in
    # plain words for the author; one line each.
    reasons: Mapped[str] = mapped_column(Text, default="")
    author_reasons: Mapped[str] = mapped_column(Text, default="")
    rule_codes: Mapped[str] = mapped_column(String(500), default="")
    flagged: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(40))

    post: Mapped[Post | None] = relationship(foreign_keys=[post_id])
    reply: Mapped[Reply | None] = relationship(foreign_keys=[reply_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    __table_args__ = (
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        Index("ix_review_items_queue", "state", "urgent", "created_at"),
        Index("ix_review_items_post_id", "post_id"),
        Index("ix_review_items_reply_id", "reply_id"),
    )


class FlagReason(enum.Enum):
    SPAM = "spam"
    PERSONAL_INFO = "personal_info"
    UNSAFE_MEDICAL = "unsafe_medical"
    HARASSMENT = "harassment"
    CRISIS = "crisis"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "spam": "Spam or advertising",
            "personal_info": "Personal information (someone’s contact details, records, address)",
            "unsafe_medical": "Unsafe medical claim or advice",
            "harassment": "Harassment or unkindness",
            "crisis": "Someone may be in crisis",
            "other": "Something else",
        }[self.value]


class FlagOutcome(enum.Enum):
    PENDING = "pending"
    AGREED = "agreed"  # a moderator acted on it
    DISAGREED = "disagreed"  # a moderator restored or cleared it


class Flag(db.Model):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason]
    details: Mapped[str] = mapped_column(String(500), default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    outcome: Mapped[FlagOutcome] = mapped_column(default=FlagOutcome.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    flagger: Mapped[User | None] = relationship(foreign_keys=[flagger_id])

    __table_args__ = (
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        # One flag per member per item (NULLs are distinct, so each pair covers one kind).
        UniqueConstraint("flagger_id", "post_id"),
        UniqueConstraint("flagger_id", "reply_id"),
        Index("ix_flags_post_id_outcome", "post_id", "outcome"),
        Index("ix_flags_reply_id_outcome", "reply_id", "outcome"),
        Index("ix_flags_flagger_id_created_at", "flagger_id", "created_at"),
    )


class ModAction(enum.Enum):
    APPROVE = "approve"
    REJECT = "reject"
    REMOVE = "remove"
    RESTORE = "restore"
    EDIT = "edit"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    RETAG = "retag"
    HOLD = "hold"  # screening or the new-member rule held it
    HIDE_BY_FLAGS = "hide_by_flags"
    AGREE_FLAGS = "agree_flags"
    DISAGREE_FLAGS = "disagree_flags"
    SUSPEND = "suspend"
    BAN = "ban"
    LIFT = "lift"
    CHANGE_ROLE = "change_role"
    CHANGE_RULE = "change_rule"
    CHANGE_SETTING = "change_setting"
    EDIT_TAG = "edit_tag"
    MERGE_TAGS = "merge_tags"
    UNMERGE_TAGS = "unmerge_tags"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ModerationAction(db.Model):
    """One append-only line of the moderation log, written in the action's own transaction.

    Exactly one target is set. Entries are never edited: a mistake is corrected by a new
    action (e.g. restore after remove)."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ModAction]
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"))
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_rules.id", ondelete="SET NULL")
    )
    setting_key: Mapped[str | None] = mapped_column(String(60))
    # Who the target belonged to, kept so a member's standing page can list actions on their
    # content even after it is gone.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    rule_code: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[str] = mapped_column(Text, default="")  # staff-only detail (old/new values)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        # The log is append-only and every entry names exactly one target.
        CheckConstraint(
            "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN rule_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN setting_key IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        Index("ix_moderation_actions_created_at", "created_at"),
        Index("ix_moderation_actions_subject_user_id", "subject_user_id", "created_at"),
        Index("ix_moderation_actions_post_id", "post_id"),
    )


# The log is append-only in the database itself, not just by habit: no deletes, and no edits
# to what an entry says. (Foreign keys may still be nulled when a referenced row goes away.)
APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER moderation_actions_no_delete BEFORE DELETE ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
    "CREATE TRIGGER moderation_actions_no_edit BEFORE UPDATE OF action, reason, rule_code, "
    "details, created_at, setting_key ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION moderation_actions_append_only() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'DELETE' OR NEW.action IS DISTINCT FROM OLD.action "
    "OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.rule_code IS DISTINCT FROM OLD.rule_code "
    "OR NEW.details IS DISTINCT FROM OLD.details OR NEW.created_at IS DISTINCT FROM OLD.created_at "
    "OR NEW.setting_key IS DISTINCT FROM OLD.setting_key "
    "THEN RAISE EXCEPTION 'the moderation log is append-only'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER moderation_actions_append_only BEFORE UPDATE OR DELETE ON moderation_actions "
    "FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only()",
]
for _statement in APPEND_ONLY_SQLITE:
    event.listen(
        ModerationAction.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(
        ModerationAction.__table__,
        "after_create",
        DDL(_statement).execute_if(dialect="postgresql"),
    )
event.listen(
    ModerationAction.__table__,
    "before_drop",
    DDL("DROP FUNCTION IF EXISTS moderation_actions_append_only() CASCADE").execute_if(
        dialect="postgresql"
    ),
)


class SiteSetting(db.Model):
    """Numbers admins tune in the app (e.g. how many first posts are held)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
