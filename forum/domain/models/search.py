"""What search looks through: one plain-text document per post, reply and article.

The text index itself is dialect-specific and created beside the table (here for create_all,
and by the migration): on PostgreSQL a weighted tsvector column (title A, body B) with a GIN
index; on SQLite an external-content FTS5 table (porter stemming) kept in step by triggers.
Whether a document may be *shown* is decided at query time by joining to its post, reply or
article, so held, rejected and removed content is never found.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import db, utcnow


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A story or thread (post_id), a reply (reply_id, with its post_id), or an article.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("replies.id", ondelete="CASCADE"), unique=True
    )
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    post = relationship("Post", foreign_keys=[post_id])
    reply = relationship("Reply", foreign_keys=[reply_id])
    article = relationship("Article", foreign_keys=[article_id])

    __table_args__ = (
        CheckConstraint(
            "(reply_id IS NOT NULL AND post_id IS NOT NULL AND article_id IS NULL)"
            " OR (reply_id IS NULL AND (post_id IS NULL) <> (article_id IS NULL))",
            name="one_source",
        ),
        # One document per post (replies share their post's id, so this one is partial).
        Index(
            "uq_search_documents_post_only",
            "post_id",
            unique=True,
            sqlite_where=db.text("reply_id IS NULL"),
            postgresql_where=db.text("reply_id IS NULL"),
        ),
    )


SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents',"
    " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN"
    " INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, body)"
    " VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, body)"
    " VALUES ('delete', old.id, old.title, old.body);"
    " INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
POSTGRESQL_DDL = [
    "ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS"
    " (setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)",
]
for _statement in SQLITE_DDL:
    event.listen(
        SearchDocument.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in POSTGRESQL_DDL:
    event.listen(
        SearchDocument.__table__,
        "after_create",
        DDL(_statement).execute_if(dialect="postgresql"),
    )
event.listen(
    SearchDocument.__table__,
    "before_drop",
    DDL("DROP TABLE IF EXISTS search_fts").execute_if(dialect="sqlite"),
)


def managed_outside_metadata(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic include_object hook: False for the text-index objects created by raw DDL above
    (FTS5 tables, the tsvector column and its index), so autogenerate doesn't report them."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    if type_ == "column" and name == "document" and obj.table.name == "search_documents":
        return False
    return not (type_ == "index" and name == "ix_search_documents_document")
