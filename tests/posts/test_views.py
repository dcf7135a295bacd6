"""Reading a post: safe rendering, replies, who sees held and removed posts, query counts."""

from __future__ import annotations

import re

import pytest

from forum.domain.models import Post
from forum.extensions import db
from tests.factories import make_post, make_reply, make_tag, make_user


def test_post_page_renders_markdown_replies_and_tags(app, client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        post = make_post(
            title="Week six",
            tags=[tag],
            author=make_user(pseudonym="slowburn_sam"),
            body="**Better** now.\n\n- bloods fine\n- less tired",
        )
        make_reply(post, author=make_user(pseudonym="quietriver"), body="Glad to *hear* it.")
        url = f"/posts/{post.id}/{post.slug}"
    html = client.get(url).get_data(as_text=True)
    assert '<h1 id="post-title">Week six</h1>' in html
    assert "<strong>Better</strong> now." in html
    assert "<li>bloods fine</li>" in html
    assert "slowburn_sam" in html and "quietriver" in html
    assert "Glad to <em>hear</em> it." in html
    assert 'href="/tags/azathioprine"' in html
    assert "1 comment" in html  # stories get comments, threads replies


def test_post_url_without_or_with_wrong_slug_redirects_to_canonical(app, client):
    with app.app_context():
        post = make_post(title="Hair thinning on it")
        post_id, slug = post.id, post.slug
    assert slug == "hair-thinning-on-it"
    for path in (f"/posts/{post_id}", f"/posts/{post_id}/old-title"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(f"/posts/{post_id}/{slug}")


@pytest.mark.parametrize("query", ["post_id=5", "slug=x", "_external=1", "_anchor=x&_method=GET"])
def test_stray_query_parameters_named_like_url_parts_redirect_instead_of_crashing(
    app, client, query
):
    """?post_id= or ?slug= on an old link once reached url_for twice and gave a 500."""
    with app.app_context():
        post = make_post(title="Hair thinning on it")
        post_id, slug = post.id, post.slug
    response = client.get(f"/posts/{post_id}/old-title?{query}&after=3&after=4")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/posts/{post_id}/{slug}?after=3&after=4"


def test_unknown_post_is_a_friendly_404(client):
    response = client.get("/posts/999999/nothing")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_unpublished_posts_are_hidden_from_readers(app, client, status):
    with app.app_context():
        post = make_post(status=status)
        url = f"/posts/{post.id}/{post.slug}"
    assert client.get(url).status_code == 404


def test_post_removed_by_a_moderator_is_410_with_the_reason(app, client):
    with app.app_context():
        mod = make_user(role="moderator")
        post = make_post(
            removed=True, removed_by=mod, removal_reason="It advertised an online pharmacy."
        )
        url = f"/posts/{post.id}/{post.slug}"
    response = client.get(url)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "A moderator removed it" in html
    assert "It advertised an online pharmacy." in html
    assert "I have been taking this" not in html  # the text itself is not shown


def test_post_removed_by_its_author_says_so(app, client):
    with app.app_context():
        post = make_post(removed=True)
        url = f"/posts/{post.id}/{post.slug}"
    response = client.get(url)
    assert response.status_code == 410
    assert "Its author removed it" in response.get_data(as_text=True)


def test_hostile_markdown_in_posts_and_replies_renders_inert(app, client):
    hostile = (
        '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n'
        '<img src=x onerror=alert(1)>\n\n<a href="data:text/html,boom" onclick="evil()">d</a>'
    )
    with app.app_context():
        post = make_post(title='<b>Title</b> "quoted"', body=hostile)
        make_reply(post, body=hostile)
        url = f"/posts/{post.id}/{post.slug}"
    html = client.get(url).get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main
    assert 'href="javascript:' not in main  # the refused link stays visible as plain text
    assert "onerror=" not in main and "onclick=" not in main
    assert 'href="data:' not in main
    assert "<img" not in main
    assert "&lt;b&gt;Title&lt;/b&gt; &#34;quoted&#34;" in main  # titles are text, never HTML


def test_replies_hide_pending_and_show_removed_as_a_notice(app, client):
    with app.app_context():
        post = make_post()
        make_reply(post, body="Visible reply")
        make_reply(post, body="Waiting reply", status="pending")
        removed = make_reply(post, body="Spammy reply")
        removed.status = removed.status.REMOVED
        removed.removal_reason = "Advertising"
        db.session.commit()
        url = f"/posts/{post.id}/{post.slug}"
    html = client.get(url).get_data(as_text=True)
    assert "Visible reply" in html
    assert "Waiting reply" not in html
    assert "Spammy reply" not in html
    assert "A comment was removed: Advertising." in html


def test_replies_paginate_with_more_replies_link(app, client):
    app.config["REPLIES_PER_PAGE"] = 3
    with app.app_context():
        post = make_post()
        author = make_user()
        for i in range(7):
            make_reply(post, author=author, body=f"Reply number {i}")
        url = f"/posts/{post.id}/{post.slug}"
    seen = []
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r"Reply number (\d)", html)
        match = re.search(r'href="([^"]+)" rel="next">More comments', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == [str(i) for i in range(7)]


def test_queries_per_post_page_do_not_grow_with_replies(app, client, count_queries):
    with app.app_context():
        post = make_post(tags=[make_tag(), make_tag(kind="topic")])
        make_reply(post)
        url = f"/posts/{post.id}/{post.slug}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    with app.app_context():
        post = db.session.get(Post, post.id)
        authors = [make_user() for _ in range(10)]
        for i in range(49):
            make_reply(post, author=authors[i % 10])
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "50 comments" in html
    assert many.count == few.count
    assert many.count <= 4, many.statements
