"""Editorial articles: what readers see pinned on tag pages and on the article page, and how
editors write them (drafts, publishing, pins, sources, clinical review dates, revisions).

Every save keeps a full ArticleRevision, so the history shows who changed what and any two
revisions can be compared. Tag pages an article is (or was) pinned to are marked changed in
the same transaction.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.domain import policies
from forum.domain.models import (
    Article,
    ArticleKind,
    ArticlePin,
    ArticleReference,
    ArticleRevision,
    ArticleStatus,
    Tag,
    User,
    utcnow,
)
from forum.domain.models.article import MAX_ARTICLE_TITLE_LENGTH, MAX_SUMMARY_LENGTH
from forum.domain.services import lifecycle
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotFound, Problems
from forum.extensions import db
from forum.text import render_user_text

REVIEW_INTERVAL_MONTHS = 12  # clinical reviewers look at every article at least once a year
DUE_SOON_DAYS = 60  # editors see what is coming up, with time to book a reviewer
OVERVIEW_POSITION = 0  # an overview opens its own tag's page
OTHER_POSITION = 10  # comparisons and further pins follow, in the order given
MAX_SLUG_LENGTH = 120


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_due(last_reviewed_on: date | None) -> date | None:
    return add_months(last_reviewed_on, REVIEW_INTERVAL_MONTHS) if last_reviewed_on else None


# --- readers -------------------------------------------------------------------------------------


def pinned_for(tag: Tag) -> list[Article]:
    """Published articles pinned to `tag`, in pin order."""
    return list(
        db.session.scalars(
            select(Article)
            .join(ArticlePin, ArticlePin.article_id == Article.id)
            .where(
                ArticlePin.tag_id == tag.id,
                Article.status == ArticleStatus.PUBLISHED,
                Article.removed_at.is_(None),
            )
            .order_by(ArticlePin.position, Article.id)
        )
    )


def get_readable_or_404(slug: str, *, viewer) -> Article:
    article = db.session.scalar(
        select(Article)
        .where(Article.slug == slug)
        .options(
            joinedload(Article.author),
            selectinload(Article.references),
            selectinload(Article.pins).joinedload(ArticlePin.tag),
        )
    )
    if article is None or not policies.can_see_article(viewer, article):
        raise NotFound("We couldn’t find that article. The link may be out of date.")
    return article


# --- editors: lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewList:
    overdue: list[Article]  # review date passed: "review due"
    unreviewed: list[Article]  # published without a clinical review date
    due_soon: list[Article]  # due within DUE_SOON_DAYS


def require_editor(viewer) -> None:
    policies.require(policies.can_edit_articles(viewer), "Only editors can do that.")


def all_articles(*, viewer) -> list[Article]:
    """Every article, drafts too, newest change first, with its pins for the list."""
    require_editor(viewer)
    return list(
        db.session.scalars(
            select(Article)
            .options(selectinload(Article.pins).joinedload(ArticlePin.tag))
            .order_by(Article.updated_at.desc(), Article.id.desc())
        )
    )


def needs_review(*, viewer, today: date | None = None) -> ReviewList:
    """Published articles whose clinical review is due, missing, or coming up soon."""
    require_editor(viewer)
    today = today or utcnow().date()
    soon = date.fromordinal(today.toordinal() + DUE_SOON_DAYS)
    published = list(
        db.session.scalars(
            select(Article)
            .where(Article.status == ArticleStatus.PUBLISHED, Article.removed_at.is_(None))
            .options(selectinload(Article.pins).joinedload(ArticlePin.tag))
            .order_by(Article.review_due_on, Article.title)
        )
    )
    return ReviewList(
        overdue=[a for a in published if a.review_due_on and a.review_due_on <= today],
        unreviewed=[a for a in published if a.review_due_on is None],
        due_soon=[a for a in published if a.review_due_on and today < a.review_due_on <= soon],
    )


def review_due_count() -> int:
    """How many published articles are past their review date (for editors' navigation)."""
    return db.session.scalar(
        select(func.count(Article.id)).where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.removed_at.is_(None),
            Article.review_due_on <= utcnow().date(),
        )
    )


def get_for_editing_or_404(article_id: int, *, viewer) -> Article:
    require_editor(viewer)
    article = db.session.get(
        Article,
        article_id,
        options=[
            selectinload(Article.pins).joinedload(ArticlePin.tag),
            selectinload(Article.references),
        ],
    )
    if article is None:
        raise NotFound("We couldn’t find that article.")
    return article


