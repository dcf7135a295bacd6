"""The tag directory and tag pages: aliases, pinned overviews, related tags, keyset pagination."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.domain.models import Post, Tag, utcnow
from forum.domain.services import lifecycle
from forum.extensions import db
from tests.factories import make_article, make_post, make_reply, make_tag, make_user, relate


def titles_in(html: str) -> list[str]:
    """Post-card titles in page order."""
    return re.findall(r'<h3 class="card-title"><a href="/posts/\d+/[^"]*">([^<]+)</a>', html)


def next_link(html: str) -> str | None:
    match = re.search(r'<a class="button" href="([^"]+)" rel="next">', html)
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def aza(app):
    with app.app_context():
        tag = make_tag(
            name="azathioprine",
            definition="An immunosuppressant that calms an overactive immune system.",
            aliases=["Imuran", "Azasan"],
        )
        return tag.id


def test_directory_groups_by_kind_and_shows_aliases(app, client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
        make_tag(name="Crohn's disease", kind="condition")
        make_tag(name="Insurance", kind="topic")
    html = client.get("/tags").get_data(as_text=True)
    assert html.index(">Drugs<") < html.index(">Conditions<") < html.index(">Topics<")
    assert re.search(r'>Imuran</a> <span aria-hidden="true">→</span>.*azathioprine</p>', html)
    assert 'href="/tags/crohns-disease"' in html


@pytest.mark.parametrize("path", ["/tags/imuran", "/tags/IMURAN", "/tags/Azasan"])
def test_alias_slug_redirects_permanently_to_canonical_page(app, client, aza, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/tags/azathioprine")


def test_alias_redirect_keeps_the_cursor(app, client, aza):
    response = client.get("/tags/imuran?before=123.4")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/tags/azathioprine?before=123.4")


@pytest.mark.parametrize("query", ["slug=x", "_external=1", "_anchor=x"])
def test_alias_redirect_drops_stray_parameters_named_like_url_parts(app, client, aza, query):
    """?slug= on an alias link once reached url_for twice and gave a 500."""
    response = client.get(f"/tags/imuran?{query}&before=123.4")
    assert response.status_code == 301
    assert response.headers["Location"] == "/tags/azathioprine?before=123.4"


def test_unknown_tag_is_a_friendly_404(client):
    response = client.get("/tags/no-such-drug")
    assert response.status_code == 404
    assert "Browse all tags" in response.get_data(as_text=True)


def test_tag_page_shows_name_aliases_definition_and_pinned_overview_first(app, client, aza):
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        make_article(
            title="Comparing the options",
            kind="comparison",
            pinned_to=[tag],
            position=10,
            summary="Side by side.",
        )
        make_article(
            title="Azathioprine: an overview",
            pinned_to=[tag],
            position=0,
            body="## How it works\n\nIt slows the cells that drive inflammation.",
        )
        make_article(title="Draft overview", pinned_to=[tag], status="draft")
        make_post(title="My first year", tags=[tag])
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "<h1>azathioprine</h1>" in html
    assert "Also known as <strong>Azasan</strong>, <strong>Imuran</strong>" in html
    assert "calms an overactive immune system" in html
    overview = html.index("Azathioprine: an overview")
    assert overview < html.index("Comparing the options") < html.index("My first year")
    assert "It slows the cells that drive inflammation." in html  # the overview itself is shown
    assert "Draft overview" not in html
    assert "Last reviewed on" in html


def test_related_tags_show_with_their_definitions(app, client, aza):
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        crohns = make_tag(
            name="Crohn's disease",
            kind="condition",
            definition="A long-term inflammation of the digestive tract.",
        )
        mtx = make_tag(name="methotrexate", definition="A weekly immune-calming drug.")
        relate(tag, "used_for", crohns)
        relate(mtx, "alternative_to", tag)
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "<h3>Used for</h3>" in html
    assert "A long-term inflammation of the digestive tract." in html
    assert "<h3>Alternatives</h3>" in html  # symmetric: declared on methotrexate
    assert "A weekly immune-calming drug." in html
    crohns_html = client.get("/tags/crohns-disease").get_data(as_text=True)
    assert "<h3>Treated with</h3>" in crohns_html


def test_only_published_posts_are_listed_newest_first(app, client, aza):
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        now = utcnow()
        make_post(title="Older story", tags=[tag], at=now - timedelta(days=2))
        make_post(title="Newer thread", tags=[tag], kind="thread", at=now - timedelta(days=1))
        make_post(title="Held for review", tags=[tag], status="pending")
        make_post(title="Rejected one", tags=[tag], status="rejected")
        make_post(title="Removed one", tags=[tag], removed=True)
        make_post(title="Other drug", tags=[make_tag(name="infliximab")])
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert titles_in(html) == ["Newer thread", "Older story"]


def test_post_card_shows_kind_author_date_replies_and_tags(app, client, aza):
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db
        from tests.factories import make_reply

        tag = db.session.get(Tag, aza)
        topic = make_tag(name="Side effects", kind="topic")
        post = make_post(
            title="Nausea in week two",
            tags=[tag, topic],
            author=make_user(pseudonym="quietriver"),
            body="The **first** weeks were hard but it settled.",
        )
        make_reply(post)
        make_reply(post)
        make_reply(post, status="pending")
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    card = html[html.index("Nausea in week two") - 200 :]
    card = card[: card.index("</article>")]
    assert "Story" in card and "quietriver" in card
    assert "2 comments" in card
    assert "The first weeks were hard but it settled." in card  # excerpt is plain text
    assert 'href="/tags/side-effects"' in card
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[\d:]+Z">', card)


def walk_pages(client, start: str) -> list[str]:
    seen, url, pages = [], start, 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen.extend(titles_in(html))
        url = next_link(html)
        pages += 1
        assert pages < 50
    return seen


def test_view_more_walks_every_post_once_in_order(app, client, aza):
    app.config["POSTS_PER_PAGE"] = 4
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        now = utcnow()
        # Some share a timestamp: the id breaks the tie, so none is skipped or repeated.
        for i in range(11):
            make_post(title=f"Post {i:02d}", tags=[tag], at=now - timedelta(hours=i // 2))
    seen = walk_pages(client, "/tags/azathioprine")
    assert len(seen) == 11 and len(set(seen)) == 11
    assert seen[0] in ("Post 00", "Post 01") and set(seen[-1:]) == {"Post 10"}


def test_posts_arriving_between_clicks_never_repeat_or_vanish(app, client, aza):
    app.config["POSTS_PER_PAGE"] = 3
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        now = utcnow()
        for i in range(7):
            make_post(title=f"Old {i}", tags=[tag], at=now - timedelta(days=1, hours=i))
    first = client.get("/tags/azathioprine").get_data(as_text=True)
    assert titles_in(first) == ["Old 0", "Old 1", "Old 2"]
    with app.app_context():
        tag = db.session.get(Tag, aza)
        make_post(title="Brand new", tags=[tag])
        make_post(title="Also new", tags=[tag])
    second = client.get(next_link(first)).get_data(as_text=True)
    assert titles_in(second) == ["Old 3", "Old 4", "Old 5"]
    third = client.get(next_link(second)).get_data(as_text=True)
    assert titles_in(third) == ["Old 6"]
    assert next_link(third) is None
    assert "Brand new" in client.get("/tags/azathioprine").get_data(as_text=True)


def test_deep_pages_show_no_overview_and_link_back(app, client, aza):
    app.config["POSTS_PER_PAGE"] = 2
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        make_article(title="The overview", pinned_to=[tag])
        for i in range(3):
            make_post(title=f"P{i}", tags=[tag])
    first = client.get("/tags/azathioprine").get_data(as_text=True)
    deeper = client.get(next_link(first)).get_data(as_text=True)
    assert "The overview" not in deeper
    assert "Back to the newest" in deeper
    assert 'name="robots" content="noindex, follow"' in deeper


@pytest.mark.parametrize(
    "cursor", ["abc", "1.x", "99999999999999999999999999.1", "-5.-1", ".", "1."]
)
def test_broken_cursor_gets_a_clear_400(client, aza, cursor):
    response = client.get(f"/tags/azathioprine?before={cursor}")
    assert response.status_code == 400
    assert "Start again from the newest" in response.get_data(as_text=True)


def test_queries_per_tag_page_do_not_grow_with_posts(app, client, count_queries, aza):
    with app.app_context():
        from forum.domain.models import Tag
        from forum.extensions import db

        tag = db.session.get(Tag, aza)
        make_article(pinned_to=[tag])
        relate(tag, "used_for", make_tag(name="Lupus", kind="condition"))
        topics = [make_tag(name=f"Topic {i}", kind="topic") for i in range(3)]
        make_post(tags=[tag, topics[0]])
        topic_ids = [t.id for t in topics]
    with count_queries() as few:
        assert client.get("/tags/azathioprine").status_code == 200
    with app.app_context():
        tag = db.session.get(Tag, aza)
        topics = [db.session.get(Tag, i) for i in topic_ids]
        authors = [make_user() for _ in range(5)]
        for i in range(30):
            make_post(tags=[tag, topics[i % 3]], author=authors[i % 5])
    with count_queries() as many:
        html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert len(titles_in(html)) == 20
    assert many.count == few.count
    assert many.count <= 8, many.statements
    # A deep page costs the same as the first (minus the overview and related queries).
    with count_queries() as deep:
        client.get(next_link(html))
    assert deep.count <= many.count


def test_signed_out_readers_get_the_cached_page_until_it_changes(app, client, count_queries, aza):
    with app.app_context():
        tag = db.session.get(Tag, aza)
        make_post(title="First story", tags=[tag])
    client.get("/tags/azathioprine")
    with count_queries() as hit:
        html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "First story" in html
    assert hit.count == 0  # the version read a moment ago is still trusted
    app.extensions["page_cache"].forget_versions()
    with count_queries() as checked:
        client.get("/tags/azathioprine")
    assert checked.count == 1  # only the version lookup
    with app.app_context():
        tag = db.session.get(Tag, aza)
        post = make_post(title="Second story", tags=[tag])
        post_id = post.id
    assert "Second story" in client.get("/tags/azathioprine").get_data(as_text=True)
    with app.app_context():
        post = db.session.get(Post, post_id)
        post.status = post.status.REMOVED
        lifecycle.sync_listing(post)
        db.session.commit()
    assert "Second story" not in client.get("/tags/azathioprine").get_data(as_text=True)
    with app.app_context():
        make_reply(db.session.get(Post, post_id - 1))
    assert "1 comment" in client.get("/tags/azathioprine").get_data(as_text=True)


def test_signed_in_readers_and_pending_flashes_bypass_the_cache(app, client, aza):
    with app.app_context():
        reader = make_user()
        reader_id = reader.get_id()
    client.get("/tags/azathioprine")
    cache = app.extensions["page_cache"]
    assert len(cache) == 1
    with client.session_transaction() as sess:
        sess["_flashes"] = [("message", "You have logged out.")]
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "You have logged out." in html
    assert "You have logged out." not in app.test_client().get("/tags/azathioprine").get_data(
        as_text=True
    )
    with client.session_transaction() as sess:
        sess["_user_id"] = reader_id
    client.get("/tags/azathioprine")
    assert len(cache) == 1


def test_other_workers_changes_show_within_the_version_ttl(app, client, aza, monkeypatch):
    """A commit in another process doesn't clear this process's memo: it shows once the
    remembered version is older than VERSION_TTL."""
    import time

    from sqlalchemy import text

    from forum import pagecache

    now = time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now)  # a frozen clock: no flakes
    assert "calms an overactive" in client.get("/tags/azathioprine").get_data(as_text=True)
    with app.app_context(), db.engine.begin() as conn:  # not a Session commit: "elsewhere"
        conn.execute(
            text(
                "UPDATE tags SET definition = 'Changed elsewhere.',"
                " listing_version = listing_version + 1 WHERE id = :id"
            ),
            {"id": aza},
        )
    assert "calms an overactive" in client.get("/tags/azathioprine").get_data(as_text=True)
    later = now + pagecache.VERSION_TTL + 0.01
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert "Changed elsewhere." in client.get("/tags/azathioprine").get_data(as_text=True)
