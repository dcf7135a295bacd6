"""Moderators' and admins' screens. Every route here is for staff: one before_request checks
moderators (lobsters' Mod::ModController), and admin-only screens check admins on top."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from forum.domain import policies
from forum.domain.models import (
    ModAction,
    Post,
    Reply,
    ReviewItem,
    ScreeningRule,
    Tag,
    User,
    UserRole,
    name_key,
)
from forum.domain.services import moderation, moderation_log, posts
from forum.domain.services.screening import active_rules
from forum.errors import Conflict, DomainError, NotAllowed
from forum.extensions import db, login_manager
from forum.http import db_id
from forum.moderation import notify
from forum.moderation.forms import (
    EditApproveForm,
    PinForm,
    ReasonForm,
    RejectForm,
    RetagForm,
    RoleForm,
    RuleForm,
    SuspendForm,
    TryTextForm,
)

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
def staff_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policies.is_moderator(current_user):
        abort(403)
    return None


def _me() -> User:
    return current_user._get_current_object()


def _require_admin() -> None:
    policies.require(policies.is_admin(current_user), "Only admins can change this.")


# --- the queue ----------------------------------------------------------------------------------


@bp.get("")
@bp.get("/queue")
def queue():
    return render_template(
        "moderation/queue.html",
        entries=moderation.queue(),
        reject_form=RejectForm(),
        reason_form=ReasonForm(),
    )


def _item_or_404(item_id: int) -> ReviewItem:
    item = db.session.get(ReviewItem, item_id)
    if item is None or (item.post is None and item.reply is None):
        abort(404)
    return item


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    return _item_page(_item_or_404(item_id))


def _item_page(item: ReviewItem, *, reject_form=None, reason_form=None, status: int = 200):
    entry = next((e for e in moderation.queue(limit=500) if e.item.id == item.id), None)
    return render_template(
        "moderation/item.html",
        item=item,
        entry=entry,
        target=item.post or item.reply,
        reject_form=reject_form or RejectForm(),
        reason_form=reason_form or ReasonForm(),
    ), status


def _done(outcome: moderation.Outcome, message: str):
    notify.tell_author(outcome)
    flash(message)
    return redirect(url_for("moderation.queue"))


def _conflict(item: ReviewItem, err: Conflict):
    flash(err.message, "warning")
    return redirect(url_for("moderation.queue")), 303


@bp.post("/items/<int:item_id>/approve")
def approve(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _item_page(item, reason_form=form, status=400)
    try:
        outcome = moderation.approve(item_id, actor=_me(), reason=form.reason.data)
    except Conflict as err:
        return _conflict(item, err)
    return _done(outcome, "Approved: it is published now.")


@bp.route("/items/<int:item_id>/edit", methods=("GET", "POST"))
def edit_and_approve(item_id: int):
    item = _item_or_404(item_id)
    target = item.post or item.reply
    form = _text_form(target)
    if form.validate_on_submit():
        try:
            outcome = moderation.approve(
                item_id,
                actor=_me(),
                title=form.title.data,
                body=form.body.data,
                reason=form.reason.data,
            )
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Edited and approved: it is published now.")
    return render_template("moderation/edit.html", item=item, target=target, form=form)


def _text_form(target: Post | Reply) -> EditApproveForm:
    """A moderator's edit form, starting from the text as it is."""
    if request.method == "GET":
        return EditApproveForm(data={"title": getattr(target, "title", None), "body": target.body})
    return EditApproveForm()


