"""/messages and one conversation cost the same number of queries however many conversations,
members and messages there are."""

from __future__ import annotations

import re

from forum.domain.models import Conversation, ConversationKind, User
from forum.domain.services import conversations
from forum.extensions import db
from tests.factories import make_user, signed_in


def _conversations(mod_id: int, n: int) -> None:
    """`n` conversations with `n` different members, half of them answered by the member."""
    mod = db.session.get(User, mod_id)
    for i in range(n):
        member = make_user()
        c = conversations.start_conversation(
            mod, member, kind=ConversationKind.CARE, subject=f"Check-in {n} {i}", body="Hello"
        )
        if i % 2:
            conversations.reply(member, c, "Thanks")


def test_team_inbox_queries_do_not_grow_with_conversations(app, client, bounded_page):
    mod_id = signed_in(app, client, role="moderator")
    with app.app_context():
        _conversations(mod_id, 2)
    html = bounded_page(client, "/messages", grow=lambda: _conversations(mod_id, 35), at_most=4)
    assert len(re.findall(r'<h2 class="card-title">', html)) == conversations.INBOX_PAGE_SIZE
    assert "Waiting for a reply" in html and 'href="/messages?page=2"' in html


def test_conversation_queries_do_not_grow_with_messages(app, client, bounded_page):
    member_id = signed_in(app, client)
    with app.app_context():
        member = db.session.get(User, member_id)
        mods = [make_user(role="moderator") for _ in range(3)]
        c = conversations.start_conversation(
            mods[0], member, kind=ConversationKind.CARE, subject="Hello", body="First"
        )
        conversation_id, mod_ids = c.id, [m.id for m in mods]

    def more() -> None:
        c = db.session.get(Conversation, conversation_id)
        for i in range(30):
            writer = db.session.get(User, mod_ids[i % 3] if i % 2 else member_id)
            conversations.reply(writer, c, f"M{i}")

    html = bounded_page(client, f"/messages/{conversation_id}", grow=more, at_most=4)
    assert html.count('class="card message') == 31 and "M29" in html
