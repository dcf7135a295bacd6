"""The editors' desk for one tag: its relations, the merges into it that can still be undone,
and its recent log (what the tag editing page shows)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.domain.models import (
    ModerationAction,
    Tag,
    TagRelation,
)
from forum.domain.services import merging
from forum.domain.services import tags as tag_service
from forum.extensions import db


@dataclass(frozen=True)
class RelationView:
    relation: TagRelation
    heading: str  # "Used for", "Treated with", ...
    other: Tag


@dataclass(frozen=True)
class TagDesk:
    """Everything the tag editing page shows."""

    tag: Tag
    relations: list[RelationView]
    merges: list[tuple[ModerationAction, Tag]]  # merges into this tag that can be undone
    merged_into: Tag | None
    log: list[ModerationAction]


def desk(tag: Tag) -> TagDesk:
    """The tag, its relations (with ids, for removing), merges to undo and its recent log."""
    rows = tag_service.relations_of(tag, TagRelation.kind)
    relations = [
        RelationView(
            relation,
            tag_service.RELATION_HEADINGS[
                (relation.kind, "out" if relation.subject_id == tag.id else "in")
            ],
            other,
        )
        for relation, other in rows
    ]
    log = list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.tag_id == tag.id)
            .options(selectinload(ModerationAction.actor))
            .order_by(ModerationAction.id.desc())
            .limit(20)
        )
    )
    merged_into = db.session.get(Tag, tag.merged_into_id) if tag.merged_into_id else None
    if merged_into is not None:  # its own page offers to undo the merge that hid it
        merges = [(e, m) for e, m in merging.undoable_merges(merged_into) if m.id == tag.id]
    else:
        merges = merging.undoable_merges(tag)
    return TagDesk(tag, relations, merges, merged_into, log)
