"""The home page costs the same number of queries however many posts, tags and authors."""

from __future__ import annotations

import re

from tests.factories import make_post, make_tag, make_user, signed_in


def _world(size: int) -> None:
    """`size` stories and threads by several members, each with two tags of several kinds."""
    kinds = ("drug", "condition", "topic")
    tags = [make_tag(kind=kinds[i % 3]) for i in range(max(3, size // 2))]
    authors = [make_user() for _ in range(max(1, size // 5))]
    for i in range(size):
        make_post(
            title=f"Home post {i}",
            author=authors[i % len(authors)],
            tags=[tags[i % len(tags)], tags[(i + 1) % len(tags)]],
            kind="story" if i % 2 else "thread",
        )


def _check(app, client, bounded_page, at_most: int) -> None:
    with app.app_context():
        _world(1)
    html = bounded_page(client, "/", grow=lambda: _world(40), at_most=at_most)
    assert len(re.findall(r'class="card-title"', html)) == 10
    assert "Home post 39" in html


def test_home_queries_do_not_grow_with_posts_tags_or_authors(app, client, bounded_page):
    _check(app, client, bounded_page, at_most=3)


def test_signed_in_home_queries_do_not_grow_either(app, client, bounded_page):
    signed_in(app, client)
    _check(app, client, bounded_page, at_most=5)
