"""The public moderation log (/moderation/log) and members' reports (flags).

Separate from the staff blueprint on purpose: everything under `moderation.*` is for staff only,
and these are for everyone (the log) or every verified member (reporting)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.domain.models import FlagReason, ModAction, Post, Reply
from forum.domain.services import moderation, posts
from forum.errors import DomainError
from forum.extensions import limiter
from forum.http import db_id
from forum.moderation import notify
from forum.moderation.forms import FlagForm

bp = Blueprint("transparency", __name__)

# What the public log shows of each action: the kind of target, never who or what it said.
PUBLIC_ACTIONS = [a for a in ModAction if a not in (ModAction.CHANGE_SETTING,)]


@bp.get("/moderation/log")
def log():
    action = request.args.get("action") or None
    try:
        chosen = ModAction(action) if action else None
    except ValueError:
        abort(400)
    entries = moderation.log_entries(
        action=chosen, before_id=request.args.get("before", type=db_id), limit=50
    )
    entries = [e for e in entries if e.action in PUBLIC_ACTIONS]
    return render_template(
        "moderation/public_log.html", entries=entries, chosen=chosen, actions=PUBLIC_ACTIONS
    )


def _target(kind: str, target_id: int) -> Post | Reply:
    if kind == "posts":
        return posts.get_visible_or_404(target_id, viewer=current_user)
    return posts.get_reply_or_404(target_id, viewer=current_user)


@bp.route("/report/<any(posts, replies):kind>/<int:target_id>", methods=("GET", "POST"))
@login_required
@limiter.limit("30 per hour", methods=["POST"], key_func=lambda: f"flag:{current_user.id}")
def report(kind: str, target_id: int):
    target = _target(kind, target_id)
    post = target if isinstance(target, Post) else target.post
    form = FlagForm()
    if form.validate_on_submit():
        try:
            result = moderation.flag(
                target,
                flagger=current_user._get_current_object(),
                reason=FlagReason(form.reason.data),
                details=form.details.data,
            )
        except DomainError as err:
            form.show(err)
        else:
            item = moderation.hold_notice(target)
            if item is not None and item.urgent:
                notify.tell_moderators(item)
            flash(
                "Thank you. A moderator will look at it."
                + (" It is hidden until they have." if result.hidden else "")
            )
            anchor = None if isinstance(target, Post) else f"reply-{target.id}"
            return redirect(url_for("posts.show", post_id=post.id, slug=post.slug, _anchor=anchor))
    return render_template("moderation/report.html", form=form, target=target, post=post), (
        400 if form.is_submitted() else 200
    )
