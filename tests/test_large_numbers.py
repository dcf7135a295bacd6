"""Numbers too large for an id, in a path or a query string, get the page or a 404 — never a 500
(PostgreSQL refuses them as integers, SQLite as too large)."""

from __future__ import annotations

from datetime import timedelta

from forum.domain.models import utcnow
from tests.factories import make_article, make_post, make_tag, signed_in

HUGE = "99999999999999999999"

PATHS_NOT_FOUND = [
    f"/posts/{HUGE}",
    f"/posts/{HUGE}/some-slug",
    f"/report/posts/{HUGE}",
    f"/report/replies/{HUGE}",
    f"/moderation/items/{HUGE}",
    f"/moderation/members/{HUGE}",
    f"/editorial/articles/{HUGE}",
    f"/editorial/tags/{HUGE}",
    f"/posts/{2**31}",
]

IN_QUERY_STRINGS = [
    "/posts/{post}/x?after=" + HUGE,
    "/notifications?before=" + HUGE,
    "/moderation/log?before=" + HUGE,
    "/moderation/actions?before=" + HUGE + "&actor=" + HUGE + "&member=" + HUGE,
    "/posts/new?draft=" + HUGE,
    "/posts/new?draft=-5",
    "/editorial/articles/{article}/compare?from=" + HUGE + "&to=" + HUGE,
    "/search?q=tired&page=" + HUGE,
    "/tags/azathioprine?after=" + HUGE,
    "/feed?after=" + HUGE,
]


def test_huge_numbers_are_not_found_or_ignored_never_an_error(app, client):
    signed_in(app, client, role="admin", joined=utcnow() - timedelta(days=100))
    with app.app_context():
        tag = make_tag(name="azathioprine")
        post = make_post(tags=[tag])
        article = make_article(pinned_to=[tag])
        ids = {"post": post.id, "article": article.id}
    for path in PATHS_NOT_FOUND:
        assert client.get(path).status_code == 404, path
    for path in IN_QUERY_STRINGS:
        status = client.get(path.format(**ids)).status_code
        assert status in (200, 301, 302, 404), (path, status)
