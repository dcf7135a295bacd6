"""Reporting, as the reporter sees it: what they are reporting, thanks where they land, "Reported"
in place of the link afterwards, and a calm note (not an error) when they report again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.domain.models import Flag, FlagReason, Post, Reply, SiteSetting, User, utcnow
from forum.domain.services import flags
from forum.extensions import db
from tests.factories import login, make_post, make_reply, make_user, signed_in

THANKS = "You reported this. Thank you — a moderator will look at it."


def a_conversation(app) -> dict:
    """A published thread with two replies by other members: ids and the page's URL."""
    with app.app_context():
        author = make_user(pseudonym="thread_author")
        post = make_post(author=author, kind="thread", title="Liver numbers after two months")
        first = make_reply(post, author=make_user(pseudonym="first_voice"), body="Mine too.")
        second = make_reply(
            post,
            author=make_user(pseudonym="second_voice"),
            body="Buy cheap pills at my shop, link in my profile. " + "More words here. " * 40,
        )
        return {
            "post": post.id,
            "first": first.id,
            "second": second.id,
            "url": f"/posts/{post.id}/{post.slug}",
        }


def report(client, kind: str, target_id: int, reason: str = "spam"):
    return client.post(f"/report/{kind}/{target_id}", data={"reason": reason, "details": ""})


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def reply_block(html: str, reply_id: int) -> str:
    start = html.index(f'id="reply-{reply_id}"')
    return html[start : html.index("</article>", start)]


def test_the_reporter_lands_on_thanks_by_the_reply_and_sees_reported_afterwards(app, client):
    world = a_conversation(app)
    signed_in(app, client)
    response = report(client, "replies", world["second"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#reported-reply-{world['second']}")

    html = main_of(client.get(response.headers["Location"]).get_data(as_text=True))
    block = reply_block(html, world["second"])
    assert f'id="reported-reply-{world["second"]}"' in block  # where the redirect lands
    assert THANKS in block
    assert f"/report/replies/{world['second']}" not in html
    assert "Thank you. A moderator will look at it." not in html  # not at the top, out of view
    # The other reply and the thread itself can still be reported.
    assert f"/report/replies/{world['first']}" in html
    assert f"/report/posts/{world['post']}" in html

    again = main_of(client.get(world["url"]).get_data(as_text=True))
    block = reply_block(again, world["second"])
    assert 'class="reported">Reported' in block and THANKS not in block  # thanks once, then this
    assert f"/report/replies/{world['second']}" not in again


def test_other_readers_still_see_the_report_link(app, client):
    world = a_conversation(app)
    signed_in(app, client)
    report(client, "replies", world["second"])
    other = app.test_client()
    signed_in(app, other)
    html = main_of(other.get(world["url"]).get_data(as_text=True))
    assert f"/report/replies/{world['second']}" in html
    assert "Reported" not in html and THANKS not in html


def test_reporting_the_post_thanks_the_reporter_under_it(app, client):
    world = a_conversation(app)
    signed_in(app, client)
    response = report(client, "posts", world["post"])
    assert response.headers["Location"].endswith(f"#reported-post-{world['post']}")
    html = main_of(client.get(response.headers["Location"]).get_data(as_text=True))
    post_part = html[: html.index('class="replies"')]
    assert f'id="reported-post-{world["post"]}"' in post_part and THANKS in post_part
    assert f"/report/posts/{world['post']}" not in html
    assert f"/report/replies/{world['first']}" in html


def test_reporting_again_is_a_calm_note_not_an_error(app, client):
    world = a_conversation(app)
    signed_in(app, client)
    report(client, "replies", world["second"])
    page = client.get(f"/report/replies/{world['second']}")
    assert page.status_code == 200
    html = main_of(page.get_data(as_text=True))
    assert "You reported this" in html and "There is a problem" not in html
    assert "Send the report" not in html  # nothing to fill in again
    again = report(client, "replies", world["second"])  # e.g. an old tab sent a second time
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"#reported-reply-{world['second']}")
    landed = main_of(client.get(again.headers["Location"]).get_data(as_text=True))
    assert THANKS in reply_block(landed, world["second"])
    assert "There is a problem" not in landed
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1


def test_a_report_that_hides_a_post_lands_where_the_reporter_can_read_the_thanks(app, client):
    world = a_conversation(app)
    with app.app_context():
        mod_email = make_user(role="moderator").email  # one moderator's report is enough
    login(client, mod_email)
    response = report(client, "posts", world["post"])
    assert response.status_code == 302
    readers = app.test_client()
    signed_in(app, readers)
    reader_view = readers.get(world["url"])
    assert reader_view.status_code == 404  # hidden until a moderator has looked
    landed = client.get(response.headers["Location"])
    assert landed.status_code == 200
    assert "It is hidden until they have." in landed.get_data(as_text=True)


def test_a_report_that_hides_a_post_from_a_reader_does_not_land_on_a_404(app, client):
    world = a_conversation(app)
    with app.app_context():
        db.session.add(SiteSetting(key="flag_hide_threshold", value="1"))
        db.session.commit()
    signed_in(app, client, joined=utcnow() - timedelta(days=20))  # one report weighs 1
    response = report(client, "posts", world["post"])
    with app.app_context():
        assert db.session.get(Post, world["post"]).status.value == "pending"
    landed = client.get(response.headers["Location"])
    assert landed.status_code == 200
    assert "It is hidden until they have." in landed.get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "target", "shown"),
    [
        ("replies", "second", ["second_voice", "Buy cheap pills at my shop"]),
        ("posts", "post", ["thread_author", "I have been taking this for a while"]),
    ],
)
def test_the_report_page_shows_what_is_being_reported(app, client, kind, target, shown):
    world = a_conversation(app)
    signed_in(app, client)
    html = main_of(client.get(f"/report/{kind}/{world[target]}").get_data(as_text=True))
    for text in [*shown, "Liver numbers after two months"]:  # a reply names its conversation
        assert text in html
    assert re.search(r"<time datetime=", html)  # when it was written
    assert "More words here. " * 40 not in html  # an excerpt, never the whole text


def test_reported_marks_cost_one_query_however_many_replies_were_reported(
    app, client, bounded_page
):
    world = a_conversation(app)
    reader_id = signed_in(app, client)
    report(client, "replies", world["second"])
    client.get(world["url"])  # the one-off thanks is shown; from here on, "Reported"

    def more_reports():
        post = db.session.get(Post, world["post"])
        reader = db.session.get(User, reader_id)
        for i in range(6):  # within the daily cap on reports
            make_reply(post, author=make_user(), body=f"Reply {i}")
        for reply in db.session.scalars(db.select(Reply).where(Reply.post_id == post.id)):
            if reply.id != world["second"]:
                flags.flag(reply, flagger=reader, reason=FlagReason.SPAM)

    html = bounded_page(client, world["url"], grow=more_reports, at_most=6)
    assert html.count('class="reported">Reported') == 8
    assert "/report/replies/" not in html
