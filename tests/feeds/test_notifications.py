"""Notifications: each kind; held, rejected and removed content never notifies."""

from __future__ import annotations

import re

from forum.domain.models import Notification, NotificationKind, Post, Reply, User
from forum.domain.services import content_actions, review_queue
from forum.extensions import db
from tests.factories import make_post, make_reply, make_user
from tests.feeds.conftest import publish, signed_in


def notes(app, user_id) -> list[Notification]:
    with app.app_context():
        found = db.session.scalars(
            db.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        ).all()
        db.session.expunge_all()
        return found


def test_new_post_notifies_only_followers_who_asked(app, community):
    writer = signed_in(app, "writer@example.test")
    assert publish(writer).status_code == 302
    [note] = notes(app, community["notify"])
    assert note.kind is NotificationKind.NEW_POST_IN_TAG
    assert notes(app, community["feed"]) == [] and notes(app, community["digest"]) == []
    assert notes(app, community["writer"]) == []  # not about your own post
    reader = signed_in(app, "notify@example.test")
    assert '<span class="count">1' in reader.get("/").get_data(as_text=True)
    page = reader.get("/notifications").get_data(as_text=True)
    assert "A new story in a tag you follow" in page and "New on Imuran" in page


def test_held_posts_notify_nobody_until_approved(app, community):
    with app.app_context():
        fresh = make_user(email="fresh@example.test")  # a new member: first posts are held
        fresh_id = fresh.id
    publish(signed_in(app, "fresh@example.test"), title="Waiting one")
    assert notes(app, community["notify"]) == []
    with app.app_context():
        from forum.domain.models import ReviewItem

        item_id = db.session.scalar(db.select(ReviewItem.id))
        mod = make_user(role="moderator")
        review_queue.approve(item_id, actor=mod)
    [note] = notes(app, community["notify"])
    assert note.kind is NotificationKind.NEW_POST_IN_TAG
    assert fresh_id


def test_rejected_or_removed_content_disappears_from_notifications(app, community):
    writer = signed_in(app, "writer@example.test")
    publish(writer, title="Soon removed")
    reader = signed_in(app, "notify@example.test")
    assert "Soon removed" in reader.get("/notifications").get_data(as_text=True)
    with app.app_context():
        post = db.session.scalar(db.select(Post).where(Post.title == "Soon removed"))
        content_actions.remove(post, actor=make_user(role="moderator"), reason="spam")
    html = reader.get("/notifications").get_data(as_text=True)
    assert "Soon removed" not in html
    assert '<span class="count">' not in reader.get("/").get_data(as_text=True)


def test_replies_notify_the_author_and_thread_participants(app, community):
    with app.app_context():
        author = make_user(email="author@example.test")
        thread = make_post(author=author, kind="thread", title="A question")
        earlier = make_user(email="earlier@example.test")
        make_reply(thread, author=earlier, body="My earlier answer")
        ids = (author.id, earlier.id, thread.id)
    signed_in(app, "writer@example.test").post(
        f"/posts/{ids[2]}/replies", data={"body": "Another answer"}
    )
    [to_author] = notes(app, ids[0])
    [to_earlier] = notes(app, ids[1])
    assert to_author.kind is NotificationKind.REPLY_TO_MY_POST
    assert to_earlier.kind is NotificationKind.REPLY_IN_THREAD
    assert notes(app, community["writer"]) == []


def test_held_replies_notify_nobody(app, community):
    with app.app_context():
        author = make_user(email="author@example.test")
        thread = make_post(author=author, kind="thread", title="Q")
        thread_id, author_id = thread.id, author.id
    writer = signed_in(app, "writer@example.test")
    writer.post(
        f"/posts/{thread_id}/replies", data={"body": "Call me on 07700 900123", "send_anyway": "y"}
    )
    with app.app_context():
        assert db.session.scalar(db.select(Reply.status)).value == "pending"
    assert notes(app, author_id) == []


