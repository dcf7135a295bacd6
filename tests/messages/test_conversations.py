"""Private conversations between the moderators and a member (issue 12): starting one from the
queue, a member's page or the log; replying both ways; the header's unread count; who may read."""

from __future__ import annotations

from forum.domain.models import (
    Conversation,
    ConversationKind,
    ModerationAction,
    Notification,
    NotificationKind,
    Post,
    User,
)
from forum.domain.services import content_actions, sanctions
from forum.extensions import db
from tests.factories import outbox
from tests.messages.conftest import (
    client_for,
    header_count,
    messages_of,
    only_conversation,
    start,
)


def test_a_moderator_starts_a_check_in_from_a_queue_item(app, people):
    mod = client_for(app, "mo@example.test")
    queue = mod.get("/moderation/queue").get_data(as_text=True)
    assert f'href="/messages/new?item={people["item"]}"' in queue
    html = mod.get(f"/messages/new?item={people['item']}").get_data(as_text=True)
    # The opening text names the member and carries the help lines (from _macros/safety.html).
    assert "Write to quiet_quinn" in html and "Checking in after your post" in html
    assert "Hello quiet_quinn" in html and "Samaritans free on 116 123" in html and "988" in html
    response = start(mod, f"item={people['item']}", body="Hello quiet_quinn, how are you?")
    conversation = only_conversation(app)
    assert response.headers["Location"].endswith(f"/messages/{conversation.id}")
    assert (
        conversation.member_id == people["member"] and conversation.started_by_id == people["mod"]
    )
    assert conversation.review_item_id == people["item"]
    assert conversation.kind is ConversationKind.CARE
    with app.app_context():
        notice = db.session.scalar(
            db.select(Notification).where(Notification.user_id == people["member"])
        )
        assert notice.kind is NotificationKind.MESSAGE and "Checking in" in notice.message
        assert "how are you" not in notice.message  # the notice never carries the message
    assert outbox(app, "quinn@example.test") == []  # they did not ask for notification emails


def test_another_opening_text_is_chosen_without_javascript(app, people):
    mod = client_for(app, "mo@example.test")
    url = f"/messages/new?member={people['member']}&starter=general"
    html = mod.get(url).get_data(as_text=True)
    assert 'value="A word from the moderators"' in html and "116 123" not in html


def test_a_moderator_starts_from_the_member_page_and_the_log(app, people):
    mod = client_for(app, "mo@example.test")
    page = mod.get(f"/moderation/members/{people['member']}").get_data(as_text=True)
    assert f'href="/messages/new?member={people["member"]}"' in page
    assert start(mod, f"member={people['member']}", kind="general").status_code == 302
    with app.app_context():
        post = db.session.get(Post, people["published"])
        content_actions.remove(
            post, actor=db.session.get(User, people["mod"]), reason="Dosing advice"
        )
        entry = db.session.scalar(db.select(ModerationAction).order_by(ModerationAction.id.desc()))
        entry_id = entry.id
    log = mod.get("/moderation/actions").get_data(as_text=True)
    assert f'href="/messages/new?action={entry_id}"' in log
    assert start(mod, f"action={entry_id}", subject="About your post").status_code == 302
    with app.app_context():
        about = db.session.scalar(
            db.select(Conversation).where(Conversation.subject == "About your post")
        )
        assert about.moderation_action_id == entry_id and about.member_id == people["member"]


def test_a_link_about_someone_else_is_refused(app, people):
    mod = client_for(app, "mo@example.test")
    assert (
        mod.get(f"/messages/new?member={people['other']}&item={people['item']}").status_code == 404
    )
    assert mod.get("/messages/new?member=999999").status_code == 404
    assert mod.get(f"/messages/new?member={people['mod']}").status_code == 403  # not to oneself


