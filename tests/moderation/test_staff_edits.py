"""Moderators' edits of other people's writing: always in the open (a reason, a log entry, the
author told), and what they take out never stays readable in the public history."""

from __future__ import annotations

from datetime import timedelta

from forum.domain.models import (
    FlagReason,
    ModAction,
    Notification,
    Post,
    PostStatus,
    Reply,
    Tag,
    User,
    utcnow,
)
from forum.domain.services import flags
from forum.extensions import db
from tests.factories import make_post, make_reply
from tests.moderation.conftest import (
    as_member,
    emails_to,
    log,
    open_items,
    the_post,
    the_reply,
    write,
)

PHONE = "07700 900123"


def histories(app, url: str) -> dict[str, str]:
    """The history page as each kind of viewer sees it."""
    viewers = {
        "anonymous": app.test_client(),
        "member": as_member(app, "steady@example.test"),
        "author": as_member(app, "nell@example.test"),
        "moderator": as_member(app, "mo@example.test"),
    }
    pages = {}
    for who, client in viewers.items():
        response = client.get(url)
        assert response.status_code == 200, who
        pages[who] = response.get_data(as_text=True)
    return pages


def private_to_author_and_moderators(app, url: str, text: str) -> dict[str, str]:
    """The history at `url` shows `text` to its author and the moderators only."""
    pages = histories(app, url)
    assert text not in pages["anonymous"] and text not in pages["member"]
    assert text in pages["author"] and text in pages["moderator"]
    return pages


def held_for_nell(app, title: str, body: str):
    """new_nell sends `body` despite the warning; returns her client, a moderator's, the item."""
    nell = as_member(app, "nell@example.test")
    write(nell, title=title, body=body, send_anyway="y")
    [item] = open_items(app)
    return nell, as_member(app, "mo@example.test"), item


def nells_published_post(app, people, *, title: str, body: str) -> tuple[int, str]:
    """Published straight away, as if it had been through review a day ago."""
    with app.app_context():
        post = make_post(
            author=db.session.get(User, people["newbie"]),
            tags=[db.session.get(Tag, people["tag"])],
            title=title,
            body=body,
            at=utcnow() - timedelta(days=1),
        )
        return post.id, post.slug


# --- text taken out before a post was first published ---------------------------------------


def test_a_held_original_edited_before_approval_is_never_shown_to_other_readers(app, people):
    _, mo, item = held_for_nell(app, "Call me", f"Text me on {PHONE} if you take it too.")
    mo.post(
        f"/moderation/items/{item.id}/edit",
        data={"title": "Call me", "body": "Say hello here if you take it too.", "reason": ""},
    )
    post = the_post(app, "Call me")
    assert post.status is PostStatus.PUBLISHED and PHONE not in post.body
    pages = private_to_author_and_moderators(app, f"/posts/{post.id}/history", PHONE)
    assert "Say hello here" in pages["anonymous"]  # the history itself still works
    assert "only its author and the moderators" in pages["author"]


def test_rejected_text_revised_and_approved_stays_private_to_author_and_moderators(app, people):
    nell, mo, item = held_for_nell(app, "My number", f"Ring {PHONE} to compare notes.")
    mo.post(
        f"/moderation/items/{item.id}/reject",
        data={"template": "", "reason": "Please take out your phone number."},
    )
    post = the_post(app, "My number")
    nell.post(
        f"/posts/{post.id}/edit",
        data={"title": "My number", "body": "Reply here to compare notes.", "tags": "Imuran"},
    )
    [again] = open_items(app)
    assert mo.post(f"/moderation/items/{again.id}/approve").status_code == 302
    assert the_post(app, "My number").status is PostStatus.PUBLISHED
    pages = private_to_author_and_moderators(app, f"/posts/{post.id}/history", PHONE)
    assert "Reply here to compare notes." in pages["anonymous"]


def test_a_held_reply_edited_before_approval_keeps_its_original_from_readers(app, people):
    post = the_post(app, "Earlier post 0")
    nell = as_member(app, "nell@example.test")
    nell.post(
        f"/posts/{post.id}/replies",
        data={"body": f"Same here, call {PHONE}.", "send_anyway": "y"},
    )
    [item] = open_items(app)
    as_member(app, "mo@example.test").post(
        f"/moderation/items/{item.id}/edit",
        data={"body": "Same here.", "reason": "Took out a phone number"},
    )
    reply = the_reply(app, "Same here.")
    assert reply.status is PostStatus.PUBLISHED
    private_to_author_and_moderators(app, f"/replies/{reply.id}/history", PHONE)


