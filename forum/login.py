"""Loading the signed-in member for each request (Flask-Login)."""

from __future__ import annotations

from flask import current_app, request
from flask_login import COOKIE_NAME, LoginManager, login_user

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


def stay_logged_in(user: User) -> None:
    """Log this browser back in after `user`'s session version was bumped: every other session
    ends, this one carries on. A "keep me logged in" cookie is renewed too, or it would carry
    the old version and log them out when the browser closes."""
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    login_user(user, remember=remember_cookie in request.cookies)


def init_login(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"
