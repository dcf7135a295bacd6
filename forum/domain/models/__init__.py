"""All models, imported here so SQLAlchemy and Alembic see every table."""

from forum.domain.models.article import (
    Article,
    ArticleKind,
    ArticlePin,
    ArticleReference,
    ArticleStatus,
)
from forum.domain.models.base import utcnow
from forum.domain.models.post import ExperienceStatus, Post, PostKind, PostStatus, PostTag, Reply
from forum.domain.models.tag import AliasKind, RelationKind, Tag, TagAlias, TagKind, TagRelation
from forum.domain.models.user import User, UserRole, UserStatus, name_key

__all__ = [
    "AliasKind",
    "Article",
    "ArticleKind",
    "ArticlePin",
    "ArticleReference",
    "ArticleStatus",
    "ExperienceStatus",
    "Post",
    "PostKind",
    "PostStatus",
    "PostTag",
    "RelationKind",
    "Reply",
    "Tag",
    "TagAlias",
    "TagKind",
    "TagRelation",
    "User",
    "UserRole",
    "UserStatus",
    "name_key",
    "utcnow",
]
