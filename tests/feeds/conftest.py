from __future__ import annotations

from datetime import timedelta

import pytest

from forum.domain.models import FollowMode, TagFollow, utcnow
from forum.extensions import db
from tests.factories import login, make_post, make_tag, make_user

OLD = timedelta(days=200)


@pytest.fixture
def community(app):
    """Tags, an established writer, and readers who follow azathioprine in each mode."""
    with app.app_context():
        aza = make_tag(name="azathioprine", aliases=["Imuran"])
        mtx = make_tag(name="methotrexate")
        topic = make_tag(name="Insurance", kind="topic")
        writer = make_user(pseudonym="writer", email="writer@example.test", joined=utcnow() - OLD)
        for i in range(3):
            make_post(
                author=writer, tags=[mtx], title=f"old {i}", at=utcnow() - timedelta(days=30 + i)
            )
        ids = {"aza": aza.id, "mtx": mtx.id, "topic": topic.id, "writer": writer.id}
        for mode in FollowMode:
            reader = make_user(
                pseudonym=f"reader_{mode.value}",
                email=f"{mode.value}@example.test",
                joined=utcnow() - OLD,
            )
            db.session.add(
                TagFollow(user_id=reader.id, tag_id=aza.id, mode=mode, created_at=utcnow())
            )
            ids[mode.value] = reader.id
        db.session.commit()
        return ids


def signed_in(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def publish(client, title="New on Imuran", tags="Imuran", body="A few words.", kind="story"):
    return client.post(
        "/posts/new", data={"kind": kind, "title": title, "body": body, "tags": tags}
    )
