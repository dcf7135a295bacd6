"""Editorial articles (overviews and comparisons), their pins on tag pages and their sources."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import RemovableMixin, RenderedMixin, TimestampMixin, db, utcnow

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
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="ArticleRevision.number",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.status is ArticleStatus.PUBLISHED and self.removed_at is None

    @property
    def is_review_due(self) -> bool:
        """Its clinical review date has come (editors see "review due"; readers never do)."""
        return self.review_due_on is not None and self.review_due_on <= utcnow().date()

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


class ArticleRevision(db.Model):
    """A full snapshot of an article as one save left it: every save adds one, so the history
    shows who changed what, and any two revisions can be compared."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3... per article
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(300), default="")  # "what changed", optional
    kind: Mapped[ArticleKind]
    status: Mapped[ArticleStatus]
    title: Mapped[str] = mapped_column(String(MAX_ARTICLE_TITLE_LENGTH))
    summary: Mapped[str] = mapped_column(String(MAX_SUMMARY_LENGTH), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    reviewer_name: Mapped[str] = mapped_column(String(120), default="")
    reviewer_credentials: Mapped[str] = mapped_column(String(160), default="")
    last_reviewed_on: Mapped[date | None]
    review_due_on: Mapped[date | None]
    # [{"title", "publisher", "url"}] and [{"tag_id", "name", "position"}], in order.
    references: Mapped[list] = mapped_column(JSON, default=list)
    pins: Mapped[list] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])

    __table_args__ = (UniqueConstraint("article_id", "number"),)
