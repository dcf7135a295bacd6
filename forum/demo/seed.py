"""Load the demo content in forum/demo/content/ (see FORMAT.md there) into the database.

Idempotent: members, tags, aliases, relations, articles and posts are matched by their natural
keys (pseudonym, slug, name, author + title) and only what is missing is added, so running it
again never duplicates anything and never overwrites what editors or members changed.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from forum.domain.models import (
    AliasKind,
    Article,
    ArticleKind,
    ArticlePin,
    ArticleReference,
    ArticleStatus,
    ExperienceStatus,
    Post,
    PostKind,
    PostStatus,
    RelationKind,
    Tag,
    TagKind,
    User,
    UserRole,
    name_key,
    utcnow,
)
from forum.domain.models.post import MAX_EXCERPT_LENGTH
from forum.domain.services import accounts, alias_table, editorial, lifecycle, tags
from forum.extensions import db
from forum.text import excerpt

CONTENT = Path(__file__).parent / "content"
DEMO_EMAIL_DOMAIN = "demo.cohort.invalid"


@dataclass
class SeedReport:
    added: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + n

    def __str__(self) -> str:
        if not self.added:
            return "Demo content is already loaded; nothing to add."
        return "Added " + ", ".join(f"{n} {what}" for what, n in self.added.items()) + "."


def _load_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("+++", 2)
    return tomllib.loads(meta), body.strip() + "\n"


def _jitter_minutes(key: str, spread: int) -> int:
    """A stable offset per item, so demo posts don't all land on the hour."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % spread


def seed_members(report: SeedReport, password_hash: str) -> dict[str, User]:
    members: dict[str, User] = {}
    now = utcnow()
    for spec in _load_toml(CONTENT / "members.toml")["member"]:
        user = db.session.scalar(
            select(User).where(User.pseudonym_key == name_key(spec["pseudonym"]))
        )
        if user is None:
            user = accounts.build_user(
                pseudonym=spec["pseudonym"],
                email=f"{spec['pseudonym'].lower()}@{DEMO_EMAIL_DOMAIN}",
                password_hash=password_hash,
                role=UserRole(spec.get("role", "member")),
                verified=True,
            )
            joined = now - timedelta(days=spec.get("joined_days_ago", 30))
            user.created_at = user.updated_at = user.email_verified_at = joined
            report.count("members")
        members[spec["pseudonym"]] = user
    db.session.flush()
    return members


def seed_tags(report: SeedReport) -> dict[str, Tag]:
    specs = _load_toml(CONTENT / "tags.toml")["tag"]
    by_slug: dict[str, Tag] = {}
    for spec in specs:
        tag = db.session.scalar(select(Tag).where(Tag.slug == spec["slug"]))
        if tag is None:
            tag = tags.new_tag(
                TagKind(spec["kind"]),
                spec["name"],
                definition=spec.get("definition", ""),
                description=spec.get("description", ""),
            )
            tag.slug = spec["slug"]
            report.count("tags")
        by_slug[spec["slug"]] = tag
    for spec in specs:
        tag = by_slug[spec["slug"]]
        for alias in spec.get("aliases", []):
            if tags.resolve_name(alias["name"]) is None:
                tags.new_alias(tag, alias["name"], AliasKind(alias.get("kind", "other")))
                report.count("aliases")
        for key, kind in (
            ("used_for", RelationKind.USED_FOR),
            ("alternative_to", RelationKind.ALTERNATIVE_TO),
            ("interacts_with", RelationKind.INTERACTS_WITH),
        ):
            for other in spec.get(key, []):
                if other in by_slug and tags.new_relation(tag, kind, by_slug[other])[1]:
                    report.count("relations")
    db.session.flush()
    return by_slug


