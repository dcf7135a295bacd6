"""Loading the signed-in member for each request (Flask-Login)."""

from __future__ import annotations

from flask_login import LoginManager

from forum.domain.models import User


def load_user(user_id: str) -> User | None:
    """The login cookie carries "<id>.<session_version>": bumping the version ends every session."""
    from forum.extensions import db

    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def init_login(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"
