"""Editors curating drugs, conditions and topics: creating and editing tags, renaming them,
their aliases and the relations between them.

Every change here keeps what readers see right in the same transaction: tag pages showing the
tag are marked changed (tags.touch), and the cached HTML of posts, replies and articles whose
[[wiki links]] might now point elsewhere, or carry another definition, is rendered again.
Merging lives in forum.domain.services.merging; names that mean more than one drug in
alias_table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.domain import policies
from forum.domain.models import (
    AliasKind,
    Article,
    ModAction,
    Post,
    PostTag,
    RelationKind,
    Reply,
    Tag,
    TagAlias,
    TagKind,
    TagRelation,
    User,
    name_key,
)
from forum.domain.models.tag import MAX_DEFINITION_LENGTH
from forum.domain.services import moderation_log
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotFound
from forum.extensions import db
from forum.text import RENDERER_VERSION, render_user_text

# The relation choices an editor sees on a tag's page, read from that tag's side:
# (relation kind, whether this tag is the subject).
RELATION_CHOICES = {
    "used_for": (RelationKind.USED_FOR, True),
    "treated_with": (RelationKind.USED_FOR, False),
    "alternative_to": (RelationKind.ALTERNATIVE_TO, True),
    "interacts_with": (RelationKind.INTERACTS_WITH, True),
}


@dataclass(frozen=True)
class TagDraft:
    kind: TagKind
    name: str
    definition: str = ""
    description: str = ""


# --- reading ------------------------------------------------------------------------------------


def get_tag_or_404(tag_id: int) -> Tag:
    tag = db.session.get(Tag, tag_id, options=[selectinload(Tag.aliases)])
    if tag is None:
        raise NotFound("We couldn’t find that tag. It may have been merged into another.")
    return tag


def all_tags() -> tuple[dict[TagKind, list[Tag]], list[Tag]]:
    """Every live tag grouped by kind, and the merged ones (kept so a merge can be undone)."""
    grouped = tag_service.directory()
    merged = list(
        db.session.scalars(
            select(Tag).where(Tag.merged_into_id.is_not(None)).order_by(Tag.name_key)
        )
    )
    return grouped, merged


# --- keeping pages and links right ---------------------------------------------------------------


def names_of(tag: Tag) -> set[str]:
    """Every name a [[wiki link]] may use for this tag."""
    return {tag.name, tag.slug, *(a.name for a in tag.aliases)}


def cotagged_ids(tag_ids: Iterable[int]) -> set[int]:
    """Tags sharing a post with these: their pages show these tags' names on post cards."""
    ids = list(tag_ids)
    if not ids:
        return set()
    posts = select(PostTag.post_id).where(PostTag.tag_id.in_(ids))
    return set(
        db.session.scalars(select(PostTag.tag_id).where(PostTag.post_id.in_(posts)).distinct())
    )


def related_ids(tag_id: int) -> set[int]:
    """Tags related to this one: their pages show its name and definition."""
    rows = db.session.execute(
        select(TagRelation.subject_id, TagRelation.object_id).where(
            or_(TagRelation.subject_id == tag_id, TagRelation.object_id == tag_id)
        )
    ).all()
    return {i for row in rows for i in row} - {tag_id}


WIKI_KEYS_PER_QUERY = 200  # keeps each OR list well inside SQLite's expression depth


def rerender_wiki_links(names: Iterable[str]) -> int:
    """Render again the cached HTML of posts, replies and articles with a [[link]] that may use
    one of `names`, so links follow renames, merges, aliases and definitions. A filtered query
    per table (and per 200 names); part of the caller's transaction. Returns how many."""
    keys = sorted({key for key in (name_key(n) for n in names if n) if key})
    if not keys:
        return 0
    db.session.flush()  # the resolver must see the change being made
    wiki = tag_service.wiki_resolver()
    done: set[tuple[str, int]] = set()
    pinned_tags: set[int] = set()
    for start in range(0, len(keys), WIKI_KEYS_PER_QUERY):
        chunk = keys[start : start + WIKI_KEYS_PER_QUERY]
        for model, min_heading in ((Post, 3), (Reply, 3), (Article, 2)):
            lowered = func.lower(model.body)
            query = select(model).where(
                model.body.contains("[[", autoescape=True),
                or_(*(lowered.contains(key, autoescape=True) for key in chunk)),
            )
            for obj in db.session.scalars(query):
                if (model.__name__, obj.id) in done:
                    continue
                done.add((model.__name__, obj.id))
                obj.body_html = str(render_user_text(obj.body, min_heading=min_heading, wiki=wiki))
                obj.body_html_version = RENDERER_VERSION
                if isinstance(obj, Article):
                    pinned_tags.update(pin.tag_id for pin in obj.pins)
    tag_service.touch(pinned_tags)  # tag pages show a pinned overview's opening
    return len(done)


