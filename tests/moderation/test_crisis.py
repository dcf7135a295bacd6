"""Writing held for crisis language: the writer sees the help at once, is never shown the rule
as a diagnosis, is not exposed in the public log, and hears any outcome kindly."""

from __future__ import annotations

import re

from forum.domain.models import Notification
from forum.extensions import db
from tests.moderation.conftest import (
    as_member,
    emails_to,
    open_items,
    the_post,
    the_reply,
    write,
)

CRISIS_WORDS = "Honestly everyone would be better off without me."


def _reply(client, post, body):
    return client.post(f"/posts/{post.id}/replies", data={"body": body})


def _table(html: str) -> str:
    """The log itself (the page's footer mentions crises for everyone)."""
    return html[html.index("<table") : html.index("</table>")]


def _notices(app, user_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Notification.message).where(Notification.user_id == user_id)
            )
        )


def test_a_crisis_reply_sends_the_writer_to_the_help_box_first(app, people):
    steady = as_member(app, "steady@example.test")
    post = the_post(app, "Earlier post 0")
    response = _reply(steady, post, CRISIS_WORDS)
    assert response.status_code == 302
    assert response.location.endswith("#crisis-help")  # not #reply-N, far below on a phone
    page = steady.get(response.location).get_data(as_text=True)
    box = re.search(r"<section[^>]*\bid=\"crisis-help\"[^>]*>", page)
    assert box and 'tabindex="-1"' in box.group(0)  # focus lands there for screen readers
    assert page.count('id="crisis-help"') == 1
    # The help comes before the held-reply message and everything else on the page.
    assert page.index('id="crisis-help"') < page.index("will appear once a moderator")
    assert page.index('id="crisis-help"') < page.index('id="post-title"')


def test_an_ordinary_reply_still_goes_to_the_reply(app, people):
    steady = as_member(app, "steady@example.test")
    post = the_post(app, "Earlier post 0")
    response = _reply(steady, post, "Mine settled after a month.")
    reply = the_reply(app, "Mine settled after a month.")
    assert response.location.endswith(f"#reply-{reply.id}")
    assert 'id="crisis-help"' not in steady.get(response.location).get_data(as_text=True)


def test_a_crisis_post_and_a_crisis_edit_send_the_writer_to_the_help_box(app, people):
    steady = as_member(app, "steady@example.test")
    response = write(steady, title="Tonight", body=CRISIS_WORDS)
    assert response.location.endswith("#crisis-help")
    page = steady.get(response.location).get_data(as_text=True)
    assert page.count('id="crisis-help"') == 1 and "Samaritans" in page
    write(steady, title="Calm one", body="A quiet week.")
    post = the_post(app, "Calm one")
    edited = steady.post(
        f"/posts/{post.id}/edit", data={"title": "Calm one", "body": CRISIS_WORDS, "tags": "Imuran"}
    )
    assert edited.location.endswith("#crisis-help")
    # A moderator looking at the held post sees no help box aimed at the writer.
    mo = as_member(app, "mo@example.test")
    assert 'id="crisis-help"' not in mo.get(f"/posts/{post.id}").get_data(as_text=True)


def test_the_public_log_never_says_someone_may_be_in_crisis(app, client, people):
    steady = as_member(app, "steady@example.test")
    _reply(steady, the_post(app, "Earlier post 0"), CRISIS_WORDS)
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    mo.post(
        f"/moderation/items/{item.id}/reject",
        data={"template": "", "reason": "We have written to you privately about your safety."},
    )
    html = _table(client.get("/moderation/log").get_data(as_text=True))
    assert "Hold" in html and "Reject" in html and "held for review" in html.lower()
    for secret in ("crisis", "self_harm", "better off", "safety"):
        assert secret not in html.lower(), secret
    staff = mo.get("/moderation/actions").get_data(as_text=True)
    assert "crisis.self_harm" in staff  # moderators still see the rule


def test_the_writers_standing_page_is_kind_and_never_quotes_them(app, people):
    steady = as_member(app, "steady@example.test")
    steady.get(_reply(steady, the_post(app, "Earlier post 0"), CRISIS_WORDS).location)
    html = _table(steady.get("/account/standing").get_data(as_text=True))
    assert "check in" in html
    for clinical in ("crisis", "self_harm", "self-harm", "better off", "Found:", "<code>"):
        assert clinical not in html, clinical


def test_rejecting_a_crisis_hold_tells_the_writer_kindly_with_the_help_lines(app, people):
    steady = as_member(app, "steady@example.test")
    _reply(steady, the_post(app, "Earlier post 0"), CRISIS_WORDS)
    [item] = open_items(app)
    as_member(app, "mo@example.test").post(
        f"/moderation/items/{item.id}/reject",
        data={"template": "", "reason": "Replies here are about medicines."},
    )
    [notice] = _notices(app, people["established"])
    assert "not published" not in notice and "we care" in notice
    assert "988" in notice and "116 123" in notice and "Replies here are about medicines." in notice
    page = steady.get("/notifications").get_data(as_text=True)
    assert "we care" in page and "better off" not in page  # their words are not quoted back
    [email] = [e for e in emails_to(app, "steady@example.test")]
    assert "not published" not in email.subject and "crisis" not in email.subject.lower()
    assert "we care" in email.body_text and "988" in email.body_text
    assert "116 123" in email.body_text and "Replies here are about medicines." in email.body_text
    assert "&amp;" not in email.body_text  # a plain-text email, not escaped HTML


def test_removing_writing_reported_as_a_crisis_is_told_kindly_too(app, people):
    from tests.factories import make_user

    post = the_post(app, "Earlier post 1")
    with app.app_context():
        reader = make_user(email="reader@example.test").email
    reported = as_member(app, reader).post(
        f"/report/posts/{post.id}", data={"reason": "crisis", "details": ""}
    )
    assert reported.status_code == 302
    as_member(app, "mo@example.test").post(
        f"/moderation/posts/{post.id}/remove", data={"reason": "Taken down for now."}
    )
    [notice] = _notices(app, people["established"])
    assert "we care" in notice and "988" in notice and "Taken down for now." in notice


def test_rejecting_an_ordinary_hold_is_worded_as_before(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Cheap Imuran", body="No prescription needed, only $1 per pill.")
    [item] = open_items(app)
    as_member(app, "mo@example.test").post(
        f"/moderation/items/{item.id}/reject", data={"template": "", "reason": "Advertising."}
    )
    [notice] = _notices(app, people["established"])
    assert "was not published: Advertising." in notice and "988" not in notice
