"""Editorial articles: what readers see pinned on tag pages and on the article page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.domain import policies
from forum.domain.models import Article, ArticlePin, ArticleStatus, Tag
from forum.errors import NotFound
from forum.extensions import db


def pinned_for(tag: Tag) -> list[Article]:
    """Published articles pinned to `tag`, in pin order."""
    return list(
        db.session.scalars(
            select(Article)
            .join(ArticlePin, ArticlePin.article_id == Article.id)
            .where(
                ArticlePin.tag_id == tag.id,
                Article.status == ArticleStatus.PUBLISHED,
                Article.removed_at.is_(None),
            )
            .order_by(ArticlePin.position, Article.id)
        )
    )


def get_readable_or_404(slug: str, *, viewer) -> Article:
    article = db.session.scalar(
        select(Article)
        .where(Article.slug == slug)
        .options(
            joinedload(Article.author),
            selectinload(Article.references),
            selectinload(Article.pins).joinedload(ArticlePin.tag),
        )
    )
    if article is None or not policies.can_see_article(viewer, article):
        raise NotFound("We couldn’t find that article. The link may be out of date.")
    return article
