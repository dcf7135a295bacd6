"""Shared set-up for private conversations: a member with a held post, two moderators, an
editor and another member; and reading the header's Messages count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.domain.models import Conversation, Message, ReviewItem, utcnow
from forum.extensions import db
from tests.factories import login, make_post, make_tag, make_user

OLD = timedelta(days=200)


@pytest.fixture
def people(app):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        member = make_user(pseudonym="quiet_quinn", email="quinn@example.test")
        held = make_post(author=member, tags=[tag], status="pending", title="A hard week")
        item = ReviewItem(post_id=held.id, reasons="crisis words", urgent=True, created_at=utcnow())
        db.session.add(item)
        published = make_post(author=member, tags=[tag], title="Six months on it")
        mod = make_user(pseudonym="mod_mo", email="mo@example.test", role="moderator")
        mod2 = make_user(pseudonym="mod_two", email="two@example.test", role="moderator")
        admin = make_user(pseudonym="admin_ada", email="ada@example.test", role="admin")
        editor = make_user(pseudonym="ed_ed", email="ed@example.test", role="editor")
        other = make_user(pseudonym="other_olga", email="olga@example.test", joined=utcnow() - OLD)
        db.session.commit()
        return {
            "member": member.id,
            "item": item.id,
            "held": held.id,
            "published": published.id,
            "mod": mod.id,
            "mod2": mod2.id,
            "admin": admin.id,
            "editor": editor.id,
            "other": other.id,
        }


def client_for(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def header_count(html: str) -> int:
    """The number beside the header's Messages link (0 when there is none)."""
    found = re.search(r'>Messages(?: <span class="count">(\d+)|<)', html)
    assert found, "no Messages link in the header"
    return int(found.group(1) or 0)


def start(client, query: str, *, subject="Checking in", body="How are you doing?", kind="care"):
    return client.post(
        f"/messages/new?{query}", data={"kind": kind, "subject": subject, "body": body}
    )


def only_conversation(app) -> Conversation:
    with app.app_context():
        found = db.session.scalars(db.select(Conversation)).all()
        assert len(found) == 1, found
        db.session.expunge_all()
        return found[0]


def messages_of(app, conversation_id: int) -> list[Message]:
    with app.app_context():
        found = db.session.scalars(
            db.select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id)
        ).all()
        db.session.expunge_all()
        return found