# --- a moderator's edit of published writing: a redaction ------------------------------------


def test_author_edits_after_publication_stay_public(app, people):
    post_id, _ = nells_published_post(app, people, title="Week one", body="Tired but fine.")
    nell = as_member(app, "nell@example.test")
    nell.post(
        f"/posts/{post_id}/edit",
        data={"title": "Week one", "body": "Tired, but fine by Friday.", "tags": "Imuran"},
    )
    pages = histories(app, f"/posts/{post_id}/history")
    for page in pages.values():
        assert "Tired but fine." in page and "Tired, but fine by Friday." in page
        assert "Edited by a moderator" not in page and "not published" not in page


def test_moderator_edit_of_a_published_post_is_logged_told_and_redacts_the_history(app, people):
    post_id, old_slug = nells_published_post(
        app, people, title="Week one with Dr Jane Doe", body=f"Tired. Ring me on {PHONE}."
    )
    assert old_slug == "week-one-with-dr-jane-doe"
    nell = as_member(app, "nell@example.test")
    nell.post(
        f"/posts/{post_id}/edit",
        data={"title": "Week one with Dr Jane Doe", "body": "Tired, better now.", "tags": "Imuran"},
    )
    before = app.test_client().get(f"/posts/{post_id}/history").get_data(as_text=True)
    assert "Tired, better now." in before and PHONE in before  # an author's edit: public

    mo = as_member(app, "mo@example.test")
    page = mo.get(f"/posts/{post_id}/{old_slug}").get_data(as_text=True)
    assert f'href="/moderation/posts/{post_id}/edit"' in page
    form = mo.get(f"/moderation/posts/{post_id}/edit").get_data(as_text=True)
    assert "Tired, better now." in form and "moderators only" in form
    missing = mo.post(
        f"/moderation/posts/{post_id}/edit", data={"title": "Week one", "body": "Tired."}
    )
    assert missing.status_code == 400 and "Please give a reason" in missing.get_data(as_text=True)
    assert "Tired." in missing.get_data(as_text=True)  # what the moderator typed is kept
    assert the_post(app, "Week one") is None and log(app) == []

    done = mo.post(
        f"/moderation/posts/{post_id}/edit",
        data={"title": "Week one", "body": "Tired, better now.", "reason": "Took out a number"},
    )
    assert done.status_code == 302
    edited = the_post(app, "Week one")
    assert edited.slug == "week-one" and done.headers["Location"].endswith("/week-one")
    assert (
        app.test_client()
        .get(f"/posts/{post_id}/{old_slug}")
        .headers["Location"]
        .endswith(f"/posts/{post_id}/week-one")
    )
    [entry] = log(app)
    assert entry.action is ModAction.EDIT and entry.actor_id == people["mod"]
    assert entry.reason == "Took out a number" and entry.post_id == post_id
    [email] = emails_to(app, "nell@example.test")
    assert "was edited by a moderator" in email.subject
    with app.app_context():
        notice = db.session.scalar(
            db.select(Notification).where(Notification.user_id == people["newbie"])
        )
        assert "edited by a moderator: Took out a number" in notice.message

    pages = histories(app, f"/posts/{post_id}/history")
    for who in ("anonymous", "member", "author"):
        assert PHONE not in pages[who] and "Jane Doe" not in pages[who], who
        assert "Edited by a moderator" in pages[who]
        assert "Tired, better now." in pages[who]
    assert PHONE in pages["moderator"] and "moderators only" in pages["moderator"]

    # The author's next edit is public history again; the redacted versions stay hidden.
    nell.post(
        f"/posts/{post_id}/edit",
        data={"title": "Week one", "body": "Much better now.", "tags": "Imuran"},
    )
    reader = app.test_client().get(f"/posts/{post_id}/history").get_data(as_text=True)
    assert "Much better now." in reader and "Tired, better now." in reader
    assert PHONE not in reader and "Edited by a moderator" in reader


