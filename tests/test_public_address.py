"""Links in emails and feeds lead to SITE_URL whatever Host header a request carries; other
hosts can be refused outright; HTTPS pages tell browsers to stay on HTTPS; proxies are believed
only when configured."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own feed in a test

import pytest

from forum import create_app
from forum.extensions import db
from tests.conftest import base_config
from tests.factories import make_post, make_tag, make_user, outbox

SITE = "https://cohort.example"


def _app_like(app, **overrides):
    """An app on the same database as `app`, with other settings."""
    other = create_app({**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), **overrides})
    return other


@pytest.fixture
def site_app(app):
    other = _app_like(app, SITE_URL=SITE, SITE_URL_SET=True)
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_reset_asked_for_under_another_host_still_links_to_this_site(app, site_app):
    with app.app_context():
        make_user(email="member@example.test")
    client = site_app.test_client()
    response = client.post(
        "/reset-password", data={"email": "member@example.test"}, headers={"Host": "evil.test"}
    )
    assert response.status_code == 200
    [email] = outbox(app, "member@example.test")
    assert f"{SITE}/reset-password/" in email.body_text
    assert "evil.test" not in email.body_text and "evil.test" not in (email.body_html or "")


def test_without_site_url_links_follow_the_request(app, client):
    with app.app_context():
        make_user(email="member@example.test")
    client.post("/reset-password", data={"email": "member@example.test"})
    [email] = outbox(app, "member@example.test")
    assert "http://localhost/reset-password/" in email.body_text


def test_feeds_link_to_this_site_whatever_the_host(app, site_app):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_post(title="Six months in", tags=[tag])
    client = site_app.test_client()
    for path in ("/feed.atom", "/tags/azathioprine/feed.atom"):
        body = client.get(path, headers={"Host": "evil.test"}).get_data(as_text=True)
        assert "evil.test" not in body
        assert f'href="{SITE}/posts/' in body, body


def test_other_hosts_are_refused_when_trusted_hosts_are_set(app):
    strict = _app_like(app, TRUSTED_HOSTS=["cohort.example"])
    client = strict.test_client()
    assert client.get("/", headers={"Host": "cohort.example"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.test"}).status_code == 400
    with strict.app_context():
        db.engine.dispose()


def test_trusted_hosts_default_to_the_site_urls_host(monkeypatch, tmp_path):
    from forum.config import load_config

    monkeypatch.setenv("SITE_URL", "https://cohort.example/")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    config = load_config(str(tmp_path))
    assert config["TRUSTED_HOSTS"] == ["cohort.example"]
    assert config["SITE_URL"] == SITE and config["SITE_URL_SET"]
    monkeypatch.setenv("TRUSTED_HOSTS", "cohort.example, www.cohort.example")
    assert load_config(str(tmp_path))["TRUSTED_HOSTS"] == ["cohort.example", "www.cohort.example"]
    monkeypatch.delenv("SITE_URL")
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert load_config(str(tmp_path))["TRUSTED_HOSTS"] is None


def test_https_pages_ask_browsers_to_stay_on_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_forwarded_headers_count_only_behind_a_configured_proxy(app, client):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in client.get("/", headers=forwarded).headers
    proxied = _app_like(app, TRUSTED_PROXIES=1)
    response = proxied.test_client().get("/", headers=forwarded)
    assert "Strict-Transport-Security" in response.headers
    with proxied.app_context():
        db.engine.dispose()


def test_control_characters_never_break_a_feed(app, client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_post(title="Bell \x01 and \x1b escape", body="Text \x0b here", tags=[tag])
    for path in ("/feed.atom", "/tags/azathioprine/feed.atom"):
        root = ET.fromstring(client.get(path).data)  # noqa: S314 - our own output
        titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert "Bell  and  escape" in titles


def test_control_characters_typed_into_a_post_are_dropped(app, client):
    from tests.factories import signed_in

    signed_in(app, client)
    with app.app_context():
        make_tag(name="azathioprine")
    response = client.post(
        "/posts/new",
        data={
            "kind": "thread",
            "title": "Question\x07 about \x1fdoses",
            "body": "Does anyone\x00 split\x08 it?",
            "tags": "azathioprine",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question about doses" in page and "Does anyone split it?" in page
