"""Logging in and out: one message for every failure, safe `next`, sessions, limits."""

from __future__ import annotations

import pytest

from forum.domain.models import User
from forum.extensions import db
from tests.factories import DEFAULT_PASSWORD, link_in, login, logout, make_user, outbox


def test_login_and_logout(app, client):
    with app.app_context():
        make_user(pseudonym="quietriver", email="river@example.test")
    response = login(client, "River@Example.test ")
    assert response.status_code == 302
    assert "quietriver" in client.get("/").get_data(as_text=True)
    assert logout(client).status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "Log in" in html and "quietriver" not in html


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.test", DEFAULT_PASSWORD), ("river@example.test", "wrong password here")],
)
def test_failed_login_says_the_same_thing_whatever_was_wrong(app, client, email, password):
    with app.app_context():
        make_user(email="river@example.test")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "That email and password don’t match an account" in html
    assert f'value="{email}"' in html  # what they typed is kept (but never the password)
    assert password not in html


def test_banned_members_cannot_log_in(app, client):
    with app.app_context():
        make_user(email="banned@example.test", status="banned")
    response = login(client, "banned@example.test")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/tags/azathioprine?before=1.2", "/tags/azathioprine?before=1.2"),
        ("https://evil.test/x", "/"),
        ("//evil.test", "/"),
        ("/\\evil.test", "/"),
        ("/\r\nSet-Cookie:x", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_stays_on_this_site(app, client, target, expected):
    from urllib.parse import quote

    with app.app_context():
        email = make_user().email
    response = client.post(
        f"/login?next={quote(target, safe='/?=')}",
        data={"email": email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_is_post_only(app, client):
    with app.app_context():
        make_user(email="a@example.test")
    login(client, "a@example.test")
    assert client.get("/logout").status_code == 405


def test_bumping_the_session_version_ends_existing_sessions(app, client):
    with app.app_context():
        user = make_user(email="a@example.test", pseudonym="sessiontest")
        user_id = user.id
    login(client, "a@example.test", remember=True)
    assert "sessiontest" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, user_id).session_version += 1
        db.session.commit()
    assert "sessiontest" not in client.get("/").get_data(as_text=True)


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failed_logins_per_account_from_one_address_are_rate_limited(app):
    with app.app_context():
        make_user(email="target@example.test")
    guesser = from_address(app, "10.0.0.1")
    for i in range(5):
        assert login(guesser, "target@example.test", f"guess {i}").status_code == 200
    response = login(guesser, "target@example.test")  # even the right password, from there
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Please try again in" in html
    assert int(response.headers["Retry-After"]) > 0


def test_a_strangers_failed_logins_do_not_lock_the_owner_out(app):
    with app.app_context():
        make_user(email="target@example.test", pseudonym="targeted")
    guesser = from_address(app, "10.0.0.1")
    for i in range(5):
        assert login(guesser, "target@example.test", f"guess {i}").status_code == 200
    assert login(guesser, "target@example.test", "guess 6").status_code == 429
    owner = from_address(app, "10.0.0.2")
    assert login(owner, "target@example.test").status_code == 302
    assert "targeted" in owner.get("/").get_data(as_text=True)


def test_failures_from_many_addresses_are_bounded_except_on_the_owners_own_devices(app):
    from limits import parse_many

    from forum.auth.limits import ACCOUNT_FAILURES_FROM_EVERYWHERE

    with app.app_context():
        make_user(email="target@example.test")
    owner = from_address(app, "10.9.0.1")
    assert login(owner, "target@example.test").status_code == 302  # this browser is known now
    logout(owner)
    hourly = parse_many(ACCOUNT_FAILURES_FROM_EVERYWHERE)[0].amount
    for i in range(hourly):  # a botnet: a few guesses each from many addresses
        guesser = from_address(app, f"10.1.{i // 4}.{i % 4}")
        assert login(guesser, "target@example.test", f"guess {i}").status_code == 200
    new_device = from_address(app, "10.9.0.2")
    assert login(new_device, "target@example.test").status_code == 429
    assert login(owner, "target@example.test").status_code == 302
    # On a new device the owner can still get in at once: a password reset by email makes the
    # device known.
    new_device.post("/reset-password", data={"email": "target@example.test"})
    path = link_in(outbox(app, "target@example.test")[-1], "/reset-password/")
    assert (
        new_device.post(path, data={"password": "orchard pebble violin sunrise"}).status_code == 302
    )
    assert (
        login(new_device, "target@example.test", "orchard pebble violin sunrise").status_code == 302
    )


def test_failed_logins_per_address_are_rate_limited(app, client):
    for i in range(10):
        assert (
            client.post(
                "/login", data={"email": f"x{i}@example.test", "password": "nope"}
            ).status_code
            == 200
        )
    assert (
        client.post("/login", data={"email": "y@example.test", "password": "nope"}).status_code
        == 429
    )


def test_successful_logins_do_not_count_against_the_limit(app):
    with app.app_context():
        make_user(email="often@example.test")
    for _ in range(8):
        client = app.test_client()
        assert login(client, "often@example.test").status_code == 302
