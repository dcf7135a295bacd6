"""Merging two tags into one, as one step that can be undone exactly.

Merging `merged` into `survivor` moves its posts, follows, article pins, relations, aliases and
ambiguous-name candidacies to the survivor (skipping what the survivor already has), and its
own name and address become aliases of the survivor, so old links and URLs lead there. The
merged tag's row is kept, hidden, with `merged_into_id` set. The moderation log entry
(MERGE_TAGS) records every id that moved or was dropped as a duplicate; undo_merge() reads it
back and restores each one (UNMERGE_TAGS).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update

from forum.domain import policies
from forum.domain.models import (
    AliasKind,
    AmbiguousNameTag,
    ArticlePin,
    ModAction,
    ModerationAction,
    PostTag,
    RelationKind,
    Tag,
    TagAlias,
    TagFollow,
    TagRelation,
    User,
    name_key,
)
from forum.domain.services import curation, lifecycle, moderation_log
from forum.domain.services import tags as tag_service
from forum.errors import Conflict, DomainError, NotFound
from forum.extensions import db

SYMMETRIC = (RelationKind.ALTERNATIVE_TO, RelationKind.INTERACTS_WITH)


def _vacated(tag_id: int) -> str:
    """The name key and slug a merged tag keeps: never a real name ("~" is not in any slug)."""
    return f"~merged~{tag_id}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def merge_tags(merged: Tag, survivor: Tag, *, actor: User, reason: str = "") -> ModerationAction:
    """Merge `merged` into `survivor`; returns the log entry (its id undoes the merge).
    Raises NotAllowed or DomainError(field="into")."""
    policies.require(policies.can_curate_tags(actor), "Only editors can merge tags.")
    if merged.id == survivor.id:
        raise DomainError("Choose another tag to merge this one into.", field="into")
    if merged.merged_into_id is not None or survivor.merged_into_id is not None:
        raise DomainError("That tag was already merged into another one.", field="into")
    db.session.flush()
    names = curation.names_of(merged)
    pages = {merged.id, survivor.id} | curation.cotagged_ids([merged.id])
    pages |= curation.related_ids(merged.id)
    moved = {
        "merged": merged.id,
        "survivor": survivor.id,
        "name": merged.name,
        "slug": merged.slug,
        "name_key": merged.name_key,
        **_move_posts(merged.id, survivor.id),
        **_move_follows(merged.id, survivor.id),
        **_move_pins(merged.id, survivor.id),
        **_move_relations(merged.id, survivor.id),
        **_move_ambiguous(merged.id, survivor.id),
        "aliases": list(
            db.session.scalars(select(TagAlias.id).where(TagAlias.tag_id == merged.id))
        ),
    }
    db.session.execute(
        update(TagAlias).where(TagAlias.tag_id == merged.id).values(tag_id=survivor.id)
    )
    merged.name_key = merged.slug = _vacated(merged.id)
    merged.merged_into_id = survivor.id
    db.session.flush()
    db.session.expire_all()  # the bulk moves above bypassed the objects in the session
    former = curation.keep_old_name(
        survivor, moved["name"], name_key(moved["name"]), moved["slug"], AliasKind.FORMER
    )
    moved["former_alias"] = former.id
    tag_service.touch(pages)
    curation.rerender_wiki_links(names)
    entry = moderation_log.log_action(
        actor,
        ModAction.MERGE_TAGS,
        tag=survivor,
        reason=reason or f"Merged {merged.name} into {survivor.name}",
        details=json.dumps(moved),
    )
    db.session.commit()
    return entry


def merge_into(merged: Tag, into_name: str, *, actor: User, reason: str = "") -> ModerationAction:
    """merge_tags() with the survivor given by name or alias, as an editor types it."""
    found = tag_service.resolve_name(into_name)
    if found is None:
        raise DomainError(f"We don’t have a tag called “{into_name.strip()}”.", field="into")
    return merge_tags(merged, found.tag, actor=actor, reason=reason)


def _move_rows(model, key, merged: int, survivor: int, *, kept=(), moved_key=None):
    """Re-point a tag's rows of `model` (keyed by `key` beside tag_id) from the merged tag to
    the survivor. Rows the survivor already has are deleted instead, and returned with their
    `kept` columns so undo can put them back. Returns (moved keys, duplicates)."""
    has_both = select(key).where(model.tag_id == survivor)
    duplicates = db.session.execute(
        select(key, *kept).where(model.tag_id == merged, key.in_(has_both))
    ).all()
    db.session.execute(
        delete(model).where(model.tag_id == merged, key.in_(has_both)),
        execution_options={"synchronize_session": False},
    )
    moved = list(db.session.scalars(select(moved_key or key).where(model.tag_id == merged)))
    db.session.execute(
        update(model).where(model.tag_id == merged).values(tag_id=survivor),
        execution_options={"synchronize_session": False},
    )
    return moved, duplicates


def _move_posts(merged: int, survivor: int) -> dict:
    moved, duplicates = _move_rows(
        PostTag, PostTag.post_id, merged, survivor, kept=(PostTag.pinned_at,)
    )
    return {
        "posts": moved,
        "post_duplicates": [[post_id, _iso(pinned)] for post_id, pinned in duplicates],
    }


def _move_follows(merged: int, survivor: int) -> dict:
    moved, duplicates = _move_rows(
        TagFollow,
        TagFollow.user_id,
        merged,
        survivor,
        kept=(TagFollow.mode, TagFollow.created_at),
    )
    return {
        "follows": moved,
        "follow_duplicates": [[u, mode.value, _iso(at)] for u, mode, at in duplicates],
    }


def _move_pins(merged: int, survivor: int) -> dict:
    moved, duplicates = _move_rows(
        ArticlePin,
        ArticlePin.article_id,
        merged,
        survivor,
        kept=(ArticlePin.position,),
        moved_key=ArticlePin.id,
    )
    return {"pins": moved, "pin_duplicates": [list(row) for row in duplicates]}


def _same_relation_exists(subject: int, obj: int, kind: RelationKind, skip: int) -> bool:
    pairs = (TagRelation.subject_id == subject) & (TagRelation.object_id == obj)
    if kind in SYMMETRIC:
        pairs = pairs | ((TagRelation.subject_id == obj) & (TagRelation.object_id == subject))
    return (
        db.session.scalar(
            select(TagRelation.id).where(TagRelation.kind == kind, TagRelation.id != skip, pairs)
        )
        is not None
    )


def _move_relations(merged: int, survivor: int) -> dict:
    moved, dropped = [], []
    relations = db.session.scalars(
        select(TagRelation)
        .where(or_(TagRelation.subject_id == merged, TagRelation.object_id == merged))
        .order_by(TagRelation.id)
    ).all()
    for relation in relations:
        side = "subject" if relation.subject_id == merged else "object"
        subject = survivor if side == "subject" else relation.subject_id
        obj = survivor if side == "object" else relation.object_id
        if subject == obj or _same_relation_exists(subject, obj, relation.kind, relation.id):
            dropped.append([relation.subject_id, relation.object_id, relation.kind.value])
            db.session.delete(relation)
        else:
            moved.append([relation.id, side])
            setattr(relation, f"{side}_id", survivor)
        db.session.flush()
    return {"relations": moved, "relation_duplicates": dropped}


def _move_ambiguous(merged: int, survivor: int) -> dict:
    has_both = select(AmbiguousNameTag.ambiguous_name_id).where(AmbiguousNameTag.tag_id == survivor)
    duplicates = list(
        db.session.scalars(
            select(AmbiguousNameTag.ambiguous_name_id).where(
                AmbiguousNameTag.tag_id == merged,
                AmbiguousNameTag.ambiguous_name_id.in_(has_both),
            )
        )
    )
    db.session.execute(
        delete(AmbiguousNameTag).where(
            AmbiguousNameTag.tag_id == merged, AmbiguousNameTag.ambiguous_name_id.in_(duplicates)
        ),
        execution_options={"synchronize_session": False},
    )
    moved = list(
        db.session.scalars(
            select(AmbiguousNameTag.ambiguous_name_id).where(AmbiguousNameTag.tag_id == merged)
        )
    )
    db.session.execute(
        update(AmbiguousNameTag).where(AmbiguousNameTag.tag_id == merged).values(tag_id=survivor),
        execution_options={"synchronize_session": False},
    )
    return {"ambiguous": moved, "ambiguous_duplicates": duplicates}


# --- undo ---------------------------------------------------------------------------------------


def _undone_ids(survivor_id: int) -> set[int]:
    entries = db.session.scalars(
        select(ModerationAction.details).where(
            ModerationAction.action == ModAction.UNMERGE_TAGS,
            ModerationAction.tag_id == survivor_id,
        )
    )
    return {json.loads(details).get("undoes") for details in entries if details}


def undoable_merges(survivor: Tag) -> list[tuple[ModerationAction, Tag]]:
    """Merges into `survivor` that can still be undone, newest first, with the merged tag."""
    entries = db.session.scalars(
        select(ModerationAction)
        .where(
            ModerationAction.action == ModAction.MERGE_TAGS,
            ModerationAction.tag_id == survivor.id,
        )
        .order_by(ModerationAction.id.desc())
    ).all()
    if not entries:
        return []
    undone = _undone_ids(survivor.id)
    found = []
    for entry in entries:
        merged = db.session.get(Tag, json.loads(entry.details)["merged"])
        if entry.id not in undone and merged is not None and merged.merged_into_id == survivor.id:
            found.append((entry, merged))
    return found


def undo_merge(entry_id: int, *, actor: User, reason: str = "") -> Tag:
    """Put back everything a merge moved, exactly; returns the restored tag. Raises NotAllowed,
    NotFound, Conflict (already undone) or DomainError (a name was taken since)."""
    policies.require(policies.can_curate_tags(actor), "Only editors can undo a merge.")
    entry = db.session.get(ModerationAction, entry_id)
    if entry is None or entry.action is not ModAction.MERGE_TAGS:
        raise NotFound("We couldn’t find that merge.")
    moved = json.loads(entry.details)
    merged = db.session.get(Tag, moved["merged"])
    survivor = db.session.get(Tag, moved["survivor"])
    if (
        merged is None
        or survivor is None
        or merged.merged_into_id != survivor.id
        or entry.id in _undone_ids(survivor.id)
    ):
        raise Conflict("This merge was already undone.")
    if survivor.merged_into_id is not None:
        raise DomainError(
            f"{survivor.name} was itself merged into another tag since. Undo that merge first."
        )
    db.session.execute(delete(TagAlias).where(TagAlias.id == moved["former_alias"]))
    _restore_name(merged, moved)
    db.session.execute(
        update(TagAlias)
        .where(TagAlias.id.in_(moved["aliases"]), TagAlias.tag_id == survivor.id)
        .values(tag_id=merged.id)
    )
    _restore_posts(merged.id, survivor.id, moved)
    _restore_follows(merged.id, survivor.id, moved)
    _restore_pins(merged.id, survivor.id, moved)
    _restore_relations(merged.id, survivor.id, moved)
    _restore_ambiguous(merged.id, survivor.id, moved)
    db.session.flush()
    db.session.expire_all()
    pages = {merged.id, survivor.id} | curation.cotagged_ids([merged.id])
    tag_service.touch(pages | curation.related_ids(merged.id))
    curation.rerender_wiki_links(curation.names_of(merged))
    moderation_log.log_action(
        actor,
        ModAction.UNMERGE_TAGS,
        tag=survivor,
        reason=reason or f"Undid the merge of {merged.name} into {survivor.name}",
        details=json.dumps({"undoes": entry.id, "merged": merged.id}),
    )
    db.session.commit()
    return merged


def _restore_name(merged: Tag, moved: dict) -> None:
    db.session.flush()
    slug, key = moved["slug"], moved["name_key"]
    clash = db.session.scalar(
        select(Tag.name).where(or_(Tag.slug == slug, Tag.name_key == key), Tag.id != merged.id)
    ) or db.session.scalar(
        select(TagAlias.name).where(or_(TagAlias.slug == slug, TagAlias.name_key == key))
    )
    if clash is not None:
        raise DomainError(
            f"The name “{moved['name']}” is used by {clash} now, so the merge can’t be undone. "
            "Rename or remove that first."
        )
    merged.name_key, merged.slug, merged.merged_into_id = key, slug, None


def _restore_posts(merged: int, survivor: int, moved: dict) -> None:
    db.session.execute(
        update(PostTag)
        .where(PostTag.tag_id == survivor, PostTag.post_id.in_(moved["posts"]))
        .values(tag_id=merged),
        execution_options={"synchronize_session": False},
    )
    # Posts the survivor already had lose the link to it: they go back on the merged tag.
    lifecycle.list_on_tag(merged, {post_id: _when(at) for post_id, at in moved["post_duplicates"]})


def _restore_follows(merged: int, survivor: int, moved: dict) -> None:
    db.session.execute(
        update(TagFollow)
        .where(TagFollow.tag_id == survivor, TagFollow.user_id.in_(moved["follows"]))
        .values(tag_id=merged),
        execution_options={"synchronize_session": False},
    )
    duplicates = {user_id: (mode, at) for user_id, mode, at in moved["follow_duplicates"]}
    if not duplicates:
        return
    users = db.session.scalars(select(User.id).where(User.id.in_(duplicates))).all()
    db.session.execute(
        insert(TagFollow),
        [
            {
                "user_id": u,
                "tag_id": merged,
                "mode": duplicates[u][0],
                "created_at": _when(duplicates[u][1]),
            }
            for u in users
        ],
    )


def _restore_pins(merged: int, survivor: int, moved: dict) -> None:
    db.session.execute(
        update(ArticlePin)
        .where(ArticlePin.id.in_(moved["pins"]), ArticlePin.tag_id == survivor)
        .values(tag_id=merged),
        execution_options={"synchronize_session": False},
    )
    for article_id, position in moved["pin_duplicates"]:
        db.session.add(ArticlePin(article_id=article_id, tag_id=merged, position=position))


def _restore_relations(merged: int, survivor: int, moved: dict) -> None:
    for relation_id, side in moved["relations"]:
        relation = db.session.get(TagRelation, relation_id)
        if relation is not None and getattr(relation, f"{side}_id") == survivor:
            setattr(relation, f"{side}_id", merged)
    db.session.flush()
    for subject, obj, kind in moved["relation_duplicates"]:
        if not _same_relation_exists(subject, obj, RelationKind(kind), skip=0):
            db.session.add(TagRelation(subject_id=subject, object_id=obj, kind=RelationKind(kind)))


def _restore_ambiguous(merged: int, survivor: int, moved: dict) -> None:
    db.session.execute(
        update(AmbiguousNameTag)
        .where(
            AmbiguousNameTag.tag_id == survivor,
            AmbiguousNameTag.ambiguous_name_id.in_(moved["ambiguous"]),
        )
        .values(tag_id=merged),
        execution_options={"synchronize_session": False},
    )
    for ambiguous_id in moved["ambiguous_duplicates"]:
        db.session.add(AmbiguousNameTag(ambiguous_name_id=ambiguous_id, tag_id=merged))
