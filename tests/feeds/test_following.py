"""Following tags and the personal feed."""

from __future__ import annotations

import re
from datetime import timedelta

from forum.domain.models import FollowMode, TagFollow, utcnow
from forum.extensions import db
from tests.factories import make_post, make_user
from tests.feeds.conftest import signed_in


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_follow_from_the_tag_page_through_an_alias_and_change_or_stop(app, community):
    with app.app_context():
        make_user(email="new@example.test", pseudonym="newreader")
    reader = signed_in(app, "new@example.test")
    page = reader.get("/tags/azathioprine").get_data(as_text=True)
    assert "Follow azathioprine" in page
    response = reader.post("/tags/imuran/follow", data={"mode": "notify"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/tags/azathioprine"
    )
    with app.app_context():
        row = db.session.scalar(
            db.select(TagFollow).where(
                TagFollow.tag_id == community["aza"],
                TagFollow.mode == FollowMode.NOTIFY,
                TagFollow.user_id != community["notify"],
            )
        )
        assert row is not None  # the canonical tag, followed through its alias
    assert "You follow azathioprine: also notify me of new posts" in reader.get(
        "/tags/azathioprine"
    ).get_data(as_text=True)
    reader.post(
        "/following", data={f"mode-{community['aza']}": "digest", "digest_frequency": "daily"}
    )
    assert "You follow azathioprine: weekly or daily email digest" in reader.get(
        "/tags/azathioprine"
    ).get_data(as_text=True)
    reader.post("/tags/azathioprine/unfollow")
    assert "Follow azathioprine" in reader.get("/tags/azathioprine").get_data(as_text=True)


def test_signed_out_readers_are_invited_to_log_in_to_follow(client, community):
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Log in</a> to follow azathioprine" in html


def test_feed_shows_followed_tags_newest_first_without_duplicates_and_filters(app, community):
    with app.app_context():
        aza, mtx, topic = (
            db.session.get(__import__("forum.domain.models", fromlist=["Tag"]).Tag, community[k])
            for k in ("aza", "mtx", "topic")
        )
        reader = make_user(email="feedme@example.test")
        for tag in (aza, topic):
            db.session.add(
                TagFollow(
                    user_id=reader.id, tag_id=tag.id, mode=FollowMode.FEED, created_at=utcnow()
                )
            )
        db.session.commit()
        now = utcnow()
        make_post(title="Both tags", tags=[aza, topic], at=now - timedelta(hours=1))
        make_post(title="Only aza", tags=[aza], at=now - timedelta(hours=2))
        make_post(title="Unfollowed tag", tags=[mtx], at=now)
        make_post(title="Held", tags=[aza], status="pending")
        make_post(title="Removed", tags=[aza], removed=True)
    reader_client = signed_in(app, "feedme@example.test")
    assert titles(reader_client.get("/feed").get_data(as_text=True)) == ["Both tags", "Only aza"]
    assert titles(reader_client.get("/feed?tag=insurance").get_data(as_text=True)) == ["Both tags"]
    assert titles(reader_client.get("/feed?tag=imuran").get_data(as_text=True)) == [
        "Both tags",
        "Only aza",
    ]


def test_feed_is_keyset_paginated(app, community):
    app.config["POSTS_PER_PAGE"] = 2
    with app.app_context():
        from forum.domain.models import Tag

        aza = db.session.get(Tag, community["aza"])
        for i in range(5):
            make_post(title=f"P{i}", tags=[aza], at=utcnow() - timedelta(hours=i))
    reader = signed_in(app, "feed@example.test")
    seen, url = [], "/feed"
    while url:
        html = reader.get(url).get_data(as_text=True)
        seen += titles(html)
        match = re.search(r'href="([^"]+)" rel="next"', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == ["P0", "P1", "P2", "P3", "P4"]


def test_feed_needs_login(client):
    assert client.get("/feed").status_code == 302


def test_a_digest_choice_with_digests_off_is_saved_with_a_warning(app, community):
    with app.app_context():
        make_user(email="calm@example.test", pseudonym="calmreader")
    reader = signed_in(app, "calm@example.test")
    reader.post("/tags/azathioprine/follow", data={"mode": "feed"})
    choice = {f"mode-{community['aza']}": "digest"}
    page = reader.post(
        "/following", data={**choice, "digest_frequency": "never"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Your choices are saved." in page
    assert "You chose the email digest for azathioprine, but digests are off" in page
    page = reader.post(
        "/following", data={**choice, "digest_frequency": "weekly"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Your choices are saved." in page and "digests are off" not in page
