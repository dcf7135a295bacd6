"""Confirming an email address: the link proves the address, the password proves the person.

Opening the link never logs anyone in (it would be a reusable login link, and a way to log
someone else into an account of the sender's choosing). Signed out, it asks them to log in and
then confirms; signed in as the account, it confirms (once) and ends every other session;
signed in as someone else, it changes nothing.
"""

from __future__ import annotations

from forum.domain.models import User
from forum.extensions import db
from tests.factories import DEFAULT_PASSWORD, link_in, login, make_user, outbox

PASSWORD = "maple kettle orbit lantern"


def sign_up(client, email="river@example.com", pseudonym="river_stone"):
    data = {
        "pseudonym": pseudonym,
        "email": email,
        "password": PASSWORD,
        "age_confirmed": "y",
        "health_consent": "y",
    }
    assert client.post("/signup", data=data).status_code == 302


def verified(app, email="river@example.com") -> bool:
    with app.app_context():
        query = db.select(User.email_verified_at).where(User.email == email)
        return db.session.scalar(query) is not None


def verify_link(app, email="river@example.com") -> str:
    return link_in(outbox(app, email)[-1], "/verify/")


def signed_in_as(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_a_signed_out_visitor_is_asked_to_log_in_and_then_confirmed(app, client):
    sign_up(client)
    path = verify_link(app)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={path}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log in to confirm your email address" in page
    assert not verified(app)
    assert "river_stone" not in signed_in_as(client)  # nobody was logged in
    # Logging in carries on to the link, which now confirms the address.
    response = client.post(
        response.headers["Location"], data={"email": "river@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == path
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/posts/new"  # straight on to writing
    html = response.get_data(as_text=True)
    assert "Welcome, river_stone." in html
    assert "your email address is confirmed" in html
    assert verified(app)


def test_the_link_is_not_a_login_link_for_whoever_holds_it(app, client):
    """Login CSRF: a link from someone's own sign-up, opened by another person, logs nobody in."""
    sign_up(client, email="attacker@example.com", pseudonym="attacker")
    path = verify_link(app, "attacker@example.com")
    victim = app.test_client()
    victim.get(path)
    victim.get(path)  # and not the second time either
    assert "attacker" not in signed_in_as(victim)
    assert not verified(app, "attacker@example.com")


def test_a_used_link_just_says_the_address_is_already_confirmed(app, client):
    sign_up(client)
    path = verify_link(app)
    login(client, "river@example.com", PASSWORD)
    assert client.get(path).status_code == 302
    elsewhere = app.test_client()
    login(elsewhere, "river@example.com", PASSWORD)
    again = client.get(path, follow_redirects=True)
    assert again.status_code == 200
    assert "Your email address is already confirmed." in again.get_data(as_text=True)
    assert "river_stone" in signed_in_as(elsewhere)  # nothing happened, nobody logged out


def test_confirming_ends_every_other_session_and_keeps_this_one(app, client):
    """Someone who signed up with another person's address can't stay logged in once the
    address's owner confirms it (they had to log in, so they now hold the password)."""
    sign_up(client)
    path = verify_link(app)
    squatter = app.test_client()
    login(squatter, "river@example.com", PASSWORD)
    assert "river_stone" in signed_in_as(squatter)
    login(client, "river@example.com", PASSWORD)
    assert client.get(path).status_code == 302
    assert "river_stone" in signed_in_as(client)
    assert "river_stone" not in signed_in_as(squatter)


def test_confirming_keeps_a_remembered_login_working(app, client):
    sign_up(client)
    path = verify_link(app)
    client.post(
        "/login", data={"email": "river@example.com", "password": PASSWORD, "remember": "y"}
    )
    client.get(path)
    client.delete_cookie("session", domain="localhost")  # the browser was closed
    assert "river_stone" in signed_in_as(client)


def test_a_link_opened_by_another_signed_in_member_changes_nothing(app, client):
    sign_up(client)
    path = verify_link(app)
    with app.app_context():
        make_user(email="someone@example.test", pseudonym="someone_else")
    login(client, "someone@example.test", DEFAULT_PASSWORD)
    response = client.get(path)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "This link is for a different account" in html
    assert "river" not in html  # and it doesn't say which
    assert not verified(app)
    assert "someone_else" in signed_in_as(client)
    # The page's button logs them out and carries on to the link, which asks for a login.
    response = client.post(f"/logout?next={path}", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Log in to confirm your email address" in response.get_data(as_text=True)


def test_a_broken_link_says_so_before_asking_anyone_to_log_in(app, client):
    sign_up(client)
    response = client.get(verify_link(app)[:-3] + "abc")
    assert response.status_code == 400
    assert "That link isn’t valid" in response.get_data(as_text=True)
