"""The public moderation log (/moderation/log) and members' reports (flags).

Separate from the staff blueprint on purpose: everything under `moderation.*` is for staff only,
and these are for everyone (the log) or every verified member (reporting)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import notify
from forum.domain import policies
from forum.domain.models import FlagReason, ModAction, Post, Reply
from forum.domain.services import flags, holds, moderation_log, posts, reports
from forum.errors import DomainError
from forum.extensions import limiter
from forum.http import db_id
from forum.moderation.forms import FlagForm
from forum.reported import JUST_REPORTED, report_key
from forum.text import excerpt

bp = Blueprint("transparency", __name__)

# What the public log shows of each action: the kind of target, never who or what it said.
PUBLIC_ACTIONS = [a for a in ModAction if a not in (ModAction.CHANGE_SETTING,)]
# How much of the writing the report page quotes: enough to tell it is the right one, short
# enough that the form still starts on a phone's first screen.
REPORT_QUOTE_LENGTH = 280


@bp.get("/moderation/log")
def log():
    action = request.args.get("action") or None
    try:
        chosen = ModAction(action) if action else None
    except ValueError:
        abort(400)
    entries = moderation_log.log_entries(
        action=chosen, before_id=request.args.get("before", type=db_id), limit=50
    )
    lines = moderation_log.for_public([e for e in entries if e.action in PUBLIC_ACTIONS])
    return render_template(
        "moderation/public_log.html", lines=lines, chosen=chosen, actions=PUBLIC_ACTIONS
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
    already = reports.own_report(current_user, target)  # then a calm note, not the form
    form = FlagForm()
    if form.validate_on_submit():
        try:
            result = flags.flag(
                target,
                flagger=current_user._get_current_object(),
                reason=FlagReason(form.reason.data),
                details=form.details.data,
            )
        except DomainError as err:
            form.show(err)
        else:
            return _thank(target, post, result)
    quote = excerpt(target.body, REPORT_QUOTE_LENGTH)
    page = render_template(
        "moderation/report.html", form=form, target=target, post=post, quote=quote, already=already
    )
    return page, (400 if form.is_submitted() and already is None else 200)


def _thank(target: Post | Reply, post: Post, result: flags.FlagResult) -> Response:
    """Thanks where the reader lands: beside what they reported (a second report too), or at
    the top of the page when their report hid it from them."""
    if not result.already and (item := holds.hold_notice(target)) and item.urgent:
        notify.tell_moderators(item)
    if not result.hidden:
        key = session[JUST_REPORTED] = report_key(target)
        anchor = f"reported-{key}"
        return redirect(url_for("posts.show", post_id=post.id, slug=post.slug, _anchor=anchor))
    flash("Thank you. A moderator will look at it. It is hidden until they have.")
    if not policies.can_see_post(current_user, post):
        return redirect(url_for("home.index"))  # the post's own page is a 404 for them now
    return redirect(url_for("posts.show", post_id=post.id, slug=post.slug))
