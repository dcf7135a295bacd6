"""Security habits checked across the whole app: CSRF on every state change, cookie flags,
no state change on GET."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import create_app
from forum.domain.models import utcnow
from forum.extensions import db
from tests.conftest import base_config
from tests.factories import DEFAULT_PASSWORD, make_post, make_user


@pytest.fixture
def csrf_app(app):
    """The same database as `app`, served by an app with CSRF protection switched on."""
    config = {**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), "WTF_CSRF_ENABLED": True}
    secured = create_app(config)
    yield secured
    with secured.app_context():
        db.engine.dispose()


def _token(client, path="/login") -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


# One-click unsubscribe (RFC 8058): mail clients POST without a session or form token; the signed
# token in the URL is the authority, and a forged one is refused (tests/feeds).
CSRF_EXEMPT = {"feeds.unsubscribe"}


def test_the_only_csrf_exempt_route_still_needs_its_signed_token(app, csrf_app):
    with app.app_context():
        make_user(email="reader@example.test")
    client = csrf_app.test_client()
    assert client.post("/email/unsubscribe/forged-token").status_code == 404


def test_every_post_route_refuses_a_missing_csrf_token(app, csrf_app):
    with app.app_context():
        admin = make_user(
            email="admin@example.test", role="admin", joined=utcnow() - timedelta(days=99)
        )
        post = make_post(author=admin)
        ids = {
            "post_id": post.id,
            "reply_id": 1,
            "item_id": 1,
            "user_id": admin.id,
            "rule_id": 1,
            "draft_id": 1,
            "token": "x",
            "kind": "posts",
            "target_id": post.id,
            "action": "lock",
            "slug": "azathioprine",
            "notification_id": 1,
            "conversation_id": 1,
            **dict.fromkeys(
                ("article_id", "tag_id", "alias_id", "relation_id", "action_id", "ambiguous_id"), 1
            ),
        }
    client = csrf_app.test_client()
    token = _token(client)
    assert (
        client.post(
            "/login",
            data={"email": "admin@example.test", "password": DEFAULT_PASSWORD, "csrf_token": token},
        ).status_code
        == 302
    )
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in CSRF_EXEMPT:
            continue
        values = {k: ids[k] for k in rule.arguments if k in ids}
        if "action" in values and rule.endpoint == "moderation.member_action":
            values["action"] = "suspend"
        url = rule.build(values)[1]
        response = client.post(url, data={"body": "kept words", "title": "kept title"})
        assert response.status_code == 400, (url, response.status_code)
        checked += 1
    assert checked >= 30
    # The refusal page gives back what was typed, so nothing is lost.
    html = client.post("/posts/new", data={"body": "A long story I typed"}).get_data(as_text=True)
    assert "We couldn’t accept that form" in html and "A long story I typed" in html


def test_forms_work_with_the_token_and_tokens_do_not_expire_mid_writing(app, csrf_app, monkeypatch):
    with app.app_context():
        make_user(email="writer@example.test")
    client = csrf_app.test_client()
    token = _token(client)
    import itsdangerous.timed

    later = itsdangerous.timed.time.time() + 3 * 24 * 3600  # three days writing a long story
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = client.post(
        "/login",
        data={"email": "writer@example.test", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_logout_needs_a_token(app, csrf_app):
    with app.app_context():
        make_user(email="a@example.test", pseudonym="stays_in")
    client = csrf_app.test_client()
    client.post(
        "/login",
        data={
            "email": "a@example.test",
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client),
        },
    )
    assert client.post("/logout").status_code == 400
    assert "stays_in" in client.get("/").get_data(as_text=True)


def test_session_cookies_are_httponly_samesite_and_secure_in_production(app, monkeypatch, tmp_path):
    monkeypatch.delenv("COHORT_ENV", raising=False)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    prod = create_app(
        {
            "SECRET_KEY": "a-real-production-secret",
            "SQLALCHEMY_DATABASE_URI": uri,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        make_user(email="p@example.test")
    response = prod.test_client().post(
        "/login",
        data={"email": "p@example.test", "password": DEFAULT_PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    with prod.app_context():
        db.engine.dispose()
