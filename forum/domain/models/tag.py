"""Tags (drugs, conditions, topics), their aliases and the relations between them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.domain.models.base import TimestampMixin, db, utcnow

MAX_TAG_NAME_LENGTH = 80
MAX_DEFINITION_LENGTH = 200


class TagKind(enum.Enum):
    DRUG = "drug"
    CONDITION = "condition"
    TOPIC = "topic"

    @property
    def label(self) -> str:
        return {"drug": "Drug", "condition": "Condition", "topic": "Topic"}[self.value]

    @property
    def plural(self) -> str:
        return {"drug": "Drugs", "condition": "Conditions", "topic": "Topics"}[self.value]


class AliasKind(enum.Enum):
    BRAND = "brand"
    MISSPELLING = "misspelling"
    OTHER = "other"  # short forms, UK/US names
    FORMER = "former"  # a name the tag had before it was renamed or merged


class RelationKind(enum.Enum):
    USED_FOR = "used_for"  # drug -> condition
    ALTERNATIVE_TO = "alternative_to"  # drug <-> drug
    INTERACTS_WITH = "interacts_with"  # drug <-> drug


class Tag(TimestampMixin, db.Model):
    """A drug, condition or topic. Names and slugs are unique across tags *and* aliases;
    forum.domain.services.tags is the one place that checks the cross-table part."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TagKind]
    name: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    slug: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    definition: Mapped[str] = mapped_column(String(MAX_DEFINITION_LENGTH), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Bumped in the same transaction as any change to what the tag page shows (posts listed,
    # their cards, pins, relations, the tag itself): the page cache keys on it.
    listing_version: Mapped[int] = mapped_column(default=0)
    # Set when an editor merged this tag into another: the row stays (hidden from the directory,
    # with its name and slug handed to the survivor as aliases) so the merge can be undone.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"))

    aliases: Mapped[list[TagAlias]] = relationship(
        back_populates="tag", cascade="all, delete-orphan", order_by="TagAlias.name_key"
    )

    __table_args__ = (Index("ix_tags_kind_name_key", "kind", "name_key"),)

    def __repr__(self) -> str:
        return f"<Tag {self.slug} {self.kind.value}>"


class TagAlias(db.Model):
    """Another name for exactly one tag: a brand, a misspelling, a UK/US name, a former name."""

    __tablename__ = "tag_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    slug: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    kind: Mapped[AliasKind] = mapped_column(default=AliasKind.OTHER)
    # Where the name came from, e.g. "curated" or "dner" (forum/editorial/data/SOURCES.md).
    source: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tag: Mapped[Tag] = relationship(back_populates="aliases")

    def __repr__(self) -> str:
        return f"<TagAlias {self.name!r} -> {self.tag_id}>"


class TagRelation(db.Model):
    """subject --kind--> object: azathioprine used_for Crohn's disease."""

    __tablename__ = "tag_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    object_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RelationKind]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    subject: Mapped[Tag] = relationship(foreign_keys=[subject_id])
    object: Mapped[Tag] = relationship(foreign_keys=[object_id])

    __table_args__ = (
        UniqueConstraint("subject_id", "object_id", "kind"),
        CheckConstraint("subject_id <> object_id", name="not_self"),
    )


class AmbiguousName(db.Model):
    """A name patients use for more than one drug ("5-ASA", "MP"): never an alias, because an
    alias names exactly one tag. Found in a post, it asks the author to choose."""

    __tablename__ = "ambiguous_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    slug: Mapped[str] = mapped_column(String(MAX_TAG_NAME_LENGTH), unique=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    candidates: Mapped[list[Tag]] = relationship(
        secondary="ambiguous_name_tags", order_by="Tag.name_key"
    )


class AmbiguousNameTag(db.Model):
    """One drug an ambiguous name may mean."""

    __tablename__ = "ambiguous_name_tags"

    ambiguous_name_id: Mapped[int] = mapped_column(
        ForeignKey("ambiguous_names.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
