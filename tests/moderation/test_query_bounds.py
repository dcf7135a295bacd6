"""The review queue and the moderation logs cost the same number of queries however many items,
authors, flags and actions there are."""

from __future__ import annotations

from datetime import timedelta

from forum.domain.models import FlagReason, User, utcnow
from forum.domain.services import content_actions, flags, holds, sanctions
from forum.extensions import db
from tests.factories import make_post, make_reply, make_tag, make_user, signed_in

OLD = timedelta(days=200)


def _hold(obj, author: User) -> None:
    """Screen `obj` as the app does on posting; a new member's first writing is held."""
    decision = holds.decide(author, title=getattr(obj, "title", ""), body=obj.body)
    assert decision.held
    holds.record(obj, decision)
    db.session.commit()


def _busy_week(mod_id: int, n: int) -> None:
    """`n` held posts and `n // 3` held replies from five new members, `n // 3` published posts
    reported by several readers, and for the log: removals, locks and suspensions."""
    mod = db.session.get(User, mod_id)
    tags = [make_tag(), make_tag(kind="topic")]
    newcomers = [make_user() for _ in range(5)]
    steady = make_user(joined=utcnow() - OLD)
    readers = [make_user(joined=utcnow() - OLD) for _ in range(4)]
    shared = make_post(author=steady, tags=tags)
    for i in range(n):
        author = newcomers[i % 5]
        _hold(make_post(author=author, tags=tags, status="pending", title=f"Held {i}"), author)
    for i in range(n // 3 or 1):
        author = newcomers[i % 5]
        _hold(make_reply(shared, author=author, status="pending", body=f"Held reply {i}"), author)
        reported = make_post(author=steady, tags=tags, title=f"Reported {i}")
        for reader in readers[: 1 + i % 2]:
            flags.flag(reported, flagger=reader, reason=FlagReason.SPAM, details=f"ad {i}")
        other = make_post(author=readers[i % 4], tags=tags, title=f"Acted on {i}")
        if i % 2:
            content_actions.remove(other, actor=mod, reason=f"Off topic {i}")
        else:
            content_actions.set_locked(other, actor=mod, locked=True, reason=f"Heated {i}")
        sanctions.suspend(make_user(), actor=mod, days=3, reason=f"Rude {i}")


def test_queue_queries_do_not_grow_with_items_authors_or_flags(app, client, bounded_page):
    mod_id = signed_in(app, client, role="moderator", joined=utcnow() - OLD)
    with app.app_context():
        _busy_week(mod_id, 1)
    html = bounded_page(client, "/moderation/queue", grow=lambda: _busy_week(mod_id, 27), at_most=9)
    assert "48 waiting" in html  # three from before, then 27 posts, 9 replies, 9 reported
    assert "Held 26" in html and "Held reply 8" in html and "ad 8" in html
    assert html.count("Flagged</span>") == 10


def test_staff_log_queries_do_not_grow_with_actions(app, client, bounded_page):
    mod_id = signed_in(app, client, role="moderator", joined=utcnow() - OLD)
    with app.app_context():
        _busy_week(mod_id, 1)
    html = bounded_page(
        client, "/moderation/actions", grow=lambda: _busy_week(mod_id, 30), at_most=4
    )
    assert html.count('<tr role="row">') == 51  # the header and a page of 50
    assert "Rude 9" in html and html.count('href="/moderation/members/') >= 5


def test_public_log_queries_do_not_grow_with_actions(app, client, bounded_page):
    with app.app_context():
        mod_id = make_user(role="moderator", joined=utcnow() - OLD).id
        _busy_week(mod_id, 1)
    html = bounded_page(  # one query: the log, with who acted on whom to leave their names out
        client, "/moderation/log", grow=lambda: _busy_week(mod_id, 30), at_most=1
    )
    assert html.count('<tr role="row">') == 51
    assert "Rude 9" in html and "a member" in html and "a post" in html
