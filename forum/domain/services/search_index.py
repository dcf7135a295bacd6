"""The search index: one document per post, reply and article, holding its current text.
Visibility is checked at query time (search.py), so the index only tracks text."""

from __future__ import annotations

from sqlalchemy import select

from forum.domain.models import (
    Article,
    Post,
    Reply,
    SearchDocument,
)
from forum.extensions import db
from forum.text import plain_text


def sync(obj: Post | Reply | Article) -> None:
    """Store the current text of a post, reply or article in its search document (the
    caller's transaction). Visibility is checked at query time, so this only tracks text."""
    with db.session.no_autoflush:  # nothing half-built may be flushed on the way
        doc = _document_of(obj)
    doc.title = "" if isinstance(obj, Reply) else obj.title[:300]
    summary = getattr(obj, "summary", "") or ""
    doc.body = f"{summary}\n{plain_text(obj.body)}" if summary else plain_text(obj.body)


def _document_of(obj: Post | Reply | Article) -> SearchDocument:
    doc = None
    if obj.id is not None:
        query = select(SearchDocument)
        if isinstance(obj, Reply):
            query = query.where(SearchDocument.reply_id == obj.id)
        elif isinstance(obj, Post):
            query = query.where(SearchDocument.post_id == obj.id, SearchDocument.reply_id.is_(None))
        else:
            query = query.where(SearchDocument.article_id == obj.id)
        doc = db.session.scalar(query)
    if doc is None:
        if isinstance(obj, Reply):
            doc = SearchDocument(reply=obj, post=obj.post)
        elif isinstance(obj, Post):
            doc = SearchDocument(post=obj)
        else:
            doc = SearchDocument(article=obj)
        db.session.add(doc)
    return doc


def forget(posts: list[Post], replies: list[Reply]) -> None:
    """Drop the documents of erased writing (their text must leave the index too)."""
    from sqlalchemy import delete, or_

    post_ids = [p.id for p in posts]
    reply_ids = [r.id for r in replies]
    db.session.execute(
        delete(SearchDocument).where(
            or_(
                SearchDocument.reply_id.in_(reply_ids),
                SearchDocument.post_id.in_(post_ids) & SearchDocument.reply_id.is_(None),
            )
        )
    )


def reindex_all(batch: int = 500) -> int:
    """Rebuild every document from the current text (`flask --app forum search-reindex`)."""
    count = 0
    for model in (Post, Reply, Article):
        last = 0
        while True:
            rows = db.session.scalars(
                select(model).where(model.id > last).order_by(model.id).limit(batch)
            ).all()
            if not rows:
                break
            for obj in rows:
                sync(obj)
                count += 1
            last = rows[-1].id
            db.session.commit()
    return count
