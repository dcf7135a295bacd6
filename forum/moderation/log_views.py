"""The full moderation log, filtered by action, moderator or member."""

from __future__ import annotations

from flask import abort, render_template, request

from forum.domain.models import (
    ModAction,
)
from forum.domain.services import (
    moderation_log,
)
from forum.http import db_id
from forum.moderation.staff import bp


@bp.get("/actions")
def actions():
    action = request.args.get("action") or None
    try:
        chosen = ModAction(action) if action else None
    except ValueError:
        abort(400)
    entries = moderation_log.log_entries(
        action=chosen,
        actor_id=request.args.get("actor", type=db_id),
        subject_user_id=request.args.get("member", type=db_id),
        before_id=request.args.get("before", type=db_id),
    )
    return render_template(
        "moderation/actions.html",
        lines=moderation_log.for_staff(entries),
        chosen=chosen,
        actions=list(ModAction),
    )
