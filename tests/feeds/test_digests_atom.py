"""Email digests, one-click unsubscribe, and Atom feeds."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree as ET

from forum.domain.models import OutboxEmail, Tag, User, utcnow
from forum.extensions import db
from tests.factories import make_post

ATOM = "{http://www.w3.org/2005/Atom}"


def outbox(app, to):
    with app.app_context():
        found = db.session.scalars(db.select(OutboxEmail).where(OutboxEmail.to_address == to)).all()
        db.session.expunge_all()
        return found


def test_digest_lists_new_posts_in_digest_tags_and_unread_notifications(app, runner, community):
    with app.app_context():
        aza = db.session.get(Tag, community["aza"])
        make_post(title="Fresh aza story", tags=[aza])
        make_post(title="Old aza story", tags=[aza], at=utcnow() - timedelta(days=20))
        make_post(title="Held aza story", tags=[aza], status="pending")
    result = runner.invoke(args=["send-digests", "--frequency", "weekly"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 weekly digest(s)" in result.output
    [digest] = outbox(app, "digest@example.test")
    assert "Fresh aza story" in digest.body_text
    assert "Old aza story" not in digest.body_text and "Held aza story" not in digest.body_text
    assert digest.body_html and "Fresh aza story" in digest.body_html
    assert "List-Unsubscribe" in digest.headers
    again = runner.invoke(args=["send-digests", "--frequency", "weekly"])
    assert "Sent 0 weekly" in again.output  # not twice in one period
    assert outbox(app, "feed@example.test") == []  # feed-only followers get no digest


def test_dry_run_and_daily(app, runner, community):
    with app.app_context():
        db.session.get(User, community["digest"]).digest_frequency = "daily"
        db.session.commit()
        make_post(title="Today", tags=[db.session.get(Tag, community["aza"])])
    dry = runner.invoke(args=["send-digests", "--frequency", "daily", "--dry-run"])
    assert "Would send 1 daily" in dry.output and outbox(app, "digest@example.test") == []
    runner.invoke(args=["send-digests", "--frequency", "daily"])
    assert len(outbox(app, "digest@example.test")) == 1


def test_one_click_unsubscribe_without_login(app, client, runner, community):
    with app.app_context():
        make_post(title="For the digest", tags=[db.session.get(Tag, community["aza"])])
    runner.invoke(args=["send-digests"])
    [digest] = outbox(app, "digest@example.test")
    url = re.search(r"List-Unsubscribe: <([^>]+)>", digest.headers).group(1)
    path = url.split("localhost", 1)[-1] if "localhost" in url else "/" + url.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and "Stop emails from Cohort" in page.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.get(User, community["digest"]).digest_frequency == "weekly"
        )  # GET changed nothing
    done = client.post(path)  # what a mail client's one-click POST does (no CSRF token, no login)
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, community["digest"])
        assert user.digest_frequency == "never" and user.email_notifications is False
    assert client.get(path[:-4] + "abcd").status_code == 404


def parse_feed(response):
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output, under test
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find(f"{ATOM}updated").text)
    return root


def test_tag_and_site_atom_feeds_are_valid_and_public_only(app, client, community):
    with app.app_context():
        aza = db.session.get(Tag, community["aza"])
        make_post(title="Visible <b>one</b> & co", tags=[aza])
        make_post(title="Held one", tags=[aza], status="pending")
    root = parse_feed(client.get("/tags/azathioprine/feed.atom"))
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Visible <b>one</b> & co"]  # escaped by XML, round-trips exactly
    via_alias = client.get("/tags/imuran/feed.atom")
    assert via_alias.status_code == 301 and via_alias.headers["Location"].endswith(
        "/tags/azathioprine/feed.atom"
    )
    site = parse_feed(client.get("/feed.atom"))
    assert "Held one" not in [e.find(f"{ATOM}title").text for e in site.findall(f"{ATOM}entry")]
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'type="application/atom+xml"' in client.get("/").get_data(as_text=True)
