"""Drafts: saving, continuing, publishing from, deleting, privacy, and the JSON autosave."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.domain.models import Draft, Post
from forum.extensions import db
from tests.conftest import base_config
from tests.factories import DEFAULT_PASSWORD, make_tag, make_user, signed_in

WRITING = {
    "kind": "thread",
    "title": "Half a thought",
    "body": "Still *working* on this.",
    "tags": "Imuran, Wonderpill",  # drafts keep names as typed, even unknown ones
}


@pytest.fixture(autouse=True)
def tags(app):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])


def drafts_in_db(app) -> list[Draft]:
    with app.app_context():
        found = db.session.scalars(select(Draft).order_by(Draft.id)).all()
        db.session.expunge_all()
        return found


def save(client, **changes):
    return client.post("/posts/new", data={**WRITING, "save_draft": "y", **changes})


def test_save_draft_keeps_everything_says_so_and_stays_on_the_page(app, client):
    user_id = signed_in(app, client)
    response = save(client, experience_duration="a month")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your draft is saved." in html
    (draft,) = drafts_in_db(app)
    assert draft.author_id == user_id
    assert draft.kind.value == "thread"
    assert (draft.title, draft.body) == ("Half a thought", "Still *working* on this.")
    assert draft.tag_names == "Imuran, Wonderpill"
    assert draft.experience_duration == "a month"
    assert f'name="draft_id" type="hidden" value="{draft.id}"' in html
    assert 'value="Half a thought"' in html and "Still *working* on this." in html

    again = save(client, draft_id=str(draft.id), title="A whole thought")
    assert again.status_code == 200
    (draft,) = drafts_in_db(app)
    assert draft.title == "A whole thought"


def test_an_unfinished_draft_needs_no_kind_title_or_tags(app, client):
    signed_in(app, client)
    response = client.post("/posts/new", data={"body": "Just a start", "save_draft": "y"})
    assert "Your draft is saved." in response.get_data(as_text=True)
    (draft,) = drafts_in_db(app)
    assert draft.kind is None and draft.title == "" and draft.body == "Just a start"


def test_an_empty_draft_is_not_saved(app, client):
    signed_in(app, client)
    html = client.post("/posts/new", data={"save_draft": "y"}).get_data(as_text=True)
    assert "There is nothing to save yet" in html
    assert drafts_in_db(app) == []


def test_drafts_page_lists_them_and_continue_fills_the_form(app, client):
    signed_in(app, client)
    save(client)
    save(client, title="Another one", kind="story")
    first, second = drafts_in_db(app)
    listing = client.get("/drafts").get_data(as_text=True)
    assert listing.index("Another one") < listing.index("Half a thought")  # newest first
    assert "last saved" in listing and "UTC</time>" in listing
    assert f'href="/posts/new?draft={first.id}"' in listing

    html = client.get(f"/posts/new?draft={first.id}").get_data(as_text=True)
    assert 'value="Half a thought"' in html
    assert "Still *working* on this." in html
    assert 'value="Imuran, Wonderpill"' in html
    assert '<input checked id="kind-1" name="kind" type="radio" value="thread">' in html
    assert f'name="draft_id" type="hidden" value="{first.id}"' in html


def test_publishing_from_a_draft_deletes_the_draft(app, client):
    signed_in(app, client)
    save(client)
    save(client, title="Keep me")
    first, second = drafts_in_db(app)
    data = {**WRITING, "tags": "Imuran", "draft_id": str(first.id), "publish": "y"}
    response = client.post("/posts/new", data=data)
    assert response.status_code == 302
    assert [d.id for d in drafts_in_db(app)] == [second.id]
    with app.app_context():
        assert db.session.scalar(select(Post.title)) == "Half a thought"


def test_a_draft_can_be_deleted(app, client):
    signed_in(app, client)
    save(client)
    (draft,) = drafts_in_db(app)
    response = client.post(f"/drafts/{draft.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/drafts"
    assert drafts_in_db(app) == []
    assert "Your draft is deleted." in client.get("/drafts").get_data(as_text=True)


def test_drafts_are_private_to_their_author(app, client):
    signed_in(app, client)
    save(client)
    (draft,) = drafts_in_db(app)
    other = app.test_client()
    signed_in(app, other)
    assert "Half a thought" not in other.get("/drafts").get_data(as_text=True)
    assert other.get(f"/posts/new?draft={draft.id}").status_code == 404
    assert other.post(f"/drafts/{draft.id}/delete").status_code == 404
    taken = other.post("/drafts/autosave", json={"title": "Mine now", "draft_id": str(draft.id)})
    assert taken.status_code == 404
    assert "couldn’t find that draft" in taken.get_json()["error"]
    # Publishing with someone else's draft id neither reads nor deletes their draft.
    data = {**WRITING, "tags": "Imuran", "draft_id": str(draft.id), "publish": "y"}
    assert other.post("/posts/new", data=data).status_code == 302
    assert [(d.id, d.title) for d in drafts_in_db(app)] == [(draft.id, "Half a thought")]
    assert app.test_client().get("/drafts").status_code == 302  # signed out: log in first


def test_autosave_creates_then_updates_one_draft(app, client):
    signed_in(app, client)
    first = client.post("/drafts/autosave", json={"title": "Typing", "body": "so far"})
    assert first.status_code == 200
    payload = first.get_json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", payload["saved_at"])
    second = client.post(
        "/drafts/autosave",
        json={
            "title": "Typing more",
            "body": "so far",
            "tags": "Imuran",
            "draft_id": str(payload["id"]),
        },
    )
    assert second.status_code == 200 and second.get_json()["id"] == payload["id"]
    (draft,) = drafts_in_db(app)
    assert (draft.title, draft.tag_names) == ("Typing more", "Imuran")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 400, "nothing to save yet"),
        ({"title": "x" * 151}, 400, "too long to save"),
        (["not", "an", "object"], 400, "couldn’t read that draft"),
    ],
)
def test_autosave_explains_what_it_cannot_save(app, client, body, status, message):
    signed_in(app, client)
    response = client.post("/drafts/autosave", json=body)
    assert response.status_code == status
    assert message in response.get_json()["error"]
    assert drafts_in_db(app) == []


def test_autosave_when_logged_out_says_so_in_json(client):
    response = client.post("/drafts/autosave", json={"title": "Lost?"})
    assert response.status_code == 401
    assert "logged out" in response.get_json()["error"]


def test_autosave_needs_the_csrf_header_when_csrf_is_on(app):
    csrf_app = create_app(
        {**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), "WTF_CSRF_ENABLED": True}
    )
    with csrf_app.app_context():
        email = make_user().email
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    data = {"email": email, "password": DEFAULT_PASSWORD, "csrf_token": form_token}
    assert client.post("/login", data=data).status_code == 302

    compose = client.get("/posts/new").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', compose).group(1)
    draft = {"title": "Protected", "body": "typed"}
    assert client.post("/drafts/autosave", json=draft).status_code == 400
    bogus = client.post("/drafts/autosave", json=draft, headers={"X-CSRFToken": "nope"})
    assert bogus.status_code == 400
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0

    saved = client.post("/drafts/autosave", json=draft, headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    with csrf_app.app_context():
        assert db.session.scalar(select(Draft.title)) == "Protected"
        db.session.remove()
        db.engine.dispose()


def test_a_draft_without_a_kind_stays_unchosen(app, client):
    signed_in(app, client)
    client.post("/posts/new", data={"title": "Not sure yet", "save_draft": "y"})
    (draft,) = drafts_in_db(app)
    assert draft.kind is None
    listing = client.get("/drafts").get_data(as_text=True)
    start = listing.index("Not sure yet")
    card = listing[start : listing.index("</li>", start)]
    assert "Draft ·" in card and "Story" not in card
    html = client.get(f"/posts/new?draft={draft.id}").get_data(as_text=True)
    assert 'checked id="kind-' not in html  # still theirs to choose
    # Autosave keeps it unchosen too, and choosing later sticks.
    client.post("/drafts/autosave", json={"title": "Still unsure", "draft_id": str(draft.id)})
    assert drafts_in_db(app)[0].kind is None
    save(client, draft_id=str(draft.id), kind="story")
    assert drafts_in_db(app)[0].kind.value == "story"


def test_deleting_a_draft_asks_first_without_javascript(app, client):
    signed_in(app, client)
    save(client)
    (draft,) = drafts_in_db(app)
    listing = client.get("/drafts").get_data(as_text=True)
    assert f'href="/drafts/{draft.id}/delete"' in listing  # a link to a question, not a button
    assert f'action="/drafts/{draft.id}/delete"' not in listing
    page = client.get(f"/drafts/{draft.id}/delete")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Delete this draft?" in html and "Half a thought" in html
    assert 'method="post"' in html and "Yes, delete it" in html
    assert 'href="/drafts"' in html  # "No, keep it"
    assert len(drafts_in_db(app)) == 1  # asking deletes nothing
    assert client.post(f"/drafts/{draft.id}/delete").status_code == 302
    assert drafts_in_db(app) == []


def test_the_draft_delete_question_is_private_and_needs_the_csrf_token(app):
    csrf_app = create_app(
        {**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), "WTF_CSRF_ENABLED": True}
    )
    with csrf_app.app_context():
        owner = make_user()
        email = owner.email
        draft = Draft(author=owner, title="Mine", body="")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    question = client.get(f"/drafts/{draft_id}/delete").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', question).group(1)
    assert client.post(f"/drafts/{draft_id}/delete").status_code == 400
    with csrf_app.app_context():
        assert db.session.get(Draft, draft_id) is not None
    assert client.post(f"/drafts/{draft_id}/delete", data={"csrf_token": token}).status_code == 302
    with csrf_app.app_context():
        assert db.session.get(Draft, draft_id) is None
        db.session.remove()
        db.engine.dispose()
