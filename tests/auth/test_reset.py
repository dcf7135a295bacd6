"""Password reset: same answer for every address, single-use expiring links, sessions end."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD, link_in, login, make_user, outbox

NEW_PASSWORD = "orchard pebble violin sunrise"


def test_reset_request_never_reveals_whether_an_account_exists(app, client):
    with app.app_context():
        make_user(email="known@example.test")
    known = client.post("/reset-password", data={"email": "known@example.test"})
    unknown = client.post("/reset-password", data={"email": "unknown@example.test"})
    assert known.status_code == unknown.status_code == 200

    def page(response, email):
        return response.get_data(as_text=True).replace(email, "ADDRESS")

    assert page(known, "known@example.test") == page(unknown, "unknown@example.test")
    assert len(outbox(app, "known@example.test")) == 1
    assert outbox(app, "unknown@example.test") == []


def test_reset_link_sets_a_new_password_once_and_ends_other_sessions(app, client):
    with app.app_context():
        make_user(email="known@example.test", pseudonym="resetme")
    elsewhere = app.test_client()
    login(elsewhere, "known@example.test")
    assert "resetme" in elsewhere.get("/").get_data(as_text=True)
    client.post("/reset-password", data={"email": "known@example.test"})
    path = link_in(outbox(app, "known@example.test")[0], "/reset-password/")
    assert "resetme" in client.get(path).get_data(as_text=True)
    weak = client.post(path, data={"password": "1234567890"})
    assert "most common" in weak.get_data(as_text=True)
    response = client.post(path, data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "resetme" not in elsewhere.get("/").get_data(as_text=True)  # logged out everywhere
    assert login(client, "known@example.test", DEFAULT_PASSWORD).status_code == 200  # old fails
    assert login(client, "known@example.test", NEW_PASSWORD).status_code == 302
    again = app.test_client().post(path, data={"password": "another fine password"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    notice = outbox(app, "known@example.test")[-1]
    assert notice.subject == "Your Cohort password was changed"


def test_reset_links_expire_after_an_hour(app, client, monkeypatch):
    import itsdangerous.timed

    with app.app_context():
        make_user(email="known@example.test")
    client.post("/reset-password", data={"email": "known@example.test"})
    path = link_in(outbox(app, "known@example.test")[0], "/reset-password/")
    later = itsdangerous.timed.time.time() + 3601
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_reset_requests_are_rate_limited_per_address(app, client):
    with app.app_context():
        make_user(email="known@example.test")
    for i in range(3):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.1.0.{i}"
        assert (
            other.post("/reset-password", data={"email": "known@example.test"}).status_code == 200
        )
    last = app.test_client()
    last.environ_base["REMOTE_ADDR"] = "10.1.0.9"
    assert last.post("/reset-password", data={"email": "known@example.test"}).status_code == 429
    assert len(outbox(app, "known@example.test")) == 3


def test_a_reset_confirms_the_address_and_logs_out_whoever_signed_up_with_it(app, client):
    """Someone signs up with another person's address and stays logged in; the address's owner
    takes the account back through the emailed reset link, which ends the stranger's session."""
    squatter = app.test_client()
    squatter.post(
        "/signup",
        data={
            "pseudonym": "squatter",
            "email": "victim@example.com",
            "password": "lemon tractor violet harbour",
            "age_confirmed": "y",
            "health_consent": "y",
        },
    )
    login(squatter, "victim@example.com", "lemon tractor violet harbour")
    assert "squatter" in squatter.get("/").get_data(as_text=True)
    client.post("/reset-password", data={"email": "victim@example.com"})
    path = link_in(outbox(app, "victim@example.com")[-1], "/reset-password/")
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert "squatter" not in squatter.get("/").get_data(as_text=True)
    assert login(client, "victim@example.com", NEW_PASSWORD).status_code == 302
    assert "Please confirm your email" not in client.get("/account").get_data(as_text=True)
