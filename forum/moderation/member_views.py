"""Members: finding them, their record, and suspending, banning, lifting and changing roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forum.domain.models import (
    User,
    UserRole,
)
from forum.domain.services import (
    moderation_log,
    review_queue,
    sanctions,
)
from forum.errors import DomainError, NotAllowed
from forum.moderation.forms import (
    ReasonForm,
    RoleForm,
    SuspendForm,
)
from forum.moderation.staff import bp, me, require_admin


@bp.get("/members")
def members():
    q = (request.args.get("q") or "").strip()
    found = sanctions.find_members(q) if q else []
    return render_template("moderation/members.html", q=q, found=found)


@bp.route("/members/<int:user_id>", methods=("GET",))
def member(user_id: int):
    return _member_page(_member_or_404(user_id))


def _member_or_404(user_id: int) -> User:
    member = sanctions.find_member(user_id)
    if member is None:
        abort(404)
    return member


def _member_page(member: User, *, suspend_form=None, reason_form=None, role_form=None, status=200):
    return render_template(
        "moderation/member.html",
        member=member,
        history=review_queue.author_histories({member.id}).get(member.id),
        actions=moderation_log.for_staff(
            moderation_log.log_entries(subject_user_id=member.id, limit=100)
        ),
        suspend_form=suspend_form or SuspendForm(),
        reason_form=reason_form or ReasonForm(),
        role_form=role_form or RoleForm(role=member.role.value),
    ), status


@bp.post("/members/<int:user_id>/<any(suspend, ban, lift):action>")
def member_action(user_id: int, action: str):
    member = _member_or_404(user_id)
    form = SuspendForm() if action == "suspend" else ReasonForm()
    if form.validate_on_submit():
        try:
            if action == "suspend":
                sanctions.suspend(member, actor=me(), days=form.days.data, reason=form.reason.data)
            elif action == "ban":
                sanctions.ban(member, actor=me(), reason=form.reason.data)
            else:
                sanctions.lift(member, actor=me(), reason=form.reason.data)
        except NotAllowed:
            raise
        except DomainError as err:
            form.show(err)
        else:
            flash({"suspend": "Suspended.", "ban": "Banned.", "lift": "Lifted."}[action])
            return redirect(url_for("moderation.member", user_id=member.id))
    if action == "suspend":
        return _member_page(member, suspend_form=form, status=400)
    return _member_page(member, reason_form=form, status=400)


@bp.post("/members/<int:user_id>/role")
def change_role(user_id: int):
    require_admin()
    member = _member_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            sanctions.change_role(
                member, actor=me(), role=UserRole(form.role.data), reason=form.reason.data
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"{member.pseudonym} is now {member.role.value}.")
            return redirect(url_for("moderation.member", user_id=member.id))
    return _member_page(member, role_form=form, status=400)
