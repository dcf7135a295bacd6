"""Appeals of a rejection or removal in the app (one conversation per decision), conversations
in the member's export and gone with erasure, CSRF on every new form."""

from __future__ import annotations

import json

from forum import create_app, notify
from forum.domain.models import (
    Conversation,
    ConversationKind,
    Message,
    ModAction,
    ModerationAction,
    Notification,
    NotificationKind,
    Post,
    User,
)
from forum.domain.services import content_actions, review_queue
from forum.extensions import db
from tests.conftest import base_config
from tests.factories import DEFAULT_PASSWORD, outbox
from tests.messages.conftest import client_for, header_count, messages_of, only_conversation, start


def _decide(app, people, action: str) -> int:
    """A moderator rejects the held post or removes the published one; the log entry's id."""
    with app.app_context():
        mod = db.session.get(User, people["mod"])
        if action == "reject":
            outcome = review_queue.reject(people["item"], actor=mod, reason="Dosing instructions")
        else:
            post = db.session.get(Post, people["published"])
            outcome = content_actions.remove(post, actor=mod, reason="Dosing instructions")
        notify.tell_author(outcome)  # what the moderation views do after deciding
        return db.session.scalar(
            db.select(ModerationAction.id).where(ModerationAction.action == ModAction(action))
        )


def test_a_member_appeals_a_rejection_once_and_staff_see_it_waiting(app, people):
    entry_id = _decide(app, people, "reject")
    member = client_for(app, "quinn@example.test")
    standing = member.get("/account/standing").get_data(as_text=True)
    assert f'href="/messages/appeal/{entry_id}"' in standing and "Appeal this decision" in standing
    assert "reply to the email" not in standing
    form = member.get(f"/messages/appeal/{entry_id}").get_data(as_text=True)
    assert "Dosing instructions" in form  # the decision and its reason, beside the form
    response = member.post(f"/messages/appeal/{entry_id}", data={"body": "It was my own dose."})
    conversation = only_conversation(app)
    assert response.headers["Location"].endswith(f"/messages/{conversation.id}")
    assert conversation.kind is ConversationKind.APPEAL
    assert conversation.moderation_action_id == entry_id
    assert conversation.member_id == people["member"] and conversation.started_by_id is None
    # A second click lands on the same appeal; sending again adds to it.
    assert (
        member.get(f"/messages/appeal/{entry_id}")
        .headers["Location"]
        .endswith(f"/messages/{conversation.id}")
    )
    member.post(f"/messages/appeal/{entry_id}", data={"body": "And one more thing."})
    assert only_conversation(app).id == conversation.id
    assert len(messages_of(app, conversation.id)) == 2
    mod = client_for(app, "two@example.test")
    inbox = mod.get("/messages").get_data(as_text=True)
    assert header_count(inbox) == 1 and "Appeal of a rejection" in inbox
    assert "Waiting for a reply" in inbox


def test_a_removal_can_be_appealed_and_the_email_says_how(app, people):
    entry_id = _decide(app, people, "remove")
    (email,) = [e for e in outbox(app, "quinn@example.test") if "removed" in e.subject]
    assert "Appeal this decision" in email.body_text and "/account/standing" in email.body_text
    member = client_for(app, "quinn@example.test")
    assert (
        member.post(f"/messages/appeal/{entry_id}", data={"body": "Please look again"}).status_code
        == 302
    )
    assert only_conversation(app).kind is ConversationKind.APPEAL


def test_only_the_writer_appeals_and_only_rejections_and_removals(app, people):
    entry_id = _decide(app, people, "reject")
    for email in ("olga@example.test", "mo@example.test"):
        other = client_for(app, email)
        assert other.get(f"/messages/appeal/{entry_id}").status_code == 403
        assert other.post(f"/messages/appeal/{entry_id}", data={"body": "x"}).status_code == 403
    with app.app_context():
        post = db.session.get(Post, people["published"])
        content_actions.set_locked(
            post, actor=db.session.get(User, people["mod"]), locked=True, reason="Heated"
        )
        lock_id = db.session.scalar(
            db.select(ModerationAction.id).where(ModerationAction.action == ModAction.LOCK)
        )
    member = client_for(app, "quinn@example.test")
    assert member.get(f"/messages/appeal/{lock_id}").status_code == 403
    assert member.post(f"/messages/appeal/{entry_id}", data={"body": ""}).status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 0


def test_conversations_are_in_the_export(app, people):
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}", subject="Checking in", body="How are you doing?")
    conversation = only_conversation(app)
    member = client_for(app, "quinn@example.test")
    member.post(f"/messages/{conversation.id}/reply", data={"body": "Better, thanks."})
    data = json.loads(member.get("/account/export").get_data(as_text=True))
    (exported,) = data["conversations_with_the_moderators"]
    assert exported["subject"] == "Checking in" and exported["kind"] == "care"
    assert [(m["from"], m["body"]) for m in exported["messages"]] == [
        ("the moderators", "How are you doing?"),
        ("you", "Better, thanks."),
    ]
    other = json.loads(client_for(app, "olga@example.test").get("/account/export").get_data())
    assert other["conversations_with_the_moderators"] == []


def test_erasure_takes_the_conversations_and_their_messages(app, people):
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}")
    start(mod, f"member={people['other']}", subject="For Olga")
    member = client_for(app, "quinn@example.test")
    response = member.post(
        "/account/erase", data={"password": DEFAULT_PASSWORD, "choice": "delete"}
    )
    assert response.status_code == 302
    with app.app_context():
        left = db.session.scalars(db.select(Conversation)).all()
        assert [c.subject for c in left] == ["For Olga"]
        assert db.session.scalar(db.select(db.func.count(Message.id))) == 1
        notices = db.session.scalars(
            db.select(Notification).where(
                Notification.user_id == people["member"],
                Notification.kind == NotificationKind.MESSAGE,
            )
        ).all()
        assert notices == []


def test_every_new_form_needs_its_csrf_token(app, people):
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}")
    conversation = only_conversation(app)
    entry_id = _decide(app, people, "remove")
    secured = create_app(
        {**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), "WTF_CSRF_ENABLED": True}
    )
    try:
        client = secured.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={"email": "quinn@example.test", "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        for url in (
            f"/messages/{conversation.id}/reply",
            f"/messages/{conversation.id}/read",
            f"/messages/appeal/{entry_id}",
        ):
            assert client.post(url, data={"body": "words"}).status_code == 400, url
        assert len(messages_of(app, conversation.id)) == 1
    finally:
        with secured.app_context():
            db.engine.dispose()
