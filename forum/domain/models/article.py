"""Editorial articles (overviews and comparisons), their pins on tag pages and their sources."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import RemovableMixin, RenderedMixin, TimestampMixin, db

if TYPE_CHECKING:
    from forum.domain.models.tag import Tag
    from forum.domain.models.user import User

MAX_ARTICLE_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 400


class ArticleKind(enum.Enum):
    OVERVIEW = "overview"  # about one drug, condition or topic
    COMPARISON = "comparison"  # several drugs side by side

    @property
    def label(self) -> str:
        return {"overview": "Overview", "comparison": "Comparison"}[self.value]


class ArticleStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Article(TimestampMixin, RemovableMixin, RenderedMixin, db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ArticleKind] = mapped_column(default=ArticleKind.OVERVIEW)
    status: Mapped[ArticleStatus] = mapped_column(default=ArticleStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(MAX_ARTICLE_TITLE_LENGTH))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    summary: Mapped[str] = mapped_column(String(MAX_SUMMARY_LENGTH), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_name: Mapped[str] = mapped_column(String(120), default="")
    reviewer_credentials: Mapped[str] = mapped_column(String(160), default="")
    last_reviewed_on: Mapped[date | None]
    review_due_on: Mapped[date | None]
    published_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    pins: Mapped[list[ArticlePin]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticlePin.position"
    )
    references: Mapped[list[ArticleReference]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="ArticleReference.position",
    )

    @property
    def is_published(self) -> bool:
        return self.status is ArticleStatus.PUBLISHED and self.removed_at is None

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status.value}>"


class ArticlePin(db.Model):
    """An article pinned at the top of a tag page; lower position shows first."""

    __tablename__ = "article_pins"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    article: Mapped[Article] = relationship(back_populates="pins")
    tag: Mapped[Tag] = relationship()

    __table_args__ = (
        UniqueConstraint("article_id", "tag_id"),
        Index("ix_article_pins_tag_id_position", "tag_id", "position"),
    )


class ArticleReference(db.Model):
    """A source the article cites; listed on the public page."""

    __tablename__ = "article_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")

    article: Mapped[Article] = relationship(back_populates="references")