def test_an_empty_message_is_shown_back_with_what_was_typed(app, people):
    mod = client_for(app, "mo@example.test")
    response = start(mod, f"member={people['member']}", subject="Kept subject", body="   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Write a message before sending" in html
    assert 'value="Kept subject"' in html


def test_replies_both_ways_and_the_unread_count_goes_up_and_down(app, people):
    mod = client_for(app, "mo@example.test")
    member = client_for(app, "quinn@example.test")
    assert header_count(member.get("/").get_data(as_text=True)) == 0
    start(mod, f"member={people['member']}", body="Checking in. **How** are you?")
    conversation = only_conversation(app)
    url = f"/messages/{conversation.id}"
    assert header_count(member.get("/").get_data(as_text=True)) == 1
    inbox = member.get("/messages").get_data(as_text=True)
    assert "Checking in" in inbox and "New" in inbox
    page = member.get(url).get_data(as_text=True)
    assert "<strong>How</strong>" in page and "The moderators" in page
    assert header_count(page) == 1  # reading a page never writes: marking read is a POST
    member.post(f"{url}/read")
    assert header_count(member.get("/").get_data(as_text=True)) == 0
    # The member answers: the team's inbox shows it waiting, for every moderator.
    assert header_count(mod.get("/").get_data(as_text=True)) == 0
    response = member.post(f"{url}/reply", data={"body": "Thank you, a bit better today."})
    assert response.status_code == 302
    other_mod = client_for(app, "two@example.test")
    for staff in (mod, other_mod):
        html = staff.get("/messages").get_data(as_text=True)
        assert header_count(html) == 1 and "Waiting for a reply" in html
    assert "a bit better today" in other_mod.get(url).get_data(as_text=True)
    # Another moderator answers: nothing waits for the team, and the member has one unread.
    assert other_mod.post(f"{url}/reply", data={"body": "Glad to hear it."}).status_code == 302
    assert header_count(mod.get("/").get_data(as_text=True)) == 0
    assert header_count(member.get("/").get_data(as_text=True)) == 1
    assert [m.from_staff for m in messages_of(app, conversation.id)] == [True, False, True]
    # Replying marks your own side read.
    member.post(f"{url}/reply", data={"body": "Talk soon."})
    assert header_count(member.get("/").get_data(as_text=True)) == 0


def test_the_member_is_emailed_that_a_message_waits_never_what_it_says(app, people):
    with app.app_context():
        db.session.get(User, people["member"]).email_notifications = True
        db.session.commit()
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}", body="Something sensitive about your medicine")
    (email,) = outbox(app, "quinn@example.test")
    assert "private message" in email.subject
    assert "sensitive" not in email.body_text and "/messages" in email.body_text


def test_an_empty_reply_keeps_the_page(app, people):
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}")
    conversation = only_conversation(app)
    member = client_for(app, "quinn@example.test")
    response = member.post(f"/messages/{conversation.id}/reply", data={"body": ""})
    assert response.status_code == 400 and "Write a reply" in response.get_data(as_text=True)


def test_only_the_member_and_the_moderators_read_a_conversation(app, people):
    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}", subject="Private subject", body="Private words")
    conversation = only_conversation(app)
    url = f"/messages/{conversation.id}"
    for email in ("olga@example.test", "ed@example.test"):
        other = client_for(app, email)
        assert other.get(url).status_code == 404
        assert other.post(f"{url}/reply", data={"body": "Let me in"}).status_code == 404
        assert "Private subject" not in other.get("/messages").get_data(as_text=True)
    assert len(messages_of(app, conversation.id)) == 1
    for email in ("quinn@example.test", "two@example.test", "ada@example.test"):
        assert "Private words" in client_for(app, email).get(url).get_data(as_text=True)


def test_message_text_is_sanitised(app, people):
    mod = client_for(app, "mo@example.test")
    start(
        mod, f"member={people['member']}", body="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    conversation = only_conversation(app)
    html = (
        client_for(app, "quinn@example.test")
        .get(f"/messages/{conversation.id}")
        .get_data(as_text=True)
    )
    assert "<script>alert" not in html and 'href="javascript' not in html
    assert '<div class="prose">alert(1) [x](javascript:alert(1))</div>' in html  # inert text


def test_member_messages_are_rate_limited_like_replies(app, people):
    from forum.posts.limits import NEW_MEMBER_REPLIES

    mod = client_for(app, "mo@example.test")
    start(mod, f"member={people['member']}")
    conversation = only_conversation(app)
    member = client_for(app, "quinn@example.test")
    allowed = int(NEW_MEMBER_REPLIES.split()[0])
    url = f"/messages/{conversation.id}/reply"
    for i in range(allowed):
        assert member.post(url, data={"body": f"Message {i}"}).status_code == 302
    assert member.post(url, data={"body": "One too many"}).status_code == 429
    assert member.post(url, data={"body": ""}).status_code == 429  # the limit holds either way


def test_no_conversation_with_a_banned_member(app, people):
    with app.app_context():
        sanctions.ban(
            db.session.get(User, people["other"]),
            actor=db.session.get(User, people["mod"]),
            reason="Spam",
        )
    mod = client_for(app, "mo@example.test")
    response = mod.get(f"/messages/new?member={people['other']}")
    assert response.status_code == 403 and "not banned or erased" in response.get_data(as_text=True)