def seed_articles(report: SeedReport, members: dict[str, User], by_slug: dict[str, Tag]) -> None:
    today = utcnow().date()
    for path in sorted((CONTENT / "articles").glob("*.md")):
        meta, body = _front_matter(path)
        if db.session.scalar(select(Article.id).where(Article.slug == meta["slug"])) is not None:
            continue
        kind = ArticleKind(meta.get("kind", "overview"))
        reviewed = today - timedelta(days=meta.get("last_reviewed_days_ago", 30))
        article = Article(
            kind=kind,
            status=ArticleStatus.PUBLISHED,
            title=meta["title"],
            slug=meta["slug"],
            summary=meta.get("summary", "") or excerpt(body, 300),
            author=members.get(meta.get("author", "")),
            reviewer_name=meta.get("reviewer_name", ""),
            reviewer_credentials=meta.get("reviewer_credentials", ""),
            last_reviewed_on=reviewed,
            review_due_on=editorial.default_review_due(reviewed),
            published_at=utcnow() - timedelta(days=meta.get("last_reviewed_days_ago", 30) + 20),
        )
        db.session.add(article)
        lifecycle.render_into(article, body, min_heading=2)
        for position, slug in enumerate(meta.get("tags", [])):
            if slug in by_slug:
                rank = 0 if kind is ArticleKind.OVERVIEW else 10 + position
                article.pins.append(ArticlePin(tag=by_slug[slug], position=rank))
        tags.touch(pin.tag.id for pin in article.pins)
        for position, ref in enumerate(meta.get("references", [])):
            article.references.append(
                ArticleReference(
                    position=position,
                    title=ref["title"],
                    publisher=ref.get("publisher", ""),
                    url=ref.get("url", ""),
                )
            )
        report.count("articles")
    db.session.flush()
    seed_revisions(report)


def seed_revisions(report: SeedReport) -> None:
    """Every article starts its history with one revision: the version the demo loaded."""
    without = db.session.scalars(
        select(Article).where(~Article.revisions.any()).order_by(Article.id)
    ).all()
    for article in without:
        editorial.keep_revision(article, article.author, "First version")
    if without:
        report.count("article revisions", len(without))
    db.session.flush()


def seed_alias_table(report: SeedReport) -> None:
    """The starter alias table and ambiguous names, for the drugs the demo has (idempotent:
    rows already there are skipped, and rows for drugs without a tag are left out)."""
    aliases = alias_table.load_aliases(
        alias_table.read_csv(alias_table.STARTER_ALIASES, alias_table.ALIAS_COLUMNS)
    )
    if aliases.added:
        report.count("names from the starter alias table", len(aliases.added))
    ambiguous = alias_table.load_ambiguous_names(
        alias_table.read_csv(alias_table.STARTER_AMBIGUOUS, alias_table.AMBIGUOUS_COLUMNS)
    )
    if ambiguous.added:
        report.count("ambiguous names", len(ambiguous.added))


def seed_posts(report: SeedReport, members: dict[str, User], by_slug: dict[str, Tag]) -> None:
    now = utcnow()
    for path in sorted((CONTENT / "posts").glob("*.toml")):
        spec = _load_toml(path)
        author = members[spec["author"]]
        exists = db.session.scalar(
            select(Post.id).where(Post.author_id == author.id, Post.title == spec["title"])
        )
        if exists is not None:
            continue
        at = now - timedelta(days=spec["days_ago"], minutes=_jitter_minutes(path.name, 600))
        status = spec.get("experience_status")
        post = lifecycle.build_post(
            author=author,
            kind=PostKind(spec["kind"]),
            title=spec["title"],
            body=spec["body"],
            tags=[by_slug[slug] for slug in spec["tags"] if slug in by_slug],
            status=PostStatus.PUBLISHED,
            at=at,
            experience_duration=spec.get("taking_for"),
            experience_status=ExperienceStatus(status) if status else None,
        )
        for reply in spec.get("replies", []):
            reply_at = min(
                at
                + timedelta(hours=reply["hours_after"], minutes=_jitter_minutes(reply["body"], 50)),
                now - timedelta(minutes=5),
            )
            lifecycle.build_reply(
                post=post,
                author=members[reply["author"]],
                body=reply["body"],
                status=PostStatus.PUBLISHED,
                at=max(reply_at, at),
            )
        post.excerpt = post.excerpt or excerpt(spec["body"], MAX_EXCERPT_LENGTH)
        report.count("posts")
        report.count("replies", len(spec.get("replies", [])))
    db.session.flush()


def seed_demo(password: str) -> SeedReport:
    """Load everything missing from the demo content, in one transaction."""
    report = SeedReport()
    members = seed_members(report, accounts.hash_password(password))
    by_slug = seed_tags(report)
    seed_alias_table(report)
    seed_articles(report, members, by_slug)
    seed_posts(report, members, by_slug)
    db.session.commit()
    return report
