"""The alias table: brand names, other names and misspellings for drugs, and names that mean
more than one drug (which can't be aliases), with their CSV imports. The starter tables ship in
forum/editorial/data/ (SOURCES.md says where every row came from); `flask --app forum
import-aliases FILE` loads a larger one.

Importing only ever adds: a row that is already there is skipped, and a row that would point a
name at a different drug than it already leads to is reported as a conflict, never applied.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum.domain.models import AliasKind, AmbiguousName, Tag, TagKind, User, name_key
from forum.domain.services import curation
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotFound
from forum.extensions import db

DATA = Path(__file__).resolve().parent.parent.parent / "editorial" / "data"
STARTER_ALIASES = DATA / "drug_aliases.csv"
STARTER_AMBIGUOUS = DATA / "ambiguous_names.csv"
ALIAS_COLUMNS = ["generic", "alias", "kind", "source"]
AMBIGUOUS_COLUMNS = ["name", "generic", "note"]
IMPORTABLE_KINDS = {"brand", "misspelling", "other"}


@dataclass
class ImportReport:
    """What an import did, one readable line per row that matters."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # no tag for the generic
    created: list[str] = field(default_factory=list)  # tags made by --create-missing

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.existing)} skipped (already there)",
            f"{len(self.conflicts)} conflicts",
        ]
        if self.missing:
            parts.append(f"{len(self.missing)} skipped (no tag for the drug)")
        if self.created:
            parts.append(f"{len(self.created)} drug tags created")
        return ", ".join(parts) + "."

    def lines(self) -> list[str]:
        return (
            [f"created   {line}" for line in self.created]
            + [f"added     {line}" for line in self.added]
            + [f"exists    {line}" for line in self.existing]
            + [f"no tag    {line}" for line in self.missing]
            + [f"CONFLICT  {line}" for line in self.conflicts]
        )


def read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """The rows of a CSV whose header is exactly `columns`. Raises DomainError otherwise."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise DomainError(
                f"{path.name}: the first line must be {','.join(columns)} "
                f"(found {','.join(reader.fieldnames or [])})."
            )
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _tag_for(generic: str, report: ImportReport, create_missing: bool) -> Tag | None:
    found = tag_service.resolve_name(generic)
    if found is not None:
        return found.tag
    if not create_missing:
        return None
    tag = tag_service.new_tag(TagKind.DRUG, generic)
    report.created.append(f"{tag.name} (drug)")
    return tag


def load_aliases(rows: Iterable[dict[str, str]], *, create_missing: bool = False) -> ImportReport:
    """Add the aliases in `rows` (generic, alias, kind, source) to the tags they name. Built,
    not committed."""
    report = ImportReport()
    touched: set[int] = set()
    added_names: list[str] = []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        generic, alias, kind = row.get("generic", ""), row.get("alias", ""), row.get("kind", "")
        where = f"line {line}: “{alias}” → {generic}"
        if not generic or not alias or kind not in IMPORTABLE_KINDS:
            report.conflicts.append(
                f"{where}: needs a generic, an alias and a kind (brand, misspelling or other)."
            )
            continue
        tag = _tag_for(generic, report, create_missing)
        if tag is None:
            report.missing.append(
                f"{where}: we have no tag for {generic} (--create-missing adds it)"
            )
            continue
        known = tag_service.resolve_name(alias) or tag_service.resolve_slug(
            tag_service.slugify(alias)
        )
        if known is not None and known.tag.id == tag.id:
            report.existing.append(f"{alias} → {tag.name}")
            continue
        if known is not None:
            report.conflicts.append(f"{where}: it already leads to {known.tag.name}.")
            continue
        try:
            tag_service.new_alias(tag, alias, AliasKind(kind), source=row.get("source", ""))
        except DomainError as err:
            report.conflicts.append(f"{where}: {err.message}")
            continue
        touched.add(tag.id)
        added_names.append(alias)
        report.added.append(f"{alias} → {tag.name} ({kind}, {row.get('source') or 'no source'})")
    tag_service.touch(touched)
    curation.rerender_wiki_links(added_names)  # [[links]] using the new names become links
    return report


def import_aliases(
    path: Path, *, create_missing: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import an alias CSV; commits unless `dry_run`. Raises DomainError for a bad header."""
    rows = read_csv(path, ALIAS_COLUMNS)
    report = load_aliases(rows, create_missing=create_missing)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def load_ambiguous_names(rows: Iterable[dict[str, str]]) -> ImportReport:
    """Add names that mean several drugs (name, generic, note: one row per drug it may mean),
    with the candidates we have tags for. Built, not committed."""
    report = ImportReport()
    grouped: dict[str, tuple[str, list[str], str]] = {}
    for row in rows:
        name = " ".join(row.get("name", "").split())
        if not name or not row.get("generic"):
            report.conflicts.append(f"“{name}”: every row needs a name and a generic.")
            continue
        shown, generics, note = grouped.get(name_key(name), (name, [], ""))
        grouped[name_key(name)] = (shown, [*generics, row["generic"]], note or row.get("note", ""))
    for key, (name, generics, note) in grouped.items():
        found = [tag_service.resolve_name(g) for g in generics]
        candidates = list({f.tag.id: f.tag for f in found if f is not None}.values())
        if not candidates:
            report.missing.append(f"{name}: we have no tag for any of {', '.join(generics)}")
            continue
        listed = db.session.scalar(
            select(AmbiguousName).where(
                or_(AmbiguousName.name_key == key, AmbiguousName.slug == tag_service.slugify(name))
            )
        )
        if listed is None:
            try:
                new_ambiguous_name(name, candidates, note)
            except DomainError as err:
                report.conflicts.append(f"{name}: {err.message}")
                continue
            report.added.append(f"{name} → {', '.join(t.name for t in candidates)}")
            continue
        new = [t for t in candidates if t not in listed.candidates]
        if not new:
            report.existing.append(f"{name} → {', '.join(t.name for t in listed.candidates)}")
            continue
        listed.candidates.extend(new)
        report.added.append(f"{name} → also {', '.join(t.name for t in new)}")
    db.session.flush()
    return report


