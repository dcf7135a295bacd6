"""Replying: comments on stories, replies in threads, refusals that keep the text, limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.domain.models import Post, Reply, utcnow
from forum.domain.models.post import MAX_REPLY_LENGTH
from forum.extensions import db
from tests.factories import make_post, make_reply, make_user, signed_in


def reply_count(app, post_id: int) -> tuple[int, int]:
    """(the post's counter, reply rows)."""
    with app.app_context():
        post = db.session.get(Post, post_id)
        rows = db.session.scalar(select(func.count()).where(Reply.post_id == post_id))
        return post.reply_count, rows


def new_post(app, **overrides) -> tuple[int, str]:
    with app.app_context():
        post = make_post(**overrides)
        return post.id, f"/posts/{post.id}/{post.slug}"


@pytest.mark.parametrize(
    ("kind", "heading", "button", "counted"),
    [
        ("story", "Add a comment", "Post comment", "1 comment"),
        ("thread", "Write a reply", "Post reply", "1 reply"),
    ],
)
def test_replying_adds_it_under_the_post(app, client, kind, heading, button, counted):
    post_id, url = new_post(app, kind=kind)
    signed_in(app, client, pseudonym="kind_reader")
    page = client.get(url).get_data(as_text=True)
    assert heading in page and button in page
    response = client.post(
        f"/posts/{post_id}/replies", data={"body": "Same *here*, it got better."}
    )
    assert response.status_code == 302
    with app.app_context():
        reply_id = db.session.scalar(select(Reply.id))
    assert response.headers["Location"] == f"{url}#reply-{reply_id}"
    html = client.get(url).get_data(as_text=True)
    assert "is posted" in html
    assert "Same <em>here</em>, it got better." in html
    assert counted in html and "kind_reader" in html
    assert reply_count(app, post_id) == (1, 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something before posting."),
        ("x" * (MAX_REPLY_LENGTH + 1), "Please keep your reply under 10,000 characters"),
    ],
)
def test_a_reply_with_a_problem_comes_back_with_the_text_and_a_message(app, client, body, message):
    post_id, _ = new_post(app)
    signed_in(app, client)
    response = client.post(f"/posts/{post_id}/replies", data={"body": body})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in re.search(r'id="body-error">(.*?)</p>', html, re.S).group(1)
    assert f'action="/posts/{post_id}/replies#reply-form"' in html
    if body.strip():
        assert body in html  # kept in the textarea
    assert reply_count(app, post_id) == (0, 0)


def test_a_locked_post_refuses_replies_and_keeps_what_was_typed(app, client):
    post_id, url = new_post(app, kind="thread")
    with app.app_context():
        db.session.get(Post, post_id).locked_at = utcnow()
        db.session.commit()
    signed_in(app, client)
    page = client.get(url).get_data(as_text=True)
    assert "This thread is locked, so it doesn" in page
    assert f'action="/posts/{post_id}/replies' not in page  # no form to fill in for nothing
    typed = "I wrote this before it was locked."
    response = client.post(f"/posts/{post_id}/replies", data={"body": typed})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    summary = html[html.index('class="error-summary"') :]
    assert "This thread is locked, so it doesn" in summary
    assert typed in html
    assert reply_count(app, post_id) == (0, 0)


def test_an_unpublished_post_takes_no_replies_yet(app, client):
    author_id = signed_in(app, client)
    with app.app_context():
        from forum.domain.models import User

        post = make_post(author=db.session.get(User, author_id), status="pending")
        post_id, url = post.id, f"/posts/{post.id}/{post.slug}"
    assert "Replies open once this post is published." in client.get(url).get_data(as_text=True)
    response = client.post(f"/posts/{post_id}/replies", data={"body": "Note to self"})
    assert "Replies open once this post is published." in response.get_data(as_text=True)
    assert reply_count(app, post_id) == (0, 0)


def test_unverified_members_are_told_why_they_cannot_reply(app, client):
    post_id, url = new_post(app)
    signed_in(app, client, verified=False)
    assert "Please confirm your email address first" in client.get(url).get_data(as_text=True)
    response = client.post(f"/posts/{post_id}/replies", data={"body": "Hello"})
    assert "Please confirm your email address first" in response.get_data(as_text=True)
    assert reply_count(app, post_id) == (0, 0)


def test_readers_who_are_not_signed_in_are_invited_to_log_in(app, client):
    post_id, url = new_post(app)
    html = client.get(url).get_data(as_text=True)
    assert f'href="/login?next=/posts/{post_id}/' in html or "next=%2Fposts%2F" in html
    assert "to add a comment" in html
    response = client.post(f"/posts/{post_id}/replies", data={"body": "Hi"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_hostile_markdown_in_a_reply_renders_inert(app, client):
    post_id, url = new_post(app)
    signed_in(app, client)
    hostile = (
        '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n'
        '<img src=x onerror=alert(1)>\n\n<iframe src="https://evil.test"></iframe>'
    )
    assert client.post(f"/posts/{post_id}/replies", data={"body": hostile}).status_code == 302
    html = client.get(url).get_data(as_text=True)
    replies = html[html.index('<section class="replies"') : html.index('id="reply-form"')]
    assert "<script" not in replies and "<img" not in replies and "<iframe" not in replies
    assert 'href="javascript:' not in replies and "onerror=" not in replies


def test_new_members_are_limited_on_replies(app, client):
    post_id, _ = new_post(app)
    signed_in(app, client)
    assert client.post(f"/posts/{post_id}/replies", data={"body": " "}).status_code == 200
    for i in range(10):
        response = client.post(f"/posts/{post_id}/replies", data={"body": f"Reply {i}"})
        assert response.status_code == 302
    response = client.post(f"/posts/{post_id}/replies", data={"body": "Eleventh"})
    assert response.status_code == 429
    assert "Please try again in" in response.get_data(as_text=True)
    assert reply_count(app, post_id) == (10, 10)


def test_established_members_reply_more_freely(app, client):
    post_id, _ = new_post(app)
    signed_in(app, client, joined=utcnow() - timedelta(days=60))
    for i in range(12):
        response = client.post(f"/posts/{post_id}/replies", data={"body": f"Reply {i}"})
        assert response.status_code == 302
    assert reply_count(app, post_id) == (12, 12)


def test_signed_in_readers_cost_one_more_query_however_many_replies(app, client, count_queries):
    reader_id = signed_in(app, client)
    with app.app_context():
        from forum.domain.models import User

        reader = db.session.get(User, reader_id)
        post = make_post(author=reader)
        make_reply(post, author=reader)
        url = f"/posts/{post.id}/{post.slug}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    with app.app_context():
        post = db.session.get(Post, post.id)
        reader = db.session.get(User, reader_id)
        others = [make_user() for _ in range(5)]
        for i in range(30):
            make_reply(post, author=reader if i % 3 == 0 else others[i % 5])
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "31 comments" in html
    assert html.count(">Edit<span") == 1 + 11  # their post and each of their replies
    assert many.count == few.count
    assert many.count <= 5, many.statements
