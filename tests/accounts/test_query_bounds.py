"""A member's profile and their standing page cost the same number of queries however much they
wrote and however many decisions were made about it."""

from __future__ import annotations

import re
from datetime import timedelta

from forum.domain.models import User, utcnow
from forum.domain.services import content_actions, sanctions
from forum.extensions import db
from tests.factories import make_post, make_reply, make_tag, make_user, signed_in


def _write(author_id: int, n: int) -> None:
    """`n` posts by the member across several tags, each with replies from others."""
    author = db.session.get(User, author_id)
    tags = [make_tag(kind=("drug", "condition", "topic")[i % 3]) for i in range(6)]
    others = [make_user() for _ in range(3)]
    for i in range(n):
        post = make_post(author=author, tags=[tags[i % 6], tags[(i + 2) % 6]], title=f"Mine {i}")
        make_reply(post, author=others[i % 3])


def test_profile_queries_do_not_grow_with_posts_or_tags(app, client, bounded_page):
    with app.app_context():
        member_id = make_user(pseudonym="prolific").id
        _write(member_id, 1)
    html = bounded_page(client, "/members/prolific", grow=lambda: _write(member_id, 35), at_most=3)
    assert len(re.findall(r'class="card-title"', html)) == 20 and "Mine 34" in html
    assert "1 comment" in html


def _decisions(member_id: int, n: int) -> None:
    """`n` removals and `n` locks of the member's posts and replies by several moderators, and
    a suspension lifted again."""
    member = db.session.get(User, member_id)
    mods = [make_user(role="moderator") for _ in range(3)]
    for i in range(n):
        mod = mods[i % 3]
        post = make_post(author=member, title=f"Decided {i}")
        content_actions.set_locked(post, actor=mod, locked=True, reason=f"Locked because {i}")
        target = make_reply(post, author=member) if i % 2 else post
        content_actions.remove(target, actor=mod, reason=f"Removed because {i}")
    sanctions.suspend(member, actor=mods[0], days=2, reason="A cooling-off")
    sanctions.lift(member, actor=mods[1], reason="Talked it through")


def test_standing_queries_do_not_grow_with_decisions(app, client, bounded_page):
    member_id = signed_in(app, client, joined=utcnow() - timedelta(days=200))
    with app.app_context():
        _decisions(member_id, 1)
    html = bounded_page(
        client, "/account/standing", grow=lambda: _decisions(member_id, 30), at_most=3
    )
    assert html.count('<tr role="row">') == 1 + 2 * 31 + 2 * 2  # the header, then each decision
    assert "Removed because 29" in html and "Locked because 29" in html
    assert html.count(">your post</a>") >= 45