def preview_html(source: str, *, viewer) -> Markup:
    """The article body as readers will see it (headings start at h2), saving nothing."""
    require_editor(viewer)
    return render_user_text(source or "", min_heading=2, wiki=tag_service.wiki_resolver())


# --- editors: writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceDraft:
    title: str
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True)
class PinDraft:
    tag_name: str
    position: int | None = None  # None: the default for the article's kind


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    body: str
    kind: ArticleKind = ArticleKind.OVERVIEW
    status: ArticleStatus = ArticleStatus.DRAFT
    summary: str = ""
    reviewer_name: str = ""
    reviewer_credentials: str = ""
    last_reviewed_on: date | None = None
    review_due_on: date | None = None  # None: REVIEW_INTERVAL_MONTHS after last_reviewed_on
    references: list[ReferenceDraft] = field(default_factory=list)
    pins: list[PinDraft] = field(default_factory=list)
    slug: str = ""  # new articles only; made from the title when empty
    note: str = ""  # what changed, for the history


def overview_of(tag: Tag, *, other_than: int | None = None) -> Article | None:
    """The overview that opens `tag`'s page (pinned to it first), published before draft."""
    query = (
        select(Article)
        .join(ArticlePin, ArticlePin.article_id == Article.id)
        .where(
            ArticlePin.tag_id == tag.id,
            ArticlePin.position == OVERVIEW_POSITION,
            Article.kind == ArticleKind.OVERVIEW,
        )
        .order_by(Article.status.desc(), Article.id)
        .limit(1)
    )
    if other_than is not None:
        query = query.where(Article.id != other_than)
    return db.session.scalar(query)


def _check(draft: ArticleDraft, *, article_id: int | None = None) -> list[tuple[Tag, int]]:
    """Every problem at once (Problems), or the pins as (tag, position)."""
    problems: list[DomainError] = []
    publishing = draft.status is ArticleStatus.PUBLISHED
    if not draft.title.strip():
        problems.append(DomainError("Give the article a title.", field="title"))
    elif len(draft.title) > MAX_ARTICLE_TITLE_LENGTH:
        problems.append(DomainError("Keep the title under 200 characters.", field="title"))
    if len(draft.summary) > MAX_SUMMARY_LENGTH:
        problems.append(
            DomainError(f"Keep the summary under {MAX_SUMMARY_LENGTH} characters.", field="summary")
        )
    if publishing and not draft.body.strip():
        problems.append(DomainError("Write the article before publishing it.", field="body"))
    for ref in draft.references:
        if not ref.title.strip():
            problems.append(DomainError("Every source needs a title.", field="references"))
        if ref.url and not ref.url.startswith(("https://", "http://")):
            problems.append(
                DomainError(
                    f"“{ref.url}” isn’t a web address: it should start with https://",
                    field="references",
                )
            )
    due = draft.review_due_on
    if due and draft.last_reviewed_on and due <= draft.last_reviewed_on:
        problems.append(
            DomainError(
                "The review due date must come after the last review.", field="review_due_on"
            )
        )
    pins = _resolve_pins(draft, problems)
    if publishing and not pins:
        what = (
            "the drug, condition or topic it is about"
            if draft.kind is ArticleKind.OVERVIEW
            else ("every drug it compares")
        )
        problems.append(DomainError(f"Pin it to {what}, so readers find it.", field="pins"))
    if publishing and draft.kind is ArticleKind.OVERVIEW and pins:
        tag = pins[0][0]
        existing = overview_of(tag, other_than=article_id)
        if existing is not None and existing.status is ArticleStatus.PUBLISHED:
            problems.append(
                DomainError(
                    f"{tag.name} already has an overview, “{existing.title}”: readers should "
                    "find one. Edit that one, or set it back to draft before publishing this.",
                    field="pins",
                )
            )
    if problems:
        raise Problems(problems)
    return pins


