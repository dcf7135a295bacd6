"""Drug mentions: names from our alias table found in what a member writes, offered as tags.

Nothing here applies a tag: the compose page lists what was found and the author chooses.
Matching is by whole words and ignores case and punctuation: the text is cut into words, and
every run of up to MAX_WORDS words is compared, as a slug, with tag names, aliases and
ambiguous names, in a few IN queries whatever the size of the alias table. At each place the
longest name wins, so "6-MP" is mercaptopurine, never the ambiguous "MP".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from forum.domain.models import AmbiguousName, Tag, TagAlias, TagKind, name_key
from forum.domain.services import tags as tag_service
from forum.extensions import db

MAX_WORDS = 4  # the longest names in the alias table have three words ("Salazopyrin EN-Tabs")
MAX_TEXT = 25_000  # a post's title and body, with room to spare
MAX_MENTIONS = 8  # enough to be useful, few enough to read on a phone
CHUNK = 900  # IN-list size every supported database accepts
# Drugs, and conditions too: a post needs at least one of either to be found.
MENTION_KINDS = (TagKind.DRUG, TagKind.CONDITION)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Mention:
    tag: Tag
    written: str  # the words as the member wrote them ("Imuran")

    @property
    def via_other_name(self) -> bool:
        return name_key(self.written) != self.tag.name_key


@dataclass(frozen=True)
class AmbiguousMention:
    written: str  # "5-ASA"
    note: str
    candidates: list[Tag]


@dataclass(frozen=True)
class Mentions:
    tags: list[Mention]
    ambiguous: list[AmbiguousMention]

    def __bool__(self) -> bool:
        return bool(self.tags or self.ambiguous)


NONE = Mentions([], [])


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _lookup(slugs: set[str]) -> dict[str, Tag | TagAlias | AmbiguousName]:
    """What each slug names: a tag, an alias (with its tag) or an ambiguous name."""
    found: dict[str, Tag | TagAlias | AmbiguousName] = {}
    ordered = sorted(slugs)
    for chunk in _chunks(ordered):
        for tag in db.session.scalars(
            select(Tag).where(
                Tag.slug.in_(chunk), Tag.merged_into_id.is_(None), Tag.kind.in_(MENTION_KINDS)
            )
        ):
            found[tag.slug] = tag
    for chunk in _chunks([s for s in ordered if s not in found]):
        for alias in db.session.scalars(
            select(TagAlias)
            .join(Tag, Tag.id == TagAlias.tag_id)
            .where(TagAlias.slug.in_(chunk), Tag.kind.in_(MENTION_KINDS))
            .options(contains_eager(TagAlias.tag))
        ):
            found[alias.slug] = alias
    for chunk in _chunks([s for s in ordered if s not in found]):
        for ambiguous in db.session.scalars(
            select(AmbiguousName)
            .where(AmbiguousName.slug.in_(chunk))
            .options(selectinload(AmbiguousName.candidates))
        ):
            found[ambiguous.slug] = ambiguous
    return found


def _words(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Where each word of `text` is, and each one's slug."""
    matches = list(_WORD.finditer(text))
    return [m.span() for m in matches], [tag_service.slugify(m.group()) for m in matches]


def find(text: str, *, chosen: Iterable[Tag] = ()) -> Mentions:
    """Tags named in `text` (by name or alias, whole words, any case) and ambiguous names with
    their candidates, in order of first appearance; tags in `chosen` are left out."""
    text = text[:MAX_TEXT]
    spans, slugs = _words(text)
    grams = {
        "-".join(slugs[i : i + n])
        for i in range(len(slugs))
        for n in range(1, MAX_WORDS + 1)
        if i + n <= len(slugs) and all(slugs[i : i + n])
    }
    if not grams:
        return NONE
    found = _lookup(grams)
    if not found:
        return NONE
    taken = {tag.id for tag in chosen}
    mentions: list[Mention] = []
    ambiguous: list[AmbiguousMention] = []
    seen_names: set[int] = set()
    i = 0
    while i < len(slugs) and len(mentions) + len(ambiguous) < MAX_MENTIONS:
        for n in range(min(MAX_WORDS, len(slugs) - i), 0, -1):
            hit = found.get("-".join(slugs[i : i + n])) if all(slugs[i : i + n]) else None
            if hit is not None:
                words = " ".join(text[spans[i][0] : spans[i + n - 1][1]].split())
                _collect(hit, words, taken, mentions, ambiguous, seen_names)
                i += n
                break
        else:
            i += 1
    return Mentions(mentions, ambiguous)


def _collect(hit, words: str, taken: set[int], mentions: list, ambiguous: list, seen: set) -> None:
    if isinstance(hit, AmbiguousName):
        candidates = [
            t for t in hit.candidates if t.merged_into_id is None and t.kind in MENTION_KINDS
        ]
        if hit.id in seen or not candidates or any(t.id in taken for t in candidates):
            return
        seen.add(hit.id)
        ambiguous.append(AmbiguousMention(words, hit.note, candidates))
        return
    tag = hit.tag if isinstance(hit, TagAlias) else hit
    if tag.id in taken:
        return
    taken.add(tag.id)
    mentions.append(Mention(tag, words))


def find_for_draft(text: str, typed_tags: list[str]) -> Mentions:
    """find() for the compose page: the tags already typed (by any name) are left out."""
    chosen, _unknown = tag_service.resolve_many(typed_tags)
    return find(text, chosen=chosen)