def test_editing_a_post_hidden_by_reports_before_approving_it_again_is_a_redaction(app, people):
    post_id, _ = nells_published_post(app, people, title="Week two", body=f"Ring {PHONE}.")
    with app.app_context():
        flagger = db.session.get(User, people["mod2"])
        post = db.session.get(Post, post_id)
        result = flags.flag(post, flagger=flagger, reason=FlagReason.PERSONAL_INFO)
        assert result.hidden
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    mo.post(
        f"/moderation/items/{item.id}/edit",
        data={"title": "Week two", "body": "Ring me? No, write here.", "reason": "A number"},
    )
    assert the_post(app, "Week two").status is PostStatus.PUBLISHED
    pages = histories(app, f"/posts/{post_id}/history")
    for who in ("anonymous", "member", "author"):
        assert PHONE not in pages[who] and "Edited by a moderator" in pages[who], who
    assert PHONE in pages["moderator"]


def test_moderator_edit_of_a_published_reply_redacts_its_history(app, people):
    with app.app_context():
        post = db.session.get(Post, the_post(app, "Earlier post 0").id)
        nell = db.session.get(User, people["newbie"])
        reply_id = make_reply(post, author=nell, body=f"Call {PHONE}.").id
        post_slug = (post.id, post.slug)
    mo = as_member(app, "mo@example.test")
    page = mo.get(f"/posts/{post_slug[0]}/{post_slug[1]}").get_data(as_text=True)
    assert f'href="/moderation/replies/{reply_id}/edit"' in page
    done = mo.post(
        f"/moderation/replies/{reply_id}/edit",
        data={"body": "Happy to talk here.", "reason": "Took out a phone number"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"#reply-{reply_id}")
    with app.app_context():
        assert db.session.get(Reply, reply_id).body == "Happy to talk here."
    assert [e.action for e in log(app)] == [ModAction.EDIT]
    pages = histories(app, f"/replies/{reply_id}/history")
    for who in ("anonymous", "member", "author"):
        assert PHONE not in pages[who] and "Edited by a moderator" in pages[who], who
    assert PHONE in pages["moderator"]


# --- the ordinary edit form is the author's -----------------------------------------------------


def test_moderators_cannot_rewrite_someone_elses_post_through_the_ordinary_edit_form(app, people):
    post = the_post(app, "Earlier post 0")
    mo = as_member(app, "mo@example.test")
    page = mo.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert f'href="/posts/{post.id}/edit"' not in page
    form = mo.get(f"/posts/{post.id}/edit")
    assert form.status_code == 403
    assert "Edit (moderator)" in form.get_data(as_text=True)  # where to go instead
    response = mo.post(
        f"/posts/{post.id}/edit",
        data={"title": "Earlier post 0", "body": "Rewritten quietly.", "tags": "Imuran"},
    )
    assert response.status_code == 403
    assert the_post(app, "Earlier post 0").body == post.body
    assert log(app) == [] and emails_to(app, "steady@example.test") == []


def test_moderators_still_edit_their_own_posts_the_ordinary_way(app, people):
    mo = as_member(app, "mo@example.test")
    write(mo, title="House rules", body="Be kind.")
    post = the_post(app, "House rules")
    response = mo.post(
        f"/posts/{post.id}/edit",
        data={"title": "House rules", "body": "Be kind, always.", "tags": "Imuran"},
    )
    assert response.status_code == 302
    assert the_post(app, "House rules").body == "Be kind, always."
    page = mo.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert f'href="/moderation/posts/{post.id}/edit"' not in page  # their own: no mod tool
    history = app.test_client().get(f"/posts/{post.id}/history").get_data(as_text=True)
    assert "Be kind." in history and "Edited by a moderator" not in history


def test_held_writing_is_edited_from_the_queue_not_from_its_page(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Waiting", body="First words.")
    post = the_post(app, "Waiting")
    mo = as_member(app, "mo@example.test")
    response = mo.post(
        f"/moderation/posts/{post.id}/edit",
        data={"title": "Waiting", "body": "Other words.", "reason": "Tidied"},
    )
    assert response.status_code == 400
    assert "review queue" in response.get_data(as_text=True)
    assert the_post(app, "Waiting").body == "First words."
    assert [e.action for e in log(app)] == [ModAction.HOLD]