def _resolve_pins(draft: ArticleDraft, problems: list[DomainError]) -> list[tuple[Tag, int]]:
    pins: list[tuple[Tag, int]] = []
    for index, pin in enumerate(p for p in draft.pins if p.tag_name.strip()):
        found = tag_service.resolve_name(pin.tag_name)
        if found is None:
            problems.append(
                DomainError(f"We don’t have a tag called “{pin.tag_name.strip()}”.", field="pins")
            )
            continue
        if any(tag.id == found.tag.id for tag, _ in pins):
            continue
        first_of_overview = index == 0 and draft.kind is ArticleKind.OVERVIEW
        default = OVERVIEW_POSITION if first_of_overview else OTHER_POSITION + index
        pins.append((found.tag, default if pin.position is None else pin.position))
    return pins


def _unique_slug(wanted: str, title: str) -> str:
    base = tag_service.slugify(wanted or title)[:MAX_SLUG_LENGTH].strip("-") or "article"
    taken = set(db.session.scalars(select(Article.slug).where(Article.slug.like(f"{base}%"))))
    if wanted and base in taken:
        raise DomainError(f"Another article already uses the address “{base}”.", field="slug")
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(article: Article, draft: ArticleDraft, pins: list[tuple[Tag, int]]) -> set[int]:
    """Copy the draft onto the article; returns the tag pages that show it (before and after)."""
    pages = {pin.tag_id for pin in article.pins}
    article.title = " ".join(draft.title.split())  # before the text: search indexes both
    article.summary = " ".join(draft.summary.split())
    article.kind, article.status = draft.kind, draft.status
    article.reviewer_name = draft.reviewer_name.strip()
    article.reviewer_credentials = draft.reviewer_credentials.strip()
    article.last_reviewed_on = draft.last_reviewed_on
    article.review_due_on = draft.review_due_on or default_review_due(draft.last_reviewed_on)
    with db.session.no_autoflush:
        lifecycle.render_into(article, draft.body, min_heading=2)
    if article.status is ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = utcnow()
    wanted = {tag.id: (tag, position) for tag, position in pins}
    for pin in list(article.pins):
        if pin.tag_id in wanted:
            pin.position = wanted.pop(pin.tag_id)[1]
        else:
            article.pins.remove(pin)
    for tag, position in wanted.values():
        article.pins.append(ArticlePin(tag=tag, position=position))
    article.references = [
        ArticleReference(
            position=i, title=r.title.strip(), publisher=r.publisher.strip(), url=r.url
        )
        for i, r in enumerate(draft.references)
    ]
    return pages | {tag.id for tag, _ in pins}


def keep_revision(article: Article, editor: User | None, note: str = "") -> ArticleRevision:
    """Snapshot the article as it is now (built, not committed)."""
    db.session.flush()
    last = db.session.scalar(
        select(func.max(ArticleRevision.number)).where(ArticleRevision.article_id == article.id)
    )
    revision = ArticleRevision(
        article_id=article.id,
        number=(last or 0) + 1,
        editor_id=editor.id if editor else None,
        created_at=utcnow(),
        note=" ".join(note.split())[:300],
        kind=article.kind,
        status=article.status,
        title=article.title,
        summary=article.summary,
        body=article.body,
        reviewer_name=article.reviewer_name,
        reviewer_credentials=article.reviewer_credentials,
        last_reviewed_on=article.last_reviewed_on,
        review_due_on=article.review_due_on,
        references=[
            {"title": r.title, "publisher": r.publisher, "url": r.url} for r in article.references
        ],
        pins=[
            {"tag_id": p.tag.id, "name": p.tag.name, "position": p.position}
            for p in sorted(article.pins, key=lambda p: (p.position, p.tag.name_key))
        ],
    )
    db.session.add(revision)
    return revision


def create_article(actor: User, draft: ArticleDraft) -> Article:
    """A new article by `actor`, with its first revision. Raises NotAllowed or Problems."""
    require_editor(actor)
    pins = _check(draft)
    article = Article(slug=_unique_slug(draft.slug, draft.title), author=actor, title="")
    db.session.add(article)
    pages = _apply(article, draft, pins)
    keep_revision(article, actor, draft.note or "First version")
    tag_service.touch(pages)
    db.session.commit()
    return article


def edit_article(article: Article, *, actor: User, draft: ArticleDraft) -> Article:
    """Save an edit as a new revision; tag pages that show the article change with it. Raises
    NotAllowed or Problems."""
    require_editor(actor)
    pins = _check(draft, article_id=article.id)
    pages = _apply(article, draft, pins)
    keep_revision(article, actor, draft.note)
    tag_service.touch(pages)
    db.session.commit()
    return article