def _log(actor: User, tag: Tag, what: str, **details) -> None:
    moderation_log.log_action(
        actor,
        ModAction.EDIT_TAG,
        tag=tag,
        reason=what,
        details=json.dumps(details, default=str, ensure_ascii=False) if details else "",
    )


def require_curator(actor: User) -> None:
    policies.require(
        policies.can_curate_tags(actor), "Only editors can change drugs, conditions and topics."
    )


_require = require_curator


def _require_live(tag: Tag) -> None:
    if tag.merged_into_id is not None:
        raise DomainError(
            f"{tag.name} was merged into another tag. Undo the merge first to change it."
        )


def _check_definition(definition: str) -> str:
    definition = " ".join(definition.split())
    if len(definition) > MAX_DEFINITION_LENGTH:
        raise DomainError(
            f"Keep the definition to one sentence under {MAX_DEFINITION_LENGTH} characters; "
            f"it has {len(definition)} now.",
            field="definition",
        )
    return definition


# --- tags ---------------------------------------------------------------------------------------


def create_tag(actor: User, draft: TagDraft) -> Tag:
    """A new drug, condition or topic. Raises NotAllowed or DomainError(field=...)."""
    _require(actor)
    definition = _check_definition(draft.definition)
    tag = tag_service.new_tag(
        draft.kind, draft.name, definition=definition, description=draft.description
    )
    rerender_wiki_links(names_of(tag))  # [[links]] to it were plain text until now
    _log(actor, tag, f"Created {tag.kind.label.lower()} {tag.name}")
    db.session.commit()
    return tag


