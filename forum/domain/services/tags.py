"""Tags: resolving names, slugs and aliases to canonical tags; the directory; relations."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from forum.domain.models import (
    AliasKind,
    AmbiguousName,
    RelationKind,
    Tag,
    TagAlias,
    TagKind,
    TagRelation,
    name_key,
)
from forum.domain.models.tag import MAX_DEFINITION_LENGTH, MAX_TAG_NAME_LENGTH
from forum.errors import DomainError
from forum.extensions import db
from forum.text import WikiTarget


def slugify(name: str) -> str:
    """'Crohn's disease' -> 'crohns-disease'; 'CellCept' -> 'cellcept'; '6-MP' -> '6-mp'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_TAG_NAME_LENGTH]


@dataclass(frozen=True)
class Resolved:
    tag: Tag
    via_alias: TagAlias | None  # set when the slug or name was an alias


def resolve_slug(slug: str) -> Resolved | None:
    """A tag by its own slug, or by an alias slug (the caller redirects to the canonical page)."""
    slug = slug.strip().lower()
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is not None:
        return Resolved(tag, None)
    alias = db.session.scalar(
        select(TagAlias).where(TagAlias.slug == slug).options(selectinload(TagAlias.tag))
    )
    return Resolved(alias.tag, alias) if alias is not None else None


def page_version(slug: str) -> tuple[int, int] | None:
    """(tag id, listing_version) for a canonical slug, in one narrow query: all a cached tag
    page needs to know it is still current. None for aliases and unknown slugs."""
    # Its own autocommit connection: one round trip, where the session would add BEGIN and
    # ROLLBACK around it. This is the hot path of every cached tag page.
    engine = db.engine.execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        row = conn.execute(select(Tag.id, Tag.listing_version).where(Tag.slug == slug)).first()
    return (row[0], row[1]) if row is not None else None


def resolve_name(name: str) -> Resolved | None:
    """A tag by its name or any alias, case-insensitively ('Imuran' -> azathioprine)."""
    key = name_key(name)
    if not key:
        return None
    tag = db.session.scalar(select(Tag).where(or_(Tag.name_key == key, Tag.slug == key)))
    if tag is not None:
        return Resolved(tag, None)
    alias = db.session.scalar(
        select(TagAlias)
        .where(or_(TagAlias.name_key == key, TagAlias.slug == key))
        .options(selectinload(TagAlias.tag))
    )
    return Resolved(alias.tag, alias) if alias is not None else None


def directory() -> dict[TagKind, list[Tag]]:
    """Every tag with its aliases, grouped by kind (drugs, conditions, topics), by name."""
    tags = db.session.scalars(
        select(Tag)
        .where(Tag.merged_into_id.is_(None))
        .options(selectinload(Tag.aliases))
        .order_by(Tag.name_key)
    ).all()
    grouped: dict[TagKind, list[Tag]] = {kind: [] for kind in TagKind}
    for tag in tags:
        grouped[tag.kind].append(tag)
    return grouped


RELATION_HEADINGS = {
    # (relation kind, direction) -> heading on the tag page
    (RelationKind.USED_FOR, "out"): "Used for",
    (RelationKind.USED_FOR, "in"): "Treated with",
    (RelationKind.ALTERNATIVE_TO, "out"): "Alternatives",
    (RelationKind.ALTERNATIVE_TO, "in"): "Alternatives",
    (RelationKind.INTERACTS_WITH, "out"): "Interacts with",
    (RelationKind.INTERACTS_WITH, "in"): "Interacts with",
}


def relations_of(tag: Tag, *order_by) -> list[tuple[TagRelation, Tag]]:
    """Every relation the tag is in, from either side, with the tag at the other end."""
    return list(
        db.session.execute(
            select(TagRelation, Tag)
            .join(
                Tag,
                or_(
                    (TagRelation.subject_id == tag.id) & (Tag.id == TagRelation.object_id),
                    (TagRelation.object_id == tag.id) & (Tag.id == TagRelation.subject_id),
                ),
            )
            .where(or_(TagRelation.subject_id == tag.id, TagRelation.object_id == tag.id))
            .order_by(*order_by, Tag.name_key)
        ).all()
    )


