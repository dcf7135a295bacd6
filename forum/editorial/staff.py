"""Editors' screens: writing articles and curating drugs, conditions and topics. Every route
here is for editors and admins: one before_request checks them (policies.is_editor), as the
moderation blueprint does for moderators. Readers' article pages stay in forum.editorial.views.
The screens attach their routes to `bp` (article_views.py, tag_views.py); editors.py hands
create_app the blueprint with all of them.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from forum.domain import policies
from forum.domain.models import User
from forum.domain.services.editorial import review_due_count
from forum.extensions import login_manager

bp = Blueprint("editors", __name__, url_prefix="/editorial")


@bp.before_request
def editors_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policies.is_editor(current_user):
        abort(403)
    return None


@bp.context_processor
def review_count():
    """The editors' navigation shows how many articles are past their review date."""
    return {"review_due": review_due_count()}


def me() -> User:
    return current_user._get_current_object()
