"""The review queue: order, approve, edit then approve, reject and resubmit, remove, conflicts."""

from __future__ import annotations

from forum.domain.models import PostStatus, ReviewItem, User
from forum.domain.services import holds, review_queue
from forum.errors import Conflict
from forum.extensions import db
from tests.moderation.conftest import as_member, emails_to, log, open_items, the_post, write


def test_queue_shows_urgent_first_then_oldest_with_author_history(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="First of Nell")
    write(nell, title="Second of Nell")
    steady = as_member(app, "steady@example.test")
    write(steady, title="Crisis post", body="I keep hurting myself when it gets bad.")
    html = as_member(app, "mo@example.test").get("/moderation/queue").get_data(as_text=True)
    crisis, first, second = (
        html.index(t) for t in ("Crisis post", "First of Nell", "Second of Nell")
    )
    assert crisis < first < second
    assert "3 approved" in html  # steady_eddie's history
    assert "crisis.self_harm" in html


def test_approve_publishes_and_tells_the_author(app, client, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Waiting post")
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    assert mo.post(f"/moderation/items/{item.id}/approve").status_code == 302
    post = the_post(app, "Waiting post")
    assert post.status is PostStatus.PUBLISHED and post.published_at is not None
    assert "Waiting post" in client.get("/tags/azathioprine").get_data(as_text=True)
    assert open_items(app) == []
    [email] = emails_to(app, "nell@example.test")
    assert "is now published" in email.subject
    assert [e.action.value for e in log(app)] == ["hold", "approve"]


def test_edit_then_approve_keeps_the_original_for_author_and_moderators_only(app, client, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Typo post", body="My nmber is private.")
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    form = mo.get(f"/moderation/items/{item.id}/edit").get_data(as_text=True)
    assert "My nmber is private." in form
    response = mo.post(
        f"/moderation/items/{item.id}/edit",
        data={"title": "Typo post", "body": "Fixed text.", "reason": "Fixed a typo"},
    )
    assert response.status_code == 302
    post = the_post(app, "Typo post")
    assert post.status is PostStatus.PUBLISHED and post.body == "Fixed text."
    history = client.get(f"/posts/{post.id}/history").get_data(as_text=True)
    assert "Fixed text." in history and "My nmber is private." not in history
    for viewer in (nell, mo):
        history = viewer.get(f"/posts/{post.id}/history").get_data(as_text=True)
        assert "My nmber is private." in history
    assert [e.action.value for e in log(app)] == ["hold", "edit", "approve"]


def test_reject_needs_a_reason_and_the_author_keeps_their_text_to_resubmit(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Needs work", body="Original words.")
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    missing = mo.post(f"/moderation/items/{item.id}/reject", data={"template": "", "reason": ""})
    assert missing.status_code == 400 and "Please give a reason" in missing.get_data(as_text=True)
    assert open_items(app)[0].id == item.id  # nothing happened
    done = mo.post(
        f"/moderation/items/{item.id}/reject",
        data={
            "template": review_queue.REJECTION_TEMPLATES[1],
            "reason": "Please drop the shop link.",
        },
    )
    assert done.status_code == 302
    post = the_post(app, "Needs work")
    assert post.status is PostStatus.REJECTED and post.body == "Original words."
    assert "reads as advertising" in post.removal_reason and "shop link" in post.removal_reason
    page = nell.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert "Not published." in page and "change it and send it again" in page
    [email] = emails_to(app, "nell@example.test")
    assert "was not published" in email.subject and "shop link" in email.body_text
    # Revise and resubmit: back in the queue.
    nell.post(
        f"/posts/{post.id}/edit",
        data={"title": "Needs work", "body": "Better words.", "tags": "Imuran"},
    )
    assert the_post(app, "Needs work").status is PostStatus.PENDING
    [again] = open_items(app)
    assert "Revised and sent again" in again.reasons


def test_remove_from_the_queue(app, client, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Spam really")
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    mo.post(f"/moderation/items/{item.id}/remove", data={"reason": "Advertising a shop"})
    post = the_post(app, "Spam really")
    assert post.status is PostStatus.REMOVED
    response = client.get(f"/posts/{post.id}/{post.slug}")
    assert response.status_code == 410 and "Advertising a shop" in response.get_data(as_text=True)


def test_two_moderators_on_one_item_the_second_is_told_who_got_there(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Contested")
    [item] = open_items(app)
    mo, two = as_member(app, "mo@example.test"), as_member(app, "two@example.test")
    assert mo.post(f"/moderation/items/{item.id}/approve").status_code == 302
    second = two.post(
        f"/moderation/items/{item.id}/reject", data={"reason": "Too late"}, follow_redirects=True
    )
    html = second.get_data(as_text=True)
    assert "Already handled by mod_mo" in html
    assert the_post(app, "Contested").status is PostStatus.PUBLISHED
    assert [e.action.value for e in log(app)] == ["hold", "approve"]


def test_concurrent_claims_in_the_service_only_one_wins(app, people):
    """The same race at the service level, with the item loaded by both before either acts."""
    nell = as_member(app, "nell@example.test")
    write(nell, title="Race")
    [item] = open_items(app)
    with app.app_context():
        mo = db.session.get(User, people["mod"])
        two = db.session.get(User, people["mod2"])
        loaded = db.session.get(ReviewItem, item.id)
        assert loaded.state.value == "open"  # both "see" it open
        review_queue.approve(item.id, actor=mo)
        try:
            review_queue.remove_item(item.id, actor=two, reason="spam")
        except Conflict as err:
            assert "mod_mo" in err.message
        else:
            raise AssertionError("the second action must be refused")
        db.session.rollback()
        assert db.session.get(ReviewItem, item.id).outcome == "approved"


def test_a_long_queue_says_how_many_wait_beyond_the_first_page(app, people):
    from forum.domain.models import utcnow
    from tests.factories import make_post, make_tag, make_user

    with app.app_context():
        tag, newcomer = make_tag(), make_user(joined=utcnow())
        for i in range(53):
            post = make_post(author=newcomer, tags=[tag], status="pending", title=f"Held {i}")
            holds.record(post, holds.decide(newcomer, title=post.title, body=post.body))
        db.session.commit()
    html = as_member(app, "mo@example.test").get("/moderation/queue").get_data(as_text=True)
    assert "53 waiting: urgent first, then the oldest." in html
    assert "Here are the first 50;" in html
    assert "Held 49" in html and "Held 50" not in html