def related(tag: Tag) -> dict[str, list[Tag]]:
    """Related tags grouped under a heading; symmetric relations read the same both ways."""
    rows = relations_of(tag)
    grouped: dict[str, list[Tag]] = defaultdict(list)
    for relation, other in rows:
        direction = "out" if relation.subject_id == tag.id else "in"
        heading = RELATION_HEADINGS[(relation.kind, direction)]
        if other not in grouped[heading]:
            grouped[heading].append(other)
    order = list(dict.fromkeys(RELATION_HEADINGS.values()))
    return {heading: grouped[heading] for heading in order if grouped.get(heading)}


def resolve_many(names: list[str]) -> tuple[list[Tag], list[str]]:
    """Canonical tags for typed names, in order, without duplicates; plus the unknown names."""
    found: list[Tag] = []
    unknown: list[str] = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        resolved = resolve_name(name)
        if resolved is None:
            unknown.append(name)
        elif resolved.tag not in found:
            found.append(resolved.tag)
    return found, unknown


# --- curation (editors; the editorial issue adds the screens) ---------------------------------


def _check_name_free(name: str, *, ignore_tag: Tag | None = None) -> tuple[str, str]:
    """Names and slugs are unique across tags and aliases; returns (name_key, slug)."""
    key, slug = name_key(name), slugify(name)
    if not key or not slug:
        raise DomainError("A name needs at least one letter or digit.", field="name")
    if len(name) > MAX_TAG_NAME_LENGTH:
        raise DomainError(f"Keep names under {MAX_TAG_NAME_LENGTH} characters.", field="name")
    clash_tag = db.session.scalar(
        select(Tag).where(or_(Tag.name_key == key, Tag.slug == slug, Tag.slug == key))
    )
    if clash_tag is not None and clash_tag is not ignore_tag:
        raise DomainError(f"“{name}” is already the name of {clash_tag.name}.", field="name")
    clash_alias = db.session.scalar(
        select(TagAlias).where(
            or_(TagAlias.name_key == key, TagAlias.slug == slug, TagAlias.slug == key)
        )
    )
    if clash_alias is not None:
        raise DomainError(
            f"“{name}” is already another name for {clash_alias.tag.name}.", field="name"
        )
    ambiguous = db.session.scalar(
        select(AmbiguousName).where(or_(AmbiguousName.name_key == key, AmbiguousName.slug == slug))
    )
    if ambiguous is not None:
        raise DomainError(
            f"“{name}” can mean more than one drug, so it is listed as an ambiguous name "
            "rather than as one tag’s name.",
            field="name",
        )
    return key, slug


check_name_free = _check_name_free  # for the curation service (renames)


def new_tag(kind: TagKind, name: str, *, definition: str = "", description: str = "") -> Tag:
    """Build (not commit) a tag after checking its name is free everywhere."""
    name = " ".join(name.split())
    key, slug = _check_name_free(name)
    if len(definition) > MAX_DEFINITION_LENGTH:
        raise DomainError(
            f"Keep the definition to one sentence under {MAX_DEFINITION_LENGTH} characters.",
            field="definition",
        )
    tag = Tag(
        kind=kind,
        name=name,
        name_key=key,
        slug=slug,
        definition=definition.strip(),
        description=description.strip(),
    )
    db.session.add(tag)
    db.session.flush()
    return tag


def new_alias(
    tag: Tag, name: str, kind: AliasKind = AliasKind.OTHER, *, source: str = ""
) -> TagAlias:
    """Build (not commit) an alias after checking its name is free everywhere."""
    name = " ".join(name.split())
    key, slug = _check_name_free(name)
    alias = TagAlias(tag=tag, name=name, name_key=key, slug=slug, kind=kind, source=source)
    db.session.add(alias)
    db.session.flush()
    return alias


