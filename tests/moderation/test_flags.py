"""Members' reports: one per member per item, a daily cap, weights, auto-hide, outcomes."""

from __future__ import annotations

from datetime import timedelta

from forum.domain.models import Flag, FlagOutcome, PostStatus, User, utcnow
from forum.domain.services import flags, site_settings
from forum.extensions import db
from tests.factories import make_post, make_user
from tests.moderation.conftest import as_member, emails_to, log, open_items, the_post


def report(client, post, reason="spam", details=""):
    return client.post(f"/report/posts/{post.id}", data={"reason": reason, "details": details})


def readers(app, n, *, old=False):
    with app.app_context():
        joined = utcnow() - timedelta(days=200) if old else utcnow() - timedelta(days=20)
        return [
            make_user(email=f"reader{i}{'o' if old else ''}@example.test", joined=joined).email
            for i in range(n)
        ]


def test_report_page_and_one_flag_per_member(app, people):
    post = the_post(app, "Earlier post 0")
    [email] = readers(app, 1)
    reader = as_member(app, email)
    page = reader.get(f"/report/posts/{post.id}").get_data(as_text=True)
    assert "Someone may be in crisis" in page
    assert report(reader, post).status_code == 302
    again = report(reader, post)  # a calm "you reported this", not an error, and no second flag
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"#reported-post-{post.id}"
    )
    [item] = open_items(app)
    assert item.flagged and item.post_id == post.id


def test_other_needs_details_and_own_posts_cannot_be_reported(app, people):
    post = the_post(app, "Earlier post 0")
    [email] = readers(app, 1)
    reader = as_member(app, email)
    assert "Please say briefly" in report(reader, post, reason="other").get_data(as_text=True)
    steady = as_member(app, "steady@example.test")
    assert "can’t report your own" in report(steady, post).get_data(as_text=True)


def test_flags_hide_content_at_the_weight_threshold_and_the_author_is_told(app, client, people):
    post = the_post(app, "Earlier post 0")
    emails = readers(app, 3)  # ordinary members: weight 1.0 each with no history
    for email in emails[:2]:
        report(as_member(app, email), post)
    assert the_post(app, "Earlier post 0").status is PostStatus.PUBLISHED
    report(as_member(app, emails[2]), post)
    hidden = the_post(app, "Earlier post 0")
    assert hidden.status is PostStatus.PENDING
    assert client.get(f"/posts/{post.id}/{post.slug}").status_code == 404
    assert "Earlier post 0" not in client.get("/tags/azathioprine").get_data(as_text=True)
    author_view = as_member(app, "steady@example.test").get(f"/posts/{post.id}/{post.slug}")
    assert "Several readers reported this" in author_view.get_data(as_text=True)
    assert "hide_by_flags" in [e.action.value for e in log(app)]


def test_moderators_flags_weigh_more_than_new_members(app, people):
    with app.app_context():
        mod = db.session.get(User, people["mod"])
        newbie = db.session.get(User, people["newbie"])
        old = make_user(joined=utcnow() - timedelta(days=300))
        for i in range(5):
            make_post(author=old, title=f"old {i}")
        assert flags.flag_weight(mod) > flags.flag_weight(old) > flags.flag_weight(newbie)
        # A moderator's single flag reaches the default threshold of 3.
        assert flags.flag_weight(mod) >= site_settings.setting("flag_hide_threshold")


def test_flaggers_whose_flags_are_often_rejected_weigh_less(app, people):
    with app.app_context():
        flagger = make_user(joined=utcnow() - timedelta(days=30))
        before = flags.flag_weight(flagger)
        for i in range(4):
            target = make_post(title=f"fine post {i}")
            db.session.add(
                Flag(
                    post_id=target.id,
                    flagger_id=flagger.id,
                    reason="spam",
                    outcome=FlagOutcome.DISAGREED,
                    created_at=utcnow(),
                )
            )
        db.session.commit()
        assert flags.flag_weight(flagger) < before / 2


def test_disagreeing_restores_hidden_content_and_clears_flags(app, client, people):
    post = the_post(app, "Earlier post 1")
    for email in readers(app, 3):
        report(as_member(app, email), post)
    [item] = open_items(app)
    mo = as_member(app, "mo@example.test")
    mo.post(f"/moderation/items/{item.id}/ignore-flags", data={"reason": "Nothing wrong here"})
    assert the_post(app, "Earlier post 1").status is PostStatus.PUBLISHED
    with app.app_context():
        outcomes = set(db.session.scalars(db.select(Flag.outcome)))
    assert outcomes == {FlagOutcome.DISAGREED}


def test_agreeing_by_removing_marks_flags_agreed(app, people):
    post = the_post(app, "Earlier post 2")
    [email] = readers(app, 1)
    report(as_member(app, email), post)
    [item] = open_items(app)
    as_member(app, "mo@example.test").post(
        f"/moderation/items/{item.id}/remove", data={"reason": "Spam link"}
    )
    with app.app_context():
        assert db.session.scalar(db.select(Flag.outcome)) is FlagOutcome.AGREED
    assert "was removed" in emails_to(app, "steady@example.test")[0].subject


def test_a_crisis_report_is_urgent(app, people):
    post = the_post(app, "Earlier post 0")
    [email] = readers(app, 1)
    report(as_member(app, email), post, reason="crisis")
    [item] = open_items(app)
    assert item.urgent
    assert emails_to(app, "mo@example.test")[0].subject.startswith("Urgent")


def test_daily_cap_on_flags(app, people):
    as_member(app, "ada@example.test").post("/moderation/settings", data={"flag_daily_cap": "2"})
    with app.app_context():
        posts = [make_post(title=f"capped {i}") for i in range(3)]
        ids = [(p.id, p.slug) for p in posts]
    [email] = readers(app, 1)
    reader = as_member(app, email)
    for post_id, _ in ids[:2]:
        assert reader.post(f"/report/posts/{post_id}", data={"reason": "spam"}).status_code == 302
    capped = reader.post(f"/report/posts/{ids[2][0]}", data={"reason": "spam"})
    assert "reported a lot today" in capped.get_data(as_text=True)
