"""The demo content files fit the models' limits and refer only to things that exist."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from forum.demo.seed import CONTENT, _front_matter
from forum.domain.models.article import MAX_ARTICLE_TITLE_LENGTH, MAX_SUMMARY_LENGTH
from forum.domain.models.post import (
    MAX_BODY_LENGTH,
    MAX_DURATION_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_TAGS_PER_POST,
    MAX_TITLE_LENGTH,
)
from forum.domain.models.tag import MAX_DEFINITION_LENGTH, MAX_TAG_NAME_LENGTH
from forum.domain.models.user import MAX_PSEUDONYM_LENGTH, name_key
from forum.domain.services.tags import slugify


def load(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


MEMBERS = {m["pseudonym"]: m for m in load(CONTENT / "members.toml")["member"]}
TAGS = {t["slug"]: t for t in load(CONTENT / "tags.toml")["tag"]}
POSTS = sorted((CONTENT / "posts").glob("*.toml"))
ARTICLES = sorted((CONTENT / "articles").glob("*.md"))


def test_members_and_tags_fit():
    assert all(len(p) <= MAX_PSEUDONYM_LENGTH for p in MEMBERS)
    names: dict[str, str] = {}
    for slug, tag in TAGS.items():
        assert slugify(slug) == slug, slug
        assert len(tag["definition"]) <= MAX_DEFINITION_LENGTH, slug
        for name in [tag["name"]] + [a["name"] for a in tag.get("aliases", [])]:
            assert len(name) <= MAX_TAG_NAME_LENGTH
            for key in {name_key(name), slugify(name)}:
                assert key not in names, f"{name!r} clashes with {names.get(key)!r}"
                names[key] = name
        for key in ("used_for", "alternative_to", "interacts_with"):
            assert set(tag.get(key, [])) <= set(TAGS), (slug, key)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_post_file_fits(path):
    post = load(path)
    assert post["kind"] in ("story", "thread")
    assert len(post["title"]) <= MAX_TITLE_LENGTH
    assert len(post["body"]) <= MAX_BODY_LENGTH
    assert len(post.get("taking_for", "")) <= MAX_DURATION_LENGTH
    assert post.get("experience_status", "taking") in ("taking", "stopped", "switched")
    assert post["author"] in MEMBERS
    assert set(post["tags"]) <= set(TAGS) and len(post["tags"]) <= MAX_TAGS_PER_POST
    assert any(TAGS[t]["kind"] in ("drug", "condition") for t in post["tags"])
    hours = [r["hours_after"] for r in post.get("replies", [])]
    assert hours == sorted(hours)
    for reply in post.get("replies", []):
        assert reply["author"] in MEMBERS
        assert len(reply["body"]) <= MAX_REPLY_LENGTH


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_article_file_fits(path):
    meta, body = _front_matter(path)
    assert len(meta["title"]) <= MAX_ARTICLE_TITLE_LENGTH
    assert len(meta.get("summary", "")) <= MAX_SUMMARY_LENGTH
    assert set(meta["tags"]) <= set(TAGS)
    assert meta["author"] in MEMBERS and MEMBERS[meta["author"]]["role"] in ("editor", "admin")
    assert body.strip()
