"""Changing password and email from the account page."""

from __future__ import annotations

from forum.domain.models import User
from forum.extensions import db
from tests.factories import DEFAULT_PASSWORD, link_in, login, make_user, outbox

NEW = "orchard pebble violin sunrise"


def test_account_page_requires_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_change_password_keeps_this_session_and_ends_the_others(app, client):
    with app.app_context():
        make_user(email="me@example.test", pseudonym="changer")
    login(client, "me@example.test")
    other = app.test_client()
    login(other, "me@example.test")
    wrong = client.post(
        "/account/password", data={"current_password": "nope nope nope", "new_password": NEW}
    )
    assert "That isn’t your current password." in wrong.get_data(as_text=True)
    weak = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "changer2024!"},
    )
    assert "pseudonym or email" in weak.get_data(as_text=True)
    done = client.post(
        "/account/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW}
    )
    assert done.status_code == 302
    assert client.get("/account").status_code == 200  # this session carries on
    assert other.get("/account").status_code == 302  # the other one was logged out
    assert outbox(app, "me@example.test")[-1].subject == "Your Cohort password was changed"


def test_change_email_takes_effect_only_when_the_new_address_is_confirmed(app, client):
    with app.app_context():
        make_user(email="old@example.test")
    login(client, "old@example.test")
    response = client.post(
        "/account/email", data={"new_email": "new@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.pending_email) == ("old@example.test", "new@example.com")
    assert "being changed" in outbox(app, "old@example.test")[-1].subject
    [confirm] = outbox(app, "new@example.com")
    path = link_in(confirm, "/verify/")
    # Whoever opens it signed out is asked to log in; nothing changes until they have.
    assert app.test_client().get(path).headers["Location"] == f"/login?next={path}"
    with app.app_context():
        assert db.session.scalar(db.select(User.email)) == "old@example.test"
    elsewhere = app.test_client()
    login(elsewhere, "old@example.test")
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/account"
    assert "Your email address is now new@example.com." in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.pending_email) == ("new@example.com", None)
    assert client.get("/account").status_code == 200  # this session carries on
    assert elsewhere.get("/account").status_code == 302  # the others end
    assert login(app.test_client(), "new@example.com").status_code == 302


def test_an_older_email_change_link_stops_working_after_a_newer_request(app, client):
    with app.app_context():
        make_user(email="old@example.test")
    login(client, "old@example.test")
    client.post(
        "/account/email", data={"new_email": "first@example.com", "password": DEFAULT_PASSWORD}
    )
    client.post(
        "/account/email", data={"new_email": "second@example.com", "password": DEFAULT_PASSWORD}
    )
    stale = link_in(outbox(app, "first@example.com")[0], "/verify/")
    assert client.get(stale).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(User.email)) == "old@example.test"


def test_change_email_needs_the_password_and_keeps_the_typed_address(app, client):
    with app.app_context():
        make_user(email="old@example.test")
    login(client, "old@example.test")
    html = client.post(
        "/account/email", data={"new_email": "new@example.com", "password": "wrong wrong"}
    ).get_data(as_text=True)
    assert "That isn’t your current password." in html
    assert 'value="new@example.com"' in html
