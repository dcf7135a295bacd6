"""Holding new writing for review: new members' first posts, screening rules, who sees it."""

from __future__ import annotations

from forum.domain.models import PostStatus
from tests.moderation.conftest import (
    as_member,
    emails_to,
    log,
    open_items,
    the_post,
    the_reply,
    write,
)


def test_new_members_first_posts_are_held_and_invisible_to_others(app, client, people):
    nell = as_member(app, "nell@example.test")
    response = write(nell, title="Hello from Nell")
    assert response.status_code == 302
    post = the_post(app, "Hello from Nell")
    assert post.status is PostStatus.PENDING
    page = nell.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert "Waiting for review" in page and "new members’ first posts" in page
    # Nobody else sees it: not the post page, not the tag page, not the home page, not her profile.
    assert client.get(f"/posts/{post.id}/{post.slug}").status_code == 404
    for path in ("/tags/azathioprine", "/", "/members/new_nell"):
        assert "Hello from Nell" not in client.get(path).get_data(as_text=True), path
    [item] = open_items(app)
    assert item.post_id == post.id and "new-member" in item.reasons
    assert [e.action.value for e in log(app)] == ["hold"]


def test_after_the_first_three_approved_posts_members_publish_directly(app, people):
    steady = as_member(app, "steady@example.test")  # has three published posts already
    write(steady, title="Straight out")
    assert the_post(app, "Straight out").status is PostStatus.PUBLISHED
    assert open_items(app) == []


def test_the_number_held_is_a_setting(app, people):
    admin = as_member(app, "ada@example.test")
    assert admin.post("/moderation/settings", data={"held_first_posts": "0"}).status_code == 302
    nell = as_member(app, "nell@example.test")
    write(nell, title="Allowed at once")
    assert the_post(app, "Allowed at once").status is PostStatus.PUBLISHED


def test_screening_holds_an_established_members_spam_with_the_reason_shown(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Cheap Imuran", body="No prescription needed, only $1 per pill.")
    post = the_post(app, "Cheap Imuran")
    assert post.status is PostStatus.PENDING
    page = steady.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert "online-pharmacy spam" in page
    [item] = open_items(app)
    assert set(item.rule_codes.split(",")) == {"spam.no_prescription", "spam.price_per_pill"}


def test_personal_information_is_shown_first_and_held_if_sent_anyway(app, people):
    steady = as_member(app, "steady@example.test")
    body = "Happy to talk, call me on 07700 900123."
    first = write(steady, title="Call me", body=body)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "Before you send this" in html and "<mark>07700 900123</mark>" in html
    assert body in html  # nothing typed is lost
    assert the_post(app, "Call me") is None
    edited = write(steady, title="Call me", body="Happy to talk here instead.")
    assert edited.status_code == 302 and the_post(app, "Call me").status is PostStatus.PUBLISHED
    write(steady, title="Sent anyway", body=body, send_anyway="y")
    assert the_post(app, "Sent anyway").status is PostStatus.PENDING


def test_crisis_language_is_urgent_shows_resources_and_tells_moderators(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Tonight", body="I don't want to live like this any more.")
    post = the_post(app, "Tonight")
    assert post.status is PostStatus.PENDING
    page = steady.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert 'call or text <a href="tel:988">988</a>' in page
    [item] = open_items(app)
    assert item.urgent
    for moderator in ("mo@example.test", "two@example.test", "ada@example.test"):
        [email] = emails_to(app, moderator)
        assert email.subject.startswith("Urgent")
    queue = as_member(app, "mo@example.test").get("/moderation/queue").get_data(as_text=True)
    assert "Urgent" in queue


def test_a_crisis_reply_brings_the_resources_with_it(app, people):
    steady = as_member(app, "steady@example.test")
    post = the_post(app, "Earlier post 0")
    response = steady.post(
        f"/posts/{post.id}/replies",
        data={"body": "Honestly I want to die some days."},
        follow_redirects=True,
    )
    assert "Samaritans" in response.get_data(as_text=True)
    assert the_reply(app, "Honestly I want to die some days.").status is PostStatus.PENDING


def test_dosing_instructions_are_held_never_removed(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Advice", body="You should stop taking azathioprine if you feel sick.")
    post = the_post(app, "Advice")
    assert post.status is PostStatus.PENDING
    [item] = open_items(app)
    assert item.rule_codes == "dosing.instruction"
    write(steady, title="My dose", body="I take 150 mg every morning with breakfast.")
    assert the_post(app, "My dose").status is PostStatus.PUBLISHED


def test_authors_can_edit_while_waiting_and_it_stays_held(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Draft-ish")
    post = the_post(app, "Draft-ish")
    response = nell.post(
        f"/posts/{post.id}/edit",
        data={"title": "Draft-ish", "body": "Better words.", "tags": "Imuran"},
    )
    assert response.status_code == 302
    assert the_post(app, "Draft-ish").status is PostStatus.PENDING
    [item] = open_items(app)
    assert "Edited by the author while waiting" in item.reasons


def test_replies_are_screened_too(app, people):
    steady = as_member(app, "steady@example.test")
    post = the_post(app, "Earlier post 1")
    steady.post(
        f"/posts/{post.id}/replies",
        data={"body": "WhatsApp me for cheap Imuran: +44 7700 900123", "send_anyway": "y"},
    )
    reply = the_reply(app, "WhatsApp me for cheap Imuran: +44 7700 900123")
    assert reply.status is PostStatus.PENDING
    assert "spam.order_by_contact" in open_items(app)[0].rule_codes
