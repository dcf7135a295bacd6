"""Writing a new story or thread: tags and aliases, limits, preview, who may post, rate limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.domain.models import Draft, Post, PostStatus, User, utcnow
from forum.domain.models.post import MAX_BODY_LENGTH, MAX_TITLE_LENGTH
from forum.domain.services import holds
from forum.extensions import db
from tests.factories import make_tag, signed_in

STORY = {
    "kind": "story",
    "title": "Six months on Imuran",
    "body": "**Tired** at first.\n\n- bloods every month\n- less pain now",
    "tags": "Imuran, Crohn's disease, side effects",
    "experience_duration": "six months",
    "experience_status": "taking",
    "publish": "y",
}


@pytest.fixture
def tags(app):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran", "Azasan"])
        make_tag(name="Crohn's disease", kind="condition")
        make_tag(name="Side effects", kind="topic")
        make_tag(name="Insurance", kind="topic")


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def posts_in_db(app) -> list[Post]:
    with app.app_context():
        found = db.session.scalars(select(Post).order_by(Post.id)).all()
        for post in found:
            post.tags  # noqa: B018 - load before leaving the context
        db.session.expunge_all()
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_anonymous_writers_are_sent_to_log_in_and_come_back(client):
    for response in (client.get("/posts/new?kind=story"), client.post("/posts/new", data=STORY)):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
        assert "%2Fposts%2Fnew" in response.headers["Location"]


def test_publish_a_story_with_aliases_resolving_to_canonical_tags(app, client, tags):
    signed_in(app, client)
    response = client.post("/posts/new", data=STORY)
    assert response.status_code == 302
    (post,) = posts_in_db(app)
    assert response.headers["Location"] == f"/posts/{post.id}/six-months-on-imuran"
    assert post.status is PostStatus.PUBLISHED
    assert sorted(tag.slug for tag in post.tags) == [
        "azathioprine",
        "crohns-disease",
        "side-effects",
    ]
    assert post.experience_duration == "six months"
    assert post.experience_status.value == "taking"

    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your story is published" in html
    assert '<h1 id="post-title">Six months on Imuran</h1>' in html
    assert "<strong>Tired</strong> at first." in html
    assert "<dd>six months</dd>" in html and "Still taking it" in html
    assert 'href="/tags/azathioprine"' in html and 'href="/tags/crohns-disease"' in html
    assert "Add a comment" in html  # stories get comments

    client.post("/logout")
    tag_page = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Six months on Imuran" in tag_page


def test_publish_a_thread_ignores_story_only_fields(app, client, tags):
    signed_in(app, client)
    thread = {**STORY, "kind": "thread", "title": "Does anyone split their tablets?"}
    response = client.post("/posts/new", data=thread)
    assert response.status_code == 302
    (post,) = posts_in_db(app)
    assert post.kind.value == "thread"
    assert post.experience_duration is None and post.experience_status is None
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your thread is published" in html
    assert "Write a reply" in html and "Post reply" in html
    assert "Taking it for" not in html


def test_kind_in_the_query_string_is_preselected(app, client, tags):
    signed_in(app, client)
    html = client.get("/posts/new?kind=thread").get_data(as_text=True)
    assert re.search(r'<input checked id="kind-1" name="kind" type="radio" value="thread">', html)
    html = client.get("/posts/new").get_data(as_text=True)
    assert 'checked id="kind-' not in html  # nothing chosen for them


def test_unknown_tags_are_named_on_the_tag_field_and_nothing_is_lost(app, client, tags):
    signed_in(app, client)
    response = client.post("/posts/new", data={**STORY, "tags": "Imuran, Wonderpill, Fakeol"})
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    error = re.search(r'<p class="field-error" id="tags-error">(.*?)</p>', html, re.S).group(1)
    assert "“Wonderpill”, “Fakeol”" in error
    assert "Only our editors add new tags" in error
    assert 'href="#tags"' in html  # the summary links to the field
    assert 'value="Imuran, Wonderpill, Fakeol"' in html
    assert 'value="Six months on Imuran"' in html
    assert "**Tired** at first." in html
    assert posts_in_db(app) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("side effects, Insurance", "Add at least one drug or condition"),
        ("", "Add at least one drug or condition."),
        ("a, b, c, d, e, f, g, h, i, j, k, l, m", "Choose up to 6 tags"),
    ],
)
def test_tags_need_a_drug_or_condition_and_a_sensible_number(app, client, tags, typed, message):
    signed_in(app, client)
    response = client.post("/posts/new", data={**STORY, "tags": typed})
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    assert message in re.search(r'id="tags-error">(.*?)</p>', html, re.S).group(1)
    assert posts_in_db(app) == []


def test_more_than_six_known_tags_is_refused(app, client, tags):
    with app.app_context():
        names = [make_tag(name=f"extra topic {i}", kind="topic").name for i in range(6)]
    signed_in(app, client)
    response = client.post("/posts/new", data={**STORY, "tags": "Imuran, " + ", ".join(names)})
    assert "Choose up to 6 tags" in response.get_data(as_text=True)
    assert posts_in_db(app) == []


def test_over_long_title_and_body_come_back_with_messages(app, client, tags):
    signed_in(app, client)
    long_title = "T" * (MAX_TITLE_LENGTH + 1)
    long_body = "word " * (MAX_BODY_LENGTH // 5) + "the end"
    response = client.post("/posts/new", data={**STORY, "title": long_title, "body": long_body})
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    assert "There are 2 problems" in html
    assert f"Please keep the title under 150 characters; it has {len(long_title)} now." in html
    assert f"Please keep the text under 20,000 characters; it has {len(long_body)} now." in html
    assert long_body in html  # every word kept in the textarea
    assert f'value="{long_title}"' in html
    assert "maxlength" not in html  # the browser must not cut a long paste silently
    assert posts_in_db(app) == []


def test_missing_title_body_and_kind_say_what_to_do(app, client, tags):
    signed_in(app, client)
    data = {"title": "  ", "body": "", "tags": "Imuran", "publish": "y"}
    html = main_of(client.post("/posts/new", data=data).get_data(as_text=True))
    assert "Choose a story or a thread." in html
    assert "Give it a title." in html
    assert "Write a few words before publishing." in html
    assert posts_in_db(app) == []


def test_preview_shows_what_will_be_published_and_keeps_everything(app, client, tags):
    signed_in(app, client)
    body = "**Bold** start, a [[Imuran]] link.\n\n# A big heading\n\n<script>alert(1)</script>"
    data = {**STORY, "body": body, "publish": None, "preview": "y"}
    response = client.post("/posts/new", data={k: v for k, v in data.items() if v})
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    preview = html[html.index('<section class="preview"') : html.index("</section>")]
    assert "Nothing is published yet" in preview
    assert "<strong>Bold</strong>" in preview
    assert 'href="/tags/azathioprine" class="wikilink"' in preview
    assert "<h3>A big heading</h3>" in preview  # headings start below the page's own
    assert "<script" not in preview
    assert "<dd>six months</dd>" in preview
    assert 'href="/tags/crohns-disease"' in preview
    assert "**Bold** start" in html  # the source is still in the textarea
    assert posts_in_db(app) == [] and count(app, Draft) == 0

    # Publishing the same text shows exactly the HTML the preview showed.
    prose = re.search(r'<div class="prose">(.*?)</div>', preview, re.S).group(1)
    published = client.post("/posts/new", data={**STORY, "body": body})
    page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<div class="prose">(.*?)</div>', page, re.S).group(1) == prose


def test_preview_still_shows_with_a_tag_problem_on_the_field(app, client, tags):
    signed_in(app, client)
    data = {**STORY, "tags": "Imuran, Nopeol", "preview": "y"}
    del data["publish"]
    html = main_of(client.post("/posts/new", data=data).get_data(as_text=True))
    assert '<section class="preview"' in html
    assert "“Nopeol”" in re.search(r'id="tags-error">(.*?)</p>', html, re.S).group(1)


def test_hostile_markdown_and_titles_render_inert_when_published(app, client, tags):
    signed_in(app, client)
    hostile = (
        '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n'
        '<img src=x onerror=alert(1)>\n\n<a href="data:text/html,boom" onclick="evil()">d</a>'
    )
    data = {**STORY, "title": '<b>Bold</b> "title"', "body": hostile}
    response = client.post("/posts/new", data=data)
    assert response.status_code == 302
    main = main_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "<script" not in main and "<img" not in main
    assert 'href="javascript:' not in main and 'href="data:' not in main
    assert "onerror=" not in main and "onclick=" not in main
    assert "&lt;b&gt;Bold&lt;/b&gt; &#34;title&#34;" in main


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"verified": False}, "Please confirm your email address first"),
        ({"status": "suspended"}, "Your account is suspended from posting until"),
    ],
)
def test_members_who_cannot_post_are_told_why_instead_of_given_the_form(
    app, client, tags, overrides, message
):
    user_id = signed_in(app, client, **overrides)
    if overrides.get("status") == "suspended":
        with app.app_context():
            db.session.get(User, user_id).suspended_until = utcnow() + timedelta(days=3)
            db.session.commit()
    html = main_of(client.get("/posts/new").get_data(as_text=True))
    assert message in html
    assert 'id="compose-form"' not in html
    response = client.post("/posts/new", data=STORY)
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    assert message in html
    assert "**Tired** at first." in html  # what they typed is still there to copy
    assert posts_in_db(app) == []


def test_held_posts_go_to_their_page_waiting_for_review(app, client, tags, monkeypatch):
    monkeypatch.setattr(
        holds,
        "decide",
        lambda author, **kw: holds.Decision(PostStatus.PENDING, ["first post"]),
    )
    signed_in(app, client)
    response = client.post("/posts/new", data=STORY)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "waiting for a moderator" in html
    assert "Waiting for review" in html
    (post,) = posts_in_db(app)
    assert post.status is PostStatus.PENDING and post.published_at is None
    client.post("/logout")
    assert "Six months on Imuran" not in client.get("/tags/azathioprine").get_data(as_text=True)
    assert client.get(response.headers["Location"]).status_code == 404


def test_compose_page_is_labelled_and_loads_its_script_without_inline_code(app, client, tags):
    signed_in(app, client)
    html = client.get("/posts/new").get_data(as_text=True)
    for field_id in ("title", "body", "tags", "experience_duration"):
        assert f'<label for="{field_id}">' in html
        assert re.search(rf'aria-describedby="{field_id}-hint"[^>]* id="{field_id}"', html)
    assert '<meta name="csrf-token" content="' in html
    assert '<script src="/static/js/compose.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert " style=" not in html and "<style" not in html
    assert 'role="status" aria-live="polite"' in html  # the autosave status line
    # Preview is the first button, so Enter in a field never publishes by accident.
    buttons = re.findall(r'<button type="submit" name="(\w+)"', html)
    assert buttons == ["preview", "save_draft", "publish"]


def test_new_members_are_rate_limited_on_publishing_only(app, client, tags):
    signed_in(app, client)  # joined today
    preview = {k: v for k, v in STORY.items() if k != "publish"} | {"preview": "y"}
    for _ in range(4):
        assert client.post("/posts/new", data=preview).status_code == 200
    assert client.post("/posts/new", data={**STORY, "tags": "Nopeol"}).status_code == 200
    for i in range(3):
        assert client.post("/posts/new", data={**STORY, "title": f"Post {i}"}).status_code == 302
    response = client.post("/posts/new", data={**STORY, "title": "One too many"})
    assert response.status_code == 429
    assert "Please try again in" in response.get_data(as_text=True)
    assert len(posts_in_db(app)) == 3
    # Preview and Save draft still work, so nothing typed is lost.
    assert client.post("/posts/new", data=preview).status_code == 200
    draft = {**preview, "preview": None, "save_draft": "y"}
    assert client.post("/posts/new", data={k: v for k, v in draft.items() if v}).status_code == 200
    assert count(app, Draft) == 1


def test_established_members_have_a_higher_limit(app, client, tags):
    signed_in(app, client, joined=utcnow() - timedelta(days=30))
    for i in range(5):
        assert client.post("/posts/new", data={**STORY, "title": f"Post {i}"}).status_code == 302
    assert len(posts_in_db(app)) == 5


def test_every_problem_shows_at_once_with_the_unknown_tag(app, client, tags):
    """Form checks (title, kind) and tag checks together, not one round after another."""
    signed_in(app, client)
    data = {"title": "", "body": "Typed with care.", "tags": "Zorblax", "publish": "y"}
    response = client.post("/posts/new", data=data)
    assert response.status_code == 200
    html = main_of(response.get_data(as_text=True))
    kind = re.search(
        r'<fieldset class="field field-has-error" id="kind">(.*?)</fieldset>', html, re.S
    )
    assert "Choose a story or a thread." in kind[1]
    assert "Give it a title." in re.search(r'id="title-error">(.*?)</p>', html, re.S)[1]
    tag_errors = re.search(r'id="tags-error">(.*?)</p>', html, re.S)[1]
    assert "“Zorblax”" in tag_errors
    assert "There are 3 problems" in html
    assert "Typed with care." in html and 'value="Zorblax"' in html
    assert posts_in_db(app) == []


def test_tag_problems_show_together(app, client, tags):
    """An unknown name and no drug or condition among the rest: both said the first time."""
    signed_in(app, client)
    response = client.post("/posts/new", data={**STORY, "tags": "Zorblax, Insurance"})
    html = main_of(response.get_data(as_text=True))
    assert "“Zorblax”" in html
    assert "Add at least one drug or condition" in html
    assert posts_in_db(app) == []


def test_a_preview_with_a_missing_kind_also_names_unknown_tags(app, client, tags):
    signed_in(app, client)
    data = {"title": "T", "body": "B", "tags": "Zorblax", "preview": "y"}
    html = main_of(client.post("/posts/new", data=data).get_data(as_text=True))
    assert "Choose a story or a thread." in html and "“Zorblax”" in html