def new_relation(subject: Tag, kind: RelationKind, obj: Tag) -> tuple[TagRelation, bool]:
    """The relation (built, not committed if new) and whether it was new. `alternative_to`
    and `interacts_with` read both ways, so the reverse pair counts as the same relation."""
    if subject.id == obj.id:
        raise DomainError("A tag cannot be related to itself.")
    existing = db.session.scalar(
        select(TagRelation).where(
            TagRelation.kind == kind,
            or_(
                (TagRelation.subject_id == subject.id) & (TagRelation.object_id == obj.id),
                (TagRelation.subject_id == obj.id) & (TagRelation.object_id == subject.id)
                if kind is not RelationKind.USED_FOR
                else False,
            ),
        )
    )
    if existing is not None:
        return existing, False
    relation = TagRelation(subject=subject, kind=kind, object=obj)
    db.session.add(relation)
    db.session.flush()
    return relation, True


TAG_PATH = "/tags/{slug}"  # the canonical tag page; stored inside rendered [[wiki]] links


def wiki_resolver():
    """A [[Name]] resolver for forum.text: names and aliases -> the canonical tag page."""
    cache: dict[str, WikiTarget | None] = {}

    def resolve(name: str) -> WikiTarget | None:
        key = name_key(name)
        if key not in cache:
            found = resolve_name(name)
            cache[key] = (
                WikiTarget(
                    href=TAG_PATH.format(slug=found.tag.slug),
                    label=found.tag.name,
                    definition=found.tag.definition,
                )
                if found
                else None
            )
        return cache[key]

    return resolve


def touch(tag_ids) -> None:
    """Mark tag pages as changed (their cached copies stop matching). Part of the caller's
    transaction; the caller commits."""
    ids = sorted({i for i in tag_ids if i is not None})
    if ids:
        db.session.execute(
            update(Tag).where(Tag.id.in_(ids)).values(listing_version=Tag.listing_version + 1)
        )


def browse(limit_per_kind: int = 12) -> dict[TagKind, list[Tag]]:
    """A short list per kind for the home page (no aliases loaded)."""
    grouped: dict[TagKind, list[Tag]] = {kind: [] for kind in TagKind}
    for tag in db.session.scalars(
        select(Tag).where(Tag.merged_into_id.is_(None)).order_by(Tag.name_key)
    ):
        if len(grouped[tag.kind]) < limit_per_kind:
            grouped[tag.kind].append(tag)
    return grouped


SUGGEST_LIMIT = 8  # enough to choose from on a phone without scrolling past the form


@dataclass(frozen=True)
class Suggestion:
    tag: Tag
    matched_alias: str | None  # the other name that matched ("Imuran"), if not the tag's own


def _starts_with(column, prefix: str):
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + "%", escape="\\")


def suggest(typed: str, *, limit: int = SUGGEST_LIMIT) -> list[Suggestion]:
    """Canonical tags whose name or any alias starts with what was typed, case-insensitively:
    tags matched by their own name first, then by an alias; by name within each."""
    key, slug = name_key(typed)[:MAX_TAG_NAME_LENGTH], slugify(typed)
    if not key:
        return []
    own = db.session.scalars(
        select(Tag)
        .where(
            or_(_starts_with(Tag.name_key, key), _starts_with(Tag.slug, slug or key)),
            Tag.merged_into_id.is_(None),
        )
        .order_by(Tag.name_key)
        .limit(limit)
    ).all()
    found = [Suggestion(tag, None) for tag in own]
    if len(found) < limit:
        seen = {tag.id for tag in own}
        aliases = db.session.scalars(
            select(TagAlias)
            .where(
                or_(_starts_with(TagAlias.name_key, key), _starts_with(TagAlias.slug, slug or key))
            )
            .options(selectinload(TagAlias.tag))
            .order_by(TagAlias.name_key)
            .limit(limit * 3)
        ).all()
        for alias in aliases:
            if alias.tag_id not in seen and len(found) < limit:
                seen.add(alias.tag_id)
                found.append(Suggestion(alias.tag, alias.name))
    return found
