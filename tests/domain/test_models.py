"""Model-level rules: aware UTC timestamps, unique tag names across tags and aliases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from forum.domain.models import Post, Tag
from forum.domain.services import lifecycle, tags
from forum.errors import DomainError
from forum.extensions import db
from tests.factories import make_post, make_tag


def test_timestamps_come_back_aware_utc(app):
    with app.app_context():
        paris = timezone(timedelta(hours=1))
        post = make_post(at=datetime(2026, 1, 2, 13, 30, tzinfo=paris))
        db.session.expire_all()
        loaded = db.session.get(Post, post.id)
        assert loaded.published_at == datetime(2026, 1, 2, 12, 30, tzinfo=UTC)
        assert loaded.published_at.tzinfo is UTC
        assert loaded.created_at.tzinfo is UTC


def test_naive_datetimes_are_refused(app):
    with app.app_context():
        post = make_post()
        post.edited_at = datetime(2026, 1, 1, 12, 0)  # naive
        with pytest.raises(StatementError, match="naive datetime"):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("clash", ["Imuran", "IMURAN", "azathioprine", " Azathioprine "])
def test_names_are_unique_across_tags_and_aliases(app, clash):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
        with pytest.raises(DomainError, match="already"):
            tags.new_tag(tags.TagKind.DRUG, clash)
        db.session.rollback()
        tag = db.session.scalar(db.select(Tag))
        with pytest.raises(DomainError, match="already"):
            tags.new_alias(tag, clash)


def test_names_that_slugify_the_same_clash(app):
    with app.app_context():
        make_tag(name="Crohn's disease", kind="condition")
        with pytest.raises(DomainError, match="already"):
            tags.new_tag(tags.TagKind.CONDITION, "Crohns disease")


def test_resolve_name_finds_tags_by_alias_case_insensitively(app):
    with app.app_context():
        make_tag(name="mesalamine", aliases=["Lialda"])
        make_tag(name="mesalazine-free-topic", kind="topic")
        found, unknown = tags.resolve_many(["lialda", "MESALAMINE", "  Lialda ", "Unknown"])
        assert [t.name for t in found] == ["mesalamine"]
        assert unknown == ["Unknown"]


def test_slugify():
    assert tags.slugify("Crohn's disease") == "crohns-disease"
    assert tags.slugify("6-MP") == "6-mp"
    assert tags.slugify("Ciclosporin (UK)") == "ciclosporin-uk"
    assert tags.slugify("Sjögren’s syndrome") == "sjogrens-syndrome"


def test_listing_rows_follow_the_post_status(app):
    from forum.domain.models import PostStatus, PostTag

    with app.app_context():
        post = make_post(status="pending", tags=[make_tag(), make_tag(kind="topic")])
        assert all(link.listed_at is None for link in post.tag_links)
        post.status = PostStatus.PUBLISHED
        post.published_at = post.created_at
        lifecycle.sync_listing(post)
        db.session.commit()
        listed = db.session.scalars(db.select(PostTag.listed_at)).all()
        assert listed == [post.published_at, post.published_at]
