"""An article's history: its revisions (one per save, with who made it) and what changed
between any two of them, field by field, as readable differences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.domain.models import Article, ArticleRevision
from forum.domain.services import diffs
from forum.domain.services.editorial import require_editor
from forum.errors import DomainError, NotFound
from forum.extensions import db


def revisions(article: Article, *, viewer) -> list[ArticleRevision]:
    """Every revision, newest first, with who made it."""
    require_editor(viewer)
    return list(
        db.session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .options(joinedload(ArticleRevision.editor))
            .order_by(ArticleRevision.number.desc())
        )
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    lines: list[diffs.Line]


@dataclass(frozen=True)
class Comparison:
    older: ArticleRevision
    newer: ArticleRevision
    changes: list[FieldChange]
    unchanged: list[str]


def _day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "(none)"


COMPARED = [
    ("Title", lambda r: r.title),
    ("Kind", lambda r: r.kind.label),
    ("Status", lambda r: r.status.value.capitalize()),
    ("Summary", lambda r: r.summary),
    ("Text", lambda r: r.body),
    (
        "Clinical reviewer",
        lambda r: ", ".join(p for p in (r.reviewer_name, r.reviewer_credentials) if p),
    ),
    ("Last reviewed", lambda r: _day(r.last_reviewed_on)),
    ("Review due", lambda r: _day(r.review_due_on)),
    (
        "Sources",
        lambda r: "\n".join(
            " · ".join(p for p in (ref["title"], ref["publisher"], ref["url"]) if p)
            for ref in r.references
        ),
    ),
    ("Tag pages", lambda r: "\n".join(f"{p['name']} (order {p['position']})" for p in r.pins)),
]


def compare(article: Article, older: int | None, newer: int | None, *, viewer) -> Comparison:
    """What changed between two revisions (by number; default: the latest and the one before).
    Raises NotFound, or DomainError when there is nothing earlier to compare with."""
    history = {r.number: r for r in revisions(article, viewer=viewer)}
    if not history:
        raise NotFound("This article has no revisions yet.")
    newer = newer if newer is not None else max(history)
    older = older if older is not None else newer - 1
    if newer in history and older == 0:
        raise DomainError("This is the first revision: there is nothing earlier to compare.")
    if older not in history or newer not in history:
        raise NotFound("We couldn’t find those revisions.")
    a, b = history[older], history[newer]
    changes, unchanged = [], []
    for label, value in COMPARED:
        lines = diffs.text_diff(value(a), value(b))
        if lines:
            changes.append(FieldChange(label, lines))
        else:
            unchanged.append(label)
    return Comparison(a, b, changes, unchanged)
