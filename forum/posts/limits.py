"""How often a member may publish: counted per member, tighter in their first week.

Only real publishes count (a redirect to the new post): previews, drafts and forms sent back
with a problem do not, so a slow, careful writer never runs into a limit by accident.
"""

from __future__ import annotations

from flask import Response, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.domain import policies

# New accounts are where spam comes from; a real newcomer rarely writes more than this.
NEW_MEMBER_POSTS = "3 per hour;10 per day"
MEMBER_POSTS = "10 per hour;40 per day"
NEW_MEMBER_REPLIES = "10 per hour"
MEMBER_REPLIES = "60 per hour"
# Autosave runs every ten seconds at most while someone types; this leaves room for two tabs.
AUTOSAVES = "20 per minute"


def member_key() -> str:
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"address:{get_remote_address()}"


def posts_per_member() -> str:
    return NEW_MEMBER_POSTS if policies.joined_recently(current_user) else MEMBER_POSTS


def replies_per_member() -> str:
    return NEW_MEMBER_REPLIES if policies.joined_recently(current_user) else MEMBER_REPLIES


def published(response: Response) -> bool:
    """Publishing ends in a redirect to the post; everything else re-renders the form."""
    return response.status_code == 302


def not_publishing() -> bool:
    """Preview and Save draft never count, and keep working for a member at the limit."""
    return "preview" in request.form or "save_draft" in request.form
