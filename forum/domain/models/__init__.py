"""All models, imported here so SQLAlchemy and Alembic see every table."""

from forum.domain.models.article import (
    Article,
    ArticleKind,
    ArticlePin,
    ArticleReference,
    ArticleRevision,
    ArticleStatus,
)
from forum.domain.models.base import utcnow
from forum.domain.models.conversation import Conversation, ConversationKind, Message
from forum.domain.models.following import (
    DigestFrequency,
    FollowMode,
    Notification,
    NotificationKind,
    TagFollow,
)
from forum.domain.models.mail import OutboxEmail
from forum.domain.models.moderation import (
    Flag,
    FlagOutcome,
    FlagReason,
    ModAction,
    ModerationAction,
    ReviewItem,
    ReviewState,
    RuleAction,
    RuleCategory,
    RuleMatcher,
    ScreeningRule,
    SiteSetting,
)
from forum.domain.models.post import ExperienceStatus, Post, PostKind, PostStatus, PostTag, Reply
from forum.domain.models.search import SearchDocument
from forum.domain.models.tag import (
    AliasKind,
    AmbiguousName,
    AmbiguousNameTag,
    RelationKind,
    Tag,
    TagAlias,
    TagKind,
    TagRelation,
)
from forum.domain.models.user import User, UserRole, UserStatus, name_key
from forum.domain.models.writing import Draft, Revision

__all__ = [
    "AliasKind",
    "AmbiguousName",
    "AmbiguousNameTag",
    "Conversation",
    "ConversationKind",
    "Article",
    "ArticleKind",
    "ArticlePin",
    "ArticleReference",
    "ArticleRevision",
    "ArticleStatus",
    "DigestFrequency",
    "Draft",
    "ExperienceStatus",
    "Flag",
    "FollowMode",
    "FlagOutcome",
    "FlagReason",
    "Message",
    "ModAction",
    "ModerationAction",
    "Notification",
    "NotificationKind",
    "OutboxEmail",
    "Post",
    "PostKind",
    "PostStatus",
    "PostTag",
    "RelationKind",
    "RuleAction",
    "RuleCategory",
    "RuleMatcher",
    "ScreeningRule",
    "SearchDocument",
    "SiteSetting",
    "Reply",
    "ReviewItem",
    "ReviewState",
    "Revision",
    "Tag",
    "TagAlias",
    "TagFollow",
    "TagKind",
    "TagRelation",
    "User",
    "UserRole",
    "UserStatus",
    "name_key",
    "utcnow",
]