def test_moderation_outcomes_notify_the_author(app, community):
    with app.app_context():
        fresh = make_user(email="fresh@example.test")
        fresh_id = fresh.id
    publish(signed_in(app, "fresh@example.test"), title="To be rejected")
    with app.app_context():
        from forum.domain.models import ReviewItem

        item_id = db.session.scalar(db.select(ReviewItem.id))
        make_user(email="mod@example.test", role="moderator")
    signed_in(app, "mod@example.test").post(
        f"/moderation/items/{item_id}/reject", data={"reason": "Off topic"}
    )
    [note] = notes(app, fresh_id)
    assert note.kind is NotificationKind.MODERATION and "Off topic" in note.message
    page = signed_in(app, "fresh@example.test").get("/notifications").get_data(as_text=True)
    assert "Off topic" in page


def test_mark_one_and_all_read(app, community):
    writer = signed_in(app, "writer@example.test")
    publish(writer, title="First")
    publish(writer, title="Second")
    reader = signed_in(app, "notify@example.test")
    first, second = notes(app, community["notify"])
    opened = reader.post(f"/notifications/{first.id}/read", data={"open": "1"})
    assert opened.status_code == 302 and "/posts/" in opened.headers["Location"]
    assert '<span class="count">1' in reader.get("/").get_data(as_text=True)
    reader.post("/notifications/read-all")
    assert '<span class="count">' not in reader.get("/").get_data(as_text=True)
    other = signed_in(app, "feed@example.test")
    assert other.post(f"/notifications/{second.id}/read").status_code == 404


def test_notification_emails_only_for_members_who_asked(app, community):
    from forum.domain.models import OutboxEmail, User

    with app.app_context():
        db.session.get(User, community["notify"]).email_notifications = True
        db.session.commit()
    publish(signed_in(app, "writer@example.test"), title="Emailed one")
    with app.app_context():
        [email] = db.session.scalars(
            db.select(OutboxEmail).where(OutboxEmail.to_address == "notify@example.test")
        ).all()
        assert "Emailed one" in email.subject
        assert "List-Unsubscribe: <http" in email.headers
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in email.headers


def test_the_unread_count_stops_at_99_plus(app, community):
    with app.app_context():
        writer = db.session.get(User, community["writer"])
        post = make_post(author=writer, title="Busy thread")
        db.session.add_all(
            Notification(
                user_id=community["notify"], kind=NotificationKind.REPLY_IN_THREAD, post_id=post.id
            )
            for _ in range(120)
        )
        db.session.commit()
    reader = signed_in(app, "notify@example.test")
    assert '<span class="count">99+<span class="visually-hidden"> unread' in reader.get(
        "/"
    ).get_data(as_text=True)
    with app.app_context():
        from forum.domain.services import notifications

        reader_user = db.session.get(User, community["notify"])
        assert notifications.unread_count(reader_user) == notifications.UNREAD_CAP


def test_notifications_name_who_replied_quote_them_and_page_back(app, client):
    from forum.domain.services import notifications as service
    from tests.factories import signed_in as member_signed_in

    me = member_signed_in(app, client)
    with app.app_context():
        author = db.session.get(User, me)
        story = make_post(author=author, kind="story", title="My first year")
        thread = make_post(author=author, kind="thread", title="A question")
        friend = make_user(pseudonym="kind_kim")
        service.fan_out_reply(make_reply(story, author=friend, body="This helped me a lot.").id)
        for i in range(31):
            service.fan_out_reply(make_reply(thread, author=friend, body=f"Answer {i}").id)
    html = client.get("/notifications").get_data(as_text=True)
    assert "kind_kim replied to your thread" in html and "“Answer 30”" in html
    assert html.count('class="notification') >= 30 and "Answer 0" not in html
    older = re.search(r'href="(/notifications\?before=\d+)"', html).group(1)
    html = client.get(older).get_data(as_text=True)
    assert "Answer 0" in html and "Answer 30" not in html
    assert "kind_kim commented on your story" in html and "“This helped me a lot.”" in html
    assert "Older notifications" not in html
