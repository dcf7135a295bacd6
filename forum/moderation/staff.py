"""The moderation blueprint and what every staff screen shares. Every route is for staff: one
before_request checks moderators (lobsters' Mod::ModController), and admin-only screens check
admins on top. The screens attach their routes to `bp`; views.py hands create_app the blueprint
with all of them."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from forum.domain import policies
from forum.domain.models import (
    Post,
    Reply,
    User,
)
from forum.extensions import login_manager
from forum.moderation.forms import (
    EditApproveForm,
)

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
def staff_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policies.is_moderator(current_user):
        abort(403)
    return None


def me() -> User:
    return current_user._get_current_object()


def require_admin() -> None:
    policies.require(policies.is_admin(current_user), "Only admins can change this.")


def text_form(target: Post | Reply) -> EditApproveForm:
    """A moderator's edit form, starting from the text as it is."""
    if request.method == "GET":
        return EditApproveForm(data={"title": getattr(target, "title", None), "body": target.body})
    return EditApproveForm()
