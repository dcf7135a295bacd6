"""Staff powers go with good standing: a suspended or banned moderator, editor or admin has none
while it lasts, nobody lifts their own sanction, and only admins lift one placed on staff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.domain import policies
from forum.domain.models import PostStatus, User, UserStatus, utcnow
from forum.domain.services import content_actions, sanctions
from forum.errors import DomainError, NotAllowed
from forum.extensions import db
from tests.factories import login, make_user
from tests.moderation.conftest import as_member, log, the_post
from tests.moderation.test_access import _url, _world

STAFF_AREAS = ("moderation.", "editors.")


def _suspend(app, user_id: int, *, until) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        user.status, user.suspended_until = UserStatus.SUSPENDED, until
        db.session.commit()


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


@pytest.mark.parametrize("role", ["moderator", "editor", "admin"])
def test_suspended_staff_get_403_on_every_staff_route(app, role):
    world = _world(app, role)
    with app.app_context():
        me = db.session.scalar(db.select(User).where(User.email == world["me"]))
        me.status, me.suspended_until = UserStatus.SUSPENDED, utcnow() + timedelta(days=7)
        db.session.commit()
    client = app.test_client()
    assert login(client, world["me"]).status_code == 302  # they may still log in and read
    failures = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(STAFF_AREAS):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        got = client.open(_url(rule, world), method=method).status_code
        if got != 403:
            failures.append(f"{method} {rule.rule} ({rule.endpoint}): {got}")
    assert failures == []
    page = client.get(f"/posts/{world['post_id']}/{world['post_slug']}").get_data(as_text=True)
    assert "Moderator tools" not in page


def test_suspended_moderators_keep_no_powers_and_get_them_back_when_it_ends(app, people):
    post = the_post(app, "Earlier post 0")
    ada = as_member(app, "ada@example.test")
    ada.post(f"/moderation/members/{people['mod']}/suspend", data={"days": "3", "reason": "Leak"})
    mo = as_member(app, "mo@example.test")
    assert mo.get("/moderation/queue").status_code == 403
    assert mo.post(f"/moderation/posts/{post.id}/remove", data={"reason": "x"}).status_code == 403
    assert the_post(app, "Earlier post 0").status is PostStatus.PUBLISHED
    # A suspension ends by itself when its time is up, and the powers come back with it.
    _suspend(app, people["mod"], until=utcnow() - timedelta(minutes=1))
    assert mo.get("/moderation/queue").status_code == 200


def test_banned_or_suspended_staff_have_no_powers_in_the_services_either(app, people):
    post = the_post(app, "Earlier post 0")
    with app.app_context():
        admin = db.session.get(User, people["admin"])
        admin.status = UserStatus.BANNED
        mod = db.session.get(User, people["mod"])
        mod.suspended_until = utcnow() + timedelta(days=1)
        editor = make_user(role="editor", status="banned")
        db.session.commit()
        for staff in (admin, mod):
            assert not policies.is_moderator(staff)
            with pytest.raises(NotAllowed):
                content_actions.remove(post, actor=staff, reason="No")
        assert not policies.is_admin(admin)
        assert not policies.is_editor(editor) and not policies.can_edit_articles(editor)
    assert the_post(app, "Earlier post 0").status is PostStatus.PUBLISHED


def test_nobody_lifts_their_own_suspension(app, people):
    ada = as_member(app, "ada@example.test")
    ada.post(f"/moderation/members/{people['mod']}/suspend", data={"days": "7", "reason": "Leak"})
    mo = as_member(app, "mo@example.test")
    refused = mo.post(f"/moderation/members/{people['mod']}/lift", data={"reason": "Mine"})
    assert refused.status_code == 403
    assert _user(app, people["mod"]).status is UserStatus.SUSPENDED
    # Admins neither, once another admin has suspended them.
    with app.app_context():
        other_admin = make_user(email="ola@example.test", role="admin")
        other_admin.created_at = utcnow() - timedelta(days=200)
        db.session.commit()
    ola = as_member(app, "ola@example.test")
    ola.post(f"/moderation/members/{people['admin']}/suspend", data={"days": "1", "reason": "x"})
    refused = ada.post(f"/moderation/members/{people['admin']}/lift", data={"reason": "Mine"})
    assert refused.status_code == 403
    assert _user(app, people["admin"]).status is UserStatus.SUSPENDED
    # And the service refuses it even when the suspension has run out on its own.
    _suspend(app, people["mod"], until=utcnow() - timedelta(minutes=1))
    with app.app_context():
        mod = db.session.get(User, people["mod"])
        with pytest.raises(DomainError, match="your own account"):
            sanctions.lift(mod, actor=mod, reason="Mine")


def test_only_admins_lift_a_sanction_on_staff(app, people):
    ada = as_member(app, "ada@example.test")
    ada.post(
        f"/moderation/members/{people['mod2']}/ban", data={"reason": "Shared a member's email"}
    )
    mo = as_member(app, "mo@example.test")
    refused = mo.post(f"/moderation/members/{people['mod2']}/lift", data={"reason": "Friend"})
    assert refused.status_code == 403
    assert "Only an admin can lift" in refused.get_data(as_text=True)
    assert _user(app, people["mod2"]).status is UserStatus.BANNED
    assert (
        ada.post(
            f"/moderation/members/{people['mod2']}/lift", data={"reason": "Appeal upheld"}
        ).status_code
        == 302
    )
    assert _user(app, people["mod2"]).status is UserStatus.ACTIVE
    assert [e.action.value for e in log(app)] == ["ban", "lift"]
    # Members' suspensions are still lifted by any moderator.
    mo.post(
        f"/moderation/members/{people['established']}/suspend", data={"days": "2", "reason": "x"}
    )
    lifted = mo.post(f"/moderation/members/{people['established']}/lift", data={"reason": "Ok"})
    assert lifted.status_code == 302
    assert _user(app, people["established"]).status is UserStatus.ACTIVE
