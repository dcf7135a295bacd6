"""Editing and deleting your own writing: revisions and history, tag pages kept right, soft
deletion, and nobody else's hands on it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.domain.models import Post, PostStatus, Reply, Revision, User, utcnow
from forum.domain.services import holds
from forum.extensions import db
from tests.factories import make_post, make_reply, make_tag, signed_in

EDIT = {"title": "Better now", "body": "Second *version*.", "tags": "azathioprine", "save": "y"}


@pytest.fixture
def own_post(app, client):
    """A story by the signed-in member, published a day ago, under azathioprine; plus a reply
    of theirs on it. Returns (post id, reply id)."""
    author_id = signed_in(app, client)
    with app.app_context():
        author = db.session.get(User, author_id)
        make_tag(name="Crohn's disease", kind="condition")
        tag = make_tag(name="azathioprine", aliases=["Imuran"])
        post = make_post(
            author=author,
            tags=[tag],
            title="First weeks",
            body="First *version*.",
            at=utcnow() - timedelta(days=1),
        )
        reply = make_reply(post, author=author, body="A note from me.")
        return post.id, reply.id


def load(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj


def revisions(app, **target) -> list[Revision]:
    with app.app_context():
        ((column, value),) = target.items()
        found = db.session.scalars(
            select(Revision).where(getattr(Revision, column) == value).order_by(Revision.id)
        ).all()
        db.session.expunge_all()
        return found


def test_edit_form_starts_with_the_post_as_it_is(app, client, own_post):
    post_id, _ = own_post
    html = client.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert 'value="First weeks"' in html
    assert "First *version*." in html
    assert 'value="azathioprine"' in html
    assert 'id="experience-fields"' in html  # a story keeps its experience fields


def test_edits_keep_every_earlier_version_and_the_history_shows_them(app, client, own_post):
    post_id, _ = own_post
    published_at = load(app, Post, post_id).published_at
    assert client.post(f"/posts/{post_id}/edit", data=EDIT).status_code == 302
    first_edit_at = load(app, Post, post_id).edited_at
    third = {**EDIT, "title": "Much better now", "body": "Third **version**."}
    response = client.post(f"/posts/{post_id}/edit", data=third)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/posts/{post_id}/much-better-now"

    kept = revisions(app, post_id=post_id)
    assert [(r.title, r.body) for r in kept] == [
        ("First weeks", "First *version*."),
        ("Better now", "Second *version*."),
    ]
    assert kept[0].written_at == published_at
    assert kept[1].written_at == first_edit_at

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your changes are saved." in page
    assert f'<a class="edited" href="/posts/{post_id}/history">edited' in page

    client.post("/logout")  # anyone who can read the post can read its history
    history = client.get(f"/posts/{post_id}/history").get_data(as_text=True)
    versions = re.findall(r'<p class="version-title">([^<]+)</p>', history)
    assert versions == ["Much better now", "Better now", "First weeks"]
    assert "Third <strong>version</strong>." in history
    assert "First <em>version</em>." in history
    assert history.count("<time datetime=") == 3


def test_history_renders_old_versions_safely(app, client, own_post):
    post_id, _ = own_post
    client.post(f"/posts/{post_id}/edit", data={**EDIT, "body": "<script>alert(1)</script> hi"})
    client.post(f"/posts/{post_id}/edit", data=EDIT)
    history = client.get(f"/posts/{post_id}/history").get_data(as_text=True)
    main = history[history.index("<main") : history.index("</main>")]
    assert "<script" not in main
    assert len(revisions(app, post_id=post_id)) == 2


def test_editing_a_reply_keeps_its_earlier_version(app, client, own_post):
    post_id, reply_id = own_post
    html = client.get(f"/replies/{reply_id}/edit").get_data(as_text=True)
    assert "Edit your comment" in html and "A note from me." in html
    response = client.post(f"/replies/{reply_id}/edit", data={"body": "A *better* note."})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#reply-{reply_id}"
    )
    reply = load(app, Reply, reply_id)
    assert reply.body == "A *better* note." and reply.edited_at is not None
    assert [r.body for r in revisions(app, reply_id=reply_id)] == ["A note from me."]
    page = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert f'href="/replies/{reply_id}/history">edited' in page
    history = client.get(f"/replies/{reply_id}/history").get_data(as_text=True)
    assert "A <em>better</em> note." in history and "A note from me." in history


def test_a_reply_edit_with_a_problem_keeps_the_text(app, client, own_post):
    _, reply_id = own_post
    response = client.post(f"/replies/{reply_id}/edit", data={"body": "x" * 10_001})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Please keep your reply under 10,000 characters" in html
    assert "x" * 10_001 in html
    assert revisions(app, reply_id=reply_id) == []


def test_an_edit_with_an_unknown_tag_changes_nothing_and_keeps_the_text(app, client, own_post):
    post_id, _ = own_post
    response = client.post(f"/posts/{post_id}/edit", data={**EDIT, "tags": "Imuran, Nopeol"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "“Nopeol”" in re.search(r'id="tags-error">(.*?)</p>', html, re.S).group(1)
    assert "Second *version*." in html
    assert load(app, Post, post_id).title == "First weeks"
    assert revisions(app, post_id=post_id) == []


def test_edit_preview_shows_the_new_text_without_saving(app, client, own_post):
    post_id, _ = own_post
    data = {**EDIT, "preview": "y"}
    del data["save"]
    html = client.post(f"/posts/{post_id}/edit", data=data).get_data(as_text=True)
    assert "Second <em>version</em>." in html
    assert load(app, Post, post_id).body == "First *version*."


def test_editing_tags_moves_the_post_between_tag_pages(app, client, own_post):
    post_id, _ = own_post
    reader = app.test_client()
    # Signed-out readers get cached tag pages: the edit must make them stale.
    assert "First weeks" in reader.get("/tags/azathioprine").get_data(as_text=True)
    assert "First weeks" not in reader.get("/tags/crohns-disease").get_data(as_text=True)
    data = {**EDIT, "title": "First weeks, retagged", "tags": "Crohn's disease"}
    assert client.post(f"/posts/{post_id}/edit", data=data).status_code == 302
    assert "First weeks" not in reader.get("/tags/azathioprine").get_data(as_text=True)
    html = reader.get("/tags/crohns-disease").get_data(as_text=True)
    assert "First weeks, retagged" in html
    assert "Second version." in html  # the card's excerpt follows the edit


def test_edits_go_through_moderation_and_may_be_held(app, client, own_post, monkeypatch):
    post_id, _ = own_post
    calls = []

    def hold(author, **kwargs):
        calls.append(kwargs)
        return holds.Decision(PostStatus.PENDING, ["A moderator will look at this change."])

    monkeypatch.setattr(holds, "decide", hold)
    assert client.post(f"/posts/{post_id}/edit", data=EDIT).status_code == 302
    assert calls and calls[0]["is_edit"] is True
    assert load(app, Post, post_id).status is PostStatus.PENDING
    reader = app.test_client()
    assert "Better now" not in reader.get("/tags/azathioprine").get_data(as_text=True)
    assert reader.get(f"/posts/{post_id}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/posts/{post}/edit"),
        ("post", "/posts/{post}/edit"),
        ("get", "/posts/{post}/delete"),
        ("post", "/posts/{post}/delete"),
        ("get", "/replies/{reply}/edit"),
        ("post", "/replies/{reply}/edit"),
        ("get", "/replies/{reply}/delete"),
        ("post", "/replies/{reply}/delete"),
    ],
)
@pytest.mark.parametrize("role", ["member", "moderator"])
def test_other_people_cannot_edit_or_delete(app, client, method, path, role):
    with app.app_context():
        post = make_post(title="Not yours")
        reply = make_reply(post, body="Not yours either")
        url = path.format(post=post.id, reply=reply.id)
        post_id, reply_id = post.id, reply.id
    signed_in(app, client, role=role)
    data = {**EDIT, "body": "Hijacked"}
    response = getattr(client, method)(url, data=data if method == "post" else None)
    # Moderators too: they edit and remove other people's writing through moderation, where a
    # reason is required, the author is told and the action is logged.
    assert response.status_code == 403
    assert load(app, Post, post_id).status is PostStatus.PUBLISHED
    assert load(app, Reply, reply_id).body == "Not yours either"
    assert load(app, Post, post_id).body != "Hijacked"


def test_readers_see_no_edit_or_delete_links_on_other_peoples_posts(app, client, own_post):
    post_id, _ = own_post
    mine = client.get(f"/posts/{post_id}").headers["Location"]
    assert ">Edit<span" in client.get(mine).get_data(as_text=True)
    other = app.test_client()
    signed_in(app, other)
    html = other.get(mine).get_data(as_text=True)
    assert ">Edit<span" not in html and ">Delete<span" not in html


def test_deleting_a_post_is_soft_the_author_still_sees_it_others_get_410(app, client, own_post):
    post_id, _ = own_post
    confirm = client.get(f"/posts/{post_id}/delete").get_data(as_text=True)
    assert "Delete your story?" in confirm and "No, keep it" in confirm
    response = client.post(f"/posts/{post_id}/delete")
    assert response.status_code == 302
    post = load(app, Post, post_id)
    assert post.status is PostStatus.REMOVED and post.removed_at is not None
    assert post.removed_by_id == post.author_id
    assert post.body == "First *version*."  # the text is kept

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your story is deleted" in page
    assert "Removed on" in page and "Other readers cannot see it." in page
    assert "First <em>version</em>." in page
    assert 'Delete<span class="visually-hidden"> your story' not in page  # already gone

    reader = app.test_client()
    gone = reader.get(response.headers["Location"])
    assert gone.status_code == 410
    assert "Its author removed it" in gone.get_data(as_text=True)
    assert "First weeks" not in reader.get("/tags/azathioprine").get_data(as_text=True)


def test_deleting_a_reply_drops_the_count_and_leaves_a_note(app, client, own_post):
    post_id, reply_id = own_post
    with app.app_context():
        make_reply(db.session.get(Post, post_id), body="Someone else's reply")
    assert load(app, Post, post_id).reply_count == 2
    assert "Delete your comment?" in client.get(f"/replies/{reply_id}/delete").get_data(
        as_text=True
    )
    response = client.post(f"/replies/{reply_id}/delete")
    assert response.status_code == 302
    assert load(app, Post, post_id).reply_count == 1
    reply = load(app, Reply, reply_id)
    assert reply.status is PostStatus.REMOVED and reply.removed_by_id == reply.author_id
    assert reply.body == "A note from me."

    url = response.headers["Location"].split("#")[0]
    mine = client.get(url).get_data(as_text=True)
    assert "1 comment" in mine and "A note from me." in mine  # the author still sees it
    theirs = app.test_client().get(url).get_data(as_text=True)
    assert "A comment was removed." in theirs and "A note from me." not in theirs
    assert "Someone else" in theirs


def test_an_edit_names_every_problem_at_once(app, client, own_post):
    post_id, _ = own_post
    data = {**EDIT, "title": "", "tags": "azathioprine, Zorblax"}
    response = client.post(f"/posts/{post_id}/edit", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give it a title." in html and "“Zorblax”" in html
    assert "There are 2 problems" in html
    assert load(app, Post, post_id).title == "First weeks"