def edit_tag(
    tag: Tag, *, actor: User, draft: TagDraft, old_name_kind: AliasKind = AliasKind.FORMER
) -> Tag:
    """Change a tag's kind, name, definition and description. A new name keeps the old one
    (and its address) as an alias, so old links and URLs still lead here. Raises NotAllowed or
    DomainError(field=...)."""
    _require(actor)
    _require_live(tag)
    definition = _check_definition(draft.definition)
    description = draft.description.strip()
    before = {
        "kind": tag.kind.value,
        "name": tag.name,
        "slug": tag.slug,
        "definition": tag.definition,
        "description": tag.description,
    }
    names_before = names_of(tag)
    new_name = " ".join(draft.name.split())
    if new_name != tag.name:
        _rename(tag, new_name, old_name_kind)
    tag.kind, tag.definition, tag.description = draft.kind, definition, description
    after = {
        "kind": tag.kind.value,
        "name": tag.name,
        "slug": tag.slug,
        "definition": tag.definition,
        "description": tag.description,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changes:
        return tag
    pages = {tag.id} | related_ids(tag.id)
    if {"name", "kind"} & changes.keys():
        pages |= cotagged_ids([tag.id])  # post cards show its name (and sort by kind)
    tag_service.touch(pages)
    if {"name", "slug", "definition"} & changes.keys():
        rerender_wiki_links(names_before | names_of(tag))
    what = f"Renamed {before['name']} to {tag.name}" if "name" in changes else f"Edited {tag.name}"
    _log(actor, tag, what, **changes)
    db.session.commit()
    return tag


def _rename(tag: Tag, new_name: str, old_name_kind: AliasKind) -> None:
    new_key, new_slug = name_key(new_name), tag_service.slugify(new_name)
    if new_key == tag.name_key:
        tag.name = new_name  # only capitals or spacing changed: same key, same address
        return
    for alias in list(tag.aliases):  # the new name was one of its other names
        if alias.name_key == new_key or alias.slug == new_slug:
            tag.aliases.remove(alias)
    db.session.flush()
    tag_service.check_name_free(new_name, ignore_tag=tag)
    old_name, old_key, old_slug = tag.name, tag.name_key, tag.slug
    tag.name, tag.name_key, tag.slug = new_name, new_key, new_slug
    db.session.flush()
    keep_old_name(tag, old_name, old_key, old_slug, old_name_kind)


def keep_old_name(tag: Tag, name: str, key: str, slug: str, kind: AliasKind) -> TagAlias:
    """An alias for a name (and address) the tag no longer has. Built, not committed."""
    taken = db.session.scalar(select(TagAlias.id).where(TagAlias.slug == slug))
    if taken is not None or slug == tag.slug:
        slug = _free_slug(f"{slug}-former")
    alias = TagAlias(tag=tag, name=name, name_key=key, slug=slug, kind=kind, source="")
    db.session.add(alias)
    db.session.flush()
    return alias


def _free_slug(base: str) -> str:
    candidate, n = base, 1
    while (
        db.session.scalar(select(Tag.id).where(Tag.slug == candidate)) is not None
        or db.session.scalar(select(TagAlias.id).where(TagAlias.slug == candidate)) is not None
    ):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- aliases ------------------------------------------------------------------------------------


def add_alias(tag: Tag, *, actor: User, name: str, kind: AliasKind) -> TagAlias:
    """Another name for the tag (brand, misspelling, other). Raises NotAllowed or
    DomainError(field="name") when the name belongs to another tag or alias."""
    _require(actor)
    _require_live(tag)
    alias = tag_service.new_alias(tag, name, kind, source="curated")
    tag_service.touch([tag.id])
    rerender_wiki_links({alias.name})
    _log(actor, tag, f"Added {alias.kind.value} name {alias.name} to {tag.name}")
    db.session.commit()
    return alias


def remove_alias(alias: TagAlias, *, actor: User) -> Tag:
    """Forget another name; links and searches using it stop leading to the tag."""
    _require(actor)
    tag = alias.tag
    name, kind = alias.name, alias.kind
    tag.aliases.remove(alias)
    tag_service.touch([tag.id])
    rerender_wiki_links({name})
    _log(actor, tag, f"Removed {kind.value} name {name} from {tag.name}")
    db.session.commit()
    return tag


def get_alias_or_404(alias_id: int) -> TagAlias:
    alias = db.session.get(TagAlias, alias_id)
    if alias is None:
        raise NotFound("That name was already removed.")
    return alias


# --- relations ----------------------------------------------------------------------------------


def _check_relation(kind: RelationKind, subject: Tag, obj: Tag) -> None:
    if kind is RelationKind.USED_FOR:
        if subject.kind is not TagKind.DRUG or obj.kind is not TagKind.CONDITION:
            raise DomainError(
                "“Used for” links a drug to a condition: for example, azathioprine is used for "
                "Crohn’s disease.",
                field="other",
            )
    elif subject.kind is not TagKind.DRUG or obj.kind is not TagKind.DRUG:
        raise DomainError(
            "Alternatives and interactions link two drugs.",
            field="other",
        )


def add_relation(tag: Tag, *, actor: User, choice: str, other_name: str) -> TagRelation:
    """Relate two tags, read from `tag`'s side (e.g. "treated_with" methotrexate). Raises
    NotAllowed or DomainError(field="other")."""
    _require(actor)
    _require_live(tag)
    if choice not in RELATION_CHOICES:
        raise DomainError("Choose how the two are related.", field="kind")
    found = tag_service.resolve_name(other_name)
    if found is None:
        raise DomainError(
            f"We don’t have a tag called “{other_name.strip()}”. Create it first.", field="other"
        )
    kind, tag_is_subject = RELATION_CHOICES[choice]
    subject, obj = (tag, found.tag) if tag_is_subject else (found.tag, tag)
    if subject.id == obj.id:
        raise DomainError("A tag can’t be related to itself.", field="other")
    _check_relation(kind, subject, obj)
    relation, new = tag_service.new_relation(subject, kind, obj)
    if not new:
        raise DomainError(f"{tag.name} and {found.tag.name} are already related that way.")
    tag_service.touch([subject.id, obj.id])
    _log(actor, tag, f"Related {subject.name} ({kind.value}) {obj.name}")
    db.session.commit()
    return relation


def remove_relation(relation: TagRelation, *, actor: User) -> None:
    _require(actor)
    subject, obj, kind = relation.subject, relation.object, relation.kind
    db.session.delete(relation)
    tag_service.touch([subject.id, obj.id])
    _log(actor, subject, f"Unrelated {subject.name} ({kind.value}) {obj.name}")
    db.session.commit()


def get_relation_or_404(relation_id: int) -> TagRelation:
    relation = db.session.get(TagRelation, relation_id)
    if relation is None:
        raise NotFound("That relation was already removed.")
    return relation
