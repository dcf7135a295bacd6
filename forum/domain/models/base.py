"""Declarative base, the one clock, and the mixins every model shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, ForeignKey, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The only clock: an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in a plain DateTime column, on SQLite and PostgreSQL alike.

    Naive input raises: a naive datetime is a bug about to store local time as UTC.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}; use forum.domain.models.base.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    # One registry carries the naming convention and the type map (Flask-SQLAlchemy copies the
    # base's namespace, so both must live on the registry rather than as class attributes).
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={
            datetime: UTCDateTime(),
            str: String(),
            # Enums are stored as their lower-case values in VARCHAR (no native PostgreSQL enum
            # types, so adding a value is a plain migration).
            enum.Enum: Enum(
                enum.Enum,
                native_enum=False,
                length=32,
                values_callable=lambda members: [m.value for m in members],
                validate_strings=True,
            ),
        },
    )


# Created unbound; create_app() binds it. It lives beside Base so that models can import it
# without importing forum.extensions (which would import the models back); extensions re-exports it.
db = SQLAlchemy(model_class=Base)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RemovableMixin:
    """Soft deletion for authored content: who removed it, when and why."""

    removed_at: Mapped[datetime | None]
    removal_reason: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def removed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class RenderedMixin:
    """A Markdown source plus the cached safe HTML and the renderer version that produced it.

    forum.text owns both directions: render_user_text() fills the cache, rendered() reads it and
    re-renders when the cache is older than the current renderer.
    """

    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    body_html_version: Mapped[int] = mapped_column(default=0)
