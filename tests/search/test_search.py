"""Search: both engines (this suite runs on SQLite and, in CI, PostgreSQL), alias expansion,
filters, snippets, hostile queries, and an index that follows every change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.domain.models import Post, utcnow
from forum.domain.services import content_actions, posts
from forum.extensions import db
from tests.factories import login, make_article, make_post, make_reply, make_tag, make_user


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def world(app):
    with app.app_context():
        aza = make_tag(
            name="azathioprine", aliases=["Imuran", "Azasan"], definition="An immunosuppressant."
        )
        mtx = make_tag(name="methotrexate", aliases=["Trexall"])
        insurance = make_tag(name="Insurance", kind="topic")
        author = make_user(pseudonym="writer")
        now = utcnow()
        make_post(
            author=author,
            tags=[aza],
            title="Tiredness in the first month",
            body="The fatigue was heavy but the bloods stayed fine.",
            at=now - timedelta(days=3),
        )
        make_post(
            author=author,
            tags=[mtx],
            title="Imuran versus methotrexate for me",
            body="My rheumatologist compared them.",
            at=now - timedelta(days=2),
        )
        make_post(
            author=author,
            tags=[aza, insurance],
            kind="thread",
            title="Prior authorisation again",
            body="The insurer wants paperwork every year for my azathioprine.",
            at=now - timedelta(days=400),
        )
        make_post(
            author=author,
            tags=[mtx],
            title="Weekly injections",
            body="Injection day is Sunday; I feel tired on Monday.",
            at=now - timedelta(days=1),
        )
        make_post(
            author=author,
            tags=[mtx],
            title="Held back",
            body="Azathioprine secret waiting text",
            status="pending",
        )
        make_post(
            author=author,
            tags=[mtx],
            title="Gone now",
            body="Azathioprine removed secret",
            removed=True,
        )
        thread = make_post(
            author=author,
            tags=[mtx],
            kind="thread",
            title="Folic acid timing",
            body="When do you take yours?",
        )
        make_reply(thread, body="I take folic acid the day after, and Imuran never mattered.")
        make_article(
            title="Azathioprine: an overview",
            slug="aza-overview",
            pinned_to=[aza],
            body="Azathioprine calms the immune system.",
            summary="What it is.",
        )
    return {"aza": "azathioprine"}


def test_finds_posts_replies_and_articles_with_highlighted_snippets(client, world):
    html = client.get("/search?q=folic").get_data(as_text=True)
    assert "Folic acid timing" in titles(html)
    assert "<mark>folic</mark>" in html.lower()
    assert re.search(r"Reply</span> by .*?, in the thread", html)  # the reply about folic acid
    article = client.get("/search?q=immune+system").get_data(as_text=True)
    assert "Azathioprine: an overview" in titles(article)


def test_alias_expansion_finds_the_drug_by_any_name_and_its_tagged_posts(client, world):
    html = client.get("/search?q=Imuran").get_data(as_text=True)
    found = titles(html)
    # Says "azathioprine" without "Imuran":
    assert "Prior authorisation again" in found
    # Tagged azathioprine without saying any of its names in the body:
    assert "Tiredness in the first month" in found
    # Says "Imuran" itself:
    assert "Imuran versus methotrexate for me" in found
    assert 'href="/tags/azathioprine"' in html and "Go to the azathioprine page" in html


def test_titles_weigh_more_than_bodies(client, world):
    with client.application.app_context():
        make_post(title="Notes", body="Some words. Then weekly mentioned once.")
    found = titles(client.get("/search?q=weekly").get_data(as_text=True))
    assert found.index("Weekly injections") < found.index("Notes")


def test_stemming_finds_other_forms(client, world):
    assert "Weekly injections" in titles(client.get("/search?q=injecting").get_data(as_text=True))


def test_held_and_removed_content_is_never_found(client, world):
    html = client.get("/search?q=secret").get_data(as_text=True)
    assert titles(html) == []
    assert "Nothing found" in html


@pytest.mark.parametrize(
    ("query", "expected", "unexpected"),
    [
        ('"bloods stayed"', "Tiredness in the first month", "Weekly injections"),
        ("tired OR paperwork", "Prior authorisation again", None),
        ("tired -injection", None, "Weekly injections"),
    ],
)
def test_phrases_or_and_exclusions(client, world, query, expected, unexpected):
    found = titles(client.get("/search", query_string={"q": query}).get_data(as_text=True))
    if expected:
        assert expected in found
    if unexpected:
        assert unexpected not in found


def test_filters_by_tag_kind_and_date(client, world):
    by_tag = titles(client.get("/search?q=tired&tag=methotrexate").get_data(as_text=True))
    assert by_tag == ["Weekly injections"]
    by_alias = titles(client.get("/search?q=paperwork&tag=imuran").get_data(as_text=True))
    assert by_alias == ["Prior authorisation again"]
    threads = titles(client.get("/search?q=azathioprine&kind=thread").get_data(as_text=True))
    # Threads and the replies in them (one says "Imuran"); no stories, no articles.
    assert set(threads) == {"Prior authorisation again", "Folic acid timing"}
    articles = titles(client.get("/search?q=azathioprine&kind=article").get_data(as_text=True))
    assert articles == ["Azathioprine: an overview"]
    recent = utcnow().date() - timedelta(days=30)
    dated = titles(client.get(f"/search?q=azathioprine&from={recent}").get_data(as_text=True))
    assert "Prior authorisation again" not in dated and dated
    old = titles(client.get(f"/search?q=paperwork&to={recent}").get_data(as_text=True))
    assert old == ["Prior authorisation again"]
    bad = client.get("/search?q=tired&from=yesterday")
    assert bad.status_code == 200 and "isn’t a date we understand" in bad.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "AND",
        "OR OR OR",
        "NOT",
        "-",
        "*",
        "^",
        "near(",
        ")(",
        "title:x",
        "a:b:c",
        "🙂",
        "💊💊💊",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\\",
        "%",
        "_",
        "\x00",
        "x" * 10_000,
        " ".join(["word"] * 500),
        "NEAR(a b, 2)",
        "{a b}",
        "col : term",
        "ña ação",
    ],
)
def test_any_query_returns_a_page_never_an_error(client, world, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html


def test_long_queries_are_shortened_with_a_note(client, world):
    html = client.get("/search", query_string={"q": "tired " * 100}).get_data(as_text=True)
    assert "we used its first part" in html


def test_pages_are_bounded_and_link_onwards(app, client, world):
    with app.app_context():
        for i in range(25):
            make_post(title=f"Sunny day {i}", body="sunshine helped")
    first = client.get("/search?q=sunshine").get_data(as_text=True)
    assert len(titles(first)) == 20 and 'rel="next"' in first
    second = client.get("/search?q=sunshine&page=2").get_data(as_text=True)
    assert len(titles(second)) == 5 and 'rel="prev"' in second
    assert set(titles(first)).isdisjoint(titles(second))
    assert client.get("/search?q=sunshine&page=99999").status_code == 200


def test_the_index_follows_edits_removal_moderation_and_erasure(app, client, world):
    with app.app_context():
        member = make_user(
            email="m@example.test", pseudonym="indexed_member", joined=utcnow() - timedelta(days=99)
        )
        for i in range(3):
            make_post(author=member, title=f"warm-up {i}")
        post = make_post(author=member, title="Original words", body="marmalade toast")
        post_id = post.id
    assert "Original words" in titles(client.get("/search?q=marmalade").get_data(as_text=True))
    writer = app.test_client()
    login(writer, "m@example.test")
    writer.post(
        f"/posts/{post_id}/edit",
        data={"title": "Changed words", "body": "porridge instead", "tags": "Imuran"},
    )
    assert titles(client.get("/search?q=marmalade").get_data(as_text=True)) == []
    assert "Changed words" in titles(client.get("/search?q=porridge").get_data(as_text=True))
    with app.app_context():
        mod = make_user(role="moderator")
        mod_id = mod.id
        content_actions.remove(db.session.get(Post, post_id), actor=mod, reason="test")
    assert titles(client.get("/search?q=porridge").get_data(as_text=True)) == []
    with app.app_context():
        from forum.domain.models import User

        content_actions.restore(
            db.session.get(Post, post_id), actor=db.session.get(User, mod_id), reason="ok"
        )
    assert "Changed words" in titles(client.get("/search?q=porridge").get_data(as_text=True))
    writer.post(
        "/account/erase", data={"choice": "delete", "password": "correct horse battery staple"}
    )
    assert titles(client.get("/search?q=porridge").get_data(as_text=True)) == []
    with app.app_context():
        from forum.domain.models import SearchDocument

        left = db.session.scalars(
            db.select(SearchDocument.body).where(SearchDocument.post_id == post_id)
        ).all()
        assert left == []  # the words left the index, not just the results


def test_reindex_command_rebuilds_documents(app, runner, client, world):
    with app.app_context():
        from forum.domain.models import SearchDocument

        db.session.execute(db.delete(SearchDocument))
        db.session.commit()
    assert titles(client.get("/search?q=folic").get_data(as_text=True)) == []
    result = runner.invoke(args=["search-reindex"])
    assert result.exit_code == 0 and "Reindexed" in result.output
    assert "Folic acid timing" in titles(client.get("/search?q=folic").get_data(as_text=True))


def test_search_queries_are_bounded(app, client, count_queries, world):
    with count_queries() as few:
        client.get("/search?q=tired")
    with app.app_context():
        for i in range(30):
            make_post(title=f"tired again {i}")
    with count_queries() as many:
        html = client.get("/search?q=tired").get_data(as_text=True)
    assert len(titles(html)) == 20
    assert many.count == few.count <= 10, many.statements
    _ = posts  # the module whose render_into keeps documents in step


def test_a_query_of_exclusions_only_or_dates_the_wrong_way_round_say_why(client, world):
    html = client.get("/search", query_string={"q": "-liver"}).get_data(as_text=True)
    assert "only leaves results out: add at least one word to look for" in html
    html = client.get(
        "/search", query_string={"q": "tired", "from": "2026-05-01", "to": "2026-01-01"}
    ).get_data(as_text=True)
    assert "the “from” date is after the “until” date" in html
