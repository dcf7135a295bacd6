"""Shared set-up for moderation tests: members of each kind, and posting through the app."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.domain.models import ModerationAction, OutboxEmail, Post, Reply, ReviewItem, utcnow
from forum.extensions import db
from tests.factories import login, make_post, make_tag, make_user

OLD = timedelta(days=200)


@pytest.fixture
def people(app):
    """A tag, a new member, an established member, a moderator and an admin (ids and emails)."""
    with app.app_context():
        tag = make_tag(name="azathioprine", aliases=["Imuran"])
        established = make_user(
            pseudonym="steady_eddie", email="steady@example.test", joined=utcnow() - OLD
        )
        for i in range(3):
            make_post(author=established, tags=[tag], title=f"Earlier post {i}")
        newbie = make_user(pseudonym="new_nell", email="nell@example.test")
        mod = make_user(
            pseudonym="mod_mo", email="mo@example.test", role="moderator", joined=utcnow() - OLD
        )
        mod2 = make_user(
            pseudonym="mod_two", email="two@example.test", role="moderator", joined=utcnow() - OLD
        )
        admin = make_user(
            pseudonym="admin_ada", email="ada@example.test", role="admin", joined=utcnow() - OLD
        )
        return {
            "tag": tag.id,
            "established": established.id,
            "newbie": newbie.id,
            "mod": mod.id,
            "mod2": mod2.id,
            "admin": admin.id,
        }


def as_member(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def write(client, title="My week", body="It was a quiet week on Imuran.", tags="Imuran", **extra):
    return client.post(
        "/posts/new", data={"kind": "story", "title": title, "body": body, "tags": tags, **extra}
    )


def the_post(app, title) -> Post:
    with app.app_context():
        post = db.session.scalar(db.select(Post).where(Post.title == title))
        db.session.expunge_all()
        return post


def open_items(app) -> list[ReviewItem]:
    with app.app_context():
        items = db.session.scalars(
            db.select(ReviewItem).where(ReviewItem.state == "open").order_by(ReviewItem.id)
        ).all()
        db.session.expunge_all()
        return items


def log(app) -> list[ModerationAction]:
    with app.app_context():
        entries = db.session.scalars(
            db.select(ModerationAction).order_by(ModerationAction.id)
        ).all()
        db.session.expunge_all()
        return entries


def emails_to(app, address) -> list[OutboxEmail]:
    with app.app_context():
        found = db.session.scalars(
            db.select(OutboxEmail).where(OutboxEmail.to_address == address)
        ).all()
        db.session.expunge_all()
        return found


def the_reply(app, body) -> Reply:
    with app.app_context():
        reply = db.session.scalar(db.select(Reply).where(Reply.body == body))
        db.session.expunge_all()
        return reply