@bp.post("/items/<int:item_id>/reject")
def reject(item_id: int):
    item = _item_or_404(item_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            outcome = moderation.reject(item_id, actor=_me(), reason=form.full_reason())
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Rejected: the author has been told why and keeps their text.")
    return _item_page(item, reject_form=form, status=400)


@bp.post("/items/<int:item_id>/remove")
def remove_item(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            outcome = moderation.remove_item(item_id, actor=_me(), reason=form.reason.data)
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Removed. The author has been told why.")
    return _item_page(item, reason_form=form, status=400)


@bp.post("/items/<int:item_id>/ignore-flags")
def ignore_flags(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _item_page(item, reason_form=form, status=400)
    try:
        outcome = moderation.ignore_flags(item_id, actor=_me(), reason=form.reason.data)
    except Conflict as err:
        return _conflict(item, err)
    return _done(outcome, "Flags cleared; the content stays as it is.")


# --- acting on a post or reply from its page ----------------------------------------------------


def _target(kind: str, target_id: int) -> Post | Reply:
    model = Post if kind == "posts" else Reply
    target = db.session.get(model, target_id)
    if target is None:
        abort(404)
    return target


def _back_to(target: Post | Reply) -> str:
    post = target if isinstance(target, Post) else target.post
    anchor = None if isinstance(target, Post) else f"reply-{target.id}"
    return url_for("posts.show", post_id=post.id, slug=post.slug, _anchor=anchor)


@bp.route(
    "/<any(posts, replies):kind>/<int:target_id>/<any(remove, restore, lock, unlock):action>",
    methods=("GET", "POST"),
)
def act(kind: str, target_id: int, action: str):
    target = _target(kind, target_id)
    if action in ("lock", "unlock") and not isinstance(target, Post):
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            if action == "remove":
                outcome = moderation.remove(target, actor=_me(), reason=form.reason.data)
            elif action == "restore":
                outcome = moderation.restore(target, actor=_me(), reason=form.reason.data)
            else:
                outcome = moderation.set_locked(
                    target, actor=_me(), locked=action == "lock", reason=form.reason.data
                )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash(f"Done: {outcome.action.label.lower()}.")
            return redirect(_back_to(target))
    return render_template("moderation/act.html", target=target, action=action, form=form), (
        400 if form.is_submitted() else 200
    )


@bp.route("/<any(posts, replies):kind>/<int:target_id>/edit", methods=("GET", "POST"))
def edit(kind: str, target_id: int):
    """Edit someone's published writing in the open (see moderation.edit)."""
    target = _target(kind, target_id)
    form = _text_form(target)
    if form.validate_on_submit():
        try:
            outcome = moderation.edit(
                target,
                actor=_me(),
                title=form.title.data,
                body=form.body.data,
                reason=form.reason.data,
            )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash("Edited. The author has been told, with your reason.")
            return redirect(_back_to(target))
    return render_template("moderation/edit.html", item=None, target=target, form=form), (
        400 if form.is_submitted() else 200
    )


@bp.route("/posts/<int:post_id>/retag", methods=("GET", "POST"))
def retag(post_id: int):
    post = _target("posts", post_id)
    form = RetagForm(
        data={"tags": ", ".join(t.name for t in posts.sorted_tags(post.tags))}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            outcome = moderation.retag(
                post,
                actor=_me(),
                reason=form.reason.data,
                tag_names=[t.strip() for t in form.tags.data.split(",") if t.strip()],
            )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash("Tags changed.")
            return redirect(_back_to(post))
    return render_template("moderation/retag.html", post=post, form=form)


@bp.route("/posts/<int:post_id>/pin", methods=("GET", "POST"))
def pin(post_id: int):
    post = _target("posts", post_id)
    links = {link.tag_id: link for link in post.tag_links}
    form = PinForm()
    form.tag.choices = [
        (
            str(t.id),
            f"{t.name} ({'pinned: unpin it' if links[t.id].pinned_at else 'not pinned: pin it'})",
        )
        for t in posts.sorted_tags(post.tags)
    ]
    if form.validate_on_submit():
        tag = db.session.get(Tag, int(form.tag.data))
        try:
            moderation.set_pinned(
                post,
                tag,
                actor=_me(),
                pinned=links[tag.id].pinned_at is None,
                reason=form.reason.data,
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"Done. See the {tag.name} page.")
            return redirect(_back_to(post))
    return render_template("moderation/pin.html", post=post, form=form)


# --- members ------------------------------------------------------------------------------------


@bp.get("/members")
def members():
    q = (request.args.get("q") or "").strip()
    found = []
    if q:
        found = db.session.scalars(
            select(User)
            .where(or_(User.pseudonym_key.contains(name_key(q)), User.email == q.lower()))
            .order_by(User.pseudonym_key)
            .limit(50)
        ).all()
    return render_template("moderation/members.html", q=q, found=found)


@bp.route("/members/<int:user_id>", methods=("GET",))
def member(user_id: int):
    return _member_page(_member_or_404(user_id))


def _member_or_404(user_id: int) -> User:
    member = db.session.get(User, user_id)
    if member is None:
        abort(404)
    return member


def _member_page(member: User, *, suspend_form=None, reason_form=None, role_form=None, status=200):
    return render_template(
        "moderation/member.html",
        member=member,
        history=moderation._histories({member.id}).get(member.id),
        actions=moderation_log.for_staff(
            moderation.log_entries(subject_user_id=member.id, limit=100)
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
                moderation.suspend(
                    member, actor=_me(), days=form.days.data, reason=form.reason.data
                )
            elif action == "ban":
                moderation.ban(member, actor=_me(), reason=form.reason.data)
            else:
                moderation.lift(member, actor=_me(), reason=form.reason.data)
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
    _require_admin()
    member = _member_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            moderation.change_role(
                member, actor=_me(), role=UserRole(form.role.data), reason=form.reason.data
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"{member.pseudonym} is now {member.role.value}.")
            return redirect(url_for("moderation.member", user_id=member.id))
    return _member_page(member, role_form=form, status=400)


# --- the full log -------------------------------------------------------------------------------


@bp.get("/actions")
def actions():
    action = request.args.get("action") or None
    try:
        chosen = ModAction(action) if action else None
    except ValueError:
        abort(400)
    entries = moderation.log_entries(
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


# --- admin: rules and settings ------------------------------------------------------------------


@bp.route("/rules", methods=("GET", "POST"))
def rules():
    _require_admin()
    form = TryTextForm()
    result = None
    if form.validate_on_submit():
        result = moderation.try_rules(form.text.data, new_member=bool(form.new_member.data))
    all_rules = db.session.scalars(
        select(ScreeningRule).order_by(ScreeningRule.category, ScreeningRule.code)
    ).all()
    return render_template(
        "moderation/rules.html",
        rules=all_rules,
        form=form,
        result=result,
        active_count=len(active_rules()),
    )


@bp.route("/rules/new", methods=("GET", "POST"), defaults={"rule_id": None})
@bp.route("/rules/<int:rule_id>", methods=("GET", "POST"))
def rule(rule_id: int | None):
    _require_admin()
    existing = db.session.get(ScreeningRule, rule_id) if rule_id else None
    if rule_id and existing is None:
        abort(404)
    form = RuleForm(obj=existing) if request.method == "GET" and existing else RuleForm()
    if request.method == "GET" and existing:
        for name in ("category", "matcher", "action"):
            getattr(form, name).data = getattr(existing, name).value
    elif request.method == "GET":
        form.enabled.data = False  # a new rule starts switched off: try it first
    if form.validate_on_submit():
        try:
            saved = moderation.save_rule(form.to_draft(), actor=_me(), rule=existing)
        except DomainError as err:
            form.show(err)
        else:
            flash(f"Rule {saved.code} saved.")
            return redirect(url_for("moderation.rules"))
    return render_template("moderation/rule_form.html", form=form, rule=existing)


@bp.route("/settings", methods=("GET", "POST"))
def settings():
    _require_admin()
    errors: dict[str, str] = {}
    if request.method == "POST":
        from forum.forms import EmptyForm

        if EmptyForm().validate_on_submit():
            for key in moderation.SETTINGS:
                raw = (request.form.get(key) or "").strip()
                if raw and raw != str(moderation.setting(key)):
                    try:
                        moderation.change_setting(
                            _me(), key, raw, reason=request.form.get("reason", "")
                        )
                    except DomainError as err:
                        errors[key] = err.message
            if not errors:
                flash("Settings saved.")
                return redirect(url_for("moderation.settings"))
    values = {key: request.form.get(key) or moderation.setting(key) for key in moderation.SETTINGS}
    return render_template(
        "moderation/settings.html", settings=moderation.SETTINGS, values=values, errors=errors
    ), (400 if errors else 200)
