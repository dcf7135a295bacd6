"""`flask --app forum create-user`: how operators make the first admin, moderators, editors."""

from __future__ import annotations

from forum.domain.models import User, UserRole
from forum.extensions import db
from tests.factories import login

PASSWORD = "lighthouse copper meadow drum"


def test_create_user_reads_the_password_from_the_environment(app, runner, client):
    result = runner.invoke(
        args=["create-user", "Admin@Example.com", "--pseudonym", "site_admin", "--role", "admin"],
        env={"COHORT_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert "Created admin site_admin <admin@example.com> (verified)." in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.role is UserRole.ADMIN and user.is_verified
    assert login(client, "admin@example.com", PASSWORD).status_code == 302


def test_create_user_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "mod@example.com",
            "--pseudonym",
            "a_moderator",
            "--role",
            "moderator",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(User.role)) is UserRole.MODERATOR


def test_create_user_refuses_weak_passwords_and_duplicates(app, runner):
    weak = runner.invoke(
        args=["create-user", "a@example.com", "--pseudonym", "someone"],
        env={"COHORT_PASSWORD": "short"},
    )
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    ok = runner.invoke(
        args=["create-user", "a@example.com", "--pseudonym", "someone"],
        env={"COHORT_PASSWORD": PASSWORD},
    )
    assert ok.exit_code == 0
    again = runner.invoke(
        args=["create-user", "A@example.com", "--pseudonym", "other"],
        env={"COHORT_PASSWORD": PASSWORD},
    )
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_create_user_rejects_unknown_roles(runner):
    result = runner.invoke(
        args=["create-user", "a@example.com", "--pseudonym", "x_y_z", "--role", "king"],
        env={"COHORT_PASSWORD": PASSWORD},
    )
    assert result.exit_code != 0
