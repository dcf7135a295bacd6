"""The feed, notifications and following pages cost the same number of queries however much
a member follows and hears about."""

from __future__ import annotations

import re

from forum.domain.models import FollowMode, Tag, TagFollow, User, utcnow
from forum.domain.services import notifications
from forum.extensions import db
from tests.factories import make_post, make_reply, make_tag, make_user, signed_in


def _follow_new_tags(reader_id: int, n: int, mode: FollowMode | None = None) -> list[Tag]:
    """`n` new tags of every kind that the reader follows (in every mode, unless `mode`)."""
    modes = [mode] if mode else list(FollowMode)
    tags = [make_tag(kind=("drug", "condition", "topic")[i % 3]) for i in range(n)]
    for i, tag in enumerate(tags):
        db.session.add(
            TagFollow(
                user_id=reader_id, tag_id=tag.id, mode=modes[i % len(modes)], created_at=utcnow()
            )
        )
    db.session.commit()
    return tags


def _followed_posts(reader_id: int, tags: int, posts: int) -> None:
    """`posts` posts by five members in `tags` new tags the reader follows."""
    followed = _follow_new_tags(reader_id, tags)
    authors = [make_user() for _ in range(5)]
    for i in range(posts):
        make_post(
            title=f"Feed post {tags} {i}",
            author=authors[i % 5],
            tags=[followed[i % tags], followed[(i + 1) % tags]],
        )


def test_feed_queries_do_not_grow_with_followed_tags_posts_or_authors(app, client, bounded_page):
    reader_id = signed_in(app, client)
    with app.app_context():
        _followed_posts(reader_id, 2, 1)
    html = bounded_page(client, "/feed", grow=lambda: _followed_posts(reader_id, 30, 40), at_most=5)
    assert len(re.findall(r'class="card-title"', html)) == 20 and "Feed post 30 39" in html
    assert html.count('class="chip chip-') >= 32  # one chip per followed tag


def test_following_queries_do_not_grow_with_followed_tags(app, client, bounded_page):
    reader_id = signed_in(app, client)
    with app.app_context():
        _follow_new_tags(reader_id, 2)
    html = bounded_page(
        client, "/following", grow=lambda: _follow_new_tags(reader_id, 35), at_most=3
    )
    assert html.count('class="field follow-row"') == 37


def _notify(reader_id: int, n: int) -> None:
    """`n` notifications of each kind for the reader, about posts by several members."""
    reader = db.session.get(User, reader_id)
    tags = _follow_new_tags(reader_id, 3, FollowMode.NOTIFY)
    others = [make_user() for _ in range(4)]
    mine = make_post(author=reader, title="My own story", tags=tags[:1])
    for i in range(n):
        post = make_post(author=others[i % 4], tags=[tags[i % 3]], title=f"Followed post {i}")
        notifications.fan_out_post(post.id)
        notifications.fan_out_reply(make_reply(mine, author=others[(i + 1) % 4]).id)
        make_reply(post, author=reader)
        notifications.fan_out_reply(make_reply(post, author=others[(i + 2) % 4]).id)
        notifications.moderation_notice(
            reader, post_id=mine.id, reply_id=None, message=f"Moderation note {i}"
        )


def test_notifications_queries_do_not_grow_with_notifications(app, client, bounded_page):
    reader_id = signed_in(app, client)
    with app.app_context():
        _notify(reader_id, 1)
    html = bounded_page(client, "/notifications", grow=lambda: _notify(reader_id, 10), at_most=3)
    assert html.count('class="notification unread"') == 30  # a page of the 44
    for text in (
        "A new story in a tag you follow: <strong>Followed post 9",
        "commented on your story",
        "also commented on",
        "Moderation note 9",
    ):
        assert text in html