def import_ambiguous_names(path: Path, *, dry_run: bool = False) -> ImportReport:
    """Import a CSV of names that mean several drugs; commits unless `dry_run`."""
    report = load_ambiguous_names(read_csv(path, AMBIGUOUS_COLUMNS))
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


# --- names that mean more than one drug ----------------------------------------------------------


def ambiguous_names() -> list[AmbiguousName]:
    return list(
        db.session.scalars(
            select(AmbiguousName)
            .options(selectinload(AmbiguousName.candidates))
            .order_by(AmbiguousName.name_key)
        )
    )


def new_ambiguous_name(name: str, candidates: list[Tag], note: str = "") -> AmbiguousName:
    """Build (not commit) a name that may mean any of `candidates`. Raises DomainError when it
    is already a tag's name or alias, or has fewer than one candidate."""
    name = " ".join(name.split())
    key, slug = name_key(name), tag_service.slugify(name)
    if not key or not slug:
        raise DomainError("A name needs at least one letter or digit.", field="name")
    if db.session.scalar(
        select(AmbiguousName.id).where(
            or_(AmbiguousName.name_key == key, AmbiguousName.slug == slug)
        )
    ):
        raise DomainError(f"“{name}” is already listed.", field="name")
    found = tag_service.resolve_name(name) or tag_service.resolve_slug(slug)
    if found is not None:
        raise DomainError(
            f"“{name}” already leads to {found.tag.name}. Remove that name from "
            f"{found.tag.name} first if it can mean other drugs too.",
            field="name",
        )
    if not candidates:
        raise DomainError("Name at least one drug it can mean.", field="candidates")
    ambiguous = AmbiguousName(name=name, name_key=key, slug=slug, note=note.strip()[:300])
    ambiguous.candidates = candidates
    db.session.add(ambiguous)
    db.session.flush()
    return ambiguous


def add_ambiguous_name(
    *, actor: User, name: str, candidate_names: list[str], note: str = ""
) -> AmbiguousName:
    """List a name that can mean several drugs, so posts using it ask the author which.
    Raises NotAllowed or DomainError(field=...)."""
    curation.require_curator(actor)
    found, unknown = tag_service.resolve_many(candidate_names)
    if unknown:
        listed = ", ".join(f"“{n}”" for n in unknown)
        raise DomainError(f"We don’t have tags called {listed}.", field="candidates")
    ambiguous = new_ambiguous_name(name, found, note)
    db.session.commit()
    return ambiguous


def remove_ambiguous_name(ambiguous_id: int, *, actor: User) -> None:
    curation.require_curator(actor)
    ambiguous = db.session.get(AmbiguousName, ambiguous_id)
    if ambiguous is None:
        raise NotFound("That name was already removed.")
    db.session.delete(ambiguous)
    db.session.commit()
