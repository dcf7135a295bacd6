"""Public profiles, data export, and account erasure."""

from __future__ import annotations

import json

import pytest

from forum.domain.models import Draft, OutboxEmail, Post, PostKind, Reply, User
from forum.domain.services import content_actions, flags
from forum.extensions import db
from tests.factories import DEFAULT_PASSWORD, login, make_post, make_reply, make_tag, make_user


def test_profile_shows_pseudonym_join_date_and_published_posts_only(app, client):
    with app.app_context():
        member = make_user(pseudonym="quietriver", email="secret@example.test")
        make_post(author=member, title="Published one")
        make_post(author=member, title="Held one", status="pending")
        make_post(author=member, title="Removed one", removed=True)
    html = client.get("/members/QuietRiver").get_data(as_text=True)
    assert "<h1>quietriver</h1>" in html
    assert "Member since" in html
    assert "Published one" in html
    assert "Held one" not in html and "Removed one" not in html
    assert "secret@example.test" not in html
    assert client.get("/members/nobody-here").status_code == 404


def test_export_contains_everything_about_the_member(app, client):
    with app.app_context():
        member = make_user(email="me@example.test", pseudonym="exporter")
        post = make_post(author=member, title="My story", body="What happened to me.")
        make_post(author=member, title="Still waiting", status="pending")
        make_reply(post, author=member, body="A reply of mine")
        db.session.add(Draft(author=member, kind=PostKind.THREAD, title="Unfinished", body="..."))
        db.session.commit()
        other = make_user()
        make_post(author=other, title="Not mine")
    login(client, "me@example.test")
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "me@example.test"
    assert data["account"]["health_data_consent_at"]
    assert {p["title"] for p in data["posts"]} == {"My story", "Still waiting"}
    assert data["replies"][0]["body"] == "A reply of mine"
    assert data["drafts"][0]["title"] == "Unfinished"
    assert "Not mine" not in response.get_data(as_text=True)


def test_export_requires_login(client):
    assert client.get("/account/export").status_code == 302


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_erasure_removes_personal_data_from_pages(app, client, choice):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        member = make_user(email="leaving@example.test", pseudonym="leaving_member")
        post = make_post(
            author=member, title="My azathioprine year", tags=[tag], body="Long story."
        )
        other_post = make_post(tags=[tag], title="Someone else's thread")
        make_reply(other_post, author=member, body="My reply text")
        db.session.add(Draft(author=member, kind=PostKind.STORY, title="draft", body="x"))
        db.session.commit()
        post_url, other_url = (
            f"/posts/{post.id}/{post.slug}",
            f"/posts/{other_post.id}/{other_post.slug}",
        )
    login(client, "leaving@example.test")
    assert "leaving_member" in client.get("/tags/azathioprine").get_data(as_text=True)
    wrong = client.post("/account/erase", data={"choice": choice, "password": "not it at all"})
    assert "That isn’t your password." in wrong.get_data(as_text=True)
    response = client.post("/account/erase", data={"choice": choice, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    for path in ("/", "/tags/azathioprine", other_url):
        assert "leaving_member" not in client.get(path).get_data(as_text=True), path
    assert client.get("/members/leaving_member").status_code == 404
    assert login(client, "leaving@example.test").status_code == 200  # can't log in any more
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.pseudonym_key.like("former-member-%")))
        assert user.email is None and user.password_hash is None and user.health_consent_at is None
        assert db.session.scalar(db.select(db.func.count(Draft.id))) == 0
        assert (
            db.session.scalar(
                db.select(db.func.count(OutboxEmail.id)).where(
                    OutboxEmail.to_address == "leaving@example.test"
                )
            )
            == 0
        )
        other = db.session.scalar(db.select(Post).where(Post.title == "Someone else's thread"))
    tag_page = client.get("/tags/azathioprine").get_data(as_text=True)
    other_page = client.get(other_url).get_data(as_text=True)
    if choice == "keep":
        assert "My azathioprine year" in tag_page and "a former member" in tag_page
        assert "My reply text" in other_page and "a former member" in other_page
        assert client.get(post_url).status_code == 200
        assert other.reply_count == 1
    else:
        assert "My azathioprine year" not in tag_page
        assert "My reply text" not in other_page
        assert client.get(post_url).status_code == 410
        assert other.reply_count == 0
        with app.app_context():
            assert db.session.scalar(db.select(Post.body).where(Post.title == "[removed]")) == ""
            assert db.session.scalar(db.select(Reply.body).where(Reply.post_id == other.id)) == ""


def test_export_holds_follows_settings_notifications_reports_and_decisions(app, client):
    from forum.domain.models import FlagReason, FollowMode, TagFollow, utcnow
    from forum.domain.services import notifications
    from tests.factories import make_tag

    with app.app_context():
        member = make_user(email="me@example.test", pseudonym="exporter")
        mod = make_user(pseudonym="mod_mo", role="moderator")
        tag = make_tag(name="azathioprine")
        db.session.add(
            TagFollow(user_id=member.id, tag_id=tag.id, mode=FollowMode.NOTIFY, created_at=utcnow())
        )
        mine = make_post(author=member, title="Mine", tags=[tag])
        notifications.fan_out_reply(make_reply(mine, author=make_user(), body="Hello").id)
        theirs = make_post(author=make_user(), title="Theirs", tags=[tag])
        flags.flag(theirs, flagger=member, reason=FlagReason.SPAM, details="an advert")
        content_actions.set_locked(mine, actor=mod, locked=True, reason="Going in circles")
        member.digest_frequency = "daily"
        db.session.commit()
    login(client, "me@example.test")
    data = json.loads(client.get("/account/export").get_data(as_text=True))
    assert data["email_settings"] == {"digest": "daily", "notification_emails": False}
    assert data["following"] == [
        {"tag": "azathioprine", "how": "notify", "since": data["following"][0]["since"]}
    ]
    assert {n["kind"] for n in data["notifications"]} >= {"reply_to_my_post"}
    [report] = data["reports_you_made"]
    assert report["reason"] == "spam" and report["details"] == "an advert"
    assert any(
        d["action"] == "lock" and d["reason"] == "Going in circles"
        for d in data["moderation_decisions_about_you"]
    )
